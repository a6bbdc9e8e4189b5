//! Threads on i386: glibc's `clone()` (the thread start trampoline), the
//! last moments of a detached thread (unmap its own stack, then exit,
//! touching no stack in between), and CLONE_SETTLS's argument, a
//! `struct user_desc` for the calling thread's `%gs` GDT slot based at the
//! new thread's TCB.
//!
//! Both routines enter with `int $0x80`, as glibc's i386 clone.S does:
//! `__kernel_vsyscall` pushes registers on the caller's stack and pops them
//! after the kernel returns, which the new thread (on its own stack) and a
//! thread that has just unmapped its stack cannot do. Each entry is counted
//! in `__fl_kernel_entries[3]`. The kernel's argument order is (flags,
//! stack, ptid, tls, ctid) in ebx, ecx, edx, esi, edi.

use super::tcb::{UserDesc, gs_entry};
use core::arch::global_asm;

// int clone(int (*fn)(void *), void *stack, int flags, void *arg,
//           pid_t *ptid, void *tls, pid_t *ctid)
// After the four pushes the arguments start at 20(%esp). fn and arg go on
// the child's stack so that, once the child pops fn, %esp is 16-byte
// aligned with arg on top: `call` then enters fn as the ABI wants.
global_asm!(
    ".globl clone",
    ".type clone,@function",
    "clone:",
    "    push %ebp",
    "    push %edi",
    "    push %esi",
    "    push %ebx",
    "    mov 20(%esp), %eax",
    "    test %eax, %eax",
    "    jz 2f",
    "    mov 24(%esp), %ecx",
    "    test %ecx, %ecx",
    "    jz 2f",
    "    and $-16, %ecx",
    "    sub $20, %ecx",
    "    mov %eax, (%ecx)",
    "    mov 32(%esp), %eax",
    "    mov %eax, 4(%ecx)",
    "    mov 28(%esp), %ebx",
    "    mov 36(%esp), %edx",
    "    mov 40(%esp), %esi",
    "    mov 44(%esp), %edi",
    "    mov $120, %eax",
    "    lock incl __fl_kernel_entries+12",
    "    int $0x80",
    "    test %eax, %eax",
    "    jz 1f",
    "3:  pop %ebx",
    "    pop %esi",
    "    pop %edi",
    "    pop %ebp",
    "    cmp $-4095, %eax",
    "    jae 4f",
    "    ret",
    "4:  sub $8, %esp",
    "    push %eax",
    "    call __fl_syscall_ret",
    "    add $12, %esp",
    "    ret",
    // The child: no caller frame to return to; fn's value is the exit code.
    "1:  xor %ebp, %ebp",
    "    pop %eax",
    "    call *%eax",
    "    mov %eax, %ebx",
    "    mov $1, %eax",
    "    lock incl __fl_kernel_entries+12",
    "    int $0x80",
    "    hlt",
    "2:  mov $-22, %eax",
    "    jmp 3b",
    ".size clone, .-clone",
    "",
    // void __fl_unmap_self(void *base, size_t size): munmap, then exit(0).
    ".globl __fl_unmap_self",
    ".hidden __fl_unmap_self",
    ".type __fl_unmap_self,@function",
    "__fl_unmap_self:",
    "    mov 4(%esp), %ebx",
    "    mov 8(%esp), %ecx",
    "    mov $91, %eax",
    "    lock incl __fl_kernel_entries+12",
    "    int $0x80",
    "    xor %ebx, %ebx",
    "    mov $1, %eax",
    "    lock incl __fl_kernel_entries+12",
    "    int $0x80",
    "    hlt",
    ".size __fl_unmap_self, .-__fl_unmap_self",
    options(att_syntax),
);

/// CLONE_SETTLS's `struct user_desc`, kept by the caller until clone returns.
pub type CloneTls = UserDesc;

/// The `tls` argument of clone for a thread whose TCB is at `tp`: a
/// descriptor for our own `%gs` slot, which the child inherits as selector.
pub fn clone_tls(tp: usize, scratch: &mut CloneTls) -> usize {
    *scratch = UserDesc::tls(gs_entry(), tp);
    scratch as *mut UserDesc as usize
}
