//! Sending and delivering signals (Linux's kernel/signal.c): queueing to
//! a thread or a thread group, SIGCONT/stop interplay, dequeue in order,
//! default actions, syscall restart, and the hand-off to the arch code
//! that builds the handler's frame.

use super::exit::do_group_exit;
use super::signal::*;
use super::task::{Pid, TIF_SIGPENDING, Task, TaskState};
use crate::arch::x86_64::entry::PtRegs;
use crate::errno::Errno;
use crate::sched::{current, wake_up_process, wake_up_stopped};
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

/// Default actions (Linux's sig_kernel_* masks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    Term,
    Core,
    Ignore,
    Stop,
    Continue,
}

pub fn default_action(sig: i32) -> DefaultAction {
    match sig {
        SIGCHLD | SIGURG | SIGWINCH => DefaultAction::Ignore,
        SIGCONT => DefaultAction::Continue,
        SIGSTOP | SIGTSTP | SIGTTIN | SIGTTOU => DefaultAction::Stop,
        SIGQUIT | SIGILL | SIGTRAP | SIGABRT | SIGBUS | SIGFPE | SIGSEGV | SIGXCPU | SIGXFSZ
        | SIGSYS => DefaultAction::Core,
        _ => DefaultAction::Term,
    }
}

fn is_stop(sig: i32) -> bool {
    default_action(sig) == DefaultAction::Stop
}

/// Would delivery do nothing (handler SIG_IGN, or SIG_DFL ignoring)?
/// Blocked signals are never ignored: the handler may change before they
/// are unblocked, and sigwait or a signalfd may take them.
fn sig_ignored(t: &Task, sig: i32) -> bool {
    if sig == SIGKILL || sig == SIGSTOP || t.blocked.load(Ordering::Relaxed) & sigmask(sig) != 0 {
        return false;
    }
    let a = t.sighand().action.lock()[sig as usize - 1];
    a.handler == SIG_IGN || (a.handler == SIG_DFL && default_action(sig) == DefaultAction::Ignore)
}

/// Is a signal deliverable to `t` now? Updates TIF_SIGPENDING.
pub fn recalc_sigpending(t: &Task) -> bool {
    let blocked = t.blocked.load(Ordering::Relaxed);
    let mine = t.pending.lock().signal;
    let shared = t.signal().shared_pending.lock().signal;
    let pending = (mine | shared) & !blocked != 0 || t.signal().group_exit.load(Ordering::Relaxed);
    if pending {
        t.set_tif(TIF_SIGPENDING);
    } else {
        t.clear_tif(TIF_SIGPENDING);
    }
    pending
}

/// SIGKILL pending, or the group is exiting (fatal_signal_pending).
pub fn fatal_signal_pending(t: &Task) -> bool {
    t.pending.lock().signal & sigmask(SIGKILL) != 0
        || t.signal().shared_pending.lock().signal & sigmask(SIGKILL) != 0
        || t.signal().group_exit.load(Ordering::Relaxed)
}

/// Wake `t` so it notices a signal (signal_wake_up): interruptible sleeps
/// end; SIGKILL also ends stops.
fn signal_wake_up(t: &Arc<Task>, fatal: bool) {
    t.set_tif(TIF_SIGPENDING);
    if fatal && t.state() == TaskState::Stopped {
        wake_up_stopped(t);
    }
    if t.state() == TaskState::Interruptible || (fatal && t.state() == TaskState::Uninterruptible) {
        wake_up_process(t);
    }
}

/// SIGCONT/stop side effects at send time (Linux's prepare_signal).
/// Returns false if the signal should be dropped.
fn prepare_signal(t: &Arc<Task>, sig: i32) -> bool {
    let sigs = t.signal();
    if is_stop(sig) {
        let cont = sigmask(SIGCONT);
        sigs.shared_pending.lock().signal &= !cont;
        for th in super::thread_group(t.tgid) {
            th.pending.lock().signal &= !cont;
        }
    } else if sig == SIGCONT {
        let stops = sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU);
        sigs.shared_pending.lock().signal &= !stops;
        let was_stopped = sigs.group_stopped.swap(false, Ordering::AcqRel);
        for th in super::thread_group(t.tgid) {
            th.pending.lock().signal &= !stops;
            wake_up_stopped(&th);
        }
        if was_stopped {
            *sigs.stop_report.lock() = None;
            sigs.continued_report.store(true, Ordering::Release);
            notify_parent_cldstop(t, CLD_CONTINUED, SIGCONT);
        }
    }
    !sig_ignored(t, sig)
}

