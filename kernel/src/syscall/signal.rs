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
    if (1..=NSIG as i32).contains(&sig) { Ok(()) } else { Err(Errno::EINVAL) }
}

/// struct sigaction as the kernel sees it: {handler, flags, restorer,
/// mask} in longs for x86_64; {u32 handler, u32 flags, u32 restorer,
/// u64 mask} for i386.
fn read_sigaction(addr: usize, compat: bool) -> Result<SigAction, Errno> {
    if compat {
        let mut b = [0u8; 20];
        copy_from_user(&mut b, addr)?;
        let w = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as u64;
        Ok(SigAction { handler: w(0), flags: w(4), restorer: w(8), mask: w(12) | (w(16) << 32) })
    } else {
        let mut b = [0u8; 32];
        copy_from_user(&mut b, addr)?;
        let w = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        Ok(SigAction { handler: w(0), flags: w(8), restorer: w(16), mask: w(24) })
    }
}

fn write_sigaction(addr: usize, a: &SigAction, compat: bool) -> Result<(), Errno> {
    if compat {
        let mut b = [0u8; 20];
        for (i, v) in [a.handler, a.flags, a.restorer, a.mask & 0xffff_ffff, a.mask >> 32].iter().enumerate() {
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

pub fn sys_rt_sigaction(a: &mut SyscallArgs) -> SysResult {
    let sig = a.int(0);
    valid(sig)?;
    check_sigsetsize(a.arg(3))?;
    let new = if a.arg(1) != 0 { Some(read_sigaction(a.arg(1), a.compat())?) } else { None };
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
    // Setting SIG_IGN (or a default-ignore SIG_DFL) discards what is
    // pending, in every thread (Linux's do_sigaction).
    if let Some(n) = new {
        let ignored = n.handler == SIG_IGN || (n.handler == SIG_DFL && matches!(sig, SIGCHLD | SIGURG | SIGWINCH));
        if ignored {
            let m = !sigmask(sig);
            me.signal().shared_pending.lock().signal &= m;
            for t in crate::process::thread_group(me.tgid) {
                t.pending.lock().signal &= m;
                recalc_sigpending(&t);
            }
        }
    }
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
    let p = (me.pending.lock().signal | me.signal().shared_pending.lock().signal) & me.blocked.load(Ordering::Relaxed);
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
    SigInfo { signo: sig, code, pid: current().tgid, uid: 0, ..Default::default() }
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
            let pgrp = if pid == 0 { current().signal().pgrp.load(Ordering::Relaxed) } else { -pid };
            if sig == 0 {
                let any = crate::process::all_tasks().iter().any(|t| t.signal().pgrp.load(Ordering::Relaxed) == pgrp);
                return if any { Ok(0) } else { Err(Errno::ESRCH) };
            }
            if kill_pgrp(pgrp, sig) { Ok(0) } else { Err(Errno::ESRCH) }
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
    let r = if a.compat() { arch::sys_rt_sigreturn_32(a.regs) } else { arch::sys_rt_sigreturn_64(a.regs) };
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
