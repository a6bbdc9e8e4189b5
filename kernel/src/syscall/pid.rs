//! Process ids and credentials: getpid, getppid, gettid, the uid/gid
//! family (everyone is root), process groups and sessions.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::sched::current;
use core::sync::atomic::Ordering;

pub fn sys_getpid(_a: &mut SyscallArgs) -> SysResult {
    Ok(current().tgid as usize)
}

pub fn sys_gettid(_a: &mut SyscallArgs) -> SysResult {
    Ok(current().pid() as usize)
}

/// The parent process's tgid (0 for tasks without one): the group
/// leader's parent, as Linux's `current->real_parent->tgid`.
pub fn sys_getppid(_a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let parent = if me.is_group_leader() {
        me.parent()
    } else {
        crate::process::find_task(me.tgid)
            .and_then(|l| l.parent())
            .or_else(|| me.parent())
    };
    Ok(parent.map_or(0, |p| p.tgid as usize))
}

/// getuid, geteuid, getgid, getegid (and their 16/32-bit i386 twins).
pub fn sys_getuid(_a: &mut SyscallArgs) -> SysResult {
    Ok(0)
}

/// setuid/setgid family: root may become root.
pub fn sys_setuid(a: &mut SyscallArgs) -> SysResult {
    if a.uint(0) == 0 {
        Ok(0)
    } else {
        Err(Errno::EPERM)
    }
}

/// getresuid/getresgid: three zeros.
pub fn sys_getresuid(a: &mut SyscallArgs) -> SysResult {
    let word = if a.compat() && matches!(a.nr, 165 | 171) {
        2
    } else {
        4
    };
    for i in 0..3 {
        crate::uaccess::clear_user(a.arg(i), word)?;
    }
    Ok(0)
}

pub fn sys_getgroups(_a: &mut SyscallArgs) -> SysResult {
    Ok(0)
}

fn group_leader(pid: i32) -> Result<alloc::sync::Arc<crate::process::task::Task>, Errno> {
    let pid = if pid == 0 { current().tgid } else { pid };
    crate::process::find_task(pid)
        .filter(|t| t.is_group_leader())
        .ok_or(Errno::ESRCH)
}

pub fn sys_getpgid(a: &mut SyscallArgs) -> SysResult {
    Ok(group_leader(a.int(0))?
        .signal()
        .pgrp
        .load(Ordering::Relaxed) as usize)
}

pub fn sys_getpgrp(_a: &mut SyscallArgs) -> SysResult {
    Ok(current().signal().pgrp.load(Ordering::Relaxed) as usize)
}

pub fn sys_getsid(a: &mut SyscallArgs) -> SysResult {
    Ok(group_leader(a.int(0))?
        .signal()
        .session
        .load(Ordering::Relaxed) as usize)
}

/// setpgid(pid, pgid) with Linux's rules: self or a child, same session,
/// not a session leader, and the group must exist in the session.
pub fn sys_setpgid(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let (pid, pgid) = (a.int(0), a.int(1));
    if pgid < 0 {
        return Err(Errno::EINVAL);
    }
    let target = group_leader(pid)?;
    let is_child = target.parent().is_some_and(|p| p.tgid == me.tgid);
    if target.tgid != me.tgid && !is_child {
        return Err(Errno::ESRCH);
    }
    // A child that has exec'd is out of reach (Linux: EACCES).
    if is_child && target.flags.load(Ordering::Relaxed) & crate::process::task::PF_FORKNOEXEC == 0 {
        return Err(Errno::EACCES);
    }
    let sig = target.signal();
    let my_session = me.signal().session.load(Ordering::Relaxed);
    if sig.session.load(Ordering::Relaxed) != my_session {
        return Err(Errno::EPERM);
    }
    if sig.session.load(Ordering::Relaxed) == target.tgid {
        return Err(Errno::EPERM); // a session leader
    }
    let pgid = if pgid == 0 { target.tgid } else { pgid };
    if pgid != target.tgid {
        let exists = crate::process::all_tasks().iter().any(|t| {
            t.signal().pgrp.load(Ordering::Relaxed) == pgid
                && t.signal().session.load(Ordering::Relaxed) == my_session
        });
        if !exists {
            return Err(Errno::EPERM);
        }
    }
    sig.pgrp.store(pgid, Ordering::Relaxed);
    Ok(0)
}

/// setsid: a new session and group led by the caller (EPERM for a group leader).
pub fn sys_setsid(_a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let tgid = me.tgid;
    let in_use = crate::process::all_tasks()
        .iter()
        .any(|t| t.signal().pgrp.load(Ordering::Relaxed) == tgid);
    if in_use {
        return Err(Errno::EPERM);
    }
    let sig = me.signal();
    sig.pgrp.store(tgid, Ordering::Relaxed);
    sig.session.store(tgid, Ordering::Relaxed);
    Ok(tgid as usize)
}
