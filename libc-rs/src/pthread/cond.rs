//! Condition variables: wait, timedwait, clockwait, signal, broadcast,
//! with a CLOCK_REALTIME (default) or CLOCK_MONOTONIC clock attribute,
//! private or process-shared; and their attributes.
//!
//! `pthread_cond_t` has glibc's 48 bytes; all zeros (the static
//! initialiser) is a private CLOCK_REALTIME condition. The algorithm is a
//! sequence counter, the futex word: a waiter reads it, releases the mutex
//! and sleeps while it is unchanged; signal and broadcast bump it, so a
//! wake-up between the unlock and the sleep is never lost. Signal wakes one
//! sleeper; broadcast wakes one and requeues the rest onto the mutex's
//! lock word (FUTEX_CMP_REQUEUE), so they are woken one by one as the mutex
//! is released instead of all at once; every waiter relocks the mutex as
//! "contended" to keep that chain going. A counter of waiters spares the
//! syscall when nobody waits. Waits return 0 on spurious wake-ups (POSIX
//! allows them), never EINTR, and ETIMEDOUT only when no signal came.

use super::mutex::{self, pthread_mutex_t};
use crate::errno::{EINVAL, ETIMEDOUT};
use crate::time::{CLOCK_MONOTONIC, CLOCK_REALTIME};
use crate::{c_int, clockid_t, futex, timespec};
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering::*};

/// In `flags` and in `pthread_condattr_t`: bit 0 process-shared, the clock
/// id above it.
const PSHARED: u32 = 1;

/// `pthread_cond_t`.
#[repr(C)]
pub struct pthread_cond_t {
    seq: AtomicU32,
    waiters: AtomicU32,
    flags: u32,
    _pad: u32,
    /// The mutex the waiters use (POSIX: one at a time), for requeueing.
    mutex: AtomicUsize,
    _reserved: [u8; 48 - 16 - size_of::<usize>()],
}

const _: () = assert!(size_of::<pthread_cond_t>() == 48);

/// `pthread_condattr_t`.
#[repr(C)]
pub struct pthread_condattr_t {
    bits: u32,
}

impl pthread_cond_t {
    fn shared(&self) -> bool {
        self.flags & PSHARED != 0
    }

    fn clock(&self) -> clockid_t {
        (self.flags >> 1) as clockid_t
    }
}

/// The waits: release `m`, sleep until signalled (or until `at` on
/// `clock`), relock `m`.
fn wait(
    c: &pthread_cond_t,
    m: *mut pthread_mutex_t,
    at: Option<&timespec>,
    clock: clockid_t,
) -> c_int {
    if at.is_some_and(|t| !futex::valid_timespec(t)) {
        return EINVAL;
    }
    c.mutex.store(m as usize, Relaxed);
    c.waiters.fetch_add(1, SeqCst);
    let seq = c.seq.load(SeqCst);
    // SAFETY: the caller's mutex, locked by the caller as POSIX requires.
    let m = unsafe { &*m };
    let e = mutex::unlock(m);
    if e != 0 {
        c.waiters.fetch_sub(1, SeqCst);
        return e;
    }
    let mut r = futex::wait_until(&c.seq, seq, at, clock, c.shared());
    c.waiters.fetch_sub(1, SeqCst);
    mutex::lock(m, false, None, CLOCK_REALTIME, true);
    if r == ETIMEDOUT && c.seq.load(Relaxed) != seq {
        // Signalled as the time ran out: that counts as woken.
        r = 0;
    }
    if r == ETIMEDOUT || r == EINVAL { r } else { 0 }
}

/// `pthread_cond_init(c, attr)`: attr NULL is private, CLOCK_REALTIME.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_cond_init(
    c: *mut pthread_cond_t,
    attr: *const pthread_condattr_t,
) -> c_int {
    // SAFETY: attr is NULL or the caller's initialised object.
    let flags = if attr.is_null() {
        0
    } else {
        unsafe { (*attr).bits }
    };
    // SAFETY: the caller's object; all of it is written.
    unsafe {
        c.write(pthread_cond_t {
            seq: AtomicU32::new(0),
            waiters: AtomicU32::new(0),
            flags,
            _pad: 0,
            mutex: AtomicUsize::new(0),
            _reserved: [0; 48 - 16 - size_of::<usize>()],
        })
    };
    0
}

/// `pthread_cond_destroy(c)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_cond_destroy(_c: *mut pthread_cond_t) -> c_int {
    0
}

