//! epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait,
//! epoll_pwait2: decode, hand off to fs/eventpoll.rs. struct epoll_event
//! is 12 bytes in both ABIs (packed on x86_64): u32 events, u64 data.

use super::SyscallArgs;
use super::open::install_fd;
use super::signal::{restore_saved_sigmask_unless, set_user_sigmask};
use crate::errno::{Errno, SysResult};
use crate::fs::eventpoll::{EPOLL_CLOEXEC, EPOLL_CTL_DEL, epoll_file, eventpoll_of};
use crate::sched::current;
use crate::uaccess::{copy_from_user, copy_to_user};
use alloc::vec::Vec;

const EPOLL_EVENT_SIZE: usize = 12;
/// The most events one wait may ask for (Linux's EP_MAX_EVENTS).
const EP_MAX_EVENTS: usize = i32::MAX as usize / EPOLL_EVENT_SIZE;

/// epoll_create1(flags)
pub fn sys_epoll_create1(a: &mut SyscallArgs) -> SysResult {
    let flags = a.uint(0);
    install_fd(epoll_file(flags)?, flags & EPOLL_CLOEXEC != 0)
}

/// epoll_create(size): the size is only checked (> 0).
pub fn sys_epoll_create(a: &mut SyscallArgs) -> SysResult {
    if a.int(0) <= 0 {
        return Err(Errno::EINVAL);
    }
    install_fd(epoll_file(0)?, false)
}

/// epoll_ctl(epfd, op, fd, event): the event is read first (EFAULT),
/// then the descriptors (EBADF), then what the target may be: a file
/// without poll (regular files, directories) is EPERM, the epoll file
/// itself or a non-epoll epfd EINVAL.
pub fn sys_epoll_ctl(a: &mut SyscallArgs) -> SysResult {
    let (op, fd) = (a.int(1), a.int(2));
    let event = if op != EPOLL_CTL_DEL {
        let mut b = [0u8; EPOLL_EVENT_SIZE];
        copy_from_user(&mut b, a.arg(3))?;
        let events = u32::from_le_bytes(b[..4].try_into().unwrap());
        Some((events, u64::from_le_bytes(b[4..].try_into().unwrap())))
    } else {
        None
    };
    let files = current().files();
    let ep_file = files.get(a.int(0))?;
    let target = files.get(fd)?;
    if target.ops.is_none() {
        return Err(Errno::EPERM);
    }
    if alloc::sync::Arc::ptr_eq(&ep_file, &target) {
        return Err(Errno::EINVAL);
    }
    eventpoll_of(&ep_file)?.ctl(op, fd, &target, event)?;
    Ok(0)
}

// Linux's do_epoll_wait: check the arguments, wait, copy the events out;
// EFAULT only if not even the first could be written.
fn do_epoll_wait(epfd: i32, events: usize, maxevents: i32, deadline: Option<u64>) -> SysResult {
    if maxevents <= 0 || maxevents as usize > EP_MAX_EVENTS {
        return Err(Errno::EINVAL);
    }
    let file = current().files().get(epfd)?;
    let got = eventpoll_of(&file)?.ep_poll(maxevents as usize, deadline)?;
    let mut out = Vec::with_capacity(got.len() * EPOLL_EVENT_SIZE);
    for (ev, data) in &got {
        out.extend_from_slice(&ev.to_le_bytes());
        out.extend_from_slice(&data.to_le_bytes());
    }
    copy_to_user(events, &out)?;
    Ok(got.len())
}

// A timeout in milliseconds, negative for none, as a deadline.
fn ms_deadline(ms: i32) -> Option<u64> {
    (ms >= 0).then(|| crate::time::ktime_get_ns() + ms as u64 * 1_000_000)
}

/// epoll_wait(epfd, events, maxevents, timeout_ms)
pub fn sys_epoll_wait(a: &mut SyscallArgs) -> SysResult {
    do_epoll_wait(a.int(0), a.arg(1), a.int(2), ms_deadline(a.int(3)))
}

// epoll_pwait and epoll_pwait2: wait with the signal mask at `sigmask`
// in place; after a signal it stays until the handler has run.
fn do_epoll_pwait(a: &SyscallArgs, deadline: Option<u64>) -> SysResult {
    let mask_set = set_user_sigmask(a.arg(4), a.arg(5))?;
    let r = do_epoll_wait(a.int(0), a.arg(1), a.int(2), deadline);
    if mask_set {
        restore_saved_sigmask_unless(r == Err(Errno::EINTR));
    }
    r
}

/// epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize)
pub fn sys_epoll_pwait(a: &mut SyscallArgs) -> SysResult {
    do_epoll_pwait(a, ms_deadline(a.int(3)))
}

/// epoll_pwait2(epfd, events, maxevents, timespec *, sigmask,
/// sigsetsize): a 64-bit timespec in both ABIs, NULL for none.
pub fn sys_epoll_pwait2(a: &mut SyscallArgs) -> SysResult {
    let deadline = if a.arg(3) == 0 {
        None
    } else {
        let (s, ns) = super::time::get_timespec(a.arg(3), false)?;
        let ns = (s as u64)
            .saturating_mul(1_000_000_000)
            .saturating_add(ns as u64);
        Some(crate::time::ktime_get_ns().saturating_add(ns))
    };
    do_epoll_pwait(a, deadline)
}
