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
    "    push %edi",
    "    push %esi",
    "    mov 12(%esp), %edi",
    "    mov 16(%esp), %esi",
    "    mov 20(%esp), %ecx",
    "    mov %edi, %eax",
    "    rep movsb",
    "    pop %esi",
    "    pop %edi",
    "    ret",
    ".size memcpy, .-memcpy",
    "",
    ".globl memmove",
    ".type memmove,@function",
    "memmove:",
    "    push %edi",
    "    push %esi",
    "    mov 12(%esp), %edi",
    "    mov 16(%esp), %esi",
    "    mov 20(%esp), %ecx",
    "    mov %edi, %eax",
    "    sub %esi, %eax",
    "    cmp %ecx, %eax",
    "    jb 1f",
    "    mov %edi, %eax",
    "    rep movsb",
    "    pop %esi",
    "    pop %edi",
    "    ret",
    "1:  lea -1(%edi,%ecx), %edi",
    "    lea -1(%esi,%ecx), %esi",
    "    std",
    "    rep movsb",
    "    cld",
    "    mov 12(%esp), %eax",
    "    pop %esi",
    "    pop %edi",
    "    ret",
    ".size memmove, .-memmove",
    options(att_syntax),
);
