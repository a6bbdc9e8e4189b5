//! memcpy and memmove in assembly. memcpy moves 64 bytes a loop with
//! unaligned SSE2 loads and stores, the last 16 bytes loaded before
//! anything is stored (so it also serves memmove when the destination is
//! below the source); under 16 bytes, two overlapping loads and stores of
//! the largest size that fits. (`rep movsb` is fast on ERMS hardware but
//! one instruction per byte under QEMU's TCG, where Forkline lives.)
//! memmove copies backwards with `std; rep movsb` when a forward copy would
//! overwrite source bytes not yet read. Being assembly, they cannot be
//! compiled into calls to themselves.

use core::arch::global_asm;
use core::ffi::c_void;

unsafe extern "C" {
    /// `memcpy(dst, src, n)`: the regions must not overlap; returns dst.
    pub fn memcpy(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void;
    /// `memmove(dst, src, n)`: overlapping regions allowed; returns dst.
    pub fn memmove(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void;
}

// Register ABI (System V): rdi = dst, rsi = src, rdx = n; returns rax = dst.
global_asm!(
    ".globl memcpy",
    ".type memcpy,@function",
    "memcpy:",
    ".Lmemcpy_forward:",
    "    mov rax, rdi",
    "    cmp rdx, 16",
    "    jb 5f",
    "    movdqu xmm0, [rsi + rdx - 16]", // the tail, before any store
    "    lea r8, [rdi + rdx - 16]",
    "    mov rcx, rdx",
    "    shr rcx, 6",
    "    jz 2f",
    "1:  movdqu xmm1, [rsi]",
    "    movdqu xmm2, [rsi + 16]",
    "    movdqu xmm3, [rsi + 32]",
    "    movdqu xmm4, [rsi + 48]",
    "    movdqu [rdi], xmm1",
    "    movdqu [rdi + 16], xmm2",
    "    movdqu [rdi + 32], xmm3",
    "    movdqu [rdi + 48], xmm4",
    "    add rsi, 64",
    "    add rdi, 64",
    "    dec rcx",
    "    jnz 1b",
    "2:  and edx, 63",
    "3:  cmp edx, 16",
    "    jb 4f",
    "    movdqu xmm1, [rsi]",
    "    movdqu [rdi], xmm1",
    "    add rsi, 16",
    "    add rdi, 16",
    "    sub edx, 16",
    "    jmp 3b",
    "4:  movdqu [r8], xmm0",
    "    ret",
    "5:  cmp edx, 8",
    "    jb 6f",
    "    mov rcx, [rsi]",
    "    mov r8, [rsi + rdx - 8]",
    "    mov [rdi], rcx",
    "    mov [rdi + rdx - 8], r8",
    "    ret",
    "6:  cmp edx, 4",
    "    jb 7f",
    "    mov ecx, [rsi]",
    "    mov r8d, [rsi + rdx - 4]",
    "    mov [rdi], ecx",
    "    mov [rdi + rdx - 4], r8d",
    "    ret",
    "7:  test edx, edx", // 1 to 3 bytes: the first, the middle, the last
    "    jz 8f",
    "    mov r9, rdx",
    "    shr r9, 1",
    "    movzx ecx, byte ptr [rsi]",
    "    movzx r8d, byte ptr [rsi + r9]",
    "    movzx r10d, byte ptr [rsi + rdx - 1]",
    "    mov [rdi], cl",
    "    mov [rdi + r9], r8b",
    "    mov [rdi + rdx - 1], r10b",
    "8:  ret",
    ".size memcpy, .-memcpy",
    "",
    ".globl memmove",
    ".type memmove,@function",
    "memmove:",
    "    mov r8, rdi",
    "    sub r8, rsi",
    "    cmp r8, rdx",
    "    jae .Lmemcpy_forward", // dst below src, or no overlap: forward is safe
    "    mov rax, rdi",
    "    mov rcx, rdx",
    "    lea rdi, [rdi + rdx - 1]",
    "    lea rsi, [rsi + rdx - 1]",
    "    std",
    "    rep movsb",
    "    cld",
    "    ret",
    ".size memmove, .-memmove",
);
