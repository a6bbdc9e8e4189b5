//! The rest of pthread.h: cleanup handlers (`pthread_cleanup_push`/`pop`
//! are macros over `_pthread_cleanup_push`/`_pthread_cleanup_pop`, as in
//! glibc and musl), pthread_sigmask, pthread_kill, spin locks and barriers.

use super::create::pthread_t;
use super::mutex::{PTHREAD_PROCESS_PRIVATE, PTHREAD_PROCESS_SHARED};
use crate::errno::{EBUSY, EINVAL, ESRCH, errno, set_errno};
use crate::signal::{sigprocmask, sigset_t};
use crate::thread::{Pthread, current};
use crate::{c_int, c_uint, c_void, futex};
use core::sync::atomic::{AtomicU32, Ordering::*};

/// A `pthread_cleanup_push` record, on the pushing function's stack.
#[repr(C)]
pub struct Cleanup {
    f: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
    next: *mut Cleanup,
}

/// What `pthread_cleanup_push(f, arg)` expands to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _pthread_cleanup_push(
    c: *mut Cleanup,
    f: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
) {
    let me = current();
    // SAFETY: c is the macro's record, live until the matching pop.
    unsafe {
        c.write(Cleanup {
            f,
            arg,
            next: (*me).cleanup,
        });
        (*me).cleanup = c;
    }
}

/// What `pthread_cleanup_pop(execute)` expands to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _pthread_cleanup_pop(c: *mut Cleanup, execute: c_int) {
    // SAFETY: c is the innermost record (the macros nest lexically).
    unsafe {
        (*current()).cleanup = (*c).next;
        if execute != 0 {
            ((*c).f)((*c).arg);
        }
    }
}

/// At pthread_exit: the calling thread's handlers still pushed, innermost
/// first.
pub fn run_cleanup_handlers() {
    let me = current();
    // SAFETY: the records live on frames pthread_exit will never return to.
    unsafe {
        while let Some(c) = (*me).cleanup.as_ref() {
            (*me).cleanup = c.next;
            (c.f)(c.arg);
        }
    }
}

/// `pthread_sigmask(how, set, old)`: sigprocmask for the calling thread,
/// returning the error number (EINVAL for a bad `how`) instead of -1.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_sigmask(
    how: c_int,
    set: *const sigset_t,
    old: *mut sigset_t,
) -> c_int {
    let saved = errno();
    // SAFETY: the caller's sets or NULL.
    let r = unsafe { sigprocmask(how, set, old) };
    let e = if r < 0 { errno() } else { 0 };
    set_errno(saved);
    e
}

/// `pthread_kill(t, sig)`: tgkill to that thread; ESRCH once it has ended
/// (its tid is cleared), EINVAL for a bad signal; 0 checks existence.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_kill(t: pthread_t, sig: c_int) -> c_int {
    // SAFETY: t is a thread of this process, not yet joined (POSIX).
    let tid = unsafe { (*(t as *mut Pthread)).tid };
    if tid == 0 {
        return ESRCH;
    }
    let pid = syscall!(crate::arch::nr::GETPID);
    -syscall!(crate::arch::nr::TGKILL, pid, tid, sig) as c_int
}

/// `pthread_spinlock_t`: 0 free, 1 held.
pub type pthread_spinlock_t = c_int;

/// The spin lock's word as an atomic.
fn spin_word<'a>(s: *mut pthread_spinlock_t) -> &'a AtomicU32 {
    // SAFETY: the caller's spin lock, only ever used atomically.
    unsafe { AtomicU32::from_ptr(s as *mut u32) }
}

/// `pthread_spin_init(s, pshared)`: free.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_spin_init(s: *mut pthread_spinlock_t, _pshared: c_int) -> c_int {
    spin_word(s).store(0, Release);
    0
}

/// `pthread_spin_destroy(s)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_spin_destroy(_s: *mut pthread_spinlock_t) -> c_int {
    0
}

/// `pthread_spin_lock(s)`: spins (reading, then trying) until free.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_spin_lock(s: *mut pthread_spinlock_t) -> c_int {
    let w = spin_word(s);
    while w.swap(1, Acquire) != 0 {
        while w.load(Relaxed) != 0 {
            core::hint::spin_loop();
        }
    }
    0
}

