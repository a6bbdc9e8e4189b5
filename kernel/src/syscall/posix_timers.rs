//! timer_create, timer_settime, timer_gettime (+ i386's 64-bit-time
//! forms), timer_getoverrun, timer_delete: decode, hand off to
//! time/posix_timers.rs.

use super::SyscallArgs;
use super::time::{clock_to_ktime, old32, put_timespec};
use crate::errno::{Errno, SysResult};
use crate::process::cputime;
use crate::sched::current;
use crate::time::posix_timers::{
    self as pt, Notify, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD_ID, TimerClock,
};
use crate::uaccess::{copy_from_user, put_user};

const NSEC: i64 = 1_000_000_000;
const TIMER_ABSTIME: u32 = 1;

// The clock a timer may run on: the wall clocks CLOCK_REALTIME (0),
// CLOCK_MONOTONIC (1) and CLOCK_BOOTTIME (7), or a CPU clock; others EINVAL.
fn timer_clock(clock: i32) -> Result<TimerClock, Errno> {
    match clock {
        0 | 1 | 7 => Ok(TimerClock::Wall),
        c => {
            let (pid, per_thread, which) = cputime::cpu_clock_decode(c).ok_or(Errno::EINVAL)?;
            cputime::cpu_clock_get(c)?; // the clock names a live task of ours
            let me = current();
            let thread = match (per_thread, pid) {
                (true, 0) => me.pid(),
                (true, tid) => tid,
                // Another process's clock: only our own group's here.
                (false, p) if p != 0 && p != me.tgid => return Err(Errno::EINVAL),
                (false, _) => 0,
            };
            Ok(TimerClock::Cpu { thread, which })
        }
    }
}

// struct sigevent: sigev_value, sigev_signo, sigev_notify, then the
// union whose first int is the thread id for SIGEV_THREAD_ID.
fn read_sigevent(a: &SyscallArgs, addr: usize) -> Result<Notify, Errno> {
    let mut b = [0u8; 20];
    copy_from_user(&mut b, addr)?;
    let rd = |o: usize| i32::from_le_bytes(b[o..o + 4].try_into().unwrap());
    let (value, base) = if a.compat() {
        (rd(0) as u32 as u64, 4)
    } else {
        (u64::from_le_bytes(b[0..8].try_into().unwrap()), 8)
    };
    let n = Notify {
        value,
        signo: rd(base),
        how: rd(base + 4),
        tid: rd(base + 8),
    };
    let me = current();
    match n.how {
        SIGEV_NONE => {}
        SIGEV_SIGNAL | SIGEV_THREAD_ID if (1..=64).contains(&n.signo) => {
            if n.how == SIGEV_THREAD_ID
                && !crate::process::find_task(n.tid).is_some_and(|t| t.tgid == me.tgid)
            {
                return Err(Errno::EINVAL);
            }
        }
        _ => return Err(Errno::EINVAL),
    }
    Ok(n)
}

/// timer_create(clockid, sevp, timerid)
pub fn sys_timer_create(a: &mut SyscallArgs) -> SysResult {
    let clockid = a.int(0);
    let clock = timer_clock(clockid)?;
    let notify = if a.arg(1) != 0 {
        Some(read_sigevent(a, a.arg(1))?)
    } else {
        None
    };
    // Check the result pointer first: nothing to undo after.
    put_user(a.arg(2), &0i32)?;
    let id = pt::timer_create(current(), clockid, clock, notify)?;
    if let Err(e) = put_user(a.arg(2), &id) {
        let _ = pt::timer_delete(current(), id);
        return Err(e);
    }
    Ok(0)
}

// struct itimerspec → (interval, value) in ns, nanoseconds checked.
pub(super) fn read_itimerspec(a: &SyscallArgs, addr: usize) -> Result<(u64, u64), Errno> {
    let ts = |o: usize| super::time::get_timespec(addr + o, old32(a));
    let step = if old32(a) { 8 } else { 16 };
    let (is, ins) = ts(0)?;
    let (vs, vns) = ts(step)?;
    let ns = |s: i64, n: i64| {
        (s as u64)
            .saturating_mul(NSEC as u64)
            .saturating_add(n as u64)
    };
    Ok((ns(is, ins), ns(vs, vns)))
}

pub(super) fn write_itimerspec(
    a: &SyscallArgs,
    addr: usize,
    (value, interval): (u64, u64),
) -> Result<(), Errno> {
    let step = if old32(a) { 8 } else { 16 };
    let split = |ns: u64| ((ns / NSEC as u64) as i64, (ns % NSEC as u64) as i64);
    put_timespec(addr, split(interval), old32(a))?;
    put_timespec(addr + step, split(value), old32(a))
}

/// timer_settime(timerid, flags, new_value, old_value)
pub fn sys_timer_settime(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let id = a.int(0);
    let flags = a.uint(1);
    let (interval, mut value) = read_itimerspec(a, a.arg(2))?;
    let (clockid, clock) = pt::timer_clock_of(me, id)?;
    let absolute = flags & TIMER_ABSTIME != 0 && value != 0;
    if absolute && clock == TimerClock::Wall {
        // Turn the deadline on the timer's clock into kernel time.
        value = clock_to_ktime(clockid, value)?;
    }
    let old = pt::timer_settime(me, id, value, interval, absolute)?;
    if a.arg(3) != 0 {
        write_itimerspec(a, a.arg(3), old)?;
    }
    Ok(0)
}

/// timer_gettime(timerid, curr_value)
pub fn sys_timer_gettime(a: &mut SyscallArgs) -> SysResult {
    let cur = pt::timer_gettime(current(), a.int(0))?;
    write_itimerspec(a, a.arg(1), cur).map(|_| 0)
}

pub fn sys_timer_getoverrun(a: &mut SyscallArgs) -> SysResult {
    pt::timer_getoverrun(current(), a.int(0)).map(|n| n as usize)
}

pub fn sys_timer_delete(a: &mut SyscallArgs) -> SysResult {
    pt::timer_delete(current(), a.int(0)).map(|_| 0)
}
