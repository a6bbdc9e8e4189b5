//! sys/resource.h, sys/times.h, sys/sysinfo.h and getloadavg: resource
//! usage (getrusage), limits (getrlimit/setrlimit/prlimit, always through
//! prlimit64: `rlim_t` is 64-bit on both architectures, as glibc's with
//! _FILE_OFFSET_BITS=64), priorities, times, sysinfo, CPU counts.

use crate::arch::{self, nr};
use crate::errno::{EINVAL, set_errno};
use crate::sys::{ret, ret_int};
use crate::{c_int, c_long, c_uint, c_ulong, pid_t, timeval};

/// glibc's `struct rusage`: the two times, then fourteen longs.
#[repr(C)]
pub struct rusage {
    pub ru_utime: timeval,
    pub ru_stime: timeval,
    pub rest: [c_long; 14],
}

/// A 32-bit kernel `struct timeval` (i386's getrusage and itimers) as ours.
pub fn timeval_from32(sec: c_long, usec: c_long) -> timeval {
    timeval {
        tv_sec: sec as i64,
        tv_usec: usec as _,
        ..Default::default()
    }
}

/// `getrusage(who, usage)`: RUSAGE_SELF (0), RUSAGE_CHILDREN (-1),
/// RUSAGE_THREAD (1); EINVAL otherwise (the kernel's answer).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getrusage(who: c_int, usage: *mut rusage) -> c_int {
    if !arch::KERNEL_TIMEVAL_32 {
        return ret_int(syscall!(nr::GETRUSAGE, who, usage));
    }
    let mut k = [0 as c_long; 18];
    let r = syscall!(nr::GETRUSAGE, who, k.as_mut_ptr());
    if r < 0 {
        return ret_int(r);
    }
    // SAFETY: usage is the caller's struct (as glibc, a bad pointer faults
    // here rather than giving EFAULT).
    unsafe {
        (*usage).ru_utime = timeval_from32(k[0], k[1]);
        (*usage).ru_stime = timeval_from32(k[2], k[3]);
        (*usage).rest.copy_from_slice(&k[4..]);
    }
    0
}

/// `struct rlimit`: soft and hard limits, 64-bit (RLIM_INFINITY is all ones).
#[repr(C)]
pub struct rlimit {
    pub rlim_cur: u64,
    pub rlim_max: u64,
}

/// `prlimit(pid, resource, new, old)`: set and/or get a process's limit.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn prlimit(
    pid: pid_t,
    resource: c_int,
    new: *const rlimit,
    old: *mut rlimit,
) -> c_int {
    ret_int(syscall!(nr::PRLIMIT64, pid, resource, new, old))
}

/// `getrlimit(resource, rl)`: this process's limit; EINVAL for a bad resource.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getrlimit(resource: c_int, rl: *mut rlimit) -> c_int {
    // SAFETY: the caller's structure, checked by the kernel.
    unsafe { prlimit(0, resource, core::ptr::null(), rl) }
}

/// `setrlimit(resource, rl)`: EINVAL for a bad resource or soft > hard,
/// EPERM for raising the hard limit unprivileged.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn setrlimit(resource: c_int, rl: *const rlimit) -> c_int {
    // SAFETY: the caller's structure, checked by the kernel.
    unsafe { prlimit(0, resource, rl, core::ptr::null_mut()) }
}

/// `getpriority(which, who)`: the nice value (-20..19); the kernel answers
/// 20 - nice so that it is never negative, and glibc converts back. -1 is
/// both a valid answer and the error return: callers clear errno first.
#[unsafe(no_mangle)]
pub extern "C" fn getpriority(which: c_int, who: c_uint) -> c_int {
    let r = ret(syscall!(nr::GETPRIORITY, which, who));
    if r < 0 { -1 } else { 20 - r as c_int }
}

/// `setpriority(which, who, prio)`: set the nice value (clamped by the kernel).
#[unsafe(no_mangle)]
pub extern "C" fn setpriority(which: c_int, who: c_uint, prio: c_int) -> c_int {
    ret_int(syscall!(nr::SETPRIORITY, which, who, prio))
}

/// `struct tms`: user and system times of the process and its reaped
/// children, in clock ticks.
#[repr(C)]
pub struct tms {
    pub tms_utime: c_long,
    pub tms_stime: c_long,
    pub tms_cutime: c_long,
    pub tms_cstime: c_long,
}

/// `times(buf)`: fill buf; returns the ticks since an arbitrary point.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn times(buf: *mut tms) -> c_long {
    ret(syscall!(nr::TIMES, buf)) as c_long
}

/// `struct sysinfo`, the kernel's (and glibc's) for this architecture.
#[repr(C)]
pub struct sysinfo {
    pub uptime: c_long,
    pub loads: [c_ulong; 3],
    pub totalram: c_ulong,
    pub freeram: c_ulong,
    pub sharedram: c_ulong,
    pub bufferram: c_ulong,
    pub totalswap: c_ulong,
    pub freeswap: c_ulong,
    pub procs: u16,
    pub pad: u16,
    pub totalhigh: c_ulong,
    pub freehigh: c_ulong,
    pub mem_unit: c_uint,
    pub _f: [u8; 20 - 2 * size_of::<c_long>() - size_of::<c_int>()],
}

/// `sysinfo(info)`: uptime, loads, memory and process counts; EFAULT for a
/// bad pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sysinfo(info: *mut sysinfo) -> c_int {
    ret_int(syscall!(nr::SYSINFO, info))
}

/// `getloadavg(loads, n)`: up to three load averages (1, 5, 15 minutes);
/// returns how many were stored, -1 on failure (from sysinfo, whose loads
/// are fixed point with 16 fraction bits; glibc reads /proc/loadavg).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getloadavg(loads: *mut f64, n: c_int) -> c_int {
    if n < 0 {
        set_errno(EINVAL);
        return -1;
    }
    // SAFETY: an all-zero sysinfo is valid; filled by the kernel.
    let mut si: sysinfo = unsafe { core::mem::zeroed() };
    // SAFETY: a local structure.
    if unsafe { sysinfo(&mut si) } < 0 {
        return -1;
    }
    let k = n.min(3) as usize;
    for (i, l) in si.loads.iter().take(k).enumerate() {
        // SAFETY: the caller's array of n doubles.
        unsafe { *loads.add(i) = *l as f64 / 65536.0 };
    }
    k as c_int
}

/// `get_nprocs()`: the CPUs this process may run on (at least 1).
#[unsafe(no_mangle)]
pub extern "C" fn get_nprocs() -> c_int {
    crate::pthread::sched::online_cpus()
}

/// `get_nprocs_conf()`: the CPUs configured; as get_nprocs (no CPU
/// hot-plug on the kernels libc-rs targets).
#[unsafe(no_mangle)]
pub extern "C" fn get_nprocs_conf() -> c_int {
    get_nprocs()
}
