//! load_elf_binary (Linux's fs/binfmt_elf.c): the checks and load plan
//! come from kernel/libs/binfmt; here they become VMAs in a fresh address
//! space, with Linux's randomised layout, the interpreter (PT_INTERP) if
//! any, the vDSO, and the initial stack from create_elf_tables.

use super::file::File;
use crate::arch::x86_64::cpu::boot_cpu;
use crate::arch::x86_64::entry::PtRegs;
use crate::arch::x86_64::process::start_thread;
use crate::arch::x86_64::{mm::load_cr3, vdso};
use crate::errno::Errno;
use crate::mm::mmap::{Backing, MmStruct, VmFlags};
use crate::process::signal::RLIMIT_STACK;
use crate::random::{get_random_bytes, get_random_u64};
use crate::sched::current;
use alloc::sync::Arc;
use alloc::vec::Vec;
use binfmt::{AuxvValues, Class, ElfImage, StackParams, Vdso};
use core::sync::atomic::Ordering;

const PAGE: u64 = 4096;

/// Linux's struct linux_binprm, reduced to what we use.
pub struct LinuxBinprm {
    /// The path execve was given: the process's name and AT_EXECFN.
    pub filename: Vec<u8>,
    /// The path of `file`, the program loaded (a script's interpreter).
    pub interp: Vec<u8>,
    pub file: Arc<File>,
    /// The first bytes of `file` (Linux's bprm->buf).
    pub buf: Vec<u8>,
    pub argv: Vec<Vec<u8>>,
    pub envp: Vec<Vec<u8>>,
}

/// An open executable as binfmt reads it: only the pieces it asks for
/// (Linux's elf_read), never the whole file.
struct ExecFile<'a>(&'a File);

impl binfmt::ElfSource for ExecFile<'_> {
    fn size(&self) -> u64 {
        self.0.inode.size()
    }

    fn read_exact_at(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        let mut buf = alloc::vec![0u8; len];
        (self.0.read_at(offset, &mut buf).ok()? == len).then_some(buf)
    }
}

/// Linux's personality flag that turns randomisation off (setarch -R).
const ADDR_NO_RANDOMIZE: u32 = 0x0040000;

/// How much of the layout exec randomises (Linux's PF_RANDOMIZE and
/// randomize_va_space): 0 nothing, 1 stack, mmap base, vDSO and PIE base,
/// 2 the heap's start too.
fn randomize_level() -> u32 {
    if current().personality() & ADDR_NO_RANDOMIZE != 0 {
        0
    } else {
        crate::mm::RANDOMIZE_VA_SPACE.load(Ordering::Relaxed)
    }
}

/// A page-aligned random offset below `max` (arch_mmap_rnd and friends),
/// or 0 when exec does not randomise.
fn rnd(max: u64) -> u64 {
    if max == 0 || randomize_level() == 0 {
        0
    } else {
        (get_random_u64() % max) & !(PAGE - 1)
    }
}

/// Map an ELF image's segments at `bias` into `mm` (Linux's elf_load).
fn map_segments(
    mm: &MmStruct,
    img: &ElfImage,
    file: &Arc<File>,
    bias: u64,
    name: &Arc<str>,
) -> Result<(), Errno> {
    for seg in &img.segments {
        let prot = img.mmap_prot(seg);
        let flags = VmFlags::from_prot(prot.0);
        let start = bias + seg.map_start();
        let file_len = seg.file_map_len();
        if file_len > 0 {
            // Bytes past p_filesz in the last file page read as zero when
            // bss follows (Linux's padzero); otherwise they are file bytes.
            let file_end = if seg.zero_fill().is_some() {
                seg.offset + seg.filesz
            } else {
                u64::MAX
            };
            mm.map_region(
                start,
                start + file_len,
                flags,
                Backing::File {
                    file: file.clone(),
                    offset: seg.file_offset(),
                    file_end,
                },
                Some(name.clone()),
            )?;
        }
        if let Some((s, e)) = seg.anon_range() {
            mm.map_region(bias + s, bias + e, flags, Backing::Anon, None)?;
        }
    }
    Ok(())
}

