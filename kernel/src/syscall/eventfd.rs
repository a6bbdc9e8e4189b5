//! eventfd and eventfd2: decode, hand off to fs/eventfd.rs.

use super::SyscallArgs;
use super::open::install_fd;
use crate::errno::SysResult;
use crate::fs::eventfd::{EFD_CLOEXEC, eventfd_file};

/// eventfd2(initval, flags)
pub fn sys_eventfd2(a: &mut SyscallArgs) -> SysResult {
    let flags = a.uint(1);
    install_fd(eventfd_file(a.uint(0), flags)?, flags & EFD_CLOEXEC != 0)
}

/// eventfd(initval): eventfd2 without flags.
pub fn sys_eventfd(a: &mut SyscallArgs) -> SysResult {
    install_fd(eventfd_file(a.uint(0), 0)?, false)
}
