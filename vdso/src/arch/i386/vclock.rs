//! vdso32's exports: Linux's i386 vDSO ABI. The historical entry points
//! take 32-bit `time_t` structures (and, like Linux's, truncate seconds
//! after 2038); the `*_time64` ones take `struct __kernel_timespec`.

use super::{NR_CLOCK_GETRES, NR_CLOCK_GETRES_TIME64, NR_CLOCK_GETTIME, NR_CLOCK_GETTIME64};
use crate::vclock::{self, Timezone};
use core::ffi::c_void;
use vdso_data::KernelTimespec;

/// Linux's `struct old_timespec32`.
#[repr(C)]
pub struct OldTimespec32 {
    pub tv_sec: i32,
    pub tv_nsec: i32,
}

/// Linux's `struct old_timeval32`.
#[repr(C)]
pub struct OldTimeval32 {
    pub tv_sec: i32,
    pub tv_usec: i32,
}

/// A timespec narrowed to the 32-bit ABI.
fn old_timespec32(t: KernelTimespec) -> OldTimespec32 {
    OldTimespec32 {
        tv_sec: t.tv_sec as i32,
        tv_nsec: t.tv_nsec as i32,
    }
}

/// `clock_gettime(2)` with a 32-bit timespec: 0, or -errno from the
/// clock_gettime syscall it falls back to.
///
/// # Safety
/// `ts` is NULL or valid for writes (NULL gets the syscall's -EFAULT).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_clock_gettime(clock: i32, ts: *mut OldTimespec32) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe {
        vclock::answer(
            NR_CLOCK_GETTIME,
            clock,
            ts,
            vclock::clock_gettime(clock),
            old_timespec32,
        )
    }
}

/// `clock_gettime64`: 0, or -errno from the clock_gettime64 syscall.
///
/// # Safety
/// `ts` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_clock_gettime64(clock: i32, ts: *mut KernelTimespec) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe {
        vclock::answer(
            NR_CLOCK_GETTIME64,
            clock,
            ts,
            vclock::clock_gettime(clock),
            |t| t,
        )
    }
}

/// `gettimeofday(2)` with a 32-bit timeval.
///
/// # Safety
/// `tv` and `tz` are each NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_gettimeofday(tv: *mut OldTimeval32, tz: *mut Timezone) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe {
        vclock::gettimeofday(tv, tz, |sec, usec| OldTimeval32 {
            tv_sec: sec as i32,
            tv_usec: usec as i32,
        })
    }
}

/// `time(2)` with a 32-bit time_t, also stored through `t`.
///
/// # Safety
/// `t` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_time(t: *mut i32) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe { vclock::time(t, |s| s as i32) }
}

/// `clock_getres(2)` with a 32-bit timespec.
///
/// # Safety
/// `res` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_clock_getres(clock: i32, res: *mut OldTimespec32) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe {
        vclock::answer(
            NR_CLOCK_GETRES,
            clock,
            res,
            vclock::clock_getres(clock),
            old_timespec32,
        )
    }
}

/// `clock_getres_time64`.
///
/// # Safety
/// `res` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_clock_getres_time64(clock: i32, res: *mut KernelTimespec) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe {
        vclock::answer(
            NR_CLOCK_GETRES_TIME64,
            clock,
            res,
            vclock::clock_getres(clock),
            |t| t,
        )
    }
}

/// `getcpu(2)`: 0, with the CPU and NUMA node stored where asked.
///
/// # Safety
/// `cpu` and `node` are each NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_getcpu(
    cpu: *mut u32,
    node: *mut u32,
    _cache: *mut c_void,
) -> isize {
    // SAFETY: forwarded from our caller.
    unsafe { vclock::getcpu(cpu, node) }
}
