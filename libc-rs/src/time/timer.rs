//! Interval timers (setitimer/getitimer), POSIX timers (timer_create …)
//! and the CPU-time clock ids (clock_getcpuclockid, pthread_getcpuclockid).
//!
//! SIGEV_SIGNAL, SIGEV_NONE and SIGEV_THREAD_ID timers are the kernel's,
//! and their `timer_t` is the kernel's id. SIGEV_THREAD is glibc's design:
//! the kernel timer signals SIGTIMER (32, reserved, below SIGRTMIN) to one
//! helper thread, started on first use (again in a forked child), which
//! waits for it with sigtimedwait and runs the notify function in a new
//! detached thread per expiry. Such a timer's `timer_t` is its record's
//! address shifted right by one with the top bit set (as glibc's), and its
//! record sits in a list the helper looks it up in, under a lock.

use crate::arch::{self, nr};
use crate::errno::{EINVAL, ENOMEM, EOVERFLOW, ESRCH, set_errno};
use crate::lock::Lock;
use crate::pthread::attr::{pthread_attr_init, pthread_attr_setdetachstate, pthread_attr_t};
use crate::pthread::create::{pthread_create, pthread_t};
use crate::stdlib::malloc::{free, malloc};
use crate::sys::ret_int;
use crate::thread::Pthread;
use crate::{c_int, c_long, c_void, clockid_t, pid_t, timespec, timeval};
use core::sync::atomic::{AtomicI32, AtomicPtr, Ordering::*};

/// `struct itimerval`: the reload interval and the time to the next expiry.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct itimerval {
    pub it_interval: timeval,
    pub it_value: timeval,
}

/// Our itimerval as the kernel's 32-bit one (i386); EOVERFLOW when a
/// second count does not fit, as glibc.
fn itimerval_to32(v: &itimerval) -> Result<[c_long; 4], c_int> {
    let mut k = [0 as c_long; 4];
    for (i, tv) in [v.it_interval, v.it_value].iter().enumerate() {
        if tv.tv_sec as c_long as i64 != tv.tv_sec {
            return Err(EOVERFLOW);
        }
        k[2 * i] = tv.tv_sec as c_long;
        k[2 * i + 1] = tv.tv_usec as c_long;
    }
    Ok(k)
}

/// The kernel's 32-bit itimerval (i386) as ours.
fn itimerval_from32(k: &[c_long; 4]) -> itimerval {
    itimerval {
        it_interval: crate::resource::timeval_from32(k[0], k[1]),
        it_value: crate::resource::timeval_from32(k[2], k[3]),
    }
}

/// `setitimer(which, new, old)`: ITIMER_REAL (SIGALRM), ITIMER_VIRTUAL
/// (SIGVTALRM), ITIMER_PROF (SIGPROF); EINVAL for a bad `which` or time.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn setitimer(
    which: c_int,
    new: *const itimerval,
    old: *mut itimerval,
) -> c_int {
    if !arch::KERNEL_TIMEVAL_32 {
        return ret_int(syscall!(nr::SETITIMER, which, new, old));
    }
    // SAFETY: the caller's structures (NULL `new` means zero, as Linux).
    let k = match itimerval_to32(&unsafe { new.as_ref() }.copied().unwrap_or_default()) {
        Ok(k) => k,
        Err(e) => {
            set_errno(e);
            return -1;
        }
    };
    let mut ko = [0 as c_long; 4];
    let r = syscall!(nr::SETITIMER, which, k.as_ptr(), ko.as_mut_ptr());
    if r == 0 && !old.is_null() {
        // SAFETY: the caller's output.
        unsafe { *old = itimerval_from32(&ko) };
    }
    ret_int(r)
}

/// `getitimer(which, cur)`: the time left and the interval.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getitimer(which: c_int, cur: *mut itimerval) -> c_int {
    if !arch::KERNEL_TIMEVAL_32 {
        return ret_int(syscall!(nr::GETITIMER, which, cur));
    }
    let mut k = [0 as c_long; 4];
    let r = syscall!(nr::GETITIMER, which, k.as_mut_ptr());
    if r == 0 {
        // SAFETY: the caller's output.
        unsafe { *cur = itimerval_from32(&k) };
    }
    ret_int(r)
}

