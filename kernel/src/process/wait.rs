//! wait4/waitpid/waitid (Linux's do_wait): find a child in the requested
//! set whose state changed, report it with Linux's status encoding, and
//! reap it when it is a zombie.

use super::exit::release_task;
use super::task::{Pid, Task, TaskState};
use crate::errno::Errno;
use crate::sched::current;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

pub const WNOHANG: u32 = 0x0000_0001;
pub const WUNTRACED: u32 = 0x0000_0002;
pub const WSTOPPED: u32 = WUNTRACED;
pub const WEXITED: u32 = 0x0000_0004;
pub const WCONTINUED: u32 = 0x0000_0008;
pub const WNOWAIT: u32 = 0x0100_0000;
pub const __WNOTHREAD: u32 = 0x2000_0000;
pub const __WALL: u32 = 0x4000_0000;
pub const __WCLONE: u32 = 0x8000_0000;

/// Which children a wait is for (the pid argument's forms).
#[derive(Clone, Copy, Debug)]
pub enum WaitSet {
    /// pid > 0: that child.
    Pid(Pid),
    /// pid == -1: any child.
    Any,
    /// pid == 0 or < -1: any child in that process group.
    Pgrp(Pid),
}

/// What happened to the child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitResult {
    pub pid: Pid,
    /// wait4's status word.
    pub status: i32,
    /// For waitid: CLD_* code and the status/signal number.
    pub code: i32,
    pub si_status: i32,
    /// The child's usage with its reaped children's (wait4's rusage).
    pub rusage: super::cputime::Rusage,
}

fn matches(set: WaitSet, c: &Task, options: u32) -> bool {
    let ok = match set {
        WaitSet::Pid(p) => c.tgid == p,
        WaitSet::Any => true,
        WaitSet::Pgrp(g) => c.signal().pgrp.load(Ordering::Relaxed) == g,
    };
    // __WCLONE waits only for "clone" children (exit signal not SIGCHLD);
    // __WALL for both.
    let clone_child = c.exit_signal.load(Ordering::Relaxed) != super::signal::SIGCHLD;
    ok && c.is_group_leader() && (options & __WALL != 0 || (options & __WCLONE != 0) == clone_child)
}

/// Children of the whole thread group (Linux scans every thread's list).
fn children_of_group(me: &Task) -> Vec<Arc<Task>> {
    let mut v = Vec::new();
    for t in super::thread_group(me.tgid) {
        v.extend(t.children.lock().iter().cloned());
    }
    v
}

/// Look once for a reportable child; Err(ECHILD) if none can ever match.
fn wait_consider(set: WaitSet, options: u32) -> Result<Option<WaitResult>, Errno> {
    let me = current();
    let kids = children_of_group(me);
    let mut any = false;
    for c in kids.iter().filter(|c| matches(set, c, options)) {
        any = true;
        let sig = c.signal();
        let group_done = sig.live.load(Ordering::Acquire) == 0;
        if options & WEXITED != 0 && c.state() == TaskState::Zombie && group_done {
            let code = sig.group_exit_code_or(c.exit_code.load(Ordering::Relaxed));
            let (cld, st) = if code & 0x7f == 0 {
                (super::signal::CLD_EXITED, (code >> 8) & 0xff)
            } else if code & 0x80 != 0 {
                (super::signal::CLD_DUMPED, code & 0x7f)
            } else {
                (super::signal::CLD_KILLED, code & 0x7f)
            };
            let r = WaitResult {
                pid: c.tgid,
                status: code,
                code: cld,
                si_status: st,
                rusage: if options & WNOWAIT == 0 {
                    super::cputime::reap_child_usage(me, c)
                } else {
                    let mut r = super::cputime::group_rusage(c);
                    r += super::cputime::children_rusage(&sig);
                    r
                },
            };
            if options & WNOWAIT == 0 {
                release_task(c);
            }
            return Ok(Some(r));
        }
        if options & WSTOPPED != 0 {
            let mut rep = sig.stop_report.lock();
            if let Some(stopsig) = *rep {
                if options & WNOWAIT == 0 {
                    *rep = None;
                }
                return Ok(Some(WaitResult {
                    pid: c.tgid,
                    status: (stopsig << 8) | 0x7f,
                    code: super::signal::CLD_STOPPED,
                    si_status: stopsig,
                    rusage: Default::default(),
                }));
            }
        }
        if options & WCONTINUED != 0 && sig.continued_report.load(Ordering::Acquire) {
            if options & WNOWAIT == 0 {
                sig.continued_report.store(false, Ordering::Release);
            }
            return Ok(Some(WaitResult {
                pid: c.tgid,
                status: 0xffff,
                code: super::signal::CLD_CONTINUED,
                si_status: super::signal::SIGCONT,
                rusage: Default::default(),
            }));
        }
    }
    if any { Ok(None) } else { Err(Errno::ECHILD) }
}

/// do_wait: report a child's state change, sleeping unless WNOHANG.
/// Ok(None) is WNOHANG's "children exist but none changed".
#[unsafe(no_mangle)]
pub fn do_wait(set: WaitSet, options: u32) -> Result<Option<WaitResult>, Errno> {
    let wq = &current().signal().wait_chldexit as *const crate::sched::wait::WaitQueue;
    let mut found = None;
    let mut err = None;
    let mut check = || match wait_consider(set, options) {
        Ok(Some(r)) => {
            found = Some(r);
            true
        }
        Ok(None) => options & WNOHANG != 0,
        Err(e) => {
            err = Some(e);
            true
        }
    };
    // SAFETY: our signal_struct outlives this call (we hold the task).
    unsafe { (*wq).wait_event(true, &mut check)? };
    match (found, err) {
        (Some(r), _) => Ok(Some(r)),
        (None, Some(e)) => Err(e),
        (None, None) => Ok(None),
    }
}
