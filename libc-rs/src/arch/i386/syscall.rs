//! Entering the kernel on i386, as glibc does it (`ENTER_KERNEL` in glibc's
//! sysdeps/unix/sysv/linux/i386/sysdep.h; see shared/seeds/004):
//!
//! * `call *%gs:16` — through the TCB's `sysinfo` slot, once the thread
//!   pointer is set ([`syscall6`], used by everything after startup);
//! * `call *_dl_sysinfo` — through a global, before the TCB exists
//!   ([`early_syscall6`], used by startup to map and install the TCB);
//! * `int $0x80` — when the kernel gave no AT_SYSINFO, `_dl_sysinfo` (and so
//!   the TCB's `sysinfo`) points at `_dl_sysinfo_int80`, a two-instruction
//!   `int $0x80; ret` routine, as in glibc. vfork and the signal restorers
//!   use `int $0x80` directly.
//!
//! With AT_SYSINFO present both call forms reach the vDSO's
//! `__kernel_vsyscall`, which enters with sysenter, syscall or int $0x80 as
//! the kernel chose. Each form is counted in `__fl_kernel_entries` (index 1:
//! `call *%gs:16`, 2: `call *_dl_sysinfo`, 3: `int $0x80`) so a test can
//! show which one ran; `<forkline.h>` declares the array for C.
//!
//! The routines are assembly with the cdecl convention because all six
//! argument registers (ebx, ecx, edx, esi, edi, ebp) are needed and LLVM
//! reserves ebx and esi on i386.

use core::arch::global_asm;
use core::sync::atomic::AtomicU32;

/// Per-form counters of kernel entries (see the module documentation).
#[unsafe(no_mangle)]
pub static __fl_kernel_entries: [AtomicU32; 4] = [
    AtomicU32::new(0),
    AtomicU32::new(0),
    AtomicU32::new(0),
    AtomicU32::new(0),
];

/// Index of `call *%gs:16` in `__fl_kernel_entries`.
pub const ENTRY_GS_SYSINFO: usize = 1;
/// Index of `call *_dl_sysinfo`.
pub const ENTRY_DL_SYSINFO: usize = 2;
/// Index of `int $0x80`.
pub const ENTRY_INT80: usize = 3;

/// Where `call *_dl_sysinfo` goes: AT_SYSINFO (the vDSO's
/// `__kernel_vsyscall`) or `_dl_sysinfo_int80`. Set by startup stage 2.
#[unsafe(no_mangle)]
pub static mut _dl_sysinfo: usize = 0;

