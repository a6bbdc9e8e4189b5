//! sched.h: sched_yield, sched_getaffinity, sched_getcpu, and the
//! `__sched_cpucount` behind CPU_COUNT (glibc's name); `clone` itself is in
//! `arch::*::clone`.

use crate::arch::nr;
use crate::sys::ret_int;
use crate::{c_int, c_ulong, pid_t, size_t};

/// `cpu_set_t`: 1024 CPUs, as glibc.
#[repr(C)]
pub struct cpu_set_t {
    bits: [c_ulong; 1024 / c_ulong::BITS as usize],
}

/// `sched_yield()`: let other threads run; 0.
#[unsafe(no_mangle)]
pub extern "C" fn sched_yield() -> c_int {
    ret_int(syscall!(nr::SCHED_YIELD))
}

/// `sched_getaffinity(pid, size, set)`: the CPUs `pid` (0: the calling
/// thread) may run on; bytes the kernel did not fill are zeroed (glibc).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sched_getaffinity(pid: pid_t, size: size_t, set: *mut cpu_set_t) -> c_int {
    let r = syscall!(nr::SCHED_GETAFFINITY, pid, size, set);
    if r >= 0 {
        // SAFETY: the caller's set is `size` bytes; the kernel wrote r of them.
        unsafe {
            crate::string::mem::memset(
                (set as *mut u8).add(r as usize) as *mut _,
                0,
                size - r as usize,
            )
        };
        return 0;
    }
    ret_int(r)
}

/// `sched_getcpu()`: the CPU the caller runs on, or -1 with errno.
#[unsafe(no_mangle)]
pub extern "C" fn sched_getcpu() -> c_int {
    let mut cpu: u32 = 0;
    let r = syscall!(nr::GETCPU, &raw mut cpu, 0, 0);
    if r < 0 { ret_int(r) } else { cpu as c_int }
}

/// `__sched_cpucount(size, set)`: CPU_COUNT, the number of CPUs in the set.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __sched_cpucount(size: size_t, set: *const cpu_set_t) -> c_int {
    // SAFETY: the caller's set of `size` bytes.
    let bytes = unsafe { core::slice::from_raw_parts(set as *const u8, size) };
    bytes.iter().map(|b| b.count_ones() as c_int).sum()
}

/// How many CPUs this thread may run on (sysconf's _SC_NPROCESSORS_*); 1
/// if the kernel will not say.
pub fn online_cpus() -> c_int {
    let mut set = cpu_set_t {
        bits: [0; 1024 / c_ulong::BITS as usize],
    };
    // The raw call: sysconf must not touch errno when it succeeds.
    if syscall!(
        nr::SCHED_GETAFFINITY,
        0,
        size_of::<cpu_set_t>(),
        &raw mut set
    ) < 0
    {
        return 1;
    }
    // SAFETY: a local, fully initialised set of that size.
    unsafe { __sched_cpucount(size_of::<cpu_set_t>(), &set).max(1) }
}
