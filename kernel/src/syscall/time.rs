//! Time: clock_gettime/getres (+ their i386 64-bit-time forms),
//! gettimeofday, time, nanosleep, clock_nanosleep, times. The clocks are
//! the same vvar data the vDSO reads, so both paths agree.

use super::SyscallArgs;
use crate::arch::x86_64::cpu::rdtsc;
use crate::arch::x86_64::vdso::VVAR;
use crate::errno::{Errno, SysResult};
use crate::process::cputime;
use crate::sched::current;
use crate::uaccess::{copy_from_user, copy_to_user, put_user};
use vdso_data::{CLOCK_REALTIME, KernelTimespec};

const NSEC: i64 = 1_000_000_000;

/// The time of `clock`, or EINVAL for clocks we do not have.
pub(super) fn clock_now(clock: i32) -> Result<(i64, i64), Errno> {
    if cputime::cpu_clock_decode(clock).is_some() {
        let ns = cputime::cpu_clock_get(clock)? as i64;
        return Ok((ns / NSEC, ns % NSEC));
    }
    let ts: KernelTimespec = VVAR.clock_gettime(clock, rdtsc).ok_or(Errno::EINVAL)?;
    Ok((ts.tv_sec, ts.tv_nsec))
}

/// Write a timespec: 32-bit fields for old i386 calls, else 64-bit.
pub(super) fn put_timespec(addr: usize, t: (i64, i64), old32: bool) -> Result<(), Errno> {
    if old32 {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&(t.0 as i32).to_le_bytes());
        b[4..].copy_from_slice(&(t.1 as i32).to_le_bytes());
        copy_to_user(addr, &b)
    } else {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&t.0.to_le_bytes());
        b[8..].copy_from_slice(&t.1.to_le_bytes());
        copy_to_user(addr, &b)
    }
}

/// Read a timespec, checking the nanoseconds (EINVAL).
pub(super) fn get_timespec(addr: usize, old32: bool) -> Result<(i64, i64), Errno> {
    let t = if old32 {
        let mut b = [0u8; 8];
        copy_from_user(&mut b, addr)?;
        (
            i32::from_le_bytes(b[..4].try_into().unwrap()) as i64,
            i32::from_le_bytes(b[4..].try_into().unwrap()) as i64,
        )
    } else {
        let mut b = [0u8; 16];
        copy_from_user(&mut b, addr)?;
        // i386's __kernel_timespec carries a 32-bit nanosecond field.
        (
            i64::from_le_bytes(b[..8].try_into().unwrap()),
            i64::from_le_bytes(b[8..].try_into().unwrap()) as i32 as i64,
        )
    };
    if t.0 < 0 || !(0..NSEC).contains(&t.1) {
        return Err(Errno::EINVAL);
    }
    Ok(t)
}

/// Old i386 calls use 32-bit time_t; *_time64 and 64-bit calls do not.
pub(super) fn old32(a: &SyscallArgs) -> bool {
    a.compat() && !matches!(a.nr, 403 | 406 | 407 | 408 | 409 | 410 | 411 | 422)
}

/// The kernel time (ktime ns) at which wall clock `clock` reads (or
/// read) `abs_ns`; never 0 (that means disarmed to the timers).
pub(super) fn clock_to_ktime(clock: i32, abs_ns: u64) -> Result<u64, Errno> {
    let (s, ns) = clock_now(clock)?;
    let now_c = (s as i128) * NSEC as i128 + ns as i128;
    let at = crate::time::ktime_get_ns() as i128 + (abs_ns as i128 - now_c);
    Ok(at.clamp(1, u64::MAX as i128) as u64)
}

pub fn sys_clock_gettime(a: &mut SyscallArgs) -> SysResult {
    let t = clock_now(a.int(0))?;
    put_timespec(a.arg(1), t, old32(a)).map(|_| 0)
}

pub fn sys_clock_getres(a: &mut SyscallArgs) -> SysResult {
    let clock = a.int(0);
    clock_now(clock)?;
    // The coarse clocks and the tick-sampled CPU clocks move a tick at a time.
    let tick = (0, (1_000_000_000 / crate::time::HZ) as i64);
    let res = match (
        clock,
        cputime::cpu_clock_decode(clock).map(|(_, _, which)| which),
    ) {
        (5 | 6, _) => tick,
        (_, Some(cputime::CPUCLOCK_PROF | cputime::CPUCLOCK_VIRT)) => tick,
        _ => (0, 1),
    };
    if a.arg(1) != 0 {
        put_timespec(a.arg(1), res, old32(a))?;
    }
    Ok(0)
}

