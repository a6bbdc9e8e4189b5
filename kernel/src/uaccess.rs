//! User memory: checked copies in and out (Linux's linux/uaccess.h).
//! Addresses from user space are plain `usize`; anything outside the user
//! half, or that faults, is EFAULT.

use crate::arch::x86_64::mm::TASK_SIZE_MAX;
use crate::arch::x86_64::uaccess;
use crate::errno::Errno;
use alloc::vec::Vec;

/// Does [addr, addr+len) lie entirely in user space?
pub fn access_ok(addr: usize, len: usize) -> bool {
    addr.checked_add(len)
        .is_some_and(|end| end as u64 <= TASK_SIZE_MAX)
}

/// Copy `dst.len()` bytes from user address `src`.
pub fn copy_from_user(dst: &mut [u8], src: usize) -> Result<(), Errno> {
    if !access_ok(src, dst.len()) {
        return Err(Errno::EFAULT);
    }
    // SAFETY: dst is kernel memory of that length; src was range-checked
    // and faults are fixed up.
    match unsafe { uaccess::copy_user(dst.as_mut_ptr(), src as *const u8, dst.len()) } {
        0 => Ok(()),
        _ => Err(Errno::EFAULT),
    }
}

/// Copy `src` to user address `dst`.
pub fn copy_to_user(dst: usize, src: &[u8]) -> Result<(), Errno> {
    if !access_ok(dst, src.len()) {
        return Err(Errno::EFAULT);
    }
    // SAFETY: as copy_from_user, in the other direction.
    match unsafe { uaccess::copy_user(dst as *mut u8, src.as_ptr(), src.len()) } {
        0 => Ok(()),
        _ => Err(Errno::EFAULT),
    }
}

/// Zero `len` bytes at user address `dst`.
pub fn clear_user(dst: usize, len: usize) -> Result<(), Errno> {
    if !access_ok(dst, len) {
        return Err(Errno::EFAULT);
    }
    // SAFETY: range-checked; faults are fixed up.
    match unsafe { uaccess::clear_user(dst as *mut u8, len) } {
        0 => Ok(()),
        _ => Err(Errno::EFAULT),
    }
}

/// Copy a NUL-terminated string of at most `max - 1` bytes from user
/// space (without the NUL). Longer strings are `too_long`.
pub fn strncpy_from_user(src: usize, max: usize, too_long: Errno) -> Result<Vec<u8>, Errno> {
    // Check page by page: the string may end before an unmapped page.
    let mut out = Vec::new();
    let mut addr = src;
    while out.len() < max {
        let chunk = (4096 - addr % 4096).min(max - out.len());
        if !access_ok(addr, chunk) {
            return Err(Errno::EFAULT);
        }
        // SAFETY: range-checked; faults are fixed up.
        let n = unsafe { uaccess::strnlen_user(addr as *const u8, chunk) }.ok_or(Errno::EFAULT)?;
        let start = out.len();
        out.resize(start + n, 0);
        copy_from_user(&mut out[start..], addr)?;
        if n < chunk {
            return Ok(out);
        }
        addr += chunk;
    }
    Err(too_long)
}

/// Plain data that may be copied to and from user space byte for byte.
///
/// # Safety
/// Every bit pattern must be a valid value and the type must have no
/// padding that could leak kernel data.
pub unsafe trait Pod: Copy + 'static {}

macro_rules! pod {
    ($($t:ty),*) => { $(
        // SAFETY: integers have no padding and no invalid bit patterns.
        unsafe impl Pod for $t {}
    )* };
}
pod!(u8, i8, u16, i16, u32, i32, u64, i64, usize, isize);
// SAFETY: arrays of Pod are Pod.
unsafe impl<T: Pod, const N: usize> Pod for [T; N] {}

fn as_bytes<T: Pod>(v: &T) -> &[u8] {
    // SAFETY: T is Pod: plain bytes with no padding.
    unsafe { core::slice::from_raw_parts(v as *const T as *const u8, core::mem::size_of::<T>()) }
}

/// Read a `T` from user address `addr`.
pub fn get_user<T: Pod + Default>(addr: usize) -> Result<T, Errno> {
    let mut v = T::default();
    // SAFETY: T is Pod, so any bytes copied in form a valid T.
    let bytes = unsafe {
        core::slice::from_raw_parts_mut(&mut v as *mut T as *mut u8, core::mem::size_of::<T>())
    };
    copy_from_user(bytes, addr)?;
    Ok(v)
}

/// Write `v` to user address `addr`.
pub fn put_user<T: Pod>(addr: usize, v: &T) -> Result<(), Errno> {
    copy_to_user(addr, as_bytes(v))
}
