//! What both vDSOs' time and CPU functions share: the vvar reads, the
//! fallback rule, and the Linux ABI structures that have one shape on i386
//! and x86_64. Each `arch::vclock` instantiates these for its own types and
//! exports them under Linux's names.

use crate::{arch, x86};
use vdso_data::{CLOCK_REALTIME, KernelTimespec, NSEC_PER_USEC, VvarPage};

/// Linux's `struct timezone`.
#[repr(C)]
pub struct Timezone {
    pub tz_minuteswest: i32,
    pub tz_dsttime: i32,
}

/// The vvar page the kernel maps below this image.
#[inline(always)]
pub fn vvar() -> &'static VvarPage {
    // SAFETY: the kernel maps a VvarPage there, read-only, for the life of
    // the process; its fields are interior-mutable, so a shared reference
    // stays sound while the kernel updates them.
    unsafe { &*arch::vvar_page() }
}

/// `clock_gettime` from the vvar page; None means: take the syscall.
#[inline(always)]
pub fn clock_gettime(clock: i32) -> Option<KernelTimespec> {
    vvar().clock_gettime(clock, x86::rdtsc_ordered)
}

/// `clock_getres` from the vvar page; None means: take the syscall.
#[inline(always)]
pub fn clock_getres(clock: i32) -> Option<KernelTimespec> {
    vvar().clock_getres(clock)
}

/// Store the vvar page's answer `fast` through `out` (converted by `conv`)
/// and return 0, or, when there is no answer or `out` is NULL, return what
/// system call `nr` says for (clock, out): the shape of every
/// clock_gettime/clock_getres entry point.
///
/// # Safety
/// `out` is NULL or valid for writes.
#[inline(always)]
pub unsafe fn answer<T>(
    nr: usize,
    clock: i32,
    out: *mut T,
    fast: Option<KernelTimespec>,
    conv: impl FnOnce(KernelTimespec) -> T,
) -> i32 {
    match fast {
        Some(t) if !out.is_null() => {
            // SAFETY: non-NULL, and the caller vouches for it.
            unsafe { out.write(conv(t)) };
            0
        }
        // SAFETY: the kernel checks the pointer it is given.
        _ => unsafe { arch::syscall3(nr, clock as usize, out as usize, 0) as i32 },
    }
}

/// Linux's `__cvdso_gettimeofday`: `conv(sec, usec)` stored through `tv`,
/// the timezone through `tz`; the syscall when there is no trusted counter.
///
/// # Safety
/// `tv` and `tz` are each NULL or valid for writes.
#[inline(always)]
pub unsafe fn gettimeofday<T>(
    tv: *mut T,
    tz: *mut Timezone,
    conv: impl FnOnce(i64, i64) -> T,
) -> i32 {
    if !tv.is_null() {
        let Some(t) = clock_gettime(CLOCK_REALTIME) else {
            // SAFETY: the kernel checks the pointers it is given.
            return unsafe {
                arch::syscall3(arch::NR_GETTIMEOFDAY, tv as usize, tz as usize, 0) as i32
            };
        };
        // tv_nsec < 1e9 fits u32, and a 32-bit division stays inline on i386.
        let usec = (t.tv_nsec as u32 / NSEC_PER_USEC) as i64;
        // SAFETY: non-NULL, and the caller vouches for it.
        unsafe { tv.write(conv(t.tv_sec, usec)) };
    }
    if !tz.is_null() {
        let (tz_minuteswest, tz_dsttime) = vvar().timezone();
        // SAFETY: non-NULL, and the caller vouches for it.
        unsafe {
            tz.write(Timezone {
                tz_minuteswest,
                tz_dsttime,
            })
        };
    }
    0
}

/// Linux's `__cvdso_time`: CLOCK_REALTIME's seconds at the last tick, also
/// stored through `t` unless it is NULL; never a syscall.
///
/// # Safety
/// `t` is NULL or valid for writes.
#[inline(always)]
pub unsafe fn time<T: Copy>(t: *mut T, conv: impl FnOnce(i64) -> T) -> T {
    let now = conv(vvar().time());
    if !t.is_null() {
        // SAFETY: non-NULL, and the caller vouches for it.
        unsafe { t.write(now) };
    }
    now
}

/// The CPU number's share of the CPUNODE value (`cpu | node << 12`).
pub const VDSO_CPUNODE_BITS: u32 = 12;
pub const VDSO_CPUNODE_MASK: u32 = (1 << VDSO_CPUNODE_BITS) - 1;

/// `getcpu`: CPU and NUMA node from RDPID or LSL (Linux's
/// `vdso_read_cpunode`), or the syscall when the kernel set up neither.
///
/// # Safety
/// `cpu` and `node` are each NULL or valid for writes.
#[inline(always)]
pub unsafe fn getcpu(cpu: *mut u32, node: *mut u32) -> isize {
    let Some(p) = x86::read_cpunode() else {
        // SAFETY: the kernel checks the pointers it is given.
        return unsafe { arch::syscall3(arch::NR_GETCPU, cpu as usize, node as usize, 0) };
    };
    if !cpu.is_null() {
        // SAFETY: non-NULL, and the caller vouches for it.
        unsafe { cpu.write(p & VDSO_CPUNODE_MASK) };
    }
    if !node.is_null() {
        // SAFETY: non-NULL, and the caller vouches for it.
        unsafe { node.write(p >> VDSO_CPUNODE_BITS) };
    }
    0
}
