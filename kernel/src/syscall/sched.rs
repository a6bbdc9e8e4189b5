//! Scheduler syscalls: sched_yield, CPU affinity (one CPU), getcpu.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::uaccess::{clear_user, copy_from_user, put_user};

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
