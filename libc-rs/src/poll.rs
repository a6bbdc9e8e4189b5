//! poll.h and sys/select.h: poll, ppoll, select, pselect. select is
//! pselect6 with the timeval turned into a timespec and the time left
//! written back (as Linux's select and glibc's time64 emulation do);
//! pselect and ppoll leave the caller's timeout alone (a copy goes to the
//! kernel, which updates it).

use crate::arch::{self, nr};
use crate::signal::sigset_t;
use crate::sys::ret_int;
use crate::{c_int, c_ulong, time_t, timespec, timeval};

/// `struct pollfd`.
#[repr(C)]
pub struct pollfd {
    pub fd: c_int,
    pub events: i16,
    pub revents: i16,
}

/// `fd_set`: 1024 bits.
#[repr(C)]
pub struct fd_set {
    pub bits: [c_ulong; 1024 / c_ulong::BITS as usize],
}

/// The kernel reads 64 signal bits (8 bytes) of a sigset.
const KSIGSET: usize = 8;

/// `poll(fds, n, ms)`: how many fds have events, 0 on timeout; ms < 0 waits
/// for ever.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn poll(fds: *mut pollfd, n: c_ulong, ms: c_int) -> c_int {
    ret_int(syscall!(nr::POLL, fds, n, ms))
}

/// A copy of the caller's timeout for the kernel to update, or NULL.
fn local_timeout(t: *const timespec, copy: &mut timespec) -> *mut timespec {
    if t.is_null() {
        return core::ptr::null_mut();
    }
    // SAFETY: the caller's timespec.
    *copy = unsafe { *t };
    copy
}

/// `ppoll(fds, n, timeout, sigmask)`: poll with a timespec (NULL: for
/// ever) and, when sigmask is given, that mask while waiting.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ppoll(
    fds: *mut pollfd,
    n: c_ulong,
    timeout: *const timespec,
    sigmask: *const sigset_t,
) -> c_int {
    let mut t = timespec::default();
    let tp = local_timeout(timeout, &mut t);
    ret_int(syscall!(arch::PPOLL_NR, fds, n, tp, sigmask, KSIGSET))
}

/// pselect6 with the kernel's timespec (updated) and optional mask.
fn pselect6(n: c_int, sets: [*mut fd_set; 3], t: *mut timespec, sigmask: *const sigset_t) -> c_int {
    let data = [sigmask as usize, KSIGSET];
    let d = if sigmask.is_null() {
        0
    } else {
        data.as_ptr() as usize
    };
    ret_int(syscall!(
        arch::PSELECT6_NR,
        n,
        sets[0],
        sets[1],
        sets[2],
        t,
        d
    ))
}

/// `select(n, r, w, e, timeout)`: how many fds are ready, 0 on timeout;
/// the time left is written back into *timeout, as Linux does.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn select(
    n: c_int,
    r: *mut fd_set,
    w: *mut fd_set,
    e: *mut fd_set,
    timeout: *mut timeval,
) -> c_int {
    if timeout.is_null() {
        return pselect6(n, [r, w, e], core::ptr::null_mut(), core::ptr::null());
    }
    // SAFETY: the caller's timeval.
    let tv = unsafe { *timeout };
    let mut t = timespec {
        tv_sec: tv.tv_sec + (tv.tv_usec / 1_000_000) as time_t,
        tv_nsec: (tv.tv_usec % 1_000_000) * 1000,
        ..Default::default()
    };
    let res = pselect6(n, [r, w, e], &mut t, core::ptr::null());
    // SAFETY: as above.
    unsafe {
        (*timeout).tv_sec = t.tv_sec;
        (*timeout).tv_usec = (t.tv_nsec / 1000) as _;
    }
    res
}

/// `pselect(n, r, w, e, timeout, sigmask)`: select with a timespec (left
/// unchanged) and, when given, that signal mask while waiting.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pselect(
    n: c_int,
    r: *mut fd_set,
    w: *mut fd_set,
    e: *mut fd_set,
    timeout: *const timespec,
    sigmask: *const sigset_t,
) -> c_int {
    let mut t = timespec::default();
    let tp = local_timeout(timeout, &mut t);
    pselect6(n, [r, w, e], tp, sigmask)
}
