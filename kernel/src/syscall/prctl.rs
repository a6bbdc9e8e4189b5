//! prctl (the options processes use), priorities (nice) and
//! personality.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::sched::current;
use crate::uaccess::{copy_to_user, put_user, strncpy_from_user};
use core::sync::atomic::Ordering;

const PR_SET_PDEATHSIG: i32 = 1;
const PR_GET_PDEATHSIG: i32 = 2;
const PR_GET_DUMPABLE: i32 = 3;
const PR_SET_DUMPABLE: i32 = 4;
const PR_SET_NAME: i32 = 15;
const PR_GET_NAME: i32 = 16;
const PR_GET_TIMERSLACK: i32 = 30;
const PR_SET_TIMERSLACK: i32 = 29;
const PR_SET_CHILD_SUBREAPER: i32 = 36;
const PR_GET_CHILD_SUBREAPER: i32 = 37;
const PR_SET_NO_NEW_PRIVS: i32 = 38;
const PR_GET_NO_NEW_PRIVS: i32 = 39;
const PR_GET_TID_ADDRESS: i32 = 40;

pub fn sys_prctl(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let sig = me.signal();
    match a.int(0) {
        PR_SET_PDEATHSIG => {
            let s = a.int(1);
            if !(0..=64).contains(&s) {
                return Err(Errno::EINVAL);
            }
            me.pdeath_signal.store(s, Ordering::Relaxed);
            Ok(0)
        }
        PR_GET_PDEATHSIG => {
            put_user(a.arg(1), &me.pdeath_signal.load(Ordering::Relaxed)).map(|_| 0)
        }
        PR_GET_DUMPABLE => Ok(sig.dumpable.load(Ordering::Relaxed) as usize),
        PR_SET_DUMPABLE => match a.arg(1) {
            0 | 1 => {
                sig.dumpable.store(a.arg(1) as u32, Ordering::Relaxed);
                Ok(0)
            }
            _ => Err(Errno::EINVAL),
        },
        PR_SET_NAME => {
            let name = strncpy_from_user(a.arg(1), 16, Errno::EINVAL).or_else(|e| {
                // Longer names are truncated to 15 bytes, not refused.
                if e == Errno::EINVAL {
                    let mut b = [0u8; 15];
                    crate::uaccess::copy_from_user(&mut b, a.arg(1))?;
                    Ok(b.to_vec())
                } else {
                    Err(e)
                }
            })?;
            me.set_comm(&name);
            Ok(0)
        }
        PR_GET_NAME => copy_to_user(a.arg(1), &*me.comm.lock()).map(|_| 0),
        PR_SET_CHILD_SUBREAPER => {
            sig.child_subreaper.store(a.arg(1) != 0, Ordering::Relaxed);
            Ok(0)
        }
        PR_GET_CHILD_SUBREAPER => put_user(
            a.arg(1),
            &(sig.child_subreaper.load(Ordering::Relaxed) as i32),
        )
        .map(|_| 0),
        PR_SET_NO_NEW_PRIVS => {
            if a.arg(1) != 1 || a.arg(2) != 0 || a.arg(3) != 0 || a.arg(4) != 0 {
                return Err(Errno::EINVAL);
            }
            sig.no_new_privs.store(true, Ordering::Relaxed);
            Ok(0)
        }
        PR_GET_NO_NEW_PRIVS => Ok(sig.no_new_privs.load(Ordering::Relaxed) as usize),
        PR_GET_TID_ADDRESS => {
            let addr = me.clear_child_tid.load(Ordering::Relaxed);
            if a.compat() {
                put_user(a.arg(1), &(addr as u32))
            } else {
                put_user(a.arg(1), &(addr as u64))
            }
            .map(|_| 0)
        }
        PR_GET_TIMERSLACK => Ok(50_000),
        PR_SET_TIMERSLACK => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

const PRIO_PROCESS: i32 = 0;
const PRIO_PGRP: i32 = 1;
const PRIO_USER: i32 = 2;

fn prio_targets(
    which: i32,
    who: i32,
) -> Result<alloc::vec::Vec<alloc::sync::Arc<crate::process::task::Task>>, Errno> {
    let all = crate::process::all_tasks();
    let v: alloc::vec::Vec<_> = match which {
        // A thread, as in Linux: `who` is a tid, 0 the calling thread.
        PRIO_PROCESS => {
            let tid = if who == 0 { current().pid() } else { who };
            all.into_iter().filter(|t| t.pid() == tid).collect()
        }
        PRIO_PGRP => {
            let g = if who == 0 {
                current().signal().pgrp.load(Ordering::Relaxed)
            } else {
                who
            };
            all.into_iter()
                .filter(|t| t.signal().pgrp.load(Ordering::Relaxed) == g)
                .collect()
        }
        // Everyone is uid 0: user 0 is every process, other users none.
        PRIO_USER if who == 0 => all.into_iter().filter(|t| !t.is_kthread()).collect(),
        PRIO_USER => alloc::vec::Vec::new(),
        _ => return Err(Errno::EINVAL),
    };
    if v.is_empty() {
        Err(Errno::ESRCH)
    } else {
        Ok(v)
    }
}

/// getpriority returns 20 - nice (Linux's raw value; libc converts).
pub fn sys_getpriority(a: &mut SyscallArgs) -> SysResult {
    let ts = prio_targets(a.int(0), a.int(1))?;
    let best = ts
        .iter()
        .map(|t| t.nice.load(Ordering::Relaxed))
        .min()
        .unwrap_or(0);
    Ok((20 - best) as usize)
}

/// setpriority: the nice value is recorded (and reported); the scheduler
/// is round-robin and does not weigh it yet.
pub fn sys_setpriority(a: &mut SyscallArgs) -> SysResult {
    let nice = a.int(2).clamp(-20, 19);
    for t in prio_targets(a.int(0), a.int(1))? {
        t.nice.store(nice, Ordering::Relaxed);
    }
    Ok(0)
}

/// personality: set the execution domain and flags (0xffffffff only
/// asks), returning the old value; Linux takes any value. What it does
/// here: PER_LINUX32 makes uname say i686, ADDR_NO_RANDOMIZE turns off
/// address-space randomisation for the next exec (setarch -R); the other
/// flags are kept and reported only.
pub fn sys_personality(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let old = me.personality();
    if a.uint(0) != 0xffff_ffff {
        me.personality.store(a.uint(0), Ordering::Relaxed);
    }
    Ok(old as usize)
}
