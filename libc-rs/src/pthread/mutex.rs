//! Mutexes: normal (glibc's default; ADAPTIVE behaves the same), recursive
//! and error-checking, private or process-shared; lock, trylock,
//! timedlock and clocklock; and their attributes.
//!
//! `pthread_mutex_t` has glibc's size (40 bytes on x86_64, 24 on i386) and
//! its field offsets for the lock word, count, owner and kind, so glibc's
//! static initialisers mean the same here (all zeros: a normal mutex). The
//! lock word is the three-state futex lock of Drepper's "Futexes Are
//! Tricky": 0 free, 1 held, 2 held and maybe contended. Errors follow
//! glibc: EDEADLK relocking an error-checking mutex, EPERM unlocking a
//! recursive or error-checking mutex the caller does not own, EBUSY from
//! trylock and from destroying a locked mutex, EAGAIN past the recursion
//! limit, ETIMEDOUT, EINVAL for a bad time, clock, type or a destroyed mutex.

use crate::errno::{EAGAIN, EBUSY, EDEADLK, EINVAL, EPERM, ETIMEDOUT};
use crate::thread::gettid;
use crate::time::{CLOCK_MONOTONIC, CLOCK_REALTIME};
use crate::{c_int, clockid_t, futex, timespec};
use core::sync::atomic::{AtomicI32, AtomicU32, Ordering::*};

pub const PTHREAD_MUTEX_NORMAL: c_int = 0;
pub const PTHREAD_MUTEX_RECURSIVE: c_int = 1;
pub const PTHREAD_MUTEX_ERRORCHECK: c_int = 2;
pub const PTHREAD_MUTEX_ADAPTIVE_NP: c_int = 3;
pub const PTHREAD_PROCESS_PRIVATE: c_int = 0;
pub const PTHREAD_PROCESS_SHARED: c_int = 1;
/// In `kind`: the mutex is process-shared (glibc's PTHREAD_MUTEX_PSHARED_BIT).
const PSHARED_BIT: c_int = 128;
/// In a `pthread_mutexattr_t`: process-shared (glibc's bit).
const ATTR_PSHARED: u32 = 0x8000_0000;

/// `pthread_mutex_t`, with glibc's layout for the fields we use.
#[repr(C)]
pub struct pthread_mutex_t {
    pub(super) lock: AtomicU32,
    count: AtomicU32,
    owner: AtomicI32,
    #[cfg(target_pointer_width = "64")]
    _nusers: u32,
    kind: AtomicI32,
    #[cfg(target_pointer_width = "32")]
    _nusers: u32,
    _reserved: [u32; RESERVED],
}

const RESERVED: usize = if size_of::<usize>() == 8 { 5 } else { 1 };
const _: () =
    assert!(size_of::<pthread_mutex_t>() == if size_of::<usize>() == 8 { 40 } else { 24 });

/// `pthread_mutexattr_t`: the type in the low bits, pshared in bit 31.
#[repr(C)]
pub struct pthread_mutexattr_t {
    bits: u32,
}

impl pthread_mutex_t {
    /// The process-shared flag, for the futex operations.
    pub(super) fn shared(&self) -> bool {
        self.kind.load(Relaxed) & PSHARED_BIT != 0
    }
}

/// Take the lock word, sleeping until `at` (on `clock`) at most. With
/// `contended` the word is set to 2 straight away: a thread that was
/// requeued from a condition variable may have others queued behind it.
fn lock_word(
    m: &pthread_mutex_t,
    at: Option<&timespec>,
    clock: clockid_t,
    contended: bool,
) -> c_int {
    if !contended && m.lock.compare_exchange(0, 1, Acquire, Relaxed).is_ok() {
        return 0;
    }
    while m.lock.swap(2, Acquire) != 0 {
        let r = futex::wait_until(&m.lock, 2, at, clock, m.shared());
        if r == ETIMEDOUT || r == EINVAL {
            return r;
        }
    }
    0
}

/// Release the lock word, waking one waiter if it was contended.
fn unlock_word(m: &pthread_mutex_t) {
    if m.lock.swap(0, Release) == 2 {
        futex::wake(&m.lock, 1, m.shared());
    }
}

/// The locks: `try_only` is trylock; `at` bounds the wait.
pub(super) fn lock(
    m: &pthread_mutex_t,
    try_only: bool,
    at: Option<&timespec>,
    clock: clockid_t,
    contended: bool,
) -> c_int {
    let me = gettid();
    let kind = m.kind.load(Relaxed) & !PSHARED_BIT;
    let owned = m.owner.load(Relaxed) == me;
    match kind {
        PTHREAD_MUTEX_RECURSIVE if owned => {
            // Only the owner touches count while it holds the lock.
            if m.count.load(Relaxed) == u32::MAX {
                return EAGAIN;
            }
            m.count.fetch_add(1, Relaxed);
            return 0;
        }
        PTHREAD_MUTEX_ERRORCHECK if owned && !try_only => return EDEADLK,
        PTHREAD_MUTEX_NORMAL
        | PTHREAD_MUTEX_RECURSIVE
        | PTHREAD_MUTEX_ERRORCHECK
        | PTHREAD_MUTEX_ADAPTIVE_NP => {}
        _ => return EINVAL,
    }
    let r = if try_only {
        if m.lock.compare_exchange(0, 1, Acquire, Relaxed).is_ok() {
            0
        } else {
            EBUSY
        }
    } else {
        lock_word(m, at, clock, contended)
    };
    if r == 0 {
        m.owner.store(me, Relaxed);
        m.count.store(1, Relaxed);
    }
    r
}

