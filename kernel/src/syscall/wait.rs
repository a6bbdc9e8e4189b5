//! wait4, waitpid and waitid: decode, do_wait, encode status, rusage and
//! siginfo in the caller's layout.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::process::wait::*;
use crate::sched::current;
use crate::uaccess::{copy_to_user, put_user};
use core::sync::atomic::Ordering;

fn wait_set(pid: i32) -> WaitSet {
    match pid {
        p if p > 0 => WaitSet::Pid(p),
        -1 => WaitSet::Any,
        0 => WaitSet::Pgrp(current().signal().pgrp.load(Ordering::Relaxed)),
        p => WaitSet::Pgrp(-p),
    }
}

fn do_wait4(a: &SyscallArgs, pid: i32, status: usize, options: u32, rusage: usize) -> SysResult {
    if options & !(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL) != 0 {
        return Err(Errno::EINVAL);
    }
    match do_wait(wait_set(pid), options | WEXITED)? {
        None => Ok(0),
        Some(r) => {
            if status != 0 {
                put_user(status, &r.status)?;
            }
            if rusage != 0 {
                super::resource::put_rusage(rusage, a.compat(), &r.rusage)?;
            }
            Ok(r.pid as usize)
        }
    }
}

#[unsafe(no_mangle)]
pub fn sys_wait4(a: &mut SyscallArgs) -> SysResult {
    do_wait4(a, a.int(0), a.arg(1), a.uint(2), a.arg(3))
}

pub fn sys_waitpid(a: &mut SyscallArgs) -> SysResult {
    do_wait4(a, a.int(0), a.arg(1), a.uint(2), 0)
}

const P_ALL: u32 = 0;
const P_PID: u32 = 1;
const P_PGID: u32 = 2;

/// waitid(idtype, id, siginfo_t *infop, options, rusage).
pub fn sys_waitid(a: &mut SyscallArgs) -> SysResult {
    let (idtype, id, infop, options) = (a.uint(0), a.int(1), a.arg(2), a.uint(3));
    if options
        & !(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WCLONE | __WALL)
        != 0
        || options & (WEXITED | WSTOPPED | WCONTINUED) == 0
    {
        return Err(Errno::EINVAL);
    }
    let set = match idtype {
        P_ALL => WaitSet::Any,
        P_PID if id > 0 => WaitSet::Pid(id),
        P_PGID if id > 0 => WaitSet::Pgrp(id),
        P_PGID if id == 0 => WaitSet::Pgrp(current().signal().pgrp.load(Ordering::Relaxed)),
        _ => return Err(Errno::EINVAL),
    };
    let r = do_wait(set, options)?;
    if infop != 0 {
        let mut si = [0u8; 128];
        if let Some(r) = r {
            si[0..4].copy_from_slice(&crate::process::signal::SIGCHLD.to_le_bytes());
            si[8..12].copy_from_slice(&r.code.to_le_bytes());
            let body = if a.compat() { 12 } else { 16 };
            si[body..body + 4].copy_from_slice(&r.pid.to_le_bytes());
            si[body + 8..body + 12].copy_from_slice(&r.si_status.to_le_bytes());
        }
        copy_to_user(infop, &si)?;
    }
    if let (Some(r), ru) = (r, a.arg(4)) {
        if ru != 0 {
            super::resource::put_rusage(ru, a.compat(), &r.rusage)?;
        }
    }
    Ok(0)
}
