//! exit and exit_group.

use super::SyscallArgs;
use crate::errno::SysResult;
use crate::process::exit::{do_exit, do_group_exit, exit_status};

#[unsafe(no_mangle)]
pub fn sys_exit(a: &mut SyscallArgs) -> SysResult {
    do_exit(exit_status(a.int(0)))
}

#[unsafe(no_mangle)]
pub fn sys_exit_group(a: &mut SyscallArgs) -> SysResult {
    do_group_exit(exit_status(a.int(0)))
}
