//! time.h: `clock_gettime`, `gettimeofday`, `time` through the vDSO with a
//! syscall fallback; `nanosleep`, `clock_nanosleep`, `sleep`, `usleep`,
//! `clock_getres`. The calendar (`struct tm`, gmtime, mktime, asctime …) is
//! in [`calendar`], strftime in [`strftime`].

pub mod calendar;
pub mod strftime;
pub mod timer;

use crate::arch;
use crate::errno::{EINTR, EINVAL, ENOSYS, errno, set_errno};
use crate::sys::{raw6, ret_int};
use crate::vdso;
use crate::{c_int, c_uint, clockid_t, time_t, timespec, timeval, timezone};
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub const CLOCK_REALTIME: clockid_t = 0;
pub const CLOCK_MONOTONIC: clockid_t = 1;

static VDSO_CGT: AtomicUsize = AtomicUsize::new(0);
static VDSO_GTOD: AtomicUsize = AtomicUsize::new(0);
static VDSO_TIME: AtomicUsize = AtomicUsize::new(0);

type CgtFn = unsafe extern "C" fn(clockid_t, *mut timespec) -> isize;
type GtodFn = unsafe extern "C" fn(*mut timeval, *mut timezone) -> isize;
type TimeFn = unsafe extern "C" fn(*mut time_t) -> time_t;

/// Resolve the LINUX_2.6 time functions (startup stage 4).
pub fn init_vdso() {
    VDSO_CGT.store(
        vdso::lookup(arch::VDSO_CLOCK_GETTIME, b"LINUX_2.6"),
        Relaxed,
    );
    if let Some(n) = arch::VDSO_GETTIMEOFDAY {
        VDSO_GTOD.store(vdso::lookup(n, b"LINUX_2.6"), Relaxed);
    }
    if let Some(n) = arch::VDSO_TIME {
        VDSO_TIME.store(vdso::lookup(n, b"LINUX_2.6"), Relaxed);
    }
}

/// Which time path is in use, for tests: bit 0 clock_gettime, bit 1
/// gettimeofday, bit 2 time come from the vDSO. Declared in `<forkline.h>`.
#[unsafe(no_mangle)]
pub extern "C" fn __fl_vdso_time_functions() -> c_int {
    (VDSO_CGT.load(Relaxed) != 0) as c_int
        | ((VDSO_GTOD.load(Relaxed) != 0) as c_int) << 1
        | ((VDSO_TIME.load(Relaxed) != 0) as c_int) << 2
}

/// A (clock, timespec) syscall with its 32-bit-time fallback for kernels
/// without the time64 one. Returns 0 or -errno.
fn clock_call(nr: usize, old: Option<usize>, clk: clockid_t, ts: *mut timespec) -> isize {
    let r = raw6(nr, clk as usize, ts as usize, 0, 0, 0, 0);
    if let (true, Some(old)) = (r == -(ENOSYS as isize), old) {
        let mut t32 = [0i32; 2];
        let r = raw6(old, clk as usize, t32.as_mut_ptr() as usize, 0, 0, 0, 0);
        if r == 0 && !ts.is_null() {
            // SAFETY: ts is the caller's output.
            unsafe {
                *ts = timespec {
                    tv_sec: t32[0] as time_t,
                    tv_nsec: t32[1] as _,
                    ..Default::default()
                }
            };
        }
        return r;
    }
    r
}

/// The raw clock_gettime: the vDSO, else the syscall. Returns 0 or -errno.
fn clock_gettime_raw(clk: clockid_t, ts: *mut timespec) -> isize {
    let f = VDSO_CGT.load(Relaxed);
    if f != 0 {
        // SAFETY: f is the vDSO's clock_gettime with the matching timespec.
        return unsafe { core::mem::transmute::<usize, CgtFn>(f)(clk, ts) };
    }
    clock_call(arch::CLOCK_GETTIME_NR, arch::OLD_CLOCK_GETTIME_NR, clk, ts)
}

/// `clock_gettime(clk, ts)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn clock_gettime(clk: clockid_t, ts: *mut timespec) -> c_int {
    ret_int(clock_gettime_raw(clk, ts))
}

/// `clock_getres(clk, res)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn clock_getres(clk: clockid_t, res: *mut timespec) -> c_int {
    ret_int(clock_call(
        arch::CLOCK_GETRES_NR,
        arch::OLD_CLOCK_GETRES_NR,
        clk,
        res,
    ))
}

