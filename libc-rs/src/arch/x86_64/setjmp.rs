//! setjmp/longjmp on x86_64: the registers of glibc's `__jmp_buf` (rbx,
//! rbp, r12–r15, the caller's rsp, the return address; not mangled). The
//! signal mask part is generic (`src/setjmp.rs`).

use core::arch::global_asm;

/// Machine words in `__jmp_buf`.
pub const JMP_REGS: usize = 8;

// Save the callee-saved registers, rsp and the return address into [rdi].
global_asm!(
    ".macro FL_SAVE_REGS",
    "    mov [rdi], rbx",
    "    mov [rdi + 8], rbp",
    "    mov [rdi + 16], r12",
    "    mov [rdi + 24], r13",
    "    mov [rdi + 32], r14",
    "    mov [rdi + 40], r15",
    "    lea rdx, [rsp + 8]",
    "    mov [rdi + 48], rdx",
    "    mov rdx, [rsp]",
    "    mov [rdi + 56], rdx",
    ".endm",
    // int __sigsetjmp(jmp_buf env, int savemask), also as sigsetjmp.
    ".globl __sigsetjmp, sigsetjmp",
    ".type __sigsetjmp,@function",
    "__sigsetjmp:",
    "sigsetjmp:",
    "    FL_SAVE_REGS",
    "    jmp __fl_sigjmp_save",
    ".size __sigsetjmp, .-__sigsetjmp",
    // int setjmp(jmp_buf env): saves the mask (the function; the header's
    // macro is _setjmp, as glibc's).
    ".globl setjmp",
    ".type setjmp,@function",
    "setjmp:",
    "    FL_SAVE_REGS",
    "    mov esi, 1",
    "    jmp __fl_sigjmp_save",
    ".size setjmp, .-setjmp",
    // int _setjmp(jmp_buf env): does not save the mask.
    ".globl _setjmp",
    ".type _setjmp,@function",
    "_setjmp:",
    "    FL_SAVE_REGS",
    "    xor esi, esi",
    "    jmp __fl_sigjmp_save",
    ".size _setjmp, .-_setjmp",
    // void __fl_longjmp(jmp_buf env, int val): back to the saved point,
    // where setjmp returns val, or 1 for 0.
    ".globl __fl_longjmp",
    ".type __fl_longjmp,@function",
    "__fl_longjmp:",
    "    mov eax, esi",
    "    test eax, eax",
    "    jnz 1f",
    "    inc eax",
    "1:  mov rbx, [rdi]",
    "    mov rbp, [rdi + 8]",
    "    mov r12, [rdi + 16]",
    "    mov r13, [rdi + 24]",
    "    mov r14, [rdi + 32]",
    "    mov r15, [rdi + 40]",
    "    mov rdx, [rdi + 56]",
    "    mov rsp, [rdi + 48]",
    "    jmp rdx",
    ".size __fl_longjmp, .-__fl_longjmp",
);