pub fn sys_gettimeofday(a: &mut SyscallArgs) -> SysResult {
    if a.arg(0) != 0 {
        let (s, ns) = clock_now(CLOCK_REALTIME)?;
        if a.compat() {
            put_timespec(a.arg(0), (s, ns / 1000), true)?;
        } else {
            put_timespec(a.arg(0), (s, ns / 1000), false)?;
        }
    }
    if a.arg(1) != 0 {
        copy_to_user(a.arg(1), &[0u8; 8])?; // struct timezone: UTC
    }
    Ok(0)
}

pub fn sys_time(a: &mut SyscallArgs) -> SysResult {
    let (s, _) = clock_now(CLOCK_REALTIME)?;
    if a.arg(0) != 0 {
        if a.compat() {
            put_user(a.arg(0), &(s as i32))?
        } else {
            put_user(a.arg(0), &s)?
        }
    }
    Ok(s as usize)
}

/// Sleep until `deadline` (ktime ns); on a signal, report the time left
/// and let the signal code decide between EINTR and restarting.
fn sleep_until(deadline: u64, rem: usize, old: bool) -> SysResult {
    match crate::sched::wait::sleep_until(deadline) {
        Ok(()) => Ok(0),
        Err(_) => {
            if rem != 0 {
                let left = deadline.saturating_sub(crate::time::ktime_get_ns()) as i64;
                put_timespec(rem, (left / NSEC, left % NSEC), old)?;
            }
            Err(Errno::ERESTARTNOHAND)
        }
    }
}

pub fn sys_nanosleep(a: &mut SyscallArgs) -> SysResult {
    let (s, ns) = get_timespec(a.arg(0), old32(a))?;
    let dur = (s as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ns as u64);
    sleep_until(
        crate::time::ktime_get_ns().saturating_add(dur),
        a.arg(1),
        old32(a),
    )
}

pub fn sys_clock_nanosleep(a: &mut SyscallArgs) -> SysResult {
    const TIMER_ABSTIME: u32 = 1;
    let (clock, flags) = (a.int(0), a.uint(1));
    // Linux: sleeping on a CPU-time clock of this thread or an unknown
    // clock is EINVAL; the raw and coarse clocks cannot sleep (EOPNOTSUPP).
    match clock {
        0 | 1 | 7 | 11 => {}
        4..=6 | 8 | 9 => return Err(Errno::EOPNOTSUPP),
        _ => return Err(Errno::EINVAL),
    }
    let (s, ns) = get_timespec(a.arg(2), old32(a))?;
    let req = (s as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ns as u64);
    let now_k = crate::time::ktime_get_ns();
    let deadline = if flags & TIMER_ABSTIME != 0 {
        let (cs, cns) = clock_now(clock)?;
        let now_c = (cs as u64) * 1_000_000_000 + cns as u64;
        now_k + req.saturating_sub(now_c)
    } else {
        now_k.saturating_add(req)
    };
    let rem = if flags & TIMER_ABSTIME != 0 {
        0
    } else {
        a.arg(3)
    };
    sleep_until(deadline, rem, old32(a))
}

/// times(2): the group's and its reaped children's user and system time
/// in USER_HZ (100) ticks; returns the ticks since boot.
pub fn sys_times(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let ns_to_clock_t = |ns: u64| ns / (1_000_000_000 / 100);
    if a.arg(0) != 0 {
        let own = cputime::group_rusage(me);
        let children = cputime::children_rusage(&me.signal());
        let v = [
            own.utime_ns,
            own.stime_ns,
            children.utime_ns,
            children.stime_ns,
        ]
        .map(ns_to_clock_t);
        for (i, x) in v.iter().enumerate() {
            if a.compat() {
                put_user(a.arg(0) + i * 4, &(*x as u32))?
            } else {
                put_user(a.arg(0) + i * 8, x)?
            }
        }
    }
    Ok((crate::time::jiffies() * 100 / crate::time::HZ) as usize)
}
