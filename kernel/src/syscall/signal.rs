//! Signal syscalls: rt_sigaction, rt_sigprocmask, sigaltstack, kill,
//! tkill, tgkill, rt_sigpending, rt_sigsuspend, pause, and the sigreturns.

use super::SyscallArgs;
use crate::arch::x86_64::signal as arch;
use crate::errno::{Errno, SysResult};
use crate::process::signal::*;
use crate::process::task::TaskState;
use crate::sched::current;
use crate::uaccess::{copy_from_user, copy_to_user, get_user};
use core::sync::atomic::Ordering;

fn check_sigsetsize(n: usize) -> Result<(), Errno> {
    if n == 8 { Ok(()) } else { Err(Errno::EINVAL) }
}

fn valid(sig: i32) -> Result<(), Errno> {
    if (1..=NSIG as i32).contains(&sig) {
        Ok(())
    } else {
        Err(Errno::EINVAL)
    }
}

/// struct sigaction as the kernel sees it: {handler, flags, restorer,
/// mask} in longs for x86_64; {u32 handler, u32 flags, u32 restorer,
/// u64 mask} for i386.
fn read_sigaction(addr: usize, compat: bool) -> Result<SigAction, Errno> {
    if compat {
        let mut b = [0u8; 20];
        copy_from_user(&mut b, addr)?;
        let w = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as u64;
        Ok(SigAction {
            handler: w(0),
            flags: w(4),
            restorer: w(8),
            mask: w(12) | (w(16) << 32),
        })
    } else {
        let mut b = [0u8; 32];
        copy_from_user(&mut b, addr)?;
        let w = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        Ok(SigAction {
            handler: w(0),
            flags: w(8),
            restorer: w(16),
            mask: w(24),
        })
    }
}

fn write_sigaction(addr: usize, a: &SigAction, compat: bool) -> Result<(), Errno> {
    if compat {
        let mut b = [0u8; 20];
        for (i, v) in [
            a.handler,
            a.flags,
            a.restorer,
            a.mask & 0xffff_ffff,
            a.mask >> 32,
        ]
        .iter()
        .enumerate()
        {
            b[i * 4..i * 4 + 4].copy_from_slice(&(*v as u32).to_le_bytes());
        }
        copy_to_user(addr, &b)
    } else {
        let mut b = [0u8; 32];
        for (i, v) in [a.handler, a.flags, a.restorer, a.mask].iter().enumerate() {
            b[i * 8..i * 8 + 8].copy_from_slice(&v.to_le_bytes());
        }
        copy_to_user(addr, &b)
    }
}

// Install `new` (if any) for `sig` and return the old action, as Linux's
// do_sigaction: SIGKILL and SIGSTOP cannot be changed (EINVAL), the
// kernel-only signals never enter a mask, and setting SIG_IGN (or a
// default-ignore SIG_DFL) discards what is pending, in every thread.
fn do_sigaction(sig: i32, new: Option<SigAction>) -> Result<SigAction, Errno> {
    if new.is_some() && (sig == SIGKILL || sig == SIGSTOP) {
        return Err(Errno::EINVAL);
    }
    let me = current();
    let sh = me.sighand();
    let old = {
        let mut act = sh.action.lock();
        let old = act[sig as usize - 1];
        if let Some(mut n) = new {
            n.mask &= !SIG_KERNEL_ONLY_MASK;
            act[sig as usize - 1] = n;
        }
        old
    };
    if let Some(n) = new {
        let ignored = n.handler == SIG_IGN
            || (n.handler == SIG_DFL && matches!(sig, SIGCHLD | SIGURG | SIGWINCH));
        if ignored {
            let m = !sigmask(sig);
            me.signal().shared_pending.lock().signal &= m;
            for t in crate::process::thread_group(me.tgid) {
                t.pending.lock().signal &= m;
                recalc_sigpending(&t);
            }
        }
    }
    Ok(old)
}

pub fn sys_rt_sigaction(a: &mut SyscallArgs) -> SysResult {
    let sig = a.int(0);
    valid(sig)?;
    check_sigsetsize(a.arg(3))?;
    let new = if a.arg(1) != 0 {
        Some(read_sigaction(a.arg(1), a.compat())?)
    } else {
        None
    };
    let old = do_sigaction(sig, new)?;
    if a.arg(2) != 0 {
        write_sigaction(a.arg(2), &old, a.compat())?;
    }
    Ok(0)
}

