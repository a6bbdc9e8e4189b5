//! poll and ppoll (Linux's fs/select.c): ask each file whether it is
//! ready; if none is, sleep until a pipe or terminal changes, the timeout
//! passes, or a signal arrives.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::file::{POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLRDNORM, POLLWRNORM};
use crate::sched::current;
use crate::uaccess::{copy_from_user, copy_to_user, get_user};
use alloc::vec;

/// Fill in revents for every entry; returns how many are ready. Errors
/// and hang-ups are always reported, whatever was asked for.
fn scan(fds: &mut [u8]) -> usize {
    let files = current().files();
    let mut ready = 0;
    for e in fds.chunks_exact_mut(8) {
        let fd = i32::from_le_bytes(e[0..4].try_into().unwrap());
        let events = u16::from_le_bytes(e[4..6].try_into().unwrap());
        let rev = if fd < 0 {
            0
        } else {
            match files.get(fd) {
                Err(_) => POLLNVAL,
                Ok(f) => {
                    let mut m = f.poll();
                    if m & POLLIN != 0 {
                        m |= POLLRDNORM;
                    }
                    if m & POLLOUT != 0 {
                        m |= POLLWRNORM;
                    }
                    m & (events | POLLERR | POLLHUP)
                }
            }
        };
        e[6..8].copy_from_slice(&rev.to_le_bytes());
        if rev != 0 {
            ready += 1;
        }
    }
    ready
}

/// poll with a deadline (ktime ns) or none (wait forever).
fn do_poll(ufds: usize, nfds: usize, deadline: Option<u64>) -> SysResult {
    if nfds > crate::fs::fdtable::NR_OPEN_MAX {
        return Err(Errno::EINVAL);
    }
    let mut fds = vec![0u8; nfds * 8];
    copy_from_user(&mut fds, ufds)?;
    let mut n = scan(&mut fds);
    if n == 0 && deadline != Some(0) {
        let r = crate::fs::POLL_WQ
            .wait_event_timeout(true, deadline, &mut || scan(&mut fds.clone()) > 0);
        match r {
            Ok(_) => n = scan(&mut fds),
            Err(_) => return Err(Errno::ERESTARTNOHAND),
        }
    }
    copy_to_user(ufds, &fds)?;
    Ok(n)
}

pub fn sys_poll(a: &mut SyscallArgs) -> SysResult {
    let timeout = a.int(2);
    let deadline = (timeout >= 0).then(|| crate::time::ktime_get_ns() + timeout as u64 * 1_000_000);
    do_poll(a.arg(0), a.arg(1), deadline)
}

/// ppoll(fds, nfds, timespec *, sigmask *, sigsetsize).
pub fn sys_ppoll(a: &mut SyscallArgs) -> SysResult {
    let deadline = if a.arg(2) == 0 {
        None
    } else if a.compat() && a.nr == 309 {
        let s: i32 = get_user(a.arg(2))?;
        let ns: i32 = get_user(a.arg(2) + 4)?;
        Some(crate::time::ktime_get_ns() + s as u64 * 1_000_000_000 + ns as u64)
    } else {
        let s: i64 = get_user(a.arg(2))?;
        let ns: i64 = get_user(a.arg(2) + 8)?;
        if s < 0 || !(0..1_000_000_000).contains(&ns) {
            return Err(Errno::EINVAL);
        }
        Some(crate::time::ktime_get_ns() + s as u64 * 1_000_000_000 + ns as u64)
    };
    let mask_set = super::signal::set_user_sigmask(a.arg(3), a.arg(4))?;
    let r = do_poll(a.arg(0), a.arg(1), deadline);
    if mask_set {
        super::signal::restore_saved_sigmask_unless(r == Err(Errno::ERESTARTNOHAND));
    }
    r
}
