//! Copying to and from user memory. Every access that may fault goes
//! through a small assembly routine listed in the exception table
//! (`__ex_table`): when it faults on a bad user address, the page-fault
//! handler resumes at the routine's fixup, which reports how many bytes
//! were not copied. A bad pointer from user space is therefore EFAULT,
//! never a kernel oops.

use super::entry::PtRegs;

core::arch::global_asm!(
    r#"
    .section .text.uaccess, "ax"
/* size_t __copy_user(void *dst, const void *src, size_t len):
 * rdi = dst, rsi = src, rdx = len; returns the bytes NOT copied. */
    .globl __copy_user
__copy_user:
    mov     %rdx, %rcx
1:  rep movsb
    xor     %eax, %eax
    ret
2:  mov     %rcx, %rax
    ret
    .pushsection __ex_table, "a"
    .quad 1b, 2b
    .popsection

/* size_t __clear_user(void *dst, size_t len): returns bytes NOT cleared. */
    .globl __clear_user
__clear_user:
    mov     %rsi, %rcx
    xor     %eax, %eax
3:  rep stosb
    ret
4:  mov     %rcx, %rax
    ret
    .pushsection __ex_table, "a"
    .quad 3b, 4b
    .popsection

/* long __strnlen_user(const char *s, size_t max): the length of the string
 * (< max), max if no NUL within max bytes, or -1 on a fault. */
    .globl __strnlen_user
__strnlen_user:
    xor     %eax, %eax
5:  cmp     %rsi, %rax
    jae     7f
6:  cmpb    $0, (%rdi,%rax)
    je      7f
    inc     %rax
    jmp     5b
7:  ret
8:  mov     $-1, %rax
    ret
    .pushsection __ex_table, "a"
    .quad 6b, 8b
    .popsection
"#,
    options(att_syntax)
);

unsafe extern "C" {
    fn __copy_user(dst: *mut u8, src: *const u8, len: usize) -> usize;
    fn __clear_user(dst: *mut u8, len: usize) -> usize;
    fn __strnlen_user(s: *const u8, max: usize) -> isize;
    static __start___ex_table: [u64; 0];
    static __stop___ex_table: [u64; 0];
}

/// Copy `len` bytes between kernel and user memory; returns the bytes not
/// copied (0 on success).
///
/// # Safety
/// One side must be valid kernel memory of `len` bytes; the other side is
/// a user range already checked with `access_ok`.
pub unsafe fn copy_user(dst: *mut u8, src: *const u8, len: usize) -> usize {
    // SAFETY: forwarded; faults on the user side are fixed up.
    unsafe { __copy_user(dst, src, len) }
}

/// Zero `len` bytes of user memory; returns the bytes not cleared.
///
/// # Safety
/// The range must have passed `access_ok`.
pub unsafe fn clear_user(dst: *mut u8, len: usize) -> usize {
    // SAFETY: forwarded; faults are fixed up.
    unsafe { __clear_user(dst, len) }
}

/// Length of a user string up to `max`; None on a fault.
///
/// # Safety
/// `[s, s+max)` must have passed `access_ok`.
pub unsafe fn strnlen_user(s: *const u8, max: usize) -> Option<usize> {
    // SAFETY: forwarded; faults are fixed up.
    let n = unsafe { __strnlen_user(s, max) };
    (n >= 0).then_some(n as usize)
}

/// If the kernel faulted inside a routine listed in `__ex_table`, resume at
/// its fixup and return true (Linux's fixup_exception).
pub fn fixup_exception(regs: &mut PtRegs) -> bool {
    // SAFETY: the linker bounds the table; entries are (insn, fixup) pairs.
    let table = unsafe {
        let start = (&raw const __start___ex_table) as *const u64;
        let end = (&raw const __stop___ex_table) as *const u64;
        core::slice::from_raw_parts(start, end.offset_from(start) as usize)
    };
    for pair in table.chunks_exact(2) {
        if pair[0] == regs.ip {
            regs.ip = pair[1];
            return true;
        }
    }
    false
}
