//! Process exit (Linux's kernel/exit.c): do_exit releases the address
//! space, files and fs, wakes a vfork parent and CLONE_CHILD_CLEARTID
//! waiters, hands children to init, notifies the parent, and becomes a
//! zombie until reaped. exit_group takes the whole thread group down.

use super::signal::{self, CLD_DUMPED, CLD_EXITED, CLD_KILLED, SIGCHLD, SIGKILL, SigInfo};
use super::task::{PF_EXITING, Task, TaskState};
use crate::arch::x86_64::process::switch_to_kernel_mm;
use crate::sched::{current, current_arc, schedule};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

/// wait status of a normal exit with `code`.
pub fn exit_status(code: i32) -> i32 {
    (code & 0xff) << 8
}

/// mm_release: on leaving an address space (exit or exec), clear and wake
/// the CLONE_CHILD_CLEARTID futex and release a vfork parent.
pub fn mm_release(t: &Task) {
    let tid_addr = t.clear_child_tid.swap(0, Ordering::Relaxed);
    if tid_addr != 0 && t.mm().is_some() {
        if crate::uaccess::put_user(tid_addr, &0u32).is_ok() {
            crate::futex::futex_wake(tid_addr, 1, false);
        }
    }
    if let Some(done) = t.vfork_done.lock().take() {
        done.complete();
    }
}

/// Give up the address space (exit_mm): the page tables go once the last
/// thread sharing them has left, so leave them first.
fn exit_mm(t: &Task) {
    mm_release(t);
    let mm = t.mm.lock().take();
    if let Some(mm) = &mm {
        switch_to_kernel_mm();
        super::cputime::exit_mm_rss(t, mm);
    }
    drop(mm);
}

/// Terminate the current thread with wait status `code` (Linux's do_exit).
#[unsafe(no_mangle)]
pub fn do_exit(code: i32) -> ! {
    let me = current_arc();
    me.flags.fetch_or(PF_EXITING, Ordering::Relaxed);
    // Init is gone when its last thread goes (its main thread may
    // pthread_exit first and leave the others running, as on Linux).
    if me.tgid == 1 && me.signal().live.load(Ordering::Relaxed) == 1 {
        init_exited(me.signal().group_exit_code_or(code));
    }
    exit_mm(&me);
    let files = me.files.lock().take();
    drop(files);
    let fs = me.fs.lock().take();
    drop(fs);
    me.exit_code.store(code, Ordering::Relaxed);
    let group_dead = me.signal().live.fetch_sub(1, Ordering::AcqRel) == 1;
    exit_notify(&me, group_dead);
    drop(me);
    loop {
        schedule();
        // A zombie is never runnable again.
    }
}

/// The kernel powers off when init goes (Linux would panic); report how.
fn init_exited(code: i32) -> ! {
    if code & 0x7f == 0 {
        crate::pr_notice!("init: exited with status {}", (code >> 8) & 0xff);
    } else {
        let sig = code & 0x7f;
        crate::pr_notice!("init: killed by signal {} ({})", sig, signal::signame(sig));
    }
    crate::init::power_off()
}

/// Reparent our children to init (Linux's forget_original_parent; no
/// subreapers), then tell our parent, and become a zombie or go away.
fn exit_notify(me: &Arc<Task>, group_dead: bool) {
    let children: Vec<Arc<Task>> = core::mem::take(&mut *me.children.lock());
    if !children.is_empty() {
        // Orphans go to another live thread of our group, else to the
        // nearest child subreaper above us, else to init
        // (Linux's find_new_reaper).
        let heir = super::thread_group(me.tgid)
            .into_iter()
            .find(|t| {
                t.pid() != me.pid()
                    && t.state() != TaskState::Zombie
                    && t.flags.load(Ordering::Relaxed) & PF_EXITING == 0
            })
            .or_else(|| find_subreaper(me))
            .or_else(super::init_task);
        if let Some(heir) = heir {
            let mut zombies = false;
            for c in &children {
                *c.real_parent.lock() = Arc::downgrade(&heir);
                zombies |= c.state() == TaskState::Zombie;
                // PR_SET_PDEATHSIG: the child asked to hear of our death.
                let pdeath = c.pdeath_signal.load(Ordering::Relaxed);
                if pdeath != 0 && c.state() != TaskState::Zombie {
                    signal::send_signal_to_group(
                        c,
                        pdeath,
                        SigInfo {
                            signo: pdeath,
                            pid: me.tgid,
                            ..Default::default()
                        },
                    );
                }
            }
            heir.children.lock().extend(children);
            if zombies {
                heir.signal().wait_chldexit.wake_up_all();
            }
        }
    }

    // A thread that is not the group leader reaps itself (exit_signal -1);
    // a group leader stays a zombie until the whole group is gone.
    let leader = me.is_group_leader();
    if !leader {
        me.set_state(TaskState::Zombie);
        release_task(me);
        if group_dead {
            // The last thread out reports the group's exit for the leader.
            if let Some(l) = super::find_task(me.tgid) {
                if l.state() == TaskState::Zombie {
                    do_notify_parent(&l);
                }
            }
        }
        return;
    }
    me.set_state(TaskState::Zombie);
    if group_dead {
        do_notify_parent(me);
    }
}

