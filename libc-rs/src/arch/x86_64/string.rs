//! memcpy and memmove in assembly: `rep movsb` (fast on CPUs with ERMS),
//! backwards with the direction flag set when a forward copy would
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

global_asm!(
    ".globl memcpy",
    ".type memcpy,@function",
    "memcpy:",
    "    mov rax, rdi",
    "    mov rcx, rdx",
    "    rep movsb",
    "    ret",
    ".size memcpy, .-memcpy",
    "",
    ".globl memmove",
    ".type memmove,@function",
    "memmove:",
    "    mov rax, rdi",
    "    mov rcx, rdx",
    "    mov r8, rdi",
    "    sub r8, rsi",
    "    cmp r8, rdx",
    "    jb 1f",
    "    rep movsb",
    "    ret",
    "1:  lea rdi, [rdi + rdx - 1]",
    "    lea rsi, [rsi + rdx - 1]",
    "    std",
    "    rep movsb",
    "    cld",
    "    ret",
    ".size memmove, .-memmove",
);
