//! Read-write locks: rdlock, wrlock, their try/timed/clock forms, unlock;
//! and their attributes (pshared, and GNU's kind).
//!
//! As glibc's default, readers are preferred: a reader gets in whenever no
//! writer holds the lock, so a thread may take read locks recursively.
//! PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP makes new readers wait
//! while a writer waits; PREFER_WRITER_NP is treated as PREFER_READER_NP,
//! as glibc does. Errors follow glibc: EDEADLK for rdlock/wrlock by the
//! thread holding the write lock, EBUSY from the try forms, EAGAIN past the
//! reader limit, ETIMEDOUT, EINVAL for a bad time or clock.
//!
//! `state` counts readers, or is WRITER. Waiters sleep on `seq`, which
//! every release that can let someone in bumps (then wakes all sleepers if
//! there are any); a waiter reads `seq` before looking at `state`, so a
//! release in between makes its sleep return at once.

use super::mutex::{PTHREAD_PROCESS_PRIVATE, PTHREAD_PROCESS_SHARED};
use crate::errno::{EAGAIN, EBUSY, EDEADLK, EINVAL, ETIMEDOUT};
use crate::thread::gettid;
use crate::time::{CLOCK_MONOTONIC, CLOCK_REALTIME};
use crate::{c_int, clockid_t, futex, timespec};
use core::sync::atomic::{AtomicI32, AtomicU32, Ordering::*};

pub const PTHREAD_RWLOCK_PREFER_READER_NP: c_int = 0;
pub const PTHREAD_RWLOCK_PREFER_WRITER_NP: c_int = 1;
pub const PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP: c_int = 2;
const WRITER: u32 = 1 << 31;
const MAX_READERS: u32 = WRITER - 1;
/// In `flags`: process-shared; writers preferred.
const PSHARED: u32 = 1;
const PREFER_WRITER: u32 = 2;

/// `pthread_rwlock_t` (glibc's size: 56 bytes on x86_64, 32 on i386).
#[repr(C)]
pub struct pthread_rwlock_t {
    state: AtomicU32,
    seq: AtomicU32,
    waiters: AtomicU32,
    writers_waiting: AtomicU32,
    /// The write owner's tid, for EDEADLK.
    writer: AtomicI32,
    flags: u32,
    _reserved: [u8; RWLOCK_SIZE - 24],
}

const RWLOCK_SIZE: usize = if size_of::<usize>() == 8 { 56 } else { 32 };
const _: () = assert!(size_of::<pthread_rwlock_t>() == RWLOCK_SIZE);

/// How long a lock call may wait: None only tries; else until the time (if
/// any) on the clock.
type Wait<'a> = Option<(Option<&'a timespec>, clockid_t)>;

/// `pthread_rwlockattr_t` (8 bytes, as glibc).
#[repr(C)]
pub struct pthread_rwlockattr_t {
    kind: c_int,
    pshared: c_int,
}

impl pthread_rwlock_t {
    fn shared(&self) -> bool {
        self.flags & PSHARED != 0
    }

    /// Let waiters look again.
    fn release(&self) {
        self.seq.fetch_add(1, SeqCst);
        if self.waiters.load(SeqCst) != 0 {
            futex::wake(&self.seq, i32::MAX, self.shared());
        }
    }

    /// Sleep while `seq` is still `seen`: 0, ETIMEDOUT or EINVAL.
    fn sleep(&self, seen: u32, at: Option<&timespec>, clock: clockid_t) -> c_int {
        self.waiters.fetch_add(1, SeqCst);
        let r = futex::wait_until(&self.seq, seen, at, clock, self.shared());
        self.waiters.fetch_sub(1, SeqCst);
        if r == ETIMEDOUT || r == EINVAL { r } else { 0 }
    }
}

