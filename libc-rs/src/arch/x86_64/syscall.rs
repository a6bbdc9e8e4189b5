//! Entering the kernel on x86_64: the `syscall` instruction, counted in
//! `__fl_kernel_entries[ENTRY_SYSCALL]`; plus vfork and the signal restorer,
//! which must be assembly.

use core::arch::{asm, global_asm};
use core::sync::atomic::AtomicU32;

/// Per-form counters of kernel entries, readable by test programs (C:
/// `extern unsigned __fl_kernel_entries[4];`, see `<forkline.h>`). Index 0
/// counts `syscall` instructions; 1-3 are the i386 forms and stay 0 here.
#[unsafe(no_mangle)]
pub static __fl_kernel_entries: [AtomicU32; 4] = [
    AtomicU32::new(0),
    AtomicU32::new(0),
    AtomicU32::new(0),
    AtomicU32::new(0),
];

/// Index of the `syscall` instruction in `__fl_kernel_entries`.
pub const ENTRY_SYSCALL: usize = 0;

// `long syscall(long n, ...)` (glibc's syscall(2)): the number and six
// arguments move from the C calling convention's rdi, rsi, rdx, rcx, r8,
// r9 and the first stack slot to the kernel's rax, rdi, rsi, rdx, r10, r8,
// r9; an error return (-4095..-1) goes through __fl_syscall_error, which
// sets errno and returns -1.
global_asm!(
    ".globl syscall",
    ".type syscall,@function",
    "syscall:",
    "    mov rax, rdi",
    "    mov rdi, rsi",
    "    mov rsi, rdx",
    "    mov rdx, rcx",
    "    mov r10, r8",
    "    mov r8, r9",
    "    mov r9, [rsp + 8]",
    "    lock inc dword ptr [rip + {cnt}]",
    "    syscall",
    "    cmp rax, -4095",
    "    jae 1f",
    "    ret",
    "1:  mov rdi, rax",
    "    jmp {err}",
    ".size syscall, .-syscall",
    cnt = sym __fl_kernel_entries,
    err = sym __fl_syscall_error,
);

// The error half of syscall(): errno = -r, and -1.
unsafe extern "C" fn __fl_syscall_error(r: isize) -> core::ffi::c_long {
    crate::sys::ret(r) as core::ffi::c_long
}

/// The six-argument system call: number in rax, arguments in rdi, rsi, rdx,
/// r10, r8, r9; rcx and r11 are clobbered by the instruction.
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
    let ret: isize;
    // SAFETY: the caller vouches for the arguments; the asm touches only the
    // registers listed and the counter (an atomic increment).
    unsafe {
        asm!(
            "lock inc dword ptr [rip + {cnt}]",
            "syscall",
            cnt = sym __fl_kernel_entries,
            inlateout("rax") n as isize => ret,
            in("rdi") a, in("rsi") b, in("rdx") c, in("r10") d, in("r8") e, in("r9") f,
            lateout("rcx") _, lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Before the thread pointer exists: on x86_64 the same instruction.
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
    // SAFETY: as for syscall6.
    unsafe { syscall6(n, a, b, c, d, e, f) }
}

/// Called once auxv is read; x86_64 has no AT_SYSINFO to remember.
pub fn init_sysinfo(_at_sysinfo: usize) {}

/// What goes into the TCB's `sysinfo` slot (unused on x86_64, as in glibc).
pub fn sysinfo() -> usize {
    0
}

// vfork: the child shares our stack until it execs or exits, so the return
// address is popped into a register before the syscall and pushed back after
// it (the child's pushes must not clobber what the parent will read).
// rt_sigreturn restorer: the kernel needs SA_RESTORER on x86_64.
global_asm!(
    ".globl vfork",
    ".type vfork,@function",
    "vfork:",
    "    pop rdi",
    "    lock inc dword ptr [rip + __fl_kernel_entries]",
    "    mov eax, 58",
    "    syscall",
    "    push rdi",
    "    cmp rax, -4095",
    "    jae 1f",
    "    ret",
    "1:  mov rdi, rax",
    "    jmp __fl_syscall_ret",
    ".size vfork, .-vfork",
    "",
    ".globl __fl_restore_rt",
    ".type __fl_restore_rt,@function",
    "__fl_restore_rt:",
    "    lock inc dword ptr [rip + __fl_kernel_entries]",
    "    mov eax, 15",
    "    syscall",
    "    hlt",
    ".size __fl_restore_rt, .-__fl_restore_rt",
);

unsafe extern "C" {
    /// The sa_restorer for every handler (rt_sigreturn).
    pub fn __fl_restore_rt();
}

/// The restorer for `SA_SIGINFO` handlers and for plain ones (x86_64 has
/// only rt frames).
pub fn restorer(_siginfo: bool) -> usize {
    __fl_restore_rt as *const () as usize
}