const SIG_BLOCK: i32 = 0;
const SIG_UNBLOCK: i32 = 1;
const SIG_SETMASK: i32 = 2;

pub fn sys_rt_sigprocmask(a: &mut SyscallArgs) -> SysResult {
    check_sigsetsize(a.arg(3))?;
    let me = current();
    let old = me.blocked.load(Ordering::Relaxed);
    if a.arg(1) != 0 {
        let set: u64 = get_user(a.arg(1))?;
        let new = match a.int(0) {
            SIG_BLOCK => old | set,
            SIG_UNBLOCK => old & !set,
            SIG_SETMASK => set,
            _ => return Err(Errno::EINVAL),
        };
        set_current_blocked(new);
    }
    if a.arg(2) != 0 {
        crate::uaccess::put_user(a.arg(2), &old)?;
    }
    Ok(0)
}

pub fn sys_rt_sigpending(a: &mut SyscallArgs) -> SysResult {
    check_sigsetsize(a.arg(1))?;
    let me = current();
    let p = (me.pending.lock().signal | me.signal().shared_pending.lock().signal)
        & me.blocked.load(Ordering::Relaxed);
    crate::uaccess::put_user(a.arg(0), &p).map(|_| 0)
}

/// Sleep until a signal is delivered (pause, sigsuspend).
fn sleep_for_signal() -> Errno {
    let me = crate::sched::current_arc();
    while !me.signal_pending() {
        me.set_state(TaskState::Interruptible);
        if me.signal_pending() {
            break;
        }
        crate::sched::schedule();
    }
    me.set_state(TaskState::Running);
    Errno::ERESTARTNOHAND
}

pub fn sys_pause(_a: &mut SyscallArgs) -> SysResult {
    Err(sleep_for_signal())
}

/// Swap in the mask at `addr` (if not NULL) for a wait, keeping the old
/// one to restore (Linux's set_user_sigmask); EINVAL unless `size` is 8.
/// Returns whether a mask was set.
pub(super) fn set_user_sigmask(addr: usize, size: usize) -> Result<bool, Errno> {
    if addr == 0 {
        return Ok(false);
    }
    check_sigsetsize(size)?;
    let mask: u64 = get_user(addr)?;
    let me = current();
    *me.saved_sigmask.lock() = Some(me.blocked.load(Ordering::Relaxed));
    set_current_blocked(mask);
    Ok(true)
}

/// Put back the mask set_user_sigmask replaced, unless a signal
/// interrupted the wait (`interrupted`): then it is restored once the
/// handler has run (Linux's restore_saved_sigmask_unless).
pub(super) fn restore_saved_sigmask_unless(interrupted: bool) {
    if interrupted {
        return;
    }
    if let Some(m) = current().saved_sigmask.lock().take() {
        set_current_blocked(m);
    }
}

/// rt_sigsuspend: wait with a temporary mask, restored after the handler.
pub fn sys_rt_sigsuspend(a: &mut SyscallArgs) -> SysResult {
    check_sigsetsize(a.arg(1))?;
    let mask: u64 = get_user(a.arg(0))?;
    let me = current();
    *me.saved_sigmask.lock() = Some(me.blocked.load(Ordering::Relaxed));
    set_current_blocked(mask);
    Err(sleep_for_signal())
}

