//! Static TLS and the initial thread's TCB (startup stage 3).
//!
//! The program's PT_TLS segment (found through AT_PHDR) describes the
//! `__thread` variables of C code: an initialised image (`.tdata`) followed
//! by zeros (`.tbss`). x86 uses TLS variant II: the block sits just below the
//! thread pointer, so gcc's local-exec code reads `%fs:-N` / `%gs:-N`. The
//! mapping is `[pad][TLS block][Pthread]`, with the thread pointer at the
//! Pthread, aligned for both.

use crate::arch::{self, elf::Phdr, nr};
use crate::auxv;
use crate::thread::Pthread;
use core::mem::{align_of, size_of};

const PT_TLS: u32 = 7;

/// The program's TLS template.
#[derive(Clone, Copy, Default)]
pub struct Template {
    pub image: usize,
    pub filesz: usize,
    pub memsz: usize,
    pub align: usize,
}

static mut TEMPLATE: Template = Template {
    image: 0,
    filesz: 0,
    memsz: 0,
    align: 1,
};

/// Find PT_TLS among the program headers the kernel pointed us at.
fn find_template() -> Template {
    let (Some(phdr), Some(phnum)) = (auxv::get(auxv::AT_PHDR), auxv::get(auxv::AT_PHNUM)) else {
        return Template {
            align: 1,
            ..Template::default()
        };
    };
    // SAFETY: AT_PHDR/AT_PHNUM describe the mapped program headers.
    let phdrs = unsafe { core::slice::from_raw_parts(phdr as *const Phdr, phnum) };
    for p in phdrs {
        if p.p_type == PT_TLS {
            // A static non-PIE program: p_vaddr is the image's address.
            return Template {
                image: p.p_vaddr,
                filesz: p.p_filesz,
                memsz: p.p_memsz,
                align: p.p_align.max(1),
            };
        }
    }
    Template {
        align: 1,
        ..Template::default()
    }
}

/// Bytes the TLS block takes below the thread pointer (the linker's offset).
fn block_size(t: &Template) -> usize {
    (t.memsz + t.align - 1) & !(t.align - 1)
}

/// Lay out TLS + descriptor in `[base, base+size)`: copy the image, zero the
/// rest, fill the TCB header. Returns the thread pointer.
///
/// # Safety
/// The range must be writable and at least `area_size()` bytes.
pub unsafe fn install_block(base: usize, size: usize) -> *mut Pthread {
    // SAFETY: read-only after startup.
    let t = unsafe { TEMPLATE };
    let align = t.align.max(align_of::<Pthread>());
    let tp = (base + block_size(&t) + align - 1) & !(align - 1);
    let block = tp - block_size(&t);
    // SAFETY: [block, tp + size_of Pthread) lies inside the area (see
    // area_size); the image is the program's own PT_TLS data.
    unsafe {
        core::ptr::copy_nonoverlapping(t.image as *const u8, block as *mut u8, t.filesz);
        crate::string::mem::memset(
            (block + t.filesz) as *mut _,
            0,
            tp + size_of::<Pthread>() - block - t.filesz,
        );
        let th = tp as *mut Pthread;
        (*th).head.tcb = tp;
        (*th).head.self_ = tp;
        (*th).head.sysinfo = arch::sysinfo();
        (*th).map_base = base;
        (*th).map_size = size;
        (*th).tls_block = block;
        (*th).dtv = [1, block];
        (*th).head.dtv = (&raw mut (*th).dtv) as usize;
        th
    }
}

/// How many bytes a thread's TLS area needs.
pub fn area_size() -> usize {
    // SAFETY: read-only after startup.
    let t = unsafe { TEMPLATE };
    let align = t.align.max(align_of::<Pthread>());
    block_size(&t) + align + size_of::<Pthread>()
}

/// Startup stage 3: map the initial thread's TLS block and descriptor, fill
/// the TCB (sysinfo, stack guard and pointer guard from AT_RANDOM, as glibc
/// does), and make it the thread pointer. Uses only the early syscall form;
/// on failure the process exits with status 127.
pub fn init() {
    let t = find_template();
    // SAFETY: single-threaded startup.
    unsafe { TEMPLATE = t };
    let size = (area_size() + 4095) & !4095;
    // SAFETY: an anonymous private mapping; we own it for the process's life.
    let base = unsafe { arch::early_syscall6(arch::MMAP_NR, 0, size, 3, 0x22, usize::MAX, 0) };
    if (base as usize) > usize::MAX - 4096 {
        early_die(b"libc-rs: cannot map the initial TLS block\n");
    }
    // SAFETY: fresh mapping of `size` bytes.
    let th = unsafe { install_block(base as usize, size) };
    if let Some(r) = auxv::get(auxv::AT_RANDOM) {
        // SAFETY: AT_RANDOM points at 16 random bytes on the initial stack.
        unsafe {
            let w = size_of::<usize>();
            let guard = (r as *const usize).read_unaligned();
            // glibc zeroes the low byte so string overflows cannot leak it.
            (*th).head.stack_guard = guard & !0xff;
            (*th).head.pointer_guard = ((r + w) as *const usize).read_unaligned();
        }
    }
    // SAFETY: th is the fully initialised TCB.
    if unsafe { arch::tcb::set_thread_pointer(th as usize) } < 0 {
        early_die(b"libc-rs: cannot set the thread pointer\n");
    }
    // From here on `call *%gs:16` works, and errno has a home. As glibc:
    // set_tid_address returns our tid and makes the kernel clear and wake
    // it when this thread exits, so another thread can join the initial one.
    // SAFETY: our own descriptor, which lives as long as the process.
    unsafe {
        let tid = crate::sys::raw6(
            nr::SET_TID_ADDRESS,
            &raw mut (*th).tid as usize,
            0,
            0,
            0,
            0,
            0,
        );
        (*th).tid = tid as i32;
    }
}

/// Write a message and exit, with nothing but early syscalls.
pub fn early_die(msg: &[u8]) -> ! {
    // SAFETY: writing a static message; exit_group does not return.
    unsafe {
        arch::early_syscall6(nr::WRITE, 2, msg.as_ptr() as usize, msg.len(), 0, 0, 0);
        arch::early_syscall6(nr::EXIT_GROUP, 127, 0, 0, 0, 0, 0);
    }
    loop {}
}