global_asm!(
    // int $0x80; ret — the target when the kernel gave no AT_SYSINFO.
    ".globl _dl_sysinfo_int80",
    ".hidden _dl_sysinfo_int80",
    ".type _dl_sysinfo_int80,@function",
    "_dl_sysinfo_int80:",
    "    lock incl __fl_kernel_entries+12",
    "    int $0x80",
    "    ret",
    ".size _dl_sysinfo_int80, .-_dl_sysinfo_int80",
    "",
    // long __fl_syscall_gs(long nr, long a1, …, long a6): call *%gs:16
    ".globl __fl_syscall_gs",
    ".hidden __fl_syscall_gs",
    ".type __fl_syscall_gs,@function",
    "__fl_syscall_gs:",
    "    push %ebp",
    "    push %edi",
    "    push %esi",
    "    push %ebx",
    "    lock incl __fl_kernel_entries+4",
    "    mov 20(%esp), %eax",
    "    mov 24(%esp), %ebx",
    "    mov 28(%esp), %ecx",
    "    mov 32(%esp), %edx",
    "    mov 36(%esp), %esi",
    "    mov 40(%esp), %edi",
    "    mov 44(%esp), %ebp",
    "    call *%gs:16",
    "    pop %ebx",
    "    pop %esi",
    "    pop %edi",
    "    pop %ebp",
    "    ret",
    ".size __fl_syscall_gs, .-__fl_syscall_gs",
    "",
    // The same through the global, for code that runs before %gs is set.
    ".globl __fl_syscall_dl",
    ".hidden __fl_syscall_dl",
    ".type __fl_syscall_dl,@function",
    "__fl_syscall_dl:",
    "    push %ebp",
    "    push %edi",
    "    push %esi",
    "    push %ebx",
    "    lock incl __fl_kernel_entries+8",
    "    mov 20(%esp), %eax",
    "    mov 24(%esp), %ebx",
    "    mov 28(%esp), %ecx",
    "    mov 32(%esp), %edx",
    "    mov 36(%esp), %esi",
    "    mov 40(%esp), %edi",
    "    mov 44(%esp), %ebp",
    "    call *_dl_sysinfo",
    "    pop %ebx",
    "    pop %esi",
    "    pop %edi",
    "    pop %ebp",
    "    ret",
    ".size __fl_syscall_dl, .-__fl_syscall_dl",
    "",
    // vfork (glibc's i386 vfork.S): the child runs on our stack until it
    // execs or exits, so the return address waits in %ecx across int $0x80;
    // going through the vDSO would push onto the shared stack.
    ".globl vfork",
    ".type vfork,@function",
    "vfork:",
    "    pop %ecx",
    "    lock incl __fl_kernel_entries+12",
    "    mov $190, %eax",
    "    int $0x80",
    "    push %ecx",
    "    cmp $-4095, %eax",
    "    jae 1f",
    "    ret",
    "1:  push %eax",
    "    call __fl_syscall_ret",
    "    add $4, %esp",
    "    ret",
    ".size vfork, .-vfork",
    "",
    // Signal restorers (sigreturn for plain handlers, rt_sigreturn for
    // SA_SIGINFO ones); the kernel jumps here with the frame on the stack.
    ".globl __fl_restore",
    ".type __fl_restore,@function",
    "__fl_restore:",
    "    pop %eax",
    "    lock incl __fl_kernel_entries+12",
    "    mov $119, %eax",
    "    int $0x80",
    "    hlt",
    ".size __fl_restore, .-__fl_restore",
    ".globl __fl_restore_rt",
    ".type __fl_restore_rt,@function",
    "__fl_restore_rt:",
    "    lock incl __fl_kernel_entries+12",
    "    mov $173, %eax",
    "    int $0x80",
    "    hlt",
    ".size __fl_restore_rt, .-__fl_restore_rt",
    "",
    // The i386 __tls_get_addr takes its argument in %eax.
    ".globl ___tls_get_addr",
    ".type ___tls_get_addr,@function",
    "___tls_get_addr:",
    "    push %eax",
    "    call __tls_get_addr",
    "    add $4, %esp",
    "    ret",
    ".size ___tls_get_addr, .-___tls_get_addr",
    options(att_syntax),
);

unsafe extern "C" {
    fn __fl_syscall_gs(
        n: usize,
        a: usize,
        b: usize,
        c: usize,
        d: usize,
        e: usize,
        f: usize,
    ) -> isize;
    fn __fl_syscall_dl(
        n: usize,
        a: usize,
        b: usize,
        c: usize,
        d: usize,
        e: usize,
        f: usize,
    ) -> isize;
    fn _dl_sysinfo_int80();
    fn __fl_restore();
    fn __fl_restore_rt();
}

/// `ENTER_KERNEL` as `call *%gs:16`: valid once the TCB is installed.
#[inline(always)]
pub unsafe fn syscall6(
    n: usize,
    a: usize,
    b: usize,
    c: usize,
    d: usize,
    e: usize,
    f: usize,
) -> isize {
    // SAFETY: the routine follows cdecl and preserves callee-saved registers.
    unsafe { __fl_syscall_gs(n, a, b, c, d, e, f) }
}

/// `ENTER_KERNEL` as `call *_dl_sysinfo`: for startup, before `%gs` is set.
#[inline(always)]
pub unsafe fn early_syscall6(
    n: usize,
    a: usize,
    b: usize,
    c: usize,
    d: usize,
    e: usize,
    f: usize,
) -> isize {
    // SAFETY: as syscall6; _dl_sysinfo was set by init_sysinfo.
    unsafe { __fl_syscall_dl(n, a, b, c, d, e, f) }
}

/// Startup stage 2: remember AT_SYSINFO (0 when absent), or fall back to
/// `_dl_sysinfo_int80` as glibc does. Writing a static needs no relocation.
pub fn init_sysinfo(at_sysinfo: usize) {
    let target = if at_sysinfo != 0 {
        at_sysinfo
    } else {
        _dl_sysinfo_int80 as *const () as usize
    };
    // SAFETY: single-threaded startup; nothing reads it concurrently.
    unsafe { _dl_sysinfo = target };
}

/// The value for the TCB's `sysinfo` slot.
pub fn sysinfo() -> usize {
    // SAFETY: written once at startup, read-only afterwards.
    unsafe { _dl_sysinfo }
}

/// The restorer for a handler: rt_sigreturn for SA_SIGINFO, else sigreturn.
pub fn restorer(siginfo: bool) -> usize {
    if siginfo {
        __fl_restore_rt as *const () as usize
    } else {
        __fl_restore as *const () as usize
    }
}
