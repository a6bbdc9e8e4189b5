//! Scheduler syscalls: sched_yield, policies and priorities (the normal
//! ones and SCHED_FIFO/SCHED_RR, which the scheduler honours), the
//! round-robin interval, CPU affinity (one CPU), getcpu.

use super::SyscallArgs;
use super::time::put_timespec;
use crate::errno::{Errno, SysResult};
use crate::process::task::Task;
use crate::sched::{
    SCHED_BATCH, SCHED_FIFO, SCHED_IDLE, SCHED_OTHER, SCHED_RESET_ON_FORK, SCHED_RR, current_arc,
};
use crate::uaccess::{clear_user, copy_from_user, get_user, put_user};
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

pub fn sys_sched_yield(_a: &mut SyscallArgs) -> SysResult {
    crate::sched::yield_now();
    Ok(0)
}

/// sched_getaffinity: CPU 0 only; returns the mask size in bytes.
pub fn sys_sched_getaffinity(a: &mut SyscallArgs) -> SysResult {
    let word = if a.compat() { 4 } else { 8 };
    let len = a.arg(1);
    if len < word || len % word != 0 {
        return Err(Errno::EINVAL);
    }
    if a.int(0) != 0 && crate::process::find_task(a.int(0)).is_none() {
        return Err(Errno::ESRCH);
    }
    clear_user(a.arg(2), word)?;
    put_user(a.arg(2), &1u8)?;
    Ok(word)
}

/// sched_setaffinity: any mask that includes CPU 0.
pub fn sys_sched_setaffinity(a: &mut SyscallArgs) -> SysResult {
    if a.arg(1) == 0 {
        return Err(Errno::EINVAL);
    }
    let mut b = [0u8; 1];
    copy_from_user(&mut b, a.arg(2))?;
    if b[0] & 1 == 0 {
        Err(Errno::EINVAL)
    } else {
        Ok(0)
    }
}

pub fn sys_getcpu(a: &mut SyscallArgs) -> SysResult {
    if a.arg(0) != 0 {
        put_user(a.arg(0), &0u32)?;
    }
    if a.arg(1) != 0 {
        put_user(a.arg(1), &0u32)?;
    }
    Ok(0)
}

/// The task `pid` names (0: the caller), as Linux's find_process_by_pid;
/// a negative pid is EINVAL.
fn sched_target(pid: i32) -> Result<Arc<Task>, Errno> {
    if pid < 0 {
        return Err(Errno::EINVAL);
    }
    if pid == 0 {
        return Ok(current_arc());
    }
    crate::process::find_task(pid).ok_or(Errno::ESRCH)
}

pub fn sys_sched_getscheduler(a: &mut SyscallArgs) -> SysResult {
    Ok(sched_target(a.int(0))?.policy.load(Ordering::Relaxed) as u32 as usize)
}

/// sched_getparam: the real-time priority (0 under the normal policies).
pub fn sys_sched_getparam(a: &mut SyscallArgs) -> SysResult {
    if a.arg(1) == 0 {
        return Err(Errno::EINVAL);
    }
    let t = sched_target(a.int(0))?;
    put_user(a.arg(1), &t.rt_priority.load(Ordering::Relaxed)).map(|_| 0)
}

/// sched_setscheduler: a normal policy at priority 0, or SCHED_FIFO or
/// SCHED_RR at 1..=99 (every process is root, so no EPERM), optionally
/// with SCHED_RESET_ON_FORK.
pub fn sys_sched_setscheduler(a: &mut SyscallArgs) -> SysResult {
    if a.int(1) < 0 {
        return Err(Errno::EINVAL);
    }
    do_sched_setscheduler(a.int(0), Some(a.int(1)), a.arg(2))
}

/// sched_setparam: a new priority under the current policy.
pub fn sys_sched_setparam(a: &mut SyscallArgs) -> SysResult {
    do_sched_setscheduler(a.int(0), None, a.arg(1))
}

// Linux's order of checks: the arguments, the parameter's memory, the
// task, the policy and priority, then privilege.
fn do_sched_setscheduler(pid: i32, policy: Option<i32>, param: usize) -> SysResult {
    if param == 0 || pid < 0 {
        return Err(Errno::EINVAL);
    }
    let prio: i32 = get_user(param)?;
    let t = sched_target(pid)?;
    let policy = policy.unwrap_or_else(|| t.policy.load(Ordering::Relaxed));
    match policy & !SCHED_RESET_ON_FORK {
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE if prio == 0 => {}
        SCHED_FIFO | SCHED_RR if (1..=99).contains(&prio) => {}
        _ => return Err(Errno::EINVAL), // an unknown policy, or a priority it does not have
    }
    t.policy.store(policy, Ordering::Relaxed);
    t.rt_priority.store(prio, Ordering::Relaxed);
    crate::sched::prio_changed(&t);
    Ok(0)
}

pub fn sys_sched_get_priority_max(a: &mut SyscallArgs) -> SysResult {
    match a.int(0) {
        SCHED_FIFO | SCHED_RR => Ok(99),
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

pub fn sys_sched_get_priority_min(a: &mut SyscallArgs) -> SysResult {
    match a.int(0) {
        SCHED_FIFO | SCHED_RR => Ok(1),
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

/// sched_rr_get_interval: the task's time slice: SCHED_RR's 100 ms, none
/// (0) for SCHED_FIFO, the normal one (5 ticks at HZ=250, 20 ms) else.
pub fn sys_sched_rr_get_interval(a: &mut SyscallArgs) -> SysResult {
    let t = sched_target(a.int(0))?;
    let ticks = match t.policy.load(Ordering::Relaxed) & !SCHED_RESET_ON_FORK {
        SCHED_RR => crate::sched::RR_TIMESLICE_TICKS,
        SCHED_FIFO => 0,
        _ => crate::sched::TIMESLICE_TICKS,
    };
    let ns = ticks as u64 * 1_000_000_000 / crate::time::HZ;
    // i386's old call has a 32-bit time_t; 423 is its _time64 twin.
    let old32 = a.compat() && a.nr != 423;
    put_timespec(a.arg(1), (0, ns as i64), old32).map(|_| 0)
}