/// `pthread_cond_wait(c, m)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_cond_wait(
    c: *mut pthread_cond_t,
    m: *mut pthread_mutex_t,
) -> c_int {
    // SAFETY: the caller's initialised condition.
    let c = unsafe { &*c };
    wait(c, m, None, c.clock())
}

/// `pthread_cond_timedwait(c, m, abstime)`: the time is on the condition's
/// clock attribute.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_cond_timedwait(
    c: *mut pthread_cond_t,
    m: *mut pthread_mutex_t,
    at: *const timespec,
) -> c_int {
    // SAFETY: the caller's initialised condition and time.
    let (c, at) = unsafe { (&*c, at.as_ref()) };
    wait(c, m, at, c.clock())
}

/// `pthread_cond_clockwait(c, m, clock, abstime)`: EINVAL unless `clock` is
/// CLOCK_REALTIME or CLOCK_MONOTONIC.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_cond_clockwait(
    c: *mut pthread_cond_t,
    m: *mut pthread_mutex_t,
    clock: clockid_t,
    at: *const timespec,
) -> c_int {
    if clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC {
        return EINVAL;
    }
    // SAFETY: the caller's initialised condition and time.
    unsafe { wait(&*c, m, at.as_ref(), clock) }
}

/// `pthread_cond_signal(c)`: wake one waiter, if any.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_cond_signal(c: *mut pthread_cond_t) -> c_int {
    // SAFETY: the caller's initialised condition.
    let c = unsafe { &*c };
    c.seq.fetch_add(1, SeqCst);
    if c.waiters.load(SeqCst) != 0 {
        futex::wake(&c.seq, 1, c.shared());
    }
    0
}

/// `pthread_cond_broadcast(c)`: wake every waiter (one now, the others as
/// the mutex frees up).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_cond_broadcast(c: *mut pthread_cond_t) -> c_int {
    // SAFETY: the caller's initialised condition.
    let c = unsafe { &*c };
    let seq = c.seq.fetch_add(1, SeqCst).wrapping_add(1);
    if c.waiters.load(SeqCst) == 0 {
        return 0;
    }
    let m = c.mutex.load(Relaxed) as *const pthread_mutex_t;
    // SAFETY: the waiters' mutex stays valid while they wait (POSIX).
    if let Some(m) = unsafe { m.as_ref() }
        && m.shared() == c.shared()
        && futex::cmp_requeue(&c.seq, seq, i32::MAX, &m.lock, c.shared()) >= 0
    {
        return 0;
    }
    futex::wake(&c.seq, i32::MAX, c.shared());
    0
}

/// `pthread_condattr_init(a)`: private, CLOCK_REALTIME.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_condattr_init(a: *mut pthread_condattr_t) -> c_int {
    // SAFETY: the caller's object.
    unsafe { (*a).bits = 0 };
    0
}

/// `pthread_condattr_destroy(a)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_condattr_destroy(_a: *mut pthread_condattr_t) -> c_int {
    0
}

/// `pthread_condattr_setclock(a, clock)`: CLOCK_REALTIME or
/// CLOCK_MONOTONIC, else EINVAL (glibc).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_condattr_setclock(
    a: *mut pthread_condattr_t,
    clock: clockid_t,
) -> c_int {
    if clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC {
        return EINVAL;
    }
    // SAFETY: the caller's initialised object.
    unsafe { (*a).bits = ((*a).bits & PSHARED) | (clock as u32) << 1 };
    0
}

/// `pthread_condattr_getclock(a, &clock)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_condattr_getclock(
    a: *const pthread_condattr_t,
    clock: *mut clockid_t,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *clock = ((*a).bits >> 1) as clockid_t };
    0
}

/// `pthread_condattr_setpshared(a, PTHREAD_PROCESS_*)`: EINVAL otherwise.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_condattr_setpshared(
    a: *mut pthread_condattr_t,
    pshared: c_int,
) -> c_int {
    match super::pshared_bit(pshared, PSHARED) {
        // SAFETY: the caller's initialised object.
        Ok(bit) => unsafe { (*a).bits = ((*a).bits & !PSHARED) | bit },
        Err(e) => return e,
    }
    0
}

/// `pthread_condattr_getpshared(a, &pshared)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_condattr_getpshared(
    a: *const pthread_condattr_t,
    pshared: *mut c_int,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *pshared = ((*a).bits & PSHARED) as c_int };
    0
}