/// Take a read lock (`wait` None: only try, EBUSY rather than block).
fn rdlock(rw: &pthread_rwlock_t, wait: Wait) -> c_int {
    if wait.is_some() && rw.writer.load(Relaxed) == gettid() {
        return EDEADLK;
    }
    loop {
        let seen = rw.seq.load(SeqCst);
        let s = rw.state.load(Relaxed);
        let writer_first = rw.flags & PREFER_WRITER != 0 && rw.writers_waiting.load(Relaxed) != 0;
        if s & WRITER == 0 && !writer_first {
            if s == MAX_READERS {
                return EAGAIN;
            }
            if rw
                .state
                .compare_exchange(s, s + 1, Acquire, Relaxed)
                .is_ok()
            {
                return 0;
            }
            continue;
        }
        let Some((at, clock)) = wait else {
            return EBUSY;
        };
        let r = rw.sleep(seen, at, clock);
        if r != 0 {
            return r;
        }
    }
}

/// Take the write lock (`wait` None: only try).
fn wrlock(rw: &pthread_rwlock_t, wait: Wait) -> c_int {
    let me = gettid();
    if rw
        .state
        .compare_exchange(0, WRITER, Acquire, Relaxed)
        .is_ok()
    {
        rw.writer.store(me, Relaxed);
        return 0;
    }
    let Some((at, clock)) = wait else {
        return EBUSY;
    };
    if rw.writer.load(Relaxed) == me {
        return EDEADLK;
    }
    rw.writers_waiting.fetch_add(1, SeqCst);
    let r = loop {
        let seen = rw.seq.load(SeqCst);
        if rw
            .state
            .compare_exchange(0, WRITER, Acquire, Relaxed)
            .is_ok()
        {
            rw.writer.store(me, Relaxed);
            break 0;
        }
        let r = rw.sleep(seen, at, clock);
        if r != 0 {
            break r;
        }
    };
    // The last waiting writer leaving empty-handed lets held-back readers in.
    if rw.writers_waiting.fetch_sub(1, SeqCst) == 1 && r != 0 && rw.flags & PREFER_WRITER != 0 {
        rw.release();
    }
    r
}

/// The timed and clock forms check the clock and the time first, even
/// when the lock is free (as glibc), then lock with `f`.
fn timed(
    rw: *mut pthread_rwlock_t,
    clock: clockid_t,
    at: *const timespec,
    f: fn(&pthread_rwlock_t, Wait) -> c_int,
) -> c_int {
    // SAFETY: the caller's time (NULL: no limit) and initialised lock.
    let (rw, at) = unsafe { (&*rw, at.as_ref()) };
    if !(clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC)
        || at.is_some_and(|t| !futex::valid_timespec(t))
    {
        return EINVAL;
    }
    f(rw, Some((at, clock)))
}

/// `pthread_rwlock_init(rw, attr)`: attr NULL is private, readers first.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_init(
    rw: *mut pthread_rwlock_t,
    attr: *const pthread_rwlockattr_t,
) -> c_int {
    let mut flags = 0;
    // SAFETY: attr is NULL or the caller's initialised object.
    if let Some(a) = unsafe { attr.as_ref() } {
        if a.pshared == PTHREAD_PROCESS_SHARED {
            flags |= PSHARED;
        }
        if a.kind == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP {
            flags |= PREFER_WRITER;
        }
    }
    // SAFETY: the caller's object; all of it is written.
    unsafe {
        rw.write(pthread_rwlock_t {
            state: AtomicU32::new(0),
            seq: AtomicU32::new(0),
            waiters: AtomicU32::new(0),
            writers_waiting: AtomicU32::new(0),
            writer: AtomicI32::new(0),
            flags,
            _reserved: [0; RWLOCK_SIZE - 24],
        })
    };
    0
}

/// `pthread_rwlock_destroy(rw)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_rwlock_destroy(_rw: *mut pthread_rwlock_t) -> c_int {
    0
}

/// `pthread_rwlock_rdlock(rw)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_rdlock(rw: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's initialised lock.
    rdlock(unsafe { &*rw }, Some((None, CLOCK_REALTIME)))
}

/// `pthread_rwlock_tryrdlock(rw)`: EBUSY instead of waiting.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_tryrdlock(rw: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's initialised lock.
    rdlock(unsafe { &*rw }, None)
}

