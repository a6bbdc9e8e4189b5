//! chmod and chown in every form (Linux's fs/open.c: chmod_common,
//! chown_common), including i386's 16-bit-id calls. Everyone is root, so
//! every change is allowed; procfs refuses modes, and owners of its
//! directories (its inodes are remade on every lookup).

use super::SyscallArgs;
use super::open::{AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, getname, lookup_at};
use crate::errno::{Errno, SysResult};
use crate::fs::file::O_PATH;
use crate::fs::inode::{Inode, S_IFMT};
use crate::sched::current;
use crate::uaccess::strncpy_from_user;
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_IXGRP: u32 = 0o0010;

/// The inode a *at() call names: `path` from `dirfd`, or with
/// AT_EMPTY_PATH and "" the descriptor itself.
pub fn at_target(dirfd: i32, path_addr: usize, flags: u32) -> Result<Arc<Inode>, Errno> {
    let path = strncpy_from_user(path_addr, crate::fs::namei::PATH_MAX, Errno::ENAMETOOLONG)?;
    if path.is_empty() {
        if flags & AT_EMPTY_PATH == 0 {
            return Err(Errno::ENOENT);
        }
        if dirfd == AT_FDCWD {
            return Ok(current().fs().cwd());
        }
        return Ok(current().files().get(dirfd)?.inode.clone());
    }
    lookup_at(dirfd, &path, flags & AT_SYMLINK_NOFOLLOW == 0)
}

/// The inode behind a descriptor that may change attributes: O_PATH
/// descriptors do not count (Linux's fdget refuses them).
pub fn fd_target(fd: i32) -> Result<Arc<Inode>, Errno> {
    let f = current().files().get(fd)?;
    if f.flags() & O_PATH != 0 {
        return Err(Errno::EBADF);
    }
    Ok(f.inode.clone())
}

/// Set the permission bits, keeping the type (Linux's chmod_common).
fn chmod_common(inode: &Arc<Inode>, mode: u32) -> SysResult {
    if inode.is_proc() {
        return Err(Errno::EPERM);
    }
    let old = inode.mode();
    inode
        .mode
        .store((old & S_IFMT) | (mode & 0o7777), Ordering::Relaxed);
    inode.touch_ctime();
    Ok(0)
}

/// chmod(path, mode): follows links.
pub fn sys_chmod(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    chmod_common(&lookup_at(AT_FDCWD, &path, true)?, a.uint(1))
}

/// fchmod(fd, mode).
pub fn sys_fchmod(a: &mut SyscallArgs) -> SysResult {
    chmod_common(&fd_target(a.int(0))?, a.uint(1))
}

/// fchmodat(dirfd, path, mode): no flags argument (fchmodat2 has one).
pub fn sys_fchmodat(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(1))?;
    chmod_common(&lookup_at(a.int(0), &path, true)?, a.uint(2))
}

/// fchmodat2(dirfd, path, mode, flags): links themselves have no mode
/// to change (EOPNOTSUPP), as on Linux.
pub fn sys_fchmodat2(a: &mut SyscallArgs) -> SysResult {
    let flags = a.uint(3);
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let inode = at_target(a.int(0), a.arg(1), flags)?;
    if inode.is_symlink() {
        return Err(Errno::EOPNOTSUPP);
    }
    chmod_common(&inode, a.uint(2))
}

/// Change owner and group; u32::MAX leaves one as it is. A regular
/// file loses set-user-ID, and set-group-ID when group-executable,
/// even when root does it (Linux's notify_change with ATTR_KILL_S*ID).
fn chown_common(inode: &Arc<Inode>, uid: u32, gid: u32) -> SysResult {
    if inode.is_proc() {
        // Linux refuses it for process directories and lets it pass,
        // without effect here, for files.
        return if inode.is_dir() {
            Err(Errno::EPERM)
        } else {
            Ok(0)
        };
    }
    if uid != u32::MAX {
        inode.uid.store(uid, Ordering::Relaxed);
    }
    if gid != u32::MAX {
        inode.gid.store(gid, Ordering::Relaxed);
    }
    if !inode.is_dir() {
        let mut m = inode.mode() & !S_ISUID;
        if m & S_IXGRP != 0 {
            m &= !S_ISGID;
        }
        inode.mode.store(m, Ordering::Relaxed);
    }
    inode.touch_ctime();
    Ok(0)
}

/// An id argument: i386's old calls pass 16-bit ids (0xffff is -1).
fn id_arg(a: &SyscallArgs, i: usize, id16: bool) -> u32 {
    let v = a.uint(i);
    if id16 {
        if v as u16 == u16::MAX {
            u32::MAX
        } else {
            v as u16 as u32
        }
    } else {
        v
    }
}

/// chown by path, following the last link or not, with 16- or 32-bit ids.
fn chown_path(a: &SyscallArgs, follow: bool, id16: bool) -> SysResult {
    let path = getname(a.arg(0))?;
    chown_common(
        &lookup_at(AT_FDCWD, &path, follow)?,
        id_arg(a, 1, id16),
        id_arg(a, 2, id16),
    )
}

/// chown(path, owner, group): follows links.
pub fn sys_chown(a: &mut SyscallArgs) -> SysResult {
    chown_path(a, true, false)
}

/// lchown(path, owner, group): the link itself.
pub fn sys_lchown(a: &mut SyscallArgs) -> SysResult {
    chown_path(a, false, false)
}

/// fchown(fd, owner, group).
pub fn sys_fchown(a: &mut SyscallArgs) -> SysResult {
    chown_common(&fd_target(a.int(0))?, a.uint(1), a.uint(2))
}

/// i386's chown, lchown and fchown (before the 32-bit-id calls).
pub fn sys_chown16(a: &mut SyscallArgs) -> SysResult {
    chown_path(a, true, true)
}

/// i386 lchown with 16-bit ids.
pub fn sys_lchown16(a: &mut SyscallArgs) -> SysResult {
    chown_path(a, false, true)
}

/// i386 fchown with 16-bit ids.
pub fn sys_fchown16(a: &mut SyscallArgs) -> SysResult {
    chown_common(
        &fd_target(a.int(0))?,
        id_arg(a, 1, true),
        id_arg(a, 2, true),
    )
}

/// fchownat(dirfd, path, owner, group, flags).
pub fn sys_fchownat(a: &mut SyscallArgs) -> SysResult {
    let flags = a.uint(4);
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    chown_common(&at_target(a.int(0), a.arg(1), flags)?, a.uint(2), a.uint(3))
}