/// sigaltstack(ss, old_ss): stack_t in the caller's layout.
pub fn sys_sigaltstack(a: &mut SyscallArgs) -> SysResult {
    const SS_ONSTACK: i32 = 1;
    const SS_DISABLE: i32 = 2;
    const SS_AUTODISARM: i32 = 1 << 31;
    const MINSIGSTKSZ: u64 = 2048;
    let me = current();
    let sp = a.regs.sp;
    let (ss_sp, ss_size, ss_flags) = *me.sigaltstack.lock();
    let on = ss_size != 0 && sp > ss_sp && sp - ss_sp <= ss_size;
    if a.arg(1) != 0 {
        let flags = if on { SS_ONSTACK } else { ss_flags };
        if a.compat() {
            let mut b = [0u8; 12];
            b[0..4].copy_from_slice(&(ss_sp as u32).to_le_bytes());
            b[4..8].copy_from_slice(&flags.to_le_bytes());
            b[8..12].copy_from_slice(&(ss_size as u32).to_le_bytes());
            copy_to_user(a.arg(1), &b)?;
        } else {
            let mut b = [0u8; 24];
            b[0..8].copy_from_slice(&ss_sp.to_le_bytes());
            b[8..12].copy_from_slice(&flags.to_le_bytes());
            b[16..24].copy_from_slice(&ss_size.to_le_bytes());
            copy_to_user(a.arg(1), &b)?;
        }
    }
    if a.arg(0) != 0 {
        let (nsp, nflags, nsize) = if a.compat() {
            let mut b = [0u8; 12];
            copy_from_user(&mut b, a.arg(0))?;
            let w = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
            (w(0) as u64, w(4) as i32, w(8) as u64)
        } else {
            let mut b = [0u8; 24];
            copy_from_user(&mut b, a.arg(0))?;
            (
                u64::from_le_bytes(b[0..8].try_into().unwrap()),
                i32::from_le_bytes(b[8..12].try_into().unwrap()),
                u64::from_le_bytes(b[16..24].try_into().unwrap()),
            )
        };
        if on {
            return Err(Errno::EPERM);
        }
        let mode = nflags & !SS_AUTODISARM;
        if mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0 {
            return Err(Errno::EINVAL);
        }
        if mode == SS_DISABLE {
            *me.sigaltstack.lock() = (0, 0, SS_DISABLE);
        } else {
            if nsize < MINSIGSTKSZ {
                return Err(Errno::ENOMEM);
            }
            *me.sigaltstack.lock() = (nsp, nsize, 0);
        }
    }
    Ok(0)
}

fn sig_info(sig: i32, code: i32) -> SigInfo {
    SigInfo {
        signo: sig,
        code,
        pid: current().tgid,
        uid: 0,
        ..Default::default()
    }
}

/// kill(pid, sig): a process, the caller's group (0), a group (-pgrp),
/// or everyone but init and the caller (-1).
pub fn sys_kill(a: &mut SyscallArgs) -> SysResult {
    let (pid, sig) = (a.int(0), a.int(1));
    if sig != 0 {
        valid(sig)?;
    }
    let info = sig_info(sig, SI_USER);
    match pid {
        p if p > 0 => kill_pid(p, sig, info).map(|_| 0),
        0 | i32::MIN..=-2 => {
            let pgrp = if pid == 0 {
                current().signal().pgrp.load(Ordering::Relaxed)
            } else {
                -pid
            };
            if sig == 0 {
                let any = crate::process::all_tasks()
                    .iter()
                    .any(|t| t.signal().pgrp.load(Ordering::Relaxed) == pgrp);
                return if any { Ok(0) } else { Err(Errno::ESRCH) };
            }
            if kill_pgrp(pgrp, sig) {
                Ok(0)
            } else {
                Err(Errno::ESRCH)
            }
        }
        _ => {
            let me = current().tgid;
            let mut any = false;
            for t in crate::process::all_tasks() {
                if t.is_group_leader() && t.tgid > 1 && t.tgid != me && !t.is_kthread() {
                    any = true;
                    if sig != 0 {
                        send_signal_to_group(&t, sig, info);
                    }
                }
            }
            if any { Ok(0) } else { Err(Errno::ESRCH) }
        }
    }
}

fn do_tkill(tgid: i32, tid: i32, sig: i32) -> SysResult {
    if tid <= 0 {
        return Err(Errno::EINVAL);
    }
    if sig != 0 {
        valid(sig)?;
    }
    let t = crate::process::find_task(tid).ok_or(Errno::ESRCH)?;
    if tgid > 0 && t.tgid != tgid || matches!(t.state(), TaskState::Zombie | TaskState::Dead) {
        return Err(Errno::ESRCH);
    }
    if sig != 0 {
        send_signal_to_thread(&t, sig, sig_info(sig, SI_TKILL));
    }
    Ok(0)
}

pub fn sys_tkill(a: &mut SyscallArgs) -> SysResult {
    do_tkill(-1, a.int(0), a.int(1))
}

pub fn sys_tgkill(a: &mut SyscallArgs) -> SysResult {
    if a.int(0) <= 0 {
        return Err(Errno::EINVAL);
    }
    do_tkill(a.int(0), a.int(1), a.int(2))
}