/// `pthread_spin_trylock(s)`: EBUSY if held.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_spin_trylock(s: *mut pthread_spinlock_t) -> c_int {
    if spin_word(s).swap(1, Acquire) == 0 {
        0
    } else {
        EBUSY
    }
}

/// `pthread_spin_unlock(s)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_spin_unlock(s: *mut pthread_spinlock_t) -> c_int {
    spin_word(s).store(0, Release);
    0
}

pub const PTHREAD_BARRIER_SERIAL_THREAD: c_int = -1;

/// `pthread_barrier_t` (glibc's size: 32 bytes on x86_64, 20 on i386).
#[repr(C)]
pub struct pthread_barrier_t {
    count: AtomicU32,
    arrived: AtomicU32,
    /// Bumped when a round completes; the futex word waiters sleep on.
    round: AtomicU32,
    shared: AtomicU32,
    _reserved: [u8; BARRIER_SIZE - 16],
}

const BARRIER_SIZE: usize = if size_of::<usize>() == 8 { 32 } else { 20 };
const _: () = assert!(size_of::<pthread_barrier_t>() == BARRIER_SIZE);

/// `pthread_barrierattr_t`: the pshared flag.
pub type pthread_barrierattr_t = c_int;

/// `pthread_barrier_init(b, attr, count)`: EINVAL for a count of 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_barrier_init(
    b: *mut pthread_barrier_t,
    attr: *const pthread_barrierattr_t,
    count: c_uint,
) -> c_int {
    if count == 0 {
        return EINVAL;
    }
    // SAFETY: attr is NULL or the caller's; b is the caller's object.
    unsafe {
        let shared = !attr.is_null() && *attr == PTHREAD_PROCESS_SHARED;
        b.write(pthread_barrier_t {
            count: AtomicU32::new(count),
            arrived: AtomicU32::new(0),
            round: AtomicU32::new(0),
            shared: AtomicU32::new(shared as u32),
            _reserved: [0; BARRIER_SIZE - 16],
        })
    };
    0
}

/// `pthread_barrier_destroy(b)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_barrier_destroy(_b: *mut pthread_barrier_t) -> c_int {
    0
}

/// `pthread_barrier_wait(b)`: blocks until `count` threads have called it;
/// one of them gets PTHREAD_BARRIER_SERIAL_THREAD, the others 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_barrier_wait(b: *mut pthread_barrier_t) -> c_int {
    // SAFETY: the caller's initialised barrier.
    let b = unsafe { &*b };
    let shared = b.shared.load(Relaxed) != 0;
    // The round cannot end before we arrive, so this is our round; the
    // next one cannot start before `arrived` is reset (its threads wait
    // for the new round number, stored after the reset).
    let round = b.round.load(Acquire);
    if b.arrived.fetch_add(1, AcqRel) + 1 == b.count.load(Relaxed) {
        b.arrived.store(0, Relaxed);
        b.round.store(round.wrapping_add(1), Release);
        futex::wake(&b.round, i32::MAX, shared);
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    while b.round.load(Acquire) == round {
        futex::wait(&b.round, round, shared);
    }
    0
}

/// `pthread_barrierattr_init(a)`: private.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_barrierattr_init(a: *mut pthread_barrierattr_t) -> c_int {
    // SAFETY: the caller's object.
    unsafe { *a = PTHREAD_PROCESS_PRIVATE };
    0
}

/// `pthread_barrierattr_destroy(a)`.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_barrierattr_destroy(_a: *mut pthread_barrierattr_t) -> c_int {
    0
}

/// `pthread_barrierattr_setpshared(a, PTHREAD_PROCESS_*)`: EINVAL otherwise.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_barrierattr_setpshared(
    a: *mut pthread_barrierattr_t,
    pshared: c_int,
) -> c_int {
    if let Err(e) = super::pshared_bit(pshared, 1) {
        return e;
    }
    // SAFETY: the caller's object.
    unsafe { *a = pshared };
    0
}

/// `pthread_barrierattr_getpshared(a, &pshared)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_barrierattr_getpshared(
    a: *const pthread_barrierattr_t,
    pshared: *mut c_int,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *pshared = *a };
    0
}
