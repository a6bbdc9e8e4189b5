//! Threads on x86_64: glibc's `clone()` (the thread start trampoline),
//! the last moments of a detached thread (unmap its own stack, then exit,
//! touching no stack in between), and the thread-pointer argument of
//! CLONE_SETTLS, which on x86_64 is simply the new thread's TCB address:
//! the kernel loads it into the FS base.
//!
//! Every `syscall` here is counted in `__fl_kernel_entries[0]`.

use core::arch::global_asm;

// int clone(int (*fn)(void *), void *stack, int flags, void *arg,
//           pid_t *ptid, void *tls, pid_t *ctid)
// The kernel's order is (flags, stack, ptid, ctid, tls). fn and arg go on
// the child's stack, which starts 16-byte aligned: after the child pops
// both, `call` leaves %rsp as the ABI wants at function entry.
global_asm!(
    ".globl clone",
    ".type clone,@function",
    "clone:",
    "    test rdi, rdi",
    "    jz 2f",
    "    test rsi, rsi",
    "    jz 2f",
    "    and rsi, -16",
    "    sub rsi, 16",
    "    mov [rsi + 8], rcx",
    "    mov [rsi], rdi",
    "    mov edi, edx",
    "    mov rdx, r8",
    "    mov r10, [rsp + 8]",
    "    mov r8, r9",
    "    mov eax, 56",
    "    lock inc dword ptr [rip + __fl_kernel_entries]",
    "    syscall",
    "    test rax, rax",
    "    jz 1f",
    "    mov rdi, rax",
    "    jmp __fl_syscall_ret",
    // The child: no caller frame to return to; fn's value is the exit code.
    "1:  xor ebp, ebp",
    "    pop rax",
    "    pop rdi",
    "    call rax",
    "    mov edi, eax",
    "    mov eax, 60",
    "    lock inc dword ptr [rip + __fl_kernel_entries]",
    "    syscall",
    "    hlt",
    "2:  mov rdi, -22",
    "    jmp __fl_syscall_ret",
    ".size clone, .-clone",
    "",
    // void __fl_unmap_self(void *base, size_t size): munmap(base, size)
    // then exit(0). The stack being unmapped is the caller's own, so
    // nothing may be pushed or popped after the first syscall.
    ".globl __fl_unmap_self",
    ".hidden __fl_unmap_self",
    ".type __fl_unmap_self,@function",
    "__fl_unmap_self:",
    "    mov eax, 11",
    "    lock inc dword ptr [rip + __fl_kernel_entries]",
    "    syscall",
    "    xor edi, edi",
    "    mov eax, 60",
    "    lock inc dword ptr [rip + __fl_kernel_entries]",
    "    syscall",
    "    hlt",
    ".size __fl_unmap_self, .-__fl_unmap_self",
);

/// What CLONE_SETTLS needs besides the TCB address (nothing on x86_64).
#[derive(Default)]
pub struct CloneTls {
    _nothing: (),
}

/// The `tls` argument of clone for a thread whose TCB is at `tp`.
pub fn clone_tls(tp: usize, _scratch: &mut CloneTls) -> usize {
    tp
}
