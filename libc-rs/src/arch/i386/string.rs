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

// Register ABI (cdecl): dst, src, n on the stack; returns eax = dst. esi
// and edi are the caller's: saved, so the arguments sit at 12(%esp) on.
global_asm!(
    ".globl memcpy",
    ".type memcpy,@function",
    "memcpy:",
    "    push %edi",
    "    push %esi",
    ".Lmemcpy_forward:",
    "    mov 12(%esp), %edi",
    "    mov 16(%esp), %esi",
    "    mov 20(%esp), %edx",
    "    cmp $16, %edx",
    "    jb 5f",
    "    movdqu -16(%esi,%edx), %xmm0", // the tail, before any store
    "    mov %edx, %ecx",
    "    shr $6, %ecx",
    "    jz 2f",
    "1:  movdqu (%esi), %xmm1",
    "    movdqu 16(%esi), %xmm2",
    "    movdqu 32(%esi), %xmm3",
    "    movdqu 48(%esi), %xmm4",
    "    movdqu %xmm1, (%edi)",
    "    movdqu %xmm2, 16(%edi)",
    "    movdqu %xmm3, 32(%edi)",
    "    movdqu %xmm4, 48(%edi)",
    "    add $64, %esi",
    "    add $64, %edi",
    "    dec %ecx",
    "    jnz 1b",
    "2:  and $63, %edx",
    "3:  cmp $16, %edx",
    "    jb 4f",
    "    movdqu (%esi), %xmm1",
    "    movdqu %xmm1, (%edi)",
    "    add $16, %esi",
    "    add $16, %edi",
    "    sub $16, %edx",
    "    jmp 3b",
    "4:  mov 12(%esp), %edi",
    "    mov 20(%esp), %edx",
    "    movdqu %xmm0, -16(%edi,%edx)",
    "    jmp 9f",
    "5:  cmp $8, %edx",
    "    jb 6f",
    "    movq (%esi), %xmm0",
    "    movq -8(%esi,%edx), %xmm1",
    "    movq %xmm0, (%edi)",
    "    movq %xmm1, -8(%edi,%edx)",
    "    jmp 9f",
    "6:  cmp $4, %edx",
    "    jb 7f",
    "    mov (%esi), %ecx",
    "    mov -4(%esi,%edx), %esi",
    "    mov %ecx, (%edi)",
    "    mov %esi, -4(%edi,%edx)",
    "    jmp 9f",
    "7:  test %edx, %edx", // 1 to 3 bytes: the first, the middle, the last
    "    jz 9f",
    "    mov %edx, %ecx",
    "    shr $1, %ecx",
    "    movzbl (%esi), %eax",
    "    movb (%esi,%ecx), %ah",
    "    movzbl -1(%esi,%edx), %esi",
    "    mov %al, (%edi)",
    "    mov %ah, (%edi,%ecx)",
    "    mov %esi, %eax",
    "    mov %al, -1(%edi,%edx)",
    "9:  mov 12(%esp), %eax",
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
    "    jae .Lmemcpy_forward", // dst below src, or no overlap: forward is safe
    "    lea -1(%edi,%ecx), %edi",
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