/// `gettimeofday(tv, tz)`: the vDSO's when it has a 64-bit one, otherwise
/// from clock_gettime(CLOCK_REALTIME). `tz` is filled with zeros.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gettimeofday(tv: *mut timeval, tz: *mut timezone) -> c_int {
    let f = VDSO_GTOD.load(Relaxed);
    if f != 0 {
        // SAFETY: the vDSO's gettimeofday with matching structures.
        return ret_int(unsafe { core::mem::transmute::<usize, GtodFn>(f)(tv, tz) });
    }
    let mut ts = timespec::default();
    let r = clock_gettime_raw(CLOCK_REALTIME, &mut ts);
    if r != 0 {
        return ret_int(r);
    }
    // SAFETY: caller's outputs, either may be NULL.
    unsafe {
        if !tv.is_null() {
            *tv = timeval {
                tv_sec: ts.tv_sec,
                tv_usec: (ts.tv_nsec / 1000) as _,
                ..Default::default()
            };
        }
        if !tz.is_null() {
            *tz = timezone {
                tz_minuteswest: 0,
                tz_dsttime: 0,
            };
        }
    }
    0
}

/// `time(t)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn time(t: *mut time_t) -> time_t {
    let f = VDSO_TIME.load(Relaxed);
    let now = if f != 0 {
        // SAFETY: the vDSO's time().
        unsafe { core::mem::transmute::<usize, TimeFn>(f)(core::ptr::null_mut()) }
    } else {
        let mut ts = timespec::default();
        clock_gettime_raw(CLOCK_REALTIME, &mut ts);
        ts.tv_sec
    };
    if !t.is_null() {
        // SAFETY: caller's output.
        unsafe { *t = now };
    }
    now
}

/// clock_nanosleep returning the error number (POSIX convention).
fn nanosleep_raw(clk: clockid_t, flags: c_int, req: *const timespec, rem: *mut timespec) -> c_int {
    // SAFETY: the caller's pointers; read only if valid.
    let r = raw6(
        arch::CLOCK_NANOSLEEP_NR,
        clk as usize,
        flags as usize,
        req as usize,
        rem as usize,
        0,
        0,
    );
    if r == -(ENOSYS as isize) {
        if let Some(old) = arch::OLD_CLOCK_NANOSLEEP_NR {
            // SAFETY: req is the caller's request.
            let q = unsafe { *req };
            if q.tv_sec > i32::MAX as time_t {
                return EINVAL;
            }
            let t32 = [q.tv_sec as i32, q.tv_nsec as i32];
            let mut r32 = [0i32; 2];
            let r = raw6(
                old,
                clk as usize,
                flags as usize,
                t32.as_ptr() as usize,
                r32.as_mut_ptr() as usize,
                0,
                0,
            );
            if r == -(EINTR as isize) && !rem.is_null() {
                // SAFETY: caller's output.
                unsafe {
                    *rem = timespec {
                        tv_sec: r32[0] as time_t,
                        tv_nsec: r32[1] as _,
                        ..Default::default()
                    }
                };
            }
            return -r as c_int;
        }
    }
    -r as c_int
}

/// `clock_nanosleep(clk, flags, req, rem)`: returns the error number.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn clock_nanosleep(
    clk: clockid_t,
    flags: c_int,
    req: *const timespec,
    rem: *mut timespec,
) -> c_int {
    nanosleep_raw(clk, flags, req, rem)
}

/// `nanosleep(req, rem)`: -1 with errno (EINTR, EINVAL) on failure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nanosleep(req: *const timespec, rem: *mut timespec) -> c_int {
    match nanosleep_raw(CLOCK_REALTIME, 0, req, rem) {
        0 => 0,
        e => {
            set_errno(e);
            -1
        }
    }
}

/// `sleep(seconds)`: the seconds left when interrupted, else 0.
#[unsafe(no_mangle)]
pub extern "C" fn sleep(seconds: c_uint) -> c_uint {
    let req = timespec {
        tv_sec: seconds as time_t,
        ..Default::default()
    };
    let mut rem = timespec::default();
    // SAFETY: local structures.
    if unsafe { nanosleep(&req, &mut rem) } == 0 {
        return 0;
    }
    if errno() == EINTR {
        (rem.tv_sec + (rem.tv_nsec != 0) as time_t) as c_uint
    } else {
        0
    }
}

/// `usleep(usec)`.
#[unsafe(no_mangle)]
pub extern "C" fn usleep(usec: crate::useconds_t) -> c_int {
    let req = timespec {
        tv_sec: (usec / 1_000_000) as time_t,
        tv_nsec: ((usec % 1_000_000) * 1000) as _,
        ..Default::default()
    };
    // SAFETY: local structure.
    unsafe { nanosleep(&req, core::ptr::null_mut()) }
}