/// Queue `sig` for one thread (tkill, faults). False when it was not
/// queued: ignored, or a standard signal already pending.
pub fn send_signal_to_thread(t: &Arc<Task>, sig: i32, info: SigInfo) -> bool {
    if !prepare_signal(t, sig) {
        return false;
    }
    {
        let mut p = t.pending.lock();
        if sig < SIGRTMIN && p.signal & sigmask(sig) != 0 {
            return false; // standard signals do not queue twice
        }
        p.signal |= sigmask(sig);
        p.queue.push_back(info);
    }
    // signalfd readers and pollers watch pending signals, blocked or not.
    crate::fs::poll_wake();
    if t.blocked.load(Ordering::Relaxed) & sigmask(sig) == 0 || sig == SIGKILL {
        signal_wake_up(t, sig == SIGKILL);
    }
    true
}

/// Queue `sig` for the thread group of `t` (kill), and pick a thread to
/// wake (complete_signal). A fatal signal takes the group down at once.
/// False when it was not queued (as send_signal_to_thread).
pub fn send_signal_to_group(t: &Arc<Task>, sig: i32, info: SigInfo) -> bool {
    if !prepare_signal(t, sig) {
        return false;
    }
    let sigs = t.signal();
    {
        let mut p = sigs.shared_pending.lock();
        if sig < SIGRTMIN && p.signal & sigmask(sig) != 0 {
            return false;
        }
        p.signal |= sigmask(sig);
        p.queue.push_back(info);
    }
    // signalfd readers and pollers watch pending signals, blocked or not.
    crate::fs::poll_wake();
    let threads = super::thread_group(t.tgid);
    let handler = t.sighand().action.lock()[sig as usize - 1].handler;
    let fatal = sig == SIGKILL
        || (handler == SIG_DFL
            && matches!(
                default_action(sig),
                DefaultAction::Term | DefaultAction::Core
            ));
    let target = threads
        .iter()
        .find(|th| th.blocked.load(Ordering::Relaxed) & sigmask(sig) == 0);
    if fatal && target.is_some() && !sigs.group_exit.load(Ordering::Relaxed) {
        // Linux's complete_signal fatal path: the group exits with `sig`
        // as its status, and every thread gets SIGKILL to get there.
        sigs.group_exit_code.store(sig, Ordering::Relaxed);
        sigs.group_exit.store(true, Ordering::Release);
        sigs.shared_pending.lock().signal &= !sigmask(sig);
        for th in &threads {
            th.pending.lock().signal |= sigmask(SIGKILL);
            signal_wake_up(th, true);
        }
        return true;
    }
    if let Some(th) = target {
        signal_wake_up(th, sig == SIGKILL);
    }
    true
}

/// kill(pid > 0): the thread group with that tgid.
pub fn kill_pid(pid: Pid, sig: i32, info: SigInfo) -> Result<(), Errno> {
    let t = super::find_task(pid)
        .filter(|t| t.state() != TaskState::Dead)
        .ok_or(Errno::ESRCH)?;
    let leader = super::find_task(t.tgid).unwrap_or(t);
    if sig != 0 {
        send_signal_to_group(&leader, sig, info);
    }
    Ok(())
}

/// Signal every process in a process group (kill(-pgrp), ^C).
pub fn kill_pgrp(pgrp: Pid, sig: i32) -> bool {
    let mut any = false;
    for t in super::all_tasks() {
        if t.is_group_leader() && t.signal().pgrp.load(Ordering::Relaxed) == pgrp && !t.is_kthread()
        {
            any = true;
            if t.state() != TaskState::Zombie {
                send_signal_to_group(
                    &t,
                    sig,
                    SigInfo {
                        signo: sig,
                        code: SI_KERNEL,
                        ..Default::default()
                    },
                );
            }
        }
    }
    any
}

/// A synchronous fault signal for the current thread (force_sig_fault):
/// it cannot stay blocked or ignored, or the task would loop on the fault.
pub fn force_sig_fault(sig: i32, code: i32, addr: u64) {
    let me = crate::sched::current_arc();
    {
        let sh = me.sighand();
        let mut act = sh.action.lock();
        let a = &mut act[sig as usize - 1];
        let blocked = me.blocked.load(Ordering::Relaxed) & sigmask(sig) != 0;
        if a.handler == SIG_IGN || blocked {
            a.handler = SIG_DFL;
        }
    }
    me.blocked.fetch_and(!sigmask(sig), Ordering::Relaxed);
    send_signal_to_thread(
        &me,
        sig,
        SigInfo {
            signo: sig,
            code,
            addr,
            ..Default::default()
        },
    );
}

