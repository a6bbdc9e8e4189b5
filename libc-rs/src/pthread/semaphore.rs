//! Unnamed POSIX semaphores (semaphore.h): sem_init, sem_destroy,
//! sem_wait, sem_trywait, sem_timedwait, sem_clockwait, sem_post,
//! sem_getvalue. Unlike the pthread functions these return -1 and set
//! errno, with glibc's errors: EINVAL (a value above SEM_VALUE_MAX, a bad
//! time or clock), EAGAIN (trywait), ETIMEDOUT, EINTR (a signal handler
//! ran while waiting), EOVERFLOW (post at SEM_VALUE_MAX).
//!
//! The value is the futex word; waiters sleep while it is 0 and a post
//! wakes one of them if the waiter count says anyone sleeps. `sem_t` has
//! glibc's size (32 bytes on x86_64, 16 on i386).

use crate::errno::{EAGAIN, EINTR, EINVAL, EOVERFLOW, ETIMEDOUT, set_errno};
use crate::time::{CLOCK_MONOTONIC, CLOCK_REALTIME};
use crate::{c_int, c_uint, clockid_t, futex, timespec};
use core::sync::atomic::{AtomicU32, Ordering::*};

pub const SEM_VALUE_MAX: c_uint = i32::MAX as c_uint;

/// `sem_t`.
#[repr(C)]
pub struct sem_t {
    value: AtomicU32,
    waiters: AtomicU32,
    shared: u32,
    _reserved: [u8; SEM_SIZE - 12],
}

const SEM_SIZE: usize = if size_of::<usize>() == 8 { 32 } else { 16 };
const _: () = assert!(size_of::<sem_t>() == SEM_SIZE);

/// -1 with errno `e`.
fn fail(e: c_int) -> c_int {
    set_errno(e);
    -1
}

/// `sem_init(s, pshared, value)`: EINVAL above SEM_VALUE_MAX.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sem_init(s: *mut sem_t, pshared: c_int, value: c_uint) -> c_int {
    if value > SEM_VALUE_MAX {
        return fail(EINVAL);
    }
    // SAFETY: the caller's object; all of it is written.
    unsafe {
        s.write(sem_t {
            value: AtomicU32::new(value),
            waiters: AtomicU32::new(0),
            shared: (pshared != 0) as u32,
            _reserved: [0; SEM_SIZE - 12],
        })
    };
    0
}

/// `sem_destroy(s)`.
#[unsafe(no_mangle)]
pub extern "C" fn sem_destroy(_s: *mut sem_t) -> c_int {
    0
}

/// Take one unit: `wait` None only tries (EAGAIN), else sleeps until `at`.
fn take(s: &sem_t, wait: Option<(Option<&timespec>, clockid_t)>) -> c_int {
    loop {
        let v = s.value.load(Relaxed);
        if v > 0 {
            if s.value.compare_exchange(v, v - 1, Acquire, Relaxed).is_ok() {
                return 0;
            }
            continue;
        }
        let Some((at, clock)) = wait else {
            return fail(EAGAIN);
        };
        s.waiters.fetch_add(1, SeqCst);
        let r = futex::wait_until(&s.value, 0, at, clock, s.shared != 0);
        s.waiters.fetch_sub(1, SeqCst);
        if r == ETIMEDOUT || r == EINVAL || r == EINTR {
            return fail(r);
        }
    }
}

/// `sem_wait(s)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sem_wait(s: *mut sem_t) -> c_int {
    // SAFETY: the caller's initialised semaphore.
    take(unsafe { &*s }, Some((None, CLOCK_REALTIME)))
}

/// `sem_trywait(s)`: EAGAIN at 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sem_trywait(s: *mut sem_t) -> c_int {
    // SAFETY: the caller's initialised semaphore.
    take(unsafe { &*s }, None)
}

/// `sem_timedwait(s, abstime)`: until the CLOCK_REALTIME time.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sem_timedwait(s: *mut sem_t, at: *const timespec) -> c_int {
    // SAFETY: the caller's initialised semaphore and time.
    unsafe { sem_clockwait(s, CLOCK_REALTIME, at) }
}

/// `sem_clockwait(s, clock, abstime)`: CLOCK_REALTIME or CLOCK_MONOTONIC.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sem_clockwait(
    s: *mut sem_t,
    clock: clockid_t,
    at: *const timespec,
) -> c_int {
    // SAFETY: the caller's initialised semaphore and time.
    let (s, at) = unsafe { (&*s, at.as_ref()) };
    // The time is checked even when no wait is needed (glibc).
    if clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC
        || at.is_some_and(|t| !futex::valid_timespec(t))
    {
        return fail(EINVAL);
    }
    take(s, Some((at, clock)))
}

/// `sem_post(s)`: EOVERFLOW at SEM_VALUE_MAX.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sem_post(s: *mut sem_t) -> c_int {
    // SAFETY: the caller's initialised semaphore.
    let s = unsafe { &*s };
    let mut v = s.value.load(Relaxed);
    loop {
        if v >= SEM_VALUE_MAX {
            return fail(EOVERFLOW);
        }
        match s.value.compare_exchange_weak(v, v + 1, SeqCst, Relaxed) {
            Ok(_) => break,
            Err(now) => v = now,
        }
    }
    if s.waiters.load(SeqCst) != 0 {
        futex::wake(&s.value, 1, s.shared != 0);
    }
    0
}

/// `sem_getvalue(s, &value)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sem_getvalue(s: *mut sem_t, value: *mut c_int) -> c_int {
    // SAFETY: the caller's semaphore and output.
    unsafe { *value = (*s).value.load(Relaxed) as c_int };
    0
}
