//! vdso64's exports: Linux's x86_64 vDSO ABI (64-bit time_t everywhere),
//! each `__vdso_*` function also under its plain name as a weak alias, as
//! Linux's vdso64 has them for libcs that look up `clock_gettime` & co.

use super::{NR_CLOCK_GETRES, NR_CLOCK_GETTIME};
use crate::vclock::{self, Timezone};
use core::ffi::c_void;
use vdso_data::KernelTimespec;

/// Linux's x86_64 `struct timeval`.
#[repr(C)]
pub struct Timeval {
    pub tv_sec: i64,
    pub tv_usec: i64,
}

// The plain names. The aliases must sit in the same object file as their
// targets, which is why they are here beside the functions.
core::arch::global_asm!(
    ".weak clock_gettime",
    ".type clock_gettime, @function",
    ".set clock_gettime, __vdso_clock_gettime",
    ".weak gettimeofday",
    ".type gettimeofday, @function",
    ".set gettimeofday, __vdso_gettimeofday",
    ".weak time",
    ".type time, @function",
    ".set time, __vdso_time",
    ".weak getcpu",
    ".type getcpu, @function",
    ".set getcpu, __vdso_getcpu",
    ".weak clock_getres",
    ".type clock_getres, @function",
    ".set clock_getres, __vdso_clock_getres",
);

/// `clock_gettime(2)`: 0, or -errno from the syscall it falls back to.
///
/// # Safety
/// `ts` is NULL or valid for writes (NULL gets the syscall's -EFAULT).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_clock_gettime(clock: i32, ts: *mut KernelTimespec) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe {
        vclock::answer(
            NR_CLOCK_GETTIME,
            clock,
            ts,
            vclock::clock_gettime(clock),
            |t| t,
        )
    }
}

/// `gettimeofday(2)`: 0, or -errno from the syscall it falls back to.
///
/// # Safety
/// `tv` and `tz` are each NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_gettimeofday(tv: *mut Timeval, tz: *mut Timezone) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe { vclock::gettimeofday(tv, tz, |tv_sec, tv_usec| Timeval { tv_sec, tv_usec }) }
}

/// `time(2)`: seconds since the epoch, also stored through `t`.
///
/// # Safety
/// `t` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_time(t: *mut i64) -> i64 {
    // SAFETY: forwarded from our caller.
    unsafe { vclock::time(t, |s| s) }
}

/// `clock_getres(2)`: 0, or -errno from the syscall it falls back to.
///
/// # Safety
/// `res` is NULL or valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vdso_clock_getres(clock: i32, res: *mut KernelTimespec) -> i32 {
    // SAFETY: forwarded from our caller.
    unsafe {
        vclock::answer(
            NR_CLOCK_GETRES,
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
