//! setjmp/longjmp on i386: the registers of glibc's `__jmp_buf` (ebx, esi,
//! edi, ebp, the caller's esp, the return address; not mangled). The
//! signal mask part is generic (`src/setjmp.rs`).

use core::arch::global_asm;

/// Machine words in `__jmp_buf`.
pub const JMP_REGS: usize = 6;

// Save the callee-saved registers, esp and the return address into the
// jmp_buf at [esp + 4]; leaves its address in eax.
global_asm!(
    ".macro FL_SAVE_REGS",
    "    mov eax, [esp + 4]",
    "    mov [eax], ebx",
    "    mov [eax + 4], esi",
    "    mov [eax + 8], edi",
    "    mov [eax + 12], ebp",
    "    lea ecx, [esp + 4]",
    "    mov [eax + 16], ecx",
    "    mov ecx, [esp]",
    "    mov [eax + 20], ecx",
    ".endm",
    // int __sigsetjmp(jmp_buf env, int savemask), also as sigsetjmp: the
    // arguments stay where they are for the tail call.
    ".globl __sigsetjmp, sigsetjmp",
    ".type __sigsetjmp,@function",
    "__sigsetjmp:",
    "sigsetjmp:",
    "    FL_SAVE_REGS",
    "    jmp __fl_sigjmp_save",
    ".size __sigsetjmp, .-__sigsetjmp",
    // int setjmp(jmp_buf env): saves the mask (the header's macro is
    // _setjmp, as glibc's).
    ".globl setjmp",
    ".type setjmp,@function",
    "setjmp:",
    "    FL_SAVE_REGS",
    "    jmp __fl_setjmp_save_mask",
    ".size setjmp, .-setjmp",
    // int _setjmp(jmp_buf env): does not save the mask.
    ".globl _setjmp",
    ".type _setjmp,@function",
    "_setjmp:",
    "    FL_SAVE_REGS",
    "    mov dword ptr [eax + 24], 0",
    "    xor eax, eax",
    "    ret",
    ".size _setjmp, .-_setjmp",
    // void __fl_longjmp(jmp_buf env, int val): back to the saved point,
    // where setjmp returns val, or 1 for 0.
    ".globl __fl_longjmp",
    ".type __fl_longjmp,@function",
    "__fl_longjmp:",
    "    mov edx, [esp + 4]",
    "    mov eax, [esp + 8]",
    "    test eax, eax",
    "    jnz 1f",
    "    inc eax",
    "1:  mov ebx, [edx]",
    "    mov esi, [edx + 4]",
    "    mov edi, [edx + 8]",
    "    mov ebp, [edx + 12]",
    "    mov ecx, [edx + 20]",
    "    mov esp, [edx + 16]",
    "    jmp ecx",
    ".size __fl_longjmp, .-__fl_longjmp",
);
