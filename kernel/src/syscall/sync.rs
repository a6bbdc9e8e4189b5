//! fsync, fdatasync, sync, syncfs and flock (Linux's fs/sync.c and
//! fs/locks.c). Everything lives in memory, so there is nothing to
//! write back; what remains are Linux's answers for each kind of file.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::file::O_PATH;
use crate::fs::locks::{F_RDLCK, F_UNLCK, F_WRLCK, flock_lock_file};
use crate::sched::current;

/// Linux's vfs_fsync: files and directories of the root filesystem
/// (tmpfs's noop_fsync) succeed; pipes, terminals, devices and procfs
/// files have no ->fsync and fail EINVAL.
fn do_fsync(fd: i32) -> SysResult {
    let f = current().files().get(fd)?;
    if f.flags() & O_PATH != 0 {
        return Err(Errno::EBADF);
    }
    if f.ops.is_some() || f.inode.is_proc() || !(f.inode.is_reg() || f.inode.is_dir()) {
        return Err(Errno::EINVAL);
    }
    Ok(0)
}

/// fsync(fd).
pub fn sys_fsync(a: &mut SyscallArgs) -> SysResult {
    do_fsync(a.int(0))
}

/// fdatasync(fd): as fsync, there being no metadata to skip.
pub fn sys_fdatasync(a: &mut SyscallArgs) -> SysResult {
    do_fsync(a.int(0))
}

/// sync(): nothing is waiting to be written.
pub fn sys_sync(_a: &mut SyscallArgs) -> SysResult {
    Ok(0)
}

/// syncfs(fd): only checks the descriptor.
pub fn sys_syncfs(a: &mut SyscallArgs) -> SysResult {
    current().files().get(a.int(0)).map(|_| 0)
}

const LOCK_SH: u32 = 1;
const LOCK_EX: u32 = 2;
const LOCK_NB: u32 = 4;
const LOCK_UN: u32 = 8;
const LOCK_MAND: u32 = 32;

/// flock(fd, operation): LOCK_SH, LOCK_EX or LOCK_UN on the open file
/// description, sleeping for it unless LOCK_NB (fs/locks.rs). As Linux:
/// the operation is checked before the descriptor, LOCK_MAND is ignored,
/// O_PATH descriptors are EBADF.
pub fn sys_flock(a: &mut SyscallArgs) -> SysResult {
    let cmd = a.uint(1);
    if cmd & LOCK_MAND != 0 {
        return Ok(0);
    }
    let ty = match cmd & !LOCK_NB {
        LOCK_SH => F_RDLCK,
        LOCK_EX => F_WRLCK,
        LOCK_UN => F_UNLCK,
        _ => return Err(Errno::EINVAL),
    };
    let f = current().files().get(a.int(0))?;
    if f.flags() & O_PATH != 0 {
        return Err(Errno::EBADF);
    }
    flock_lock_file(&f, ty, cmd & LOCK_NB == 0).map(|_| 0)
}
