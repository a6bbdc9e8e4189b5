//! The memory functions. memcpy and memmove are `rep movsb` in assembly
//! (arch/*/string.rs), memset is `rep stosb`, strlen an SSE2 loop in asm,
//! so the compiler cannot turn their bodies back into calls to themselves
//! (it lowers copy loops and `ptr::copy` to memcpy calls). The other
//! functions are plain loops the optimiser has no library idiom for; the
//! test suite disassembles libc.a and checks none of them calls itself.

use crate::{c_int, c_void, size_t};
use core::arch::asm;

// memcpy and memmove are assembly in arch/*/string.rs (`rep movsb` needs
// esi, which LLVM reserves on i386).
pub use crate::arch::string::{memcpy, memmove};

/// `mempcpy(dst, src, n)`: memcpy returning `dst + n`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mempcpy(dst: *mut c_void, src: *const c_void, n: size_t) -> *mut c_void {
    // SAFETY: as memcpy.
    unsafe { (memcpy(dst, src, n) as *mut u8).add(n) as *mut c_void }
}

/// `memset(s, c, n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(s: *mut c_void, c: c_int, n: size_t) -> *mut c_void {
    // SAFETY: n writable bytes at s; rep stosb stores al n times.
    unsafe {
        asm!("rep stosb", inout("ecx") n => _, inout("edi") s => _, in("al") c as u8, options(nostack, preserves_flags))
    };
    s
}

/// `memcmp(a, b, n)`: the difference of the first differing bytes (as
/// unsigned char), or 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const c_void, b: *const c_void, n: size_t) -> c_int {
    let (a, b) = (a as *const u8, b as *const u8);
    let mut i = 0;
    // SAFETY: n readable bytes at each.
    unsafe {
        // Compare a word at a time while the words are equal.
        while i + size_of::<usize>() <= n
            && (a.add(i) as *const usize).read_unaligned()
                == (b.add(i) as *const usize).read_unaligned()
        {
            i += size_of::<usize>();
        }
        while i < n {
            let (x, y) = (*a.add(i), *b.add(i));
            if x != y {
                return x as c_int - y as c_int;
            }
            i += 1;
        }
    }
    0
}

/// `bcmp(a, b, n)`: zero iff equal.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const c_void, b: *const c_void, n: size_t) -> c_int {
    // SAFETY: as memcmp.
    unsafe { memcmp(a, b, n) }
}

/// `memchr(s, c, n)`: the first byte equal to (unsigned char)c.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memchr(s: *const c_void, c: c_int, n: size_t) -> *mut c_void {
    let s = s as *const u8;
    // SAFETY: n readable bytes.
    unsafe {
        for i in 0..n {
            if *s.add(i) == c as u8 {
                return s.add(i) as *mut c_void;
            }
        }
    }
    core::ptr::null_mut()
}

/// `memrchr(s, c, n)`: the last byte equal to c.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memrchr(s: *const c_void, c: c_int, n: size_t) -> *mut c_void {
    let s = s as *const u8;
    // SAFETY: n readable bytes.
    unsafe {
        for i in (0..n).rev() {
            if *s.add(i) == c as u8 {
                return s.add(i) as *mut c_void;
            }
        }
    }
    core::ptr::null_mut()
}

/// `memccpy(dst, src, c, n)`: copy up to and including c; pointer after it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memccpy(
    dst: *mut c_void,
    src: *const c_void,
    c: c_int,
    n: size_t,
) -> *mut c_void {
    let (d, s) = (dst as *mut u8, src as *const u8);
    // SAFETY: n bytes at each.
    unsafe {
        for i in 0..n {
            *d.add(i) = *s.add(i);
            if *s.add(i) == c as u8 {
                return d.add(i + 1) as *mut c_void;
            }
        }
    }
    core::ptr::null_mut()
}

/// `bzero(s, n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bzero(s: *mut c_void, n: size_t) {
    // SAFETY: as memset.
    unsafe { memset(s, 0, n) };
}

/// `explicit_bzero(s, n)`: a memset the compiler may not drop (ours is asm).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn explicit_bzero(s: *mut c_void, n: size_t) {
    // SAFETY: as memset.
    unsafe { memset(s, 0, n) };
}

/// `bcopy(src, dst, n)`: memmove with the arguments swapped.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcopy(src: *const c_void, dst: *mut c_void, n: size_t) {
    // SAFETY: as memmove.
    unsafe { memmove(dst, src, n) };
}

/// `strlen(s)`: SSE2. The aligned 16 bytes holding s and the next three
/// blocks one at a time, then 64 aligned bytes at a time (the four blocks'
/// bytewise minimum is zero where any of them holds a NUL), then the block
/// that has it.
/// Aligned loads never cross a page, so reading past the terminator within
/// its block is safe (and done in assembly, outside Rust's memory model).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strlen(s: *const i8) -> size_t {
    let len: usize;
    // SAFETY: s is a C string; see above for the over-read.
    unsafe {
        asm!(
            "mov {p}, {s}",
            "and {p}, -16",
            "mov ecx, {s:e}",
            "and ecx, 15",
            "pxor xmm0, xmm0",
            "movdqa xmm1, [{p}]",
            "pcmpeqb xmm1, xmm0",
            "pmovmskb {m:e}, xmm1",
            "shr {m:e}, cl",
            "test {m:e}, {m:e}",
            "jz 3f",
            "bsf {m:e}, {m:e}",
            "mov {len}, {m}",
            "jmp 5f",
            // The next three blocks one by one (short strings end here),
            // then from the 64-byte boundary at or below their end.
            "3:",
            ".rept 3",
            "add {p}, 16",
            "movdqa xmm1, [{p}]",
            "pcmpeqb xmm1, xmm0",
            "pmovmskb {m:e}, xmm1",
            "test {m:e}, {m:e}",
            "jnz 8f",
            ".endr",
            "add {p}, 16",
            "and {p}, -64",
            // 64 at a time.
            "4:",
            "movdqa xmm1, [{p}]",
            "movdqa xmm2, [{p} + 16]",
            "movdqa xmm3, [{p} + 32]",
            "movdqa xmm4, [{p} + 48]",
            "pminub xmm1, xmm2",
            "pminub xmm3, xmm4",
            "pminub xmm1, xmm3",
            "pcmpeqb xmm1, xmm0",
            "pmovmskb {m:e}, xmm1",
            "add {p}, 64",
            "test {m:e}, {m:e}",
            "jz 4b",
            "sub {p}, 64",
            // The NUL is in one of the four blocks at p.
            "6:",
            "movdqa xmm1, [{p}]",
            "pcmpeqb xmm1, xmm0",
            "pmovmskb {m:e}, xmm1",
            "test {m:e}, {m:e}",
            "jnz 8f",
            "add {p}, 16",
            "jmp 6b",
            "8:",
            "bsf {m:e}, {m:e}",
            "add {p}, {m}",
            "sub {p}, {s}",
            "mov {len}, {p}",
            "5:",
            s = in(reg) s,
            p = out(reg) _,
            m = out(reg) _,
            len = lateout(reg) len,
            out("ecx") _,
            out("xmm0") _,
            out("xmm1") _,
            out("xmm2") _,
            out("xmm3") _,
            out("xmm4") _,
            options(nostack, readonly),
        )
    };
    len
}