pub fn sys_rt_sigreturn(a: &mut SyscallArgs) -> SysResult {
    let r = if a.compat() {
        arch::sys_rt_sigreturn_32(a.regs)
    } else {
        arch::sys_rt_sigreturn_64(a.regs)
    };
    match r {
        Ok(ax) => Ok(ax as usize),
        Err(_) => {
            force_sig_fault(SIGSEGV, SI_KERNEL, 0);
            Ok(a.regs.ax as usize)
        }
    }
}

/// i386 sigreturn (non-RT frames).
pub fn sys_sigreturn(a: &mut SyscallArgs) -> SysResult {
    match arch::sys_sigreturn_32(a.regs) {
        Ok(ax) => Ok(ax as usize),
        Err(_) => {
            force_sig_fault(SIGSEGV, SI_KERNEL, 0);
            Ok(a.regs.ax as usize)
        }
    }
}

/// Copy a user siginfo_t for rt_sigqueueinfo: signo/errno/code and the
/// kill-style fields.
fn read_siginfo(a: &SyscallArgs, addr: usize, sig: i32) -> Result<SigInfo, Errno> {
    let mut b = [0u8; 128];
    copy_from_user(&mut b, addr)?;
    let w = |o: usize| i32::from_le_bytes(b[o..o + 4].try_into().unwrap());
    let body = if a.compat() { 12 } else { 16 };
    let value = if a.compat() {
        w(body + 8) as u32 as u64
    } else {
        u64::from_le_bytes(b[body + 8..body + 16].try_into().unwrap())
    };
    Ok(SigInfo {
        signo: sig,
        errno: w(4),
        code: w(8),
        pid: w(body),
        uid: w(body + 4) as u32,
        value,
        ..Default::default()
    })
}

/// rt_sigqueueinfo(tgid, sig, info): user-made si_code must be negative
/// (SI_QUEUE…) unless signalling ourselves, as Linux enforces.
pub fn sys_rt_sigqueueinfo(a: &mut SyscallArgs) -> SysResult {
    let (tgid, sig) = (a.int(0), a.int(1));
    valid(sig)?;
    let info = read_siginfo(a, a.arg(2), sig)?;
    if info.code >= 0 && tgid != current().tgid {
        return Err(Errno::EPERM);
    }
    kill_pid(tgid, sig, info).map(|_| 0)
}

/// rt_tgsigqueueinfo(tgid, tid, sig, info).
pub fn sys_rt_tgsigqueueinfo(a: &mut SyscallArgs) -> SysResult {
    let (tgid, tid, sig) = (a.int(0), a.int(1), a.int(2));
    valid(sig)?;
    if tgid <= 0 || tid <= 0 {
        return Err(Errno::EINVAL);
    }
    let info = read_siginfo(a, a.arg(3), sig)?;
    if info.code >= 0 && tgid != current().tgid {
        return Err(Errno::EPERM);
    }
    let t = crate::process::find_task(tid)
        .filter(|t| t.tgid == tgid)
        .ok_or(Errno::ESRCH)?;
    send_signal_to_thread(&t, sig, info);
    Ok(0)
}

/// rt_sigtimedwait(set, info, timeout, sigsetsize): wait for a signal in
/// `set`, taking it without running a handler.
pub fn sys_rt_sigtimedwait(a: &mut SyscallArgs) -> SysResult {
    check_sigsetsize(a.arg(3))?;
    let set: u64 = get_user(a.arg(0))?;
    let set = set & !SIG_KERNEL_ONLY_MASK;
    let deadline = if a.arg(2) == 0 {
        None
    } else {
        let old32 = a.compat() && a.nr != 421;
        let (s, ns) = if old32 {
            (
                get_user::<i32>(a.arg(2))? as i64,
                get_user::<i32>(a.arg(2) + 4)? as i64,
            )
        } else {
            (
                get_user::<i64>(a.arg(2))?,
                get_user::<i64>(a.arg(2) + 8)? as i32 as i64,
            )
        };
        if s < 0 || !(0..1_000_000_000).contains(&ns) {
            return Err(Errno::EINVAL);
        }
        Some(crate::time::ktime_get_ns() + s as u64 * 1_000_000_000 + ns as u64)
    };
    let me = crate::sched::current_arc();
    let info = loop {
        if let Some(i) = crate::process::signal::dequeue_signal(current(), set) {
            break i;
        }
        // Any other deliverable signal interrupts the wait (EINTR).
        let blocked = me.blocked.load(Ordering::Relaxed);
        let pending = me.pending.lock().signal | me.signal().shared_pending.lock().signal;
        if pending & !blocked & !set != 0 || fatal_signal_pending(&me) {
            return Err(Errno::EINTR);
        }
        if deadline.is_some_and(|d| crate::time::ktime_get_ns() >= d) {
            return Err(Errno::EAGAIN);
        }
        me.set_state(TaskState::Interruptible);
        let wake = me.pending.lock().signal | me.signal().shared_pending.lock().signal;
        if wake & (set | !blocked) == 0 {
            if let Some(d) = deadline {
                crate::sched::timer::arm(d, &me);
            }
            // Wake-ups come from signal_wake_up; blocked signals in `set`
            // only set TIF_SIGPENDING if unblocked, so poll once a tick too.
            crate::sched::timer::arm(crate::time::ktime_get_ns() + 4_000_000, &me);
            crate::sched::schedule();
        }
        me.set_state(TaskState::Running);
    };
    if a.arg(1) != 0 {
        let bytes = crate::arch::x86_64::signal::siginfo_bytes(&info, a.compat());
        copy_to_user(a.arg(1), &bytes)?;
    }
    Ok(info.signo as usize)
}