/// Unlock (one level of a recursive mutex).
pub(super) fn unlock(m: &pthread_mutex_t) -> c_int {
    let kind = m.kind.load(Relaxed) & !PSHARED_BIT;
    if kind == PTHREAD_MUTEX_RECURSIVE || kind == PTHREAD_MUTEX_ERRORCHECK {
        if m.owner.load(Relaxed) != gettid() || m.lock.load(Relaxed) == 0 {
            return EPERM;
        }
        if kind == PTHREAD_MUTEX_RECURSIVE && m.count.load(Relaxed) > 1 {
            m.count.fetch_sub(1, Relaxed);
            return 0;
        }
    } else if !(kind == PTHREAD_MUTEX_NORMAL || kind == PTHREAD_MUTEX_ADAPTIVE_NP) {
        return EINVAL;
    }
    m.owner.store(0, Relaxed);
    unlock_word(m);
    0
}

/// `pthread_mutex_init(m, attr)`: attr NULL is a normal private mutex.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutex_init(
    m: *mut pthread_mutex_t,
    attr: *const pthread_mutexattr_t,
) -> c_int {
    // SAFETY: attr is NULL or the caller's initialised object.
    let bits = if attr.is_null() {
        0
    } else {
        unsafe { (*attr).bits }
    };
    let kind = (bits & 0xf) as c_int
        | if bits & ATTR_PSHARED != 0 {
            PSHARED_BIT
        } else {
            0
        };
    // SAFETY: the caller's object; all of it is written.
    unsafe {
        m.write(pthread_mutex_t {
            lock: AtomicU32::new(0),
            count: AtomicU32::new(0),
            owner: AtomicI32::new(0),
            _nusers: 0,
            kind: AtomicI32::new(kind),
            _reserved: [0; RESERVED],
        })
    };
    0
}

/// `pthread_mutex_destroy(m)`: EBUSY while locked (glibc).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutex_destroy(m: *mut pthread_mutex_t) -> c_int {
    // SAFETY: the caller's mutex.
    let m = unsafe { &*m };
    if m.lock.load(Relaxed) != 0 {
        return EBUSY;
    }
    m.kind.store(-1, Relaxed);
    0
}

/// `pthread_mutex_lock(m)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutex_lock(m: *mut pthread_mutex_t) -> c_int {
    // SAFETY: the caller's initialised mutex.
    lock(unsafe { &*m }, false, None, CLOCK_REALTIME, false)
}

/// `pthread_mutex_trylock(m)`: EBUSY instead of waiting.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutex_trylock(m: *mut pthread_mutex_t) -> c_int {
    // SAFETY: the caller's initialised mutex.
    lock(unsafe { &*m }, true, None, CLOCK_REALTIME, false)
}

/// `pthread_mutex_timedlock(m, abstime)`: ETIMEDOUT once the
/// CLOCK_REALTIME time passes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutex_timedlock(
    m: *mut pthread_mutex_t,
    at: *const timespec,
) -> c_int {
    // SAFETY: the caller's mutex and time.
    unsafe { pthread_mutex_clocklock(m, CLOCK_REALTIME, at) }
}

/// `pthread_mutex_clocklock(m, clock, abstime)`: as timedlock on `clock`,
/// CLOCK_REALTIME or CLOCK_MONOTONIC (else EINVAL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutex_clocklock(
    m: *mut pthread_mutex_t,
    clock: clockid_t,
    at: *const timespec,
) -> c_int {
    if clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC {
        return EINVAL;
    }
    // SAFETY: the caller's initialised mutex and time.
    unsafe { lock(&*m, false, at.as_ref(), clock, false) }
}

/// `pthread_mutex_unlock(m)`: EPERM if a recursive or error-checking
/// mutex is not the caller's.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutex_unlock(m: *mut pthread_mutex_t) -> c_int {
    // SAFETY: the caller's initialised mutex.
    unlock(unsafe { &*m })
}

/// `pthread_mutexattr_init(a)`: normal, private.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutexattr_init(a: *mut pthread_mutexattr_t) -> c_int {
    // SAFETY: the caller's object.
    unsafe { (*a).bits = 0 };
    0
}

/// `pthread_mutexattr_destroy(a)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_mutexattr_destroy(_a: *mut pthread_mutexattr_t) -> c_int {
    0
}

/// `pthread_mutexattr_settype(a, type)`: EINVAL for an unknown type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutexattr_settype(
    a: *mut pthread_mutexattr_t,
    kind: c_int,
) -> c_int {
    if !(PTHREAD_MUTEX_NORMAL..=PTHREAD_MUTEX_ADAPTIVE_NP).contains(&kind) {
        return EINVAL;
    }
    // SAFETY: the caller's initialised object.
    unsafe { (*a).bits = ((*a).bits & !0xf) | kind as u32 };
    0
}

/// `pthread_mutexattr_gettype(a, &type)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutexattr_gettype(
    a: *const pthread_mutexattr_t,
    kind: *mut c_int,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *kind = ((*a).bits & 0xf) as c_int };
    0
}

/// `pthread_mutexattr_setpshared(a, PTHREAD_PROCESS_*)`: EINVAL otherwise.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutexattr_setpshared(
    a: *mut pthread_mutexattr_t,
    pshared: c_int,
) -> c_int {
    match super::pshared_bit(pshared, ATTR_PSHARED) {
        // SAFETY: the caller's initialised object.
        Ok(bit) => unsafe { (*a).bits = ((*a).bits & !ATTR_PSHARED) | bit },
        Err(e) => return e,
    }
    0
}

/// `pthread_mutexattr_getpshared(a, &pshared)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_mutexattr_getpshared(
    a: *const pthread_mutexattr_t,
    pshared: *mut c_int,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *pshared = ((*a).bits & ATTR_PSHARED != 0) as c_int };
    0
}
