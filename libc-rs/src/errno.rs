//! errno: one per thread, kept in the thread descriptor reached through the
//! thread pointer (%gs on i386, %fs on x86_64), as musl does; no
//! `#[thread_local]` needed.

use crate::thread::current;

/// The address of the calling thread's errno (`errno` in `<errno.h>` is
/// `(*__errno_location())`).
#[unsafe(no_mangle)]
pub extern "C" fn __errno_location() -> *mut i32 {
    // SAFETY: the descriptor lives as long as its thread.
    unsafe { &raw mut (*current()).errno }
}

/// Set the calling thread's errno.
#[inline]
pub fn set_errno(e: i32) {
    // SAFETY: see __errno_location.
    unsafe { *__errno_location() = e }
}

/// Read the calling thread's errno.
#[inline]
pub fn errno() -> i32 {
    // SAFETY: see __errno_location.
    unsafe { *__errno_location() }
}

pub const EPERM: i32 = 1;
pub const ENOENT: i32 = 2;
pub const ESRCH: i32 = 3;
pub const EINTR: i32 = 4;
pub const EIO: i32 = 5;
pub const ENXIO: i32 = 6;
pub const E2BIG: i32 = 7;
pub const ENOEXEC: i32 = 8;
pub const EBADF: i32 = 9;
pub const ECHILD: i32 = 10;
pub const EAGAIN: i32 = 11;
pub const ENOMEM: i32 = 12;
pub const EACCES: i32 = 13;
pub const EFAULT: i32 = 14;
pub const EBUSY: i32 = 16;
pub const EEXIST: i32 = 17;
pub const ENOTDIR: i32 = 20;
pub const EISDIR: i32 = 21;
pub const EINVAL: i32 = 22;
pub const ENFILE: i32 = 23;
pub const EMFILE: i32 = 24;
pub const ENOTTY: i32 = 25;
pub const ESPIPE: i32 = 29;
pub const EPIPE: i32 = 32;
pub const EDOM: i32 = 33;
pub const ERANGE: i32 = 34;
pub const EDEADLK: i32 = 35;
pub const ENAMETOOLONG: i32 = 36;
pub const ENOSYS: i32 = 38;
pub const EOVERFLOW: i32 = 75;
pub const EILSEQ: i32 = 84;
pub const ENOTSUP: i32 = 95;
pub const EOPNOTSUPP: i32 = 95;
pub const ETIMEDOUT: i32 = 110;