const SIGEV_THREAD: c_int = 2;
const SIGEV_THREAD_ID: c_int = 4;
/// The signal the kernel sends the helper thread (glibc's SIGTIMER).
const SIGTIMER: c_int = 32;

/// `struct sigevent` (64 bytes): the value, signal, notify kind, then
/// (SIGEV_THREAD) the function and attributes or (SIGEV_THREAD_ID) a tid.
#[repr(C)]
pub struct sigevent {
    pub value: usize,
    pub signo: c_int,
    pub notify: c_int,
    pub un: [usize; (64 - 8 - size_of::<usize>()) / size_of::<usize>()],
}

/// `struct itimerspec`, the kernel's 64-bit one on both architectures.
#[repr(C)]
pub struct itimerspec {
    pub it_interval: timespec,
    pub it_value: timespec,
}

/// A SIGEV_THREAD timer.
struct ThreadTimer {
    next: AtomicPtr<ThreadTimer>,
    kid: c_int,
    func: usize,
    value: usize,
    attr: pthread_attr_t,
}

/// The SIGEV_THREAD timers, and the lock that guards the list.
static TIMERS: AtomicPtr<ThreadTimer> = AtomicPtr::new(core::ptr::null_mut());
static TIMERS_LOCK: Lock = Lock::new();
/// The helper thread's tid and the process it belongs to (0: none yet).
static HELPER_TID: AtomicI32 = AtomicI32::new(0);
static HELPER_PID: AtomicI32 = AtomicI32::new(0);
static HELPER_START: Lock = Lock::new();

/// A thread timer's `timer_t` and back (the top bit tells them apart).
fn encode(t: *mut ThreadTimer) -> usize {
    (t as usize >> 1) | (1 << (usize::BITS - 1))
}

/// The record of a SIGEV_THREAD `timer_t`, or None for a kernel id.
fn decode(t: usize) -> Option<*mut ThreadTimer> {
    ((t as isize) < 0).then_some((t << 1) as *mut ThreadTimer)
}

/// The kernel's id behind a `timer_t`.
fn kernel_id(t: usize) -> c_int {
    match decode(t) {
        // SAFETY: a live record (using a deleted timer_t is the caller's bug).
        Some(p) => unsafe { (*p).kid },
        None => t as c_int,
    }
}

/// A notify call to run in its own thread: the function and its argument.
/// It runs with no signal blocked (the helper it inherits from blocks
/// all), as glibc's.
extern "C" fn notify_thread(arg: *mut c_void) -> *mut c_void {
    crate::signal::swap_signal_mask(0);
    // SAFETY: arg is the two-word block the helper allocated for us.
    let (func, value) = unsafe {
        let w = arg as *mut usize;
        let r = (*w, *w.add(1));
        free(arg);
        r
    };
    // SAFETY: func is the sigev_notify_function the timer was created with.
    let f: extern "C" fn(usize) = unsafe { core::mem::transmute(func) };
    f(value);
    core::ptr::null_mut()
}