/// `pthread_rwlock_timedrdlock(rw, abstime)` on CLOCK_REALTIME.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_timedrdlock(
    rw: *mut pthread_rwlock_t,
    at: *const timespec,
) -> c_int {
    timed(rw, CLOCK_REALTIME, at, rdlock)
}

/// `pthread_rwlock_clockrdlock(rw, clock, abstime)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_clockrdlock(
    rw: *mut pthread_rwlock_t,
    clock: clockid_t,
    at: *const timespec,
) -> c_int {
    timed(rw, clock, at, rdlock)
}

/// `pthread_rwlock_wrlock(rw)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_wrlock(rw: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's initialised lock.
    wrlock(unsafe { &*rw }, Some((None, CLOCK_REALTIME)))
}

/// `pthread_rwlock_trywrlock(rw)`: EBUSY instead of waiting.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_trywrlock(rw: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's initialised lock.
    wrlock(unsafe { &*rw }, None)
}

/// `pthread_rwlock_timedwrlock(rw, abstime)` on CLOCK_REALTIME.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_timedwrlock(
    rw: *mut pthread_rwlock_t,
    at: *const timespec,
) -> c_int {
    timed(rw, CLOCK_REALTIME, at, wrlock)
}

/// `pthread_rwlock_clockwrlock(rw, clock, abstime)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_clockwrlock(
    rw: *mut pthread_rwlock_t,
    clock: clockid_t,
    at: *const timespec,
) -> c_int {
    timed(rw, clock, at, wrlock)
}

/// `pthread_rwlock_unlock(rw)`: the write lock, or one read lock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlock_unlock(rw: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's initialised lock, which it holds.
    let rw = unsafe { &*rw };
    if rw.state.load(Relaxed) & WRITER != 0 {
        rw.writer.store(0, Relaxed);
        rw.state.store(0, Release);
        rw.release();
    } else if rw.state.fetch_sub(1, Release) == 1 {
        rw.release();
    }
    0
}

/// `pthread_rwlockattr_init(a)`: private, readers first.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlockattr_init(a: *mut pthread_rwlockattr_t) -> c_int {
    // SAFETY: the caller's object.
    unsafe {
        a.write(pthread_rwlockattr_t {
            kind: PTHREAD_RWLOCK_PREFER_READER_NP,
            pshared: PTHREAD_PROCESS_PRIVATE,
        })
    };
    0
}

/// `pthread_rwlockattr_destroy(a)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_rwlockattr_destroy(_a: *mut pthread_rwlockattr_t) -> c_int {
    0
}

/// `pthread_rwlockattr_setpshared(a, PTHREAD_PROCESS_*)`: EINVAL otherwise.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlockattr_setpshared(
    a: *mut pthread_rwlockattr_t,
    pshared: c_int,
) -> c_int {
    if let Err(e) = super::pshared_bit(pshared, 1) {
        return e;
    }
    // SAFETY: the caller's initialised object.
    unsafe { (*a).pshared = pshared };
    0
}

/// `pthread_rwlockattr_getpshared(a, &pshared)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlockattr_getpshared(
    a: *const pthread_rwlockattr_t,
    pshared: *mut c_int,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *pshared = (*a).pshared };
    0
}

/// GNU `pthread_rwlockattr_setkind_np(a, PTHREAD_RWLOCK_PREFER_*)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlockattr_setkind_np(
    a: *mut pthread_rwlockattr_t,
    kind: c_int,
) -> c_int {
    if !(PTHREAD_RWLOCK_PREFER_READER_NP..=PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP)
        .contains(&kind)
    {
        return EINVAL;
    }
    // SAFETY: the caller's initialised object.
    unsafe { (*a).kind = kind };
    0
}

/// GNU `pthread_rwlockattr_getkind_np(a, &kind)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_rwlockattr_getkind_np(
    a: *const pthread_rwlockattr_t,
    kind: *mut c_int,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *kind = (*a).kind };
    0
}