/// Take the next pending signal in `mask`: synchronous faults first, then
/// the lowest number, own queue before the group's (Linux's dequeue_signal,
/// for delivery with mask = not blocked, and for sigtimedwait). A POSIX
/// timer's signal picks up the timer's overruns as it is taken.
pub fn dequeue_signal(t: &Task, mask: u64) -> Option<SigInfo> {
    const SYNCHRONOUS: u64 = sigmask(SIGSEGV)
        | sigmask(SIGBUS)
        | sigmask(SIGILL)
        | sigmask(SIGTRAP)
        | sigmask(SIGFPE)
        | sigmask(SIGSYS);
    let take = |p: &mut SigPending| -> Option<SigInfo> {
        let ready = p.signal & mask;
        if ready == 0 {
            return None;
        }
        let pick = if ready & SYNCHRONOUS != 0 {
            ready & SYNCHRONOUS
        } else {
            ready
        };
        let sig = pick.trailing_zeros() as i32 + 1;
        let idx = p.queue.iter().position(|i| i.signo == sig);
        let info = idx.and_then(|i| p.queue.remove(i)).unwrap_or(SigInfo {
            signo: sig,
            ..Default::default()
        });
        if !p.queue.iter().any(|i| i.signo == sig) {
            p.signal &= !sigmask(sig);
        }
        Some(info)
    };
    let mut r = take(&mut t.pending.lock()).or_else(|| take(&mut t.signal().shared_pending.lock()));
    recalc_sigpending(t);
    if let Some(info) = r.as_mut().filter(|i| i.sys_private) {
        crate::time::posix_timers::posixtimer_deliver_signal(t, info);
    }
    r
}

/// Tell the parent a child stopped or continued (do_notify_parent_cldstop).
fn notify_parent_cldstop(t: &Arc<Task>, why: i32, sig: i32) {
    let leader = super::find_task(t.tgid).unwrap_or_else(|| t.clone());
    let Some(parent) = leader.parent() else {
        return;
    };
    let act = parent.sighand().action.lock()[SIGCHLD as usize - 1];
    if act.flags & SA_NOCLDSTOP == 0 {
        let info = SigInfo {
            signo: SIGCHLD,
            code: why,
            pid: t.tgid,
            status: sig,
            ..Default::default()
        };
        send_signal_to_group(&parent, SIGCHLD, info);
    }
    parent.signal().wait_chldexit.wake_up_all();
}

/// Stop the whole group (do_signal_stop), until SIGCONT or SIGKILL.
fn do_signal_stop(sig: i32) {
    let me = crate::sched::current_arc();
    let sigs = me.signal();
    if !sigs.group_stopped.swap(true, Ordering::AcqRel) {
        *sigs.stop_report.lock() = Some(sig);
        sigs.continued_report.store(false, Ordering::Release);
        for th in super::thread_group(me.tgid) {
            if th.pid() != me.pid() {
                th.set_tif(TIF_SIGPENDING);
                wake_up_process(&th);
            }
        }
        notify_parent_cldstop(&me, CLD_STOPPED, sig);
    }
    while sigs.group_stopped.load(Ordering::Acquire) && !fatal_signal_pending(&me) {
        me.set_state(TaskState::Stopped);
        if !sigs.group_stopped.load(Ordering::Acquire) || fatal_signal_pending(&me) {
            me.set_state(TaskState::Running);
            break;
        }
        crate::sched::schedule();
    }
    me.set_state(TaskState::Running);
}

const ERESTARTSYS: u64 = (-(Errno::ERESTARTSYS.0 as i64)) as u64;
const ERESTARTNOINTR: u64 = (-(Errno::ERESTARTNOINTR.0 as i64)) as u64;
const ERESTARTNOHAND: u64 = (-(Errno::ERESTARTNOHAND.0 as i64)) as u64;
const ERESTART_RESTARTBLOCK: u64 = (-(Errno::ERESTART_RESTARTBLOCK.0 as i64)) as u64;

/// The syscall return value as the ABI sees it (sign-extended for i386).
fn syscall_ret(regs: &PtRegs) -> u64 {
    if regs.compat_mode() {
        regs.ax as u32 as i32 as i64 as u64
    } else {
        regs.ax
    }
}

