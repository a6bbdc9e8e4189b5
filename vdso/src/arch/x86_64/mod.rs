//! vdso64 (x86_64): the vvar address, the `syscall` fallback and the
//! exported time functions. vdso64 has no hand-written entry points.

mod vclock;

use core::arch::asm;
use vdso_data::VvarPage;

/// x86_64 system call numbers (Linux's syscall_64.tbl).
pub const NR_GETTIMEOFDAY: usize = 96;
pub const NR_CLOCK_GETTIME: usize = 228;
pub const NR_CLOCK_GETRES: usize = 229;
pub const NR_GETCPU: usize = 309;

/// Where the kernel maps the vvar page: below this image (`vvar_page` in
/// vdso-layout.lds), reached RIP-relatively: no relocation.
#[inline(always)]
pub fn vvar_page() -> *const VvarPage {
    let p: *const VvarPage;
    // SAFETY: lea only computes an address.
    unsafe {
        asm!("lea {p}, [rip + vvar_page]", p = out(reg) p, options(pure, nomem, nostack, preserves_flags))
    };
    p
}

/// The real system call, Linux's x86_64 ABI: number in %rax, arguments in
/// %rdi, %rsi, %rdx; the result (or -errno) in %rax; %rcx and %r11 lost.
///
/// # Safety
/// The arguments are valid for system call `nr`.
#[inline(always)]
pub unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller vouches for the arguments; syscall clobbers only
    // what is declared here (and memory the kernel writes for us).
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        )
    };
    ret
}