/// Load `bprm` and start it in the current task (Linux's load_elf_binary).
#[unsafe(no_mangle)]
pub fn load_elf_binary(bprm: LinuxBinprm, regs: &mut PtRegs) -> Result<(), Errno> {
    let me = current();
    let rlim_stack = me.signal().rlim.lock()[RLIMIT_STACK].cur.min(1 << 30);
    let argv: Vec<&[u8]> = bprm.argv.iter().map(|a| a.as_slice()).collect();
    let envp: Vec<&[u8]> = bprm.envp.iter().map(|a| a.as_slice()).collect();
    binfmt::bprm_stack_limits(&argv, &envp, &bprm.filename, rlim_stack)
        .map_err(|e| Errno(e.errno()))?;
    let img = binfmt::parse(&ExecFile(&bprm.file)).map_err(|e| Errno(e.errno()))?;
    let interp = match &img.interp {
        Some(i) => {
            let f = super::exec::open_exec(&i.path)
                .map_err(|e| if e == Errno::EACCES { Errno::EACCES } else { e })?;
            let ii = binfmt::parse(&ExecFile(&f)).map_err(|e| Errno(e.interp_errno()))?;
            if ii.class != img.class {
                return Err(Errno::ELIBBAD);
            }
            Some((f, ii))
        }
        None => None,
    };
    let compat = img.class == Class::Elf32;
    let task_size = img.class.task_size();

    // ---- the layout (Linux's arch_pick_mmap_layout and stack_top) ----
    let stack_rnd = if compat {
        rnd(0x7ff << 12)
    } else {
        rnd(0x3f_ffff << 12)
    };
    let stack_top = (task_size - stack_rnd) & !(PAGE - 1);
    let stack_size = rlim_stack.max(128 << 10).next_multiple_of(PAGE);
    let gap = (rlim_stack + (1 << 20) + stack_rnd).clamp(128 << 20, task_size / 6 * 5);
    let mmap_rnd = if compat { rnd(1 << 20) } else { rnd(1 << 40) };
    let mmap_base = (stack_top - gap - mmap_rnd) & !(PAGE - 1);

    let mm = Arc::new(MmStruct::new(task_size)?);
    mm.set_layout(|l| l.mmap_base = mmap_base);

    // ET_DYN: programs with an interpreter (or large alignment) go near
    // ELF_ET_DYN_BASE; static-pie goes where mmap would put it.
    let bias = match img.elf_type {
        binfmt::ElfType::Exec => 0,
        binfmt::ElfType::Dyn => {
            let align = img.maximum_alignment().max(PAGE);
            let base = if img.interp.is_some() || align > PAGE {
                (img.class.et_dyn_base() + rnd(if compat { 1 << 20 } else { 1 << 30 }))
                    & !(align - 1)
            } else {
                mm.get_unmapped_area(0, img.total_mapping_size() + align)?
                    .next_multiple_of(align)
            };
            img.load_bias(base)
        }
    };
    img.check_placement(bias).map_err(|e| Errno(e.errno()))?;

    // ---- point of no return: from here, failure kills the process ----
    super::exec::de_thread();
    let name: Arc<str> = alloc::string::String::from_utf8_lossy(&bprm.interp)
        .into_owned()
        .into();
    let result = (|| -> Result<(u64, u64, u64, Option<vdso::VdsoMapping>), Errno> {
        map_segments(&mm, &img, &bprm.file, bias, &name)?;
        let bounds = img.mm_bounds(bias);
        let (entry, base) = match &interp {
            Some((f, ii)) => {
                let ibase = mm.get_unmapped_area(
                    0,
                    ii.total_mapping_size() + ii.maximum_alignment().max(PAGE),
                )?;
                let ibias = ii.load_bias(ibase.next_multiple_of(ii.maximum_alignment().max(PAGE)));
                let iname: Arc<str> = alloc::string::String::from_utf8_lossy(&f.path)
                    .into_owned()
                    .into();
                map_segments(&mm, ii, f, ibias, &iname)?;
                (ii.entry_at(ibias), ibias + ii.span().0)
            }
            None => (img.entry_at(bias), 0),
        };
        let brk_rnd = if randomize_level() >= 2 {
            rnd(0x0200_0000)
        } else {
            0
        };
        let brk = (bounds.start_brk + brk_rnd).next_multiple_of(PAGE);
        mm.set_layout(|l| {
            l.start_code = bounds.start_code;
            l.end_code = bounds.end_code;
            l.start_data = bounds.start_data;
            l.end_data = bounds.end_data;
            l.start_brk = brk;
            l.brk = brk;
        });
        let stack_flags = VmFlags::READ
            | VmFlags::WRITE
            | VmFlags::MAYREAD
            | VmFlags::MAYWRITE
            | VmFlags::GROWSDOWN
            | if img.stack_executable() {
                VmFlags::EXEC
            } else {
                VmFlags::empty()
            };
        mm.map_region(
            stack_top - stack_size,
            stack_top,
            stack_flags,
            Backing::Anon,
            Some("[stack]".into()),
        )?;
        let vdso = vdso::map_vdso(&mm, compat)?;
        Ok((entry, base, bias, vdso))
    })();

    // Leave the old image: clear_child_tid is written there, and a vfork
    // parent may run again (Linux's exec_mm_release).
    crate::process::exit::mm_release(me);
    // Switch to the new address space; the old one goes with its last user.
    let old = me.mm.lock().replace(mm.clone());
    // SAFETY: the new mm shares the kernel half; we run on a kernel stack.
    unsafe { load_cr3(mm.pgd()) };
    if let Some(old) = &old {
        crate::process::cputime::exit_mm_rss(me, old);
    }
    drop(old);
    me.compat.store(compat, Ordering::Relaxed);

    let (entry, base, _bias, vdso_map) = match result {
        Ok(v) => v,
        Err(_) => {
            crate::process::signal::force_sig_fault(crate::process::signal::SIGSEGV, 0, 0);
            return Ok(());
        }
    };

    let mut random = [0u8; 16];
    get_random_bytes(&mut random);
    let cpu = boot_cpu();
    let auxv = AuxvValues {
        vdso: vdso_map.map(|v| Vdso {
            base: v.base,
            entry: v.kernel_vsyscall.unwrap_or(0),
        }),
        minsigstksz: crate::arch::x86_64::signal::get_sigframe_size(),
        hwcap: cpu.features_1_edx as u64,
        hwcap2: 0,
        phdr: img.phdr_at(bias),
        phnum: img.phnum.into(),
        entry: img.entry_at(bias),
        base,
        flags: 0,
        uid: 0,
        euid: 0,
        gid: 0,
        egid: 0,
        secure: false,
        ..AuxvValues::default()
    };
    let stack = binfmt::create_elf_tables(&StackParams {
        class: img.class,
        stack_top,
        argv: &argv,
        envp: &envp,
        execfn: &bprm.filename,
        platform: img.class.platform(),
        random,
        // Linux's arch_align_stack, when randomising.
        align_offset: if randomize_level() > 0 {
            (get_random_u64() % 8192) as u32 & !15
        } else {
            0
        },
        rlim_stack,
        auxv,
    });
    let stack = match stack {
        Ok(s) => s,
        Err(_) => {
            crate::process::signal::force_sig_fault(crate::process::signal::SIGSEGV, 0, 0);
            return Ok(());
        }
    };
    if crate::uaccess::copy_to_user(stack.sp as usize, &stack.bytes).is_err() {
        crate::process::signal::force_sig_fault(crate::process::signal::SIGSEGV, 0, 0);
        return Ok(());
    }
    mm.set_layout(|l| {
        l.start_stack = stack.sp;
        l.arg_start = stack.arg_start;
        l.arg_end = stack.arg_end;
        l.env_start = stack.env_start;
        l.env_end = stack.env_end;
    });
    let pad = match (compat, vdso_map) {
        (true, Some(v)) => vdso::landing_pad_at(v.base),
        _ => 0,
    };
    me.vdso32_landing_pad.store(pad, Ordering::Relaxed);
    super::exec::setup_new_exec(&bprm.filename);
    start_thread(regs, entry, stack.sp, compat);
    Ok(())
}