/// restart_syscall: nothing is ever left to restart this way (sleeps
/// restart by re-executing the call), so report the interruption.
pub fn sys_restart_syscall(_a: &mut SyscallArgs) -> SysResult {
    Err(Errno::EINTR)
}

// ---- i386's original signal calls (old_sigset_t is 32 bits) ----

/// sigaction(sig, struct old_sigaction *, struct old_sigaction *):
/// {handler, mask (32 bits), flags, restorer}.
pub fn sys_sigaction(a: &mut SyscallArgs) -> SysResult {
    let sig = a.int(0);
    valid(sig)?;
    let new = if a.arg(1) != 0 {
        let mut b = [0u8; 16];
        copy_from_user(&mut b, a.arg(1))?;
        let w = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as u64;
        Some(SigAction {
            handler: w(0),
            mask: w(4),
            flags: w(8),
            restorer: w(12),
        })
    } else {
        None
    };
    let old = do_sigaction(sig, new)?;
    if a.arg(2) != 0 {
        let mut b = [0u8; 16];
        for (i, v) in [old.handler, old.mask, old.flags, old.restorer]
            .iter()
            .enumerate()
        {
            b[i * 4..i * 4 + 4].copy_from_slice(&(*v as u32).to_le_bytes());
        }
        copy_to_user(a.arg(2), &b)?;
    }
    Ok(0)
}

/// signal(sig, handler): SysV semantics (SA_ONESHOT | SA_NOMASK); returns
/// the old handler.
pub fn sys_signal(a: &mut SyscallArgs) -> SysResult {
    let sig = a.int(0);
    valid(sig)?;
    let new = SigAction {
        handler: a.args[1],
        flags: SA_RESETHAND | SA_NODEFER,
        ..Default::default()
    };
    Ok(do_sigaction(sig, Some(new))?.handler as usize)
}

/// sigprocmask(how, old_sigset_t *set, old_sigset_t *oset).
pub fn sys_sigprocmask(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let old = me.blocked.load(Ordering::Relaxed);
    if a.arg(1) != 0 {
        let set = get_user::<u32>(a.arg(1))? as u64;
        let new = match a.int(0) {
            SIG_BLOCK => old | set,
            SIG_UNBLOCK => old & !set,
            SIG_SETMASK => (old & !0xffff_ffff) | set,
            _ => return Err(Errno::EINVAL),
        };
        set_current_blocked(new);
    }
    if a.arg(2) != 0 {
        crate::uaccess::put_user(a.arg(2), &(old as u32))?;
    }
    Ok(0)
}

/// sigpending(old_sigset_t *).
pub fn sys_sigpending(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let p = (me.pending.lock().signal | me.signal().shared_pending.lock().signal)
        & me.blocked.load(Ordering::Relaxed);
    crate::uaccess::put_user(a.arg(0), &(p as u32)).map(|_| 0)
}

/// sigsuspend(unused, unused, old_sigset_t mask) (i386's 3-argument form).
pub fn sys_sigsuspend(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let old = me.blocked.load(Ordering::Relaxed);
    *me.saved_sigmask.lock() = Some(old);
    set_current_blocked((old & !0xffff_ffff) | a.args[2] & 0xffff_ffff);
    Err(sleep_for_signal())
}