/// The helper: wait for SIGTIMER, find the timer by the value it carries,
/// start a thread running its function.
extern "C" fn helper(_: *mut c_void) -> *mut c_void {
    let set: u64 = 1 << (SIGTIMER - 1);
    // siginfo_t: the sigval follows si_timerid and si_overrun in the union,
    // which starts at 12 rounded up to a pointer's alignment.
    let value_at = 12usize.next_multiple_of(size_of::<usize>()) + 8;
    loop {
        let mut info = [0usize; 128 / size_of::<usize>()];
        let r = syscall!(
            arch::RT_SIGTIMEDWAIT_NR,
            &raw const set,
            info.as_mut_ptr(),
            0,
            8
        );
        if r != SIGTIMER as isize {
            continue;
        }
        let t = info[value_at / size_of::<usize>()] as *mut ThreadTimer;
        TIMERS_LOCK.lock();
        let mut p = TIMERS.load(Relaxed);
        // SAFETY: the list's records are live while we hold the lock.
        while !p.is_null() && p != t {
            p = unsafe { (*p).next.load(Relaxed) };
        }
        let found = (!p.is_null()).then(|| {
            // SAFETY: as above; the copy of the attributes is plain data.
            unsafe { ((*p).func, (*p).value, core::ptr::read(&(*p).attr)) }
        });
        TIMERS_LOCK.unlock();
        let Some((func, value, attr)) = found else {
            continue;
        };
        // SAFETY: a fresh block of two words for notify_thread, which frees it.
        unsafe {
            let arg = malloc(2 * size_of::<usize>()) as *mut usize;
            if arg.is_null() {
                continue;
            }
            *arg = func;
            *arg.add(1) = value;
            let mut th: pthread_t = 0;
            if pthread_create(&mut th, &attr, notify_thread, arg as *mut c_void) != 0 {
                free(arg as *mut c_void);
            }
        }
    }
}

/// Start the helper thread if this process has none; returns its tid or
/// an error number. It starts with every signal blocked.
fn helper_tid() -> Result<pid_t, c_int> {
    let pid = crate::unistd::misc::getpid();
    HELPER_START.lock();
    if HELPER_PID.load(Relaxed) != pid {
        // SAFETY: local attributes and thread handle.
        let r = unsafe {
            let mut attr: pthread_attr_t = core::mem::zeroed();
            pthread_attr_init(&mut attr);
            pthread_attr_setdetachstate(&mut attr, 1);
            let old = crate::signal::swap_signal_mask(!0);
            let mut th: pthread_t = 0;
            let r = pthread_create(&mut th, &attr, helper, core::ptr::null_mut());
            crate::signal::swap_signal_mask(old);
            if r == 0 {
                // CLONE_PARENT_SETTID wrote the tid before pthread_create returned.
                HELPER_TID.store((*(th as *const Pthread)).tid, Relaxed);
                HELPER_PID.store(pid, Relaxed);
            }
            r
        };
        if r != 0 {
            HELPER_START.unlock();
            return Err(r);
        }
    }
    HELPER_START.unlock();
    Ok(HELPER_TID.load(Relaxed))
}

/// `timer_create(clk, sev, id)`: a POSIX timer on clk (a wall clock or a
/// CPU-time clock); sev NULL means SIGEV_SIGNAL with SIGALRM and the id as
/// its value. EINVAL for a bad clock or sigevent.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn timer_create(
    clk: clockid_t,
    sev: *const sigevent,
    id: *mut usize,
) -> c_int {
    // SAFETY: the caller's sigevent, or NULL.
    let ev = unsafe { sev.as_ref() };
    let Some(ev) = ev.filter(|e| e.notify == SIGEV_THREAD) else {
        let mut kid: c_int = 0;
        let r = ret_int(syscall!(nr::TIMER_CREATE, clk, sev, &raw mut kid));
        if r == 0 {
            // SAFETY: the caller's output.
            unsafe { *id = kid as usize };
        }
        return r;
    };
    let tid = match helper_tid() {
        Ok(t) => t,
        Err(e) => {
            set_errno(e);
            return -1;
        }
    };
    // SAFETY: a fresh record, filled before anyone else sees it.
    unsafe {
        let t = malloc(size_of::<ThreadTimer>()) as *mut ThreadTimer;
        if t.is_null() {
            set_errno(ENOMEM);
            return -1;
        }
        let attr = &raw mut (*t).attr;
        match (ev.un[1] as *const pthread_attr_t).as_ref() {
            Some(a) => core::ptr::copy_nonoverlapping(a, attr, 1),
            None => {
                pthread_attr_init(attr);
            }
        }
        pthread_attr_setdetachstate(attr, 1);
        (*t).func = ev.un[0];
        (*t).value = ev.value;
        let mut k = sigevent {
            value: t as usize,
            signo: SIGTIMER,
            notify: SIGEV_THREAD_ID,
            un: [0; (64 - 8 - size_of::<usize>()) / size_of::<usize>()],
        };
        k.un[0] = tid as usize;
        let r = syscall!(nr::TIMER_CREATE, clk, &raw const k, &raw mut (*t).kid);
        if r < 0 {
            free(t as *mut c_void);
            return ret_int(r);
        }
        TIMERS_LOCK.lock();
        (&raw mut (*t).next).write(AtomicPtr::new(TIMERS.load(Relaxed)));
        TIMERS.store(t, Relaxed);
        TIMERS_LOCK.unlock();
        *id = encode(t);
    }
    0
}

