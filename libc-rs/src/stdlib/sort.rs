//! qsort (a merge sort through a malloc'd buffer, as glibc prefers, with an
//! in-place heap sort when memory is short) and bsearch.

use super::malloc::{free, malloc};
use crate::string::mem::memcpy;
use crate::{c_int, c_void, size_t};

type Cmp = unsafe extern "C" fn(*const c_void, *const c_void) -> c_int;
type CmpR = unsafe extern "C" fn(*const c_void, *const c_void, *mut c_void) -> c_int;

/// A comparison with or without the `qsort_r` argument.
#[derive(Clone, Copy)]
enum Compare {
    Plain(Cmp),
    WithArg(CmpR, *mut c_void),
}

impl Compare {
    unsafe fn call(self, a: *const u8, b: *const u8) -> c_int {
        // SAFETY: the caller's comparison function on elements of the array.
        unsafe {
            match self {
                Compare::Plain(f) => f(a as _, b as _),
                Compare::WithArg(f, arg) => f(a as _, b as _, arg),
            }
        }
    }
}

/// Swap two non-overlapping elements of `size` bytes.
unsafe fn swap(a: *mut u8, b: *mut u8, size: usize) {
    for i in 0..size {
        // SAFETY: both elements are inside the array.
        unsafe { core::ptr::swap(a.add(i), b.add(i)) };
    }
}

/// Stable merge sort of `n` elements at `base` using `tmp` (n * size bytes).
unsafe fn merge_sort(base: *mut u8, n: usize, size: usize, tmp: *mut u8, cmp: Compare) {
    if n < 2 {
        return;
    }
    let h = n / 2;
    // SAFETY: all pointers stay inside base[0..n] and tmp[0..n].
    unsafe {
        merge_sort(base, h, size, tmp, cmp);
        merge_sort(base.add(h * size), n - h, size, tmp, cmp);
        let (mut i, mut j, mut k) = (0, h, 0);
        while i < h && j < n {
            if cmp.call(base.add(j * size), base.add(i * size)) < 0 {
                memcpy(tmp.add(k * size) as _, base.add(j * size) as _, size);
                j += 1;
            } else {
                memcpy(tmp.add(k * size) as _, base.add(i * size) as _, size);
                i += 1;
            }
            k += 1;
        }
        if i < h {
            memcpy(
                tmp.add(k * size) as _,
                base.add(i * size) as _,
                (h - i) * size,
            );
            k += h - i;
        }
        memcpy(base as _, tmp as _, k * size);
    }
}

/// In-place heap sort (no memory needed).
unsafe fn heap_sort(base: *mut u8, n: usize, size: usize, cmp: Compare) {
    let at = |i: usize| base.wrapping_add(i * size);
    // SAFETY: indices stay below n.
    unsafe {
        let sift = |mut root: usize, end: usize| {
            loop {
                let mut child = 2 * root + 1;
                if child >= end {
                    break;
                }
                if child + 1 < end && cmp.call(at(child), at(child + 1)) < 0 {
                    child += 1;
                }
                if cmp.call(at(root), at(child)) >= 0 {
                    break;
                }
                swap(at(root), at(child), size);
                root = child;
            }
        };
        for i in (0..n / 2).rev() {
            sift(i, n);
        }
        for end in (1..n).rev() {
            swap(at(0), at(end), size);
            sift(0, end);
        }
    }
}

unsafe fn sort(base: *mut c_void, n: size_t, size: size_t, cmp: Compare) {
    let Some(bytes) = n.checked_mul(size) else {
        return;
    };
    if n < 2 || size == 0 {
        return;
    }
    // SAFETY: base holds n elements of size bytes (caller's contract).
    unsafe {
        let tmp = malloc(bytes) as *mut u8;
        if tmp.is_null() {
            heap_sort(base as *mut u8, n, size, cmp);
        } else {
            merge_sort(base as *mut u8, n, size, tmp, cmp);
            free(tmp as _);
        }
    }
}

/// `qsort(base, n, size, cmp)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qsort(base: *mut c_void, n: size_t, size: size_t, cmp: Cmp) {
    // SAFETY: caller's array and comparison.
    unsafe { sort(base, n, size, Compare::Plain(cmp)) }
}

/// `qsort_r(base, n, size, cmp, arg)` (GNU argument order).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qsort_r(
    base: *mut c_void,
    n: size_t,
    size: size_t,
    cmp: CmpR,
    arg: *mut c_void,
) {
    // SAFETY: caller's array and comparison.
    unsafe { sort(base, n, size, Compare::WithArg(cmp, arg)) }
}

/// `bsearch(key, base, n, size, cmp)`: a matching element or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bsearch(
    key: *const c_void,
    base: *const c_void,
    n: size_t,
    size: size_t,
    cmp: Cmp,
) -> *mut c_void {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let p = (base as *const u8).wrapping_add(mid * size);
        // SAFETY: p is an element of the sorted array.
        match unsafe { cmp(key, p as _) } {
            0 => return p as *mut c_void,
            c if c < 0 => hi = mid,
            _ => lo = mid + 1,
        }
    }
    core::ptr::null_mut()
}