fn in_syscall(regs: &PtRegs) -> bool {
    if regs.compat_mode() {
        regs.orig_ax as u32 as i32 >= 0
    } else {
        regs.orig_ax as i64 >= 0
    }
}

/// Restart the interrupted syscall when no handler runs (Linux's
/// arch_do_signal_or_restart tail).
fn restart_without_handler(regs: &mut PtRegs) {
    if !in_syscall(regs) {
        return;
    }
    match syscall_ret(regs) {
        ERESTARTNOHAND | ERESTARTSYS | ERESTARTNOINTR => {
            regs.ax = regs.orig_ax;
            regs.ip -= 2;
        }
        ERESTART_RESTARTBLOCK => {
            regs.ax = if regs.compat_mode() { 0 } else { 219 }; // __NR_restart_syscall
            regs.ip -= 2;
        }
        _ => {}
    }
}

/// Before running a handler: EINTR or restart per SA_RESTART.
fn restart_with_handler(regs: &mut PtRegs, ka: &SigAction) {
    if !in_syscall(regs) {
        return;
    }
    let eintr = (-(Errno::EINTR.0 as i64)) as u64;
    match syscall_ret(regs) {
        ERESTART_RESTARTBLOCK | ERESTARTNOHAND => regs.ax = eintr,
        ERESTARTSYS if ka.flags & SA_RESTART == 0 => regs.ax = eintr,
        ERESTARTSYS | ERESTARTNOINTR => {
            regs.ax = regs.orig_ax;
            regs.ip -= 2;
        }
        _ => {}
    }
    if regs.compat_mode() {
        regs.ax &= 0xffff_ffff;
    }
}

/// Deliver one pending signal on the way back to user mode (Linux's
/// arch_do_signal_or_restart → get_signal → handle_signal).
pub fn do_signal(regs: &mut PtRegs) {
    let me = current();
    loop {
        if me.signal().group_exit.load(Ordering::Relaxed)
            || me.pending.lock().signal & sigmask(SIGKILL) != 0
        {
            me.pending.lock().signal &= !sigmask(SIGKILL);
            let code = me.signal().group_exit_code_or(SIGKILL);
            do_group_exit(code);
        }
        let Some(info) = dequeue_signal(me, !me.blocked.load(Ordering::Relaxed)) else {
            restart_without_handler(regs);
            if let Some(mask) = me.saved_sigmask.lock().take() {
                me.blocked.store(mask, Ordering::Relaxed);
                recalc_sigpending(me);
            }
            return;
        };
        let sig = info.signo;
        let ka = me.sighand().action.lock()[sig as usize - 1];
        if ka.handler == SIG_IGN && sig != SIGKILL && sig != SIGSTOP {
            continue;
        }
        if ka.handler == SIG_DFL || sig == SIGKILL || sig == SIGSTOP {
            match default_action(sig) {
                DefaultAction::Ignore | DefaultAction::Continue => continue,
                DefaultAction::Stop => {
                    do_signal_stop(sig);
                    continue;
                }
                DefaultAction::Term => do_group_exit(sig),
                // No core file is written (RLIMIT_CORE is 0, as Linux's
                // default), so no 0x80 "core dumped" bit either.
                DefaultAction::Core => do_group_exit(sig),
            }
        }
        restart_with_handler(regs, &ka);
        let oldmask = me
            .saved_sigmask
            .lock()
            .take()
            .unwrap_or(me.blocked.load(Ordering::Relaxed));
        if crate::arch::x86_64::signal::setup_rt_frame(sig, &info, &ka, oldmask, regs).is_err() {
            // Linux's signal_setup_done failure: the task cannot take the
            // signal, so it dies of SIGSEGV.
            force_sig_fault(SIGSEGV, SI_KERNEL, 0);
            continue;
        }
        let mut mask = ka.mask;
        if ka.flags & SA_NODEFER == 0 {
            mask |= sigmask(sig);
        }
        me.blocked
            .fetch_or(mask & !SIG_KERNEL_ONLY_MASK, Ordering::Relaxed);
        if ka.flags & SA_RESETHAND != 0 {
            me.sighand().action.lock()[sig as usize - 1] = SigAction::default();
        }
        recalc_sigpending(me);
        return;
    }
}

/// Set the blocked mask (sigprocmask), never blocking SIGKILL/SIGSTOP.
pub fn set_current_blocked(mask: u64) {
    let me = current();
    me.blocked
        .store(mask & !SIG_KERNEL_ONLY_MASK, Ordering::Relaxed);
    recalc_sigpending(me);
}