/// `timer_settime(id, flags, new, old)`: arm (it_value ≠ 0, relative or
/// with TIMER_ABSTIME absolute) or disarm; the previous setting in *old.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn timer_settime(
    id: usize,
    flags: c_int,
    new: *const itimerspec,
    old: *mut itimerspec,
) -> c_int {
    ret_int(syscall!(
        arch::TIMER_SETTIME_NR,
        kernel_id(id),
        flags,
        new,
        old
    ))
}

/// `timer_gettime(id, cur)`: the time to the next expiry and the interval.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn timer_gettime(id: usize, cur: *mut itimerspec) -> c_int {
    ret_int(syscall!(arch::TIMER_GETTIME_NR, kernel_id(id), cur))
}

/// `timer_getoverrun(id)`: the expiries lost before the last signal was
/// taken.
#[unsafe(no_mangle)]
pub extern "C" fn timer_getoverrun(id: usize) -> c_int {
    ret_int(syscall!(nr::TIMER_GETOVERRUN, kernel_id(id)))
}

/// `timer_delete(id)`: disarm and free the timer.
#[unsafe(no_mangle)]
pub extern "C" fn timer_delete(id: usize) -> c_int {
    let r = ret_int(syscall!(nr::TIMER_DELETE, kernel_id(id)));
    if let (0, Some(t)) = (r, decode(id)) {
        TIMERS_LOCK.lock();
        let mut link = &TIMERS;
        // SAFETY: the list's records are live while we hold the lock; t
        // is unlinked before it is freed.
        unsafe {
            loop {
                let p = link.load(Relaxed);
                if p.is_null() {
                    break;
                }
                if p == t {
                    link.store((*p).next.load(Relaxed), Relaxed);
                    break;
                }
                link = &(*p).next;
            }
        }
        TIMERS_LOCK.unlock();
        // SAFETY: unlinked above; the helper copies what it needs under the lock.
        unsafe { free(t as *mut c_void) };
    }
    r
}

/// Linux's CPU-clock id: `~id << 3 | how` (CPUCLOCK_SCHED = 2; +4 for a thread).
fn cpu_clock(id: pid_t, thread: bool) -> clockid_t {
    (!id << 3) | 2 | if thread { 4 } else { 0 }
}

/// `clock_getcpuclockid(pid, clk)`: the CPU-time clock of process pid (0:
/// this one); returns ESRCH when there is no such process.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn clock_getcpuclockid(pid: pid_t, clk: *mut clockid_t) -> c_int {
    let c = cpu_clock(pid, false);
    // The raw call: this function reports errors by its result, not errno.
    match -syscall!(arch::CLOCK_GETRES_NR, c, 0) as c_int {
        0 => {
            // SAFETY: the caller's output.
            unsafe { *clk = c };
            0
        }
        EINVAL => ESRCH,
        e => e,
    }
}

/// `pthread_getcpuclockid(thread, clk)`: that thread's CPU-time clock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_getcpuclockid(thread: pthread_t, clk: *mut clockid_t) -> c_int {
    // SAFETY: a live thread's descriptor and the caller's output.
    unsafe { *clk = cpu_clock((*(thread as *const Pthread)).tid, true) };
    0
}
