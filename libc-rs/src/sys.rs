//! Raw system calls: the `syscall!` macro and the C convention of turning
//! `-errno` returns into `errno` plus -1.

use crate::arch;
use crate::errno::set_errno;

/// Enter the kernel with up to six arguments; returns the raw result
/// (`-errno` on failure). Arguments are converted with `as usize`.
#[macro_export]
macro_rules! syscall {
    ($n:expr) => { $crate::sys::raw6($n, 0, 0, 0, 0, 0, 0) };
    ($n:expr, $a:expr) => { $crate::sys::raw6($n, $a as usize, 0, 0, 0, 0, 0) };
    ($n:expr, $a:expr, $b:expr) => { $crate::sys::raw6($n, $a as usize, $b as usize, 0, 0, 0, 0) };
    ($n:expr, $a:expr, $b:expr, $c:expr) => {
        $crate::sys::raw6($n, $a as usize, $b as usize, $c as usize, 0, 0, 0)
    };
    ($n:expr, $a:expr, $b:expr, $c:expr, $d:expr) => {
        $crate::sys::raw6($n, $a as usize, $b as usize, $c as usize, $d as usize, 0, 0)
    };
    ($n:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr) => {
        $crate::sys::raw6($n, $a as usize, $b as usize, $c as usize, $d as usize, $e as usize, 0)
    };
    ($n:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $f:expr) => {
        $crate::sys::raw6($n, $a as usize, $b as usize, $c as usize, $d as usize, $e as usize, $f as usize)
    };
}

/// The one door to the kernel once the thread pointer is set (see
/// `arch::syscall6` for the instruction sequence).
#[inline(always)]
pub fn raw6(n: usize, a: usize, b: usize, c: usize, d: usize, e: usize, f: usize) -> isize {
    // SAFETY: a system call cannot break Rust's memory model by itself; the
    // callers own the pointers they pass and say so at their call sites.
    unsafe { arch::syscall6(n, a, b, c, d, e, f) }
}

/// A system call whose arguments are `n` of `a`, then a 64-bit file offset
/// (in one or two registers: `arch::off_words`).
pub fn syscall_off(nr: usize, a: [usize; 3], n: usize, off: i64) -> isize {
    let mut v = [0usize; 6];
    v[..n].copy_from_slice(&a[..n]);
    let (words, k) = arch::off_words(off);
    v[n..n + k].copy_from_slice(&words[..k]);
    raw6(nr, v[0], v[1], v[2], v[3], v[4], v[5])
}

/// Turn a raw kernel result into C's convention: values in [-4095, -1] are
/// `-errno`: set errno and return -1.
#[inline]
pub fn ret(r: isize) -> isize {
    if (-4095..0).contains(&r) {
        set_errno(-r as i32);
        -1
    } else {
        r
    }
}

/// [`ret`] for functions returning `int`.
#[inline]
pub fn ret_int(r: isize) -> i32 {
    ret(r) as i32
}

/// Called by the assembly routines (vfork, variadic `syscall`) with a raw
/// result: set errno when it is an error, return the C value.
#[unsafe(no_mangle)]
pub extern "C" fn __fl_syscall_ret(r: isize) -> isize {
    ret(r)
}