/// The closest ancestor that declared itself a child subreaper.
fn find_subreaper(me: &Arc<Task>) -> Option<Arc<Task>> {
    let mut p = super::find_task(me.tgid).and_then(|l| l.parent());
    while let Some(t) = p {
        if t.tgid <= 1 {
            return None;
        }
        if t.signal().child_subreaper.load(Ordering::Relaxed) && t.state() != TaskState::Zombie {
            return Some(t);
        }
        p = t.parent();
    }
    None
}

/// Tell the parent a child died (Linux's do_notify_parent): send its
/// exit_signal, wake its wait4; if the parent ignores SIGCHLD (or set
/// SA_NOCLDWAIT) the child is reaped at once.
pub fn do_notify_parent(child: &Arc<Task>) {
    let Some(parent) = child.parent() else {
        release_task(child);
        return;
    };
    let code = child
        .signal()
        .group_exit_code_or(child.exit_code.load(Ordering::Relaxed));
    let (cld, status) = if code & 0x7f == 0 {
        (CLD_EXITED, (code >> 8) & 0xff)
    } else if code & 0x80 != 0 {
        (CLD_DUMPED, code & 0x7f)
    } else {
        (CLD_KILLED, code & 0x7f)
    };
    let sig = child.exit_signal.load(Ordering::Relaxed);
    let autoreap = {
        let act = parent.sighand().action.lock()[SIGCHLD as usize - 1];
        sig == SIGCHLD && (act.handler == signal::SIG_IGN || act.flags & signal::SA_NOCLDWAIT != 0)
    };
    if sig > 0 {
        let info = SigInfo {
            signo: sig,
            code: cld,
            pid: child.tgid,
            status,
            ..SigInfo::default()
        };
        signal::send_signal_to_group(&parent, sig, info);
    }
    parent.signal().wait_chldexit.wake_up_all();
    if autoreap || sig < 0 && !child.is_group_leader() {
        release_task(child);
    }
}

/// Remove a dead task from the pid table and its parent's children
/// (Linux's release_task): its last references go, and with them its
/// kernel stack.
#[unsafe(no_mangle)]
pub fn release_task(t: &Arc<Task>) {
    super::cputime::release_cputime(t);
    t.set_state(TaskState::Dead);
    if let Some(parent) = t.parent() {
        parent.children.lock().retain(|c| !Arc::ptr_eq(c, t));
    }
    super::unhash_task(t.pid());
}

/// exit_group: every thread of the group exits with `code`.
#[unsafe(no_mangle)]
pub fn do_group_exit(code: i32) -> ! {
    let me = current();
    let code = {
        // Scoped: do_exit never returns, so nothing counted may stay on
        // this stack frame across it.
        let sig = me.signal();
        // Killed by another thread's execve (de_thread): only this thread goes.
        let exec = sig.group_exec_task.load(Ordering::Acquire);
        if exec != 0 && exec != me.pid() && !sig.group_exit.load(Ordering::Acquire) {
            0
        } else if !sig.group_exit.swap(true, Ordering::AcqRel) {
            sig.group_exit_code.store(code, Ordering::Relaxed);
            zap_other_threads(me);
            sig.group_exit_code.load(Ordering::Relaxed)
        } else {
            sig.group_exit_code.load(Ordering::Relaxed)
        }
    };
    do_exit(code)
}

/// SIGKILL every other thread of our group (Linux's zap_other_threads).
pub fn zap_other_threads(me: &Task) {
    for t in super::thread_group(me.tgid) {
        if t.pid() != me.pid() && t.state() != TaskState::Zombie && t.state() != TaskState::Dead {
            signal::send_signal_to_thread(
                &t,
                SIGKILL,
                SigInfo {
                    signo: SIGKILL,
                    ..Default::default()
                },
            );
        }
    }
}
