//! signalfd and signalfd4: decode, hand off to fs/signalfd.rs.

use super::SyscallArgs;
use super::open::install_fd;
use crate::errno::{Errno, SysResult};
use crate::fs::signalfd::{SFD_CLOEXEC, SFD_NONBLOCK, SignalfdCtx, signalfd_file};
use crate::sched::current;
use crate::uaccess::get_user;

// Linux's do_signalfd4: a new signalfd (ufd == -1) or a new mask for the
// signalfd open as `ufd` (EINVAL if it is another kind of file).
fn do_signalfd4(ufd: i32, mask: u64, flags: u32) -> SysResult {
    if flags & !(SFD_CLOEXEC | SFD_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    if ufd == -1 {
        return install_fd(signalfd_file(mask, flags), flags & SFD_CLOEXEC != 0);
    }
    let file = current().files().get(ufd)?;
    file.ops_as::<SignalfdCtx>()
        .ok_or(Errno::EINVAL)?
        .set_mask(mask);
    Ok(ufd as usize)
}

// The sigset_t at `addr`, which must be 8 bytes (EINVAL).
fn get_mask(addr: usize, size: usize) -> Result<u64, Errno> {
    if size != 8 {
        return Err(Errno::EINVAL);
    }
    get_user(addr)
}

/// signalfd4(ufd, mask, sizemask, flags)
pub fn sys_signalfd4(a: &mut SyscallArgs) -> SysResult {
    let mask = get_mask(a.arg(1), a.arg(2))?;
    do_signalfd4(a.int(0), mask, a.uint(3))
}

/// signalfd(ufd, mask, sizemask): signalfd4 without flags.
pub fn sys_signalfd(a: &mut SyscallArgs) -> SysResult {
    let mask = get_mask(a.arg(1), a.arg(2))?;
    do_signalfd4(a.int(0), mask, 0)
}
