//! The vDSOs in every process (Linux's arch/x86/entry/vdso/vma.c).
//!
//! At boot the embedded images are copied into frames and patched:
//! `__kernel_vsyscall`'s entry sequence is chosen by CPU vendor (Intel →
//! sysenter, AMD/Hygon → syscall, else int $0x80) unless `vdso32=` says
//! otherwise, and RDPID alternatives are applied when the CPU has it. exec
//! maps `[vvar]` (one read-only page shared with the kernel's timekeeping)
//! and `[vdso]` right above it.

use super::cpu::boot_cpu;
use crate::errno::Errno;
use crate::mm::mmap::{Backing, MmStruct, VmFlags};
use crate::mm::page_alloc;
use crate::sync::Once;
use alloc::sync::Arc;
use alloc::vec::Vec;
use vdso_data::{Feature, VdsoImage, VsyscallMethod, VvarPage};

mod images {
    #[allow(unused_imports)]
    use vdso_data::{Alternative, PageAligned, VdsoImage};
    include!(concat!(env!("OUT_DIR"), "/vdso_image_32.rs"));
    include!(concat!(env!("OUT_DIR"), "/vdso_image_64.rs"));
}

/// The vvar page every process maps read-only; the tick updates it.
pub static VVAR: VvarPage = VvarPage::new();

struct Mapped {
    image: &'static VdsoImage,
    frames: Arc<[u64]>,
}

static VDSO32: Once<Option<Mapped>> = Once::new();
static VDSO64: Once<Mapped> = Once::new();
static METHOD: Once<Option<VsyscallMethod>> = Once::new();

fn cpu_has_rdpid() -> bool {
    boot_cpu().features_7_ecx & (1 << 22) != 0
}

/// Copy `image` into fresh frames and patch it.
fn load(image: &'static VdsoImage, method: Option<VsyscallMethod>) -> Mapped {
    let pages = image.size / 4096;
    let mut copy = image.data[..image.size].to_vec();
    if let Some(m) = method {
        image
            .patch_vsyscall(&mut copy, m)
            .expect("vdso32: cannot patch __kernel_vsyscall");
    }
    image
        .apply_alternatives(&mut copy, |f| f == Feature::Rdpid && cpu_has_rdpid())
        .expect("vdso: bad alternatives");
    let frames: Vec<u64> = (0..pages)
        .map(|i| {
            let pa = page_alloc::alloc_pages(0).expect("no memory for the vDSO");
            // SAFETY: a fresh frame, direct-mapped; we fill it before any
            // process can map it.
            unsafe {
                core::ptr::copy_nonoverlapping(
                    copy[i * 4096..].as_ptr(),
                    super::mm::phys_to_virt(pa) as *mut u8,
                    4096,
                )
            };
            pa
        })
        .collect();
    Mapped {
        image,
        frames: frames.into(),
    }
}

/// Choose the 32-bit entry method and prepare both images (boot).
/// `vdso32` is the command-line value, if any.
pub fn init_vdso(vdso32: Option<&str>) {
    let method = match vdso32 {
        Some("0") => None,
        Some(v) => match v.parse::<VsyscallMethod>() {
            Ok(m) => Some(m),
            Err(()) => {
                crate::pr_warn!(
                    "vdso32={v}: expected int80, sysenter, syscall or 0; choosing by CPU"
                );
                Some(VsyscallMethod::for_vendor(&boot_cpu().vendor_id))
            }
        },
        None => Some(VsyscallMethod::for_vendor(&boot_cpu().vendor_id)),
    };
    METHOD.call_once(|| method);
    match (method, vdso32) {
        (None, _) => {
            crate::pr_info!("vdso32: disabled (vdso32=0): 32-bit processes get no AT_SYSINFO")
        }
        (Some(m), Some(_)) => crate::pr_info!(
            "vdso32: __kernel_vsyscall uses {} (vdso32= on the command line)",
            m
        ),
        (Some(m), None) => {
            crate::pr_info!(
                "vdso32: __kernel_vsyscall uses {} (CPU vendor {})",
                m,
                boot_cpu().vendor_str()
            )
        }
    }
    VDSO32.call_once(|| method.map(|m| load(&images::VDSO32, Some(m))));
    VDSO64.call_once(|| load(&images::VDSO64, None));
}

/// The method `__kernel_vsyscall` uses (None: no 32-bit vDSO).
pub fn vsyscall_method() -> Option<VsyscallMethod> {
    METHOD.get().copied().flatten()
}

/// Where a vDSO landed in a process.
#[derive(Clone, Copy, Debug)]
pub struct VdsoMapping {
    /// AT_SYSINFO_EHDR: the image's ELF header.
    pub base: u64,
    /// AT_SYSINFO: __kernel_vsyscall (32-bit only).
    pub kernel_vsyscall: Option<u64>,
}

/// Map [vvar] and [vdso] into `mm` (Linux's map_vdso).
pub fn map_vdso(mm: &MmStruct, compat: bool) -> Result<Option<VdsoMapping>, Errno> {
    let m = if compat {
        match VDSO32.get().and_then(|m| m.as_ref()) {
            Some(m) => m,
            None => return Ok(None),
        }
    } else {
        VDSO64.get().expect("init_vdso not called")
    };
    let vvar_size = m.image.vvar_size() as u64;
    let size = m.image.size as u64;
    let start = mm.get_unmapped_area(0, vvar_size + size)?;
    let vvar_pa = super::mm::virt_to_phys(&VVAR as *const VvarPage as u64);
    mm.map_region(
        start,
        start + vvar_size,
        VmFlags::READ | VmFlags::MAYREAD,
        Backing::Special {
            frames: Arc::from([vvar_pa].as_slice()),
        },
        Some("[vvar]".into()),
    )?;
    let base = start + vvar_size;
    mm.map_region(
        base,
        base + size,
        VmFlags::READ | VmFlags::EXEC | VmFlags::MAYREAD | VmFlags::MAYEXEC,
        Backing::Special {
            frames: m.frames.clone(),
        },
        Some("[vdso]".into()),
    )?;
    mm.set_layout(|l| l.vdso_base = base);
    Ok(Some(VdsoMapping {
        base,
        kernel_vsyscall: m.image.sym_kernel_vsyscall.map(|o| base + o as u64),
    }))
}

/// The current process's `int80_landing_pad` (0 without a 32-bit vDSO).
#[inline]
pub fn int80_landing_pad() -> u64 {
    crate::sched::current()
        .vdso32_landing_pad
        .load(core::sync::atomic::Ordering::Relaxed)
}

/// Where a 32-bit image mapped at `base` has its landing pad.
pub fn landing_pad_at(base: u64) -> u64 {
    match VDSO32.get().and_then(|m| m.as_ref()) {
        Some(m) => m.image.sym_int80_landing_pad.map_or(0, |o| base + o as u64),
        None => 0,
    }
}

/// The current 32-bit process's __kernel_sigreturn / __kernel_rt_sigreturn.
pub fn sigreturn_trampolines() -> Option<(u64, u64)> {
    let m = VDSO32.get()?.as_ref()?;
    let base = crate::sched::current().mm()?.layout().vdso_base;
    if base == 0 {
        return None;
    }
    Some((
        base + m.image.sym_kernel_sigreturn? as u64,
        base + m.image.sym_kernel_rt_sigreturn? as u64,
    ))
}
