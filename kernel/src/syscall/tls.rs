//! Thread-local storage and thread bookkeeping: arch_prctl,
//! set_thread_area/get_thread_area, set_tid_address, robust lists.

use super::SyscallArgs;
use crate::arch::x86_64::tls;
use crate::errno::{Errno, SysResult};
use crate::sched::current;
use core::sync::atomic::Ordering;

pub fn sys_arch_prctl(a: &mut SyscallArgs) -> SysResult {
    tls::arch_prctl(a.uint(0), a.arg(1))
}

pub fn sys_set_thread_area(a: &mut SyscallArgs) -> SysResult {
    tls::set_thread_area(a.arg(0)).map(|_| 0)
}

pub fn sys_get_thread_area(a: &mut SyscallArgs) -> SysResult {
    tls::get_thread_area(a.arg(0)).map(|_| 0)
}

/// set_tid_address: where to write 0 (and futex-wake) at exit; returns the tid.
pub fn sys_set_tid_address(a: &mut SyscallArgs) -> SysResult {
    current().clear_child_tid.store(a.arg(0), Ordering::Relaxed);
    Ok(current().pid() as usize)
}

/// set_robust_list: the head must be exactly struct robust_list_head.
pub fn sys_set_robust_list(a: &mut SyscallArgs) -> SysResult {
    let want = if a.compat() { 12 } else { 24 };
    if a.arg(1) != want {
        return Err(Errno::EINVAL);
    }
    current().robust_list.store(a.arg(0), Ordering::Relaxed);
    Ok(0)
}

pub fn sys_get_robust_list(a: &mut SyscallArgs) -> SysResult {
    let t = if a.int(0) == 0 {
        crate::sched::current_arc()
    } else {
        crate::process::find_task(a.int(0)).ok_or(Errno::ESRCH)?
    };
    let head = t.robust_list.load(Ordering::Relaxed);
    if a.compat() {
        crate::uaccess::put_user(a.arg(1), &(head as u32))?;
        crate::uaccess::put_user(a.arg(2), &12u32)?;
    } else {
        crate::uaccess::put_user(a.arg(1), &(head as u64))?;
        crate::uaccess::put_user(a.arg(2), &24u64)?;
    }
    Ok(0)
}
