//! rename, link, symlink and mknod in all their forms (Linux's
//! fs/namei.c: do_renameat2, do_linkat, do_symlinkat, do_mknodat), with
//! Linux's checks in Linux's order.

use super::SyscallArgs;
use super::open::{AT_EMPTY_PATH, AT_FDCWD, dirfd_inode, getname};
use crate::errno::{Errno, SysResult};
use crate::fs::file::FileOps;
use crate::fs::inode::{
    Inode, InodeKind, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK,
};
use crate::fs::namei;
use crate::sched::current;
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

pub const RENAME_NOREPLACE: u32 = 1;
pub const RENAME_EXCHANGE: u32 = 2;
pub const RENAME_WHITEOUT: u32 = 4;
const AT_SYMLINK_FOLLOW: u32 = 0x400;

/// The last component of a path, as Linux classifies it (LAST_NORM,
/// LAST_DOT, LAST_DOTDOT, LAST_ROOT): only ordinary names may be
/// created, removed or renamed.
fn is_normal_name(name: &[u8]) -> bool {
    !matches!(name, b"" | b"." | b"..")
}

/// The parent directory and last name of `path` relative to `dirfd`.
fn parent_of(dirfd: i32, path: &[u8]) -> Result<(Arc<Inode>, alloc::vec::Vec<u8>), Errno> {
    let start = dirfd_inode(dirfd, path)?;
    let (dir, name) = namei::lookup_parent(&current().fs().root, &start, path)?;
    Ok((dir, name.to_vec()))
}

/// /proc (a mount point) and the root cannot be renamed or replaced.
fn is_mountpoint(i: &Arc<Inode>) -> bool {
    Arc::ptr_eq(i, &crate::fs::proc::proc_root()) || Arc::ptr_eq(i, &crate::fs::root())
}

/// rename in every form (Linux's do_renameat2 and vfs_rename).
fn do_renameat2(olddfd: i32, oldpath: &[u8], newdfd: i32, newpath: &[u8], flags: u32) -> SysResult {
    if flags & !(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT) != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & (RENAME_NOREPLACE | RENAME_WHITEOUT) != 0 && flags & RENAME_EXCHANGE != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & RENAME_WHITEOUT != 0 {
        return Err(Errno::EINVAL); // whiteouts (for overlayfs) are not supported
    }
    let (old_dir, old_name) = parent_of(olddfd, oldpath)?;
    let (new_dir, new_name) = parent_of(newdfd, newpath)?;
    if old_dir.is_proc() != new_dir.is_proc() {
        return Err(Errno::EXDEV);
    }
    if !is_normal_name(&old_name) {
        return Err(Errno::EBUSY);
    }
    if !is_normal_name(&new_name) {
        return Err(if flags & RENAME_NOREPLACE != 0 {
            Errno::EEXIST
        } else {
            Errno::EBUSY
        });
    }
    let old = old_dir.lookup(&old_name)?;
    let new = match new_dir.lookup(&new_name) {
        Ok(n) => Some(n),
        Err(Errno::ENOENT) => None,
        Err(e) => return Err(e),
    };
    if flags & RENAME_NOREPLACE != 0 && new.is_some() {
        return Err(Errno::EEXIST);
    }
    if flags & RENAME_EXCHANGE != 0 && new.is_none() {
        return Err(Errno::ENOENT);
    }
    // A trailing slash demands a directory.
    let exchange = flags & RENAME_EXCHANGE != 0;
    if !old.is_dir() && (oldpath.ends_with(b"/") || (newpath.ends_with(b"/") && !exchange)) {
        return Err(Errno::ENOTDIR);
    }
    if exchange && newpath.ends_with(b"/") && new.as_ref().is_some_and(|n| !n.is_dir()) {
        return Err(Errno::ENOTDIR);
    }
    // lock_rename's trap: the source may not contain the target's
    // directory, nor the target the source's.
    if old.is_dir() && old.is_ancestor_of(&new_dir) {
        return Err(Errno::EINVAL);
    }
    if let Some(n) = &new {
        if n.is_dir() && n.is_ancestor_of(&old_dir) {
            return Err(if exchange {
                Errno::EINVAL
            } else {
                Errno::ENOTEMPTY
            });
        }
    }
    if old_dir.is_proc() {
        return Err(Errno::EPERM); // procfs has no ->rename
    }
    if is_mountpoint(&old) || new.as_ref().is_some_and(is_mountpoint) {
        return Err(Errno::EBUSY);
    }
    if let Some(n) = &new {
        if Arc::ptr_eq(&old, n) {
            return Ok(0); // two names of one inode: nothing to do
        }
        if !exchange {
            // may_delete(new): a directory replaces only a directory.
            match (old.is_dir(), n.is_dir()) {
                (true, false) => return Err(Errno::ENOTDIR),
                (false, true) => return Err(Errno::EISDIR),
                (true, true) if !n.children()?.is_empty() => return Err(Errno::ENOTEMPTY),
                _ => {}
            }
        }
    }
    old_dir
        .rename_entry(&old_name, &new_dir, &new_name, exchange)
        .map(|_| 0)
}

/// rename(old, new).
pub fn sys_rename(a: &mut SyscallArgs) -> SysResult {
    let (old, new) = (getname(a.arg(0))?, getname(a.arg(1))?);
    do_renameat2(AT_FDCWD, &old, AT_FDCWD, &new, 0)
}

/// renameat(olddirfd, old, newdirfd, new).
pub fn sys_renameat(a: &mut SyscallArgs) -> SysResult {
    let (old, new) = (getname(a.arg(1))?, getname(a.arg(3))?);
    do_renameat2(a.int(0), &old, a.int(2), &new, 0)
}

/// renameat2(olddirfd, old, newdirfd, new, flags).
pub fn sys_renameat2(a: &mut SyscallArgs) -> SysResult {
    let (old, new) = (getname(a.arg(1))?, getname(a.arg(3))?);
    do_renameat2(a.int(0), &old, a.int(2), &new, a.uint(4))
}

/// The name a new entry goes under (Linux's filename_create): an
/// ordinary name not yet taken, in a directory of the root filesystem.
fn create_target(dirfd: i32, path: &[u8]) -> Result<(Arc<Inode>, alloc::vec::Vec<u8>), Errno> {
    let (dir, name) = parent_of(dirfd, path)?;
    if !is_normal_name(&name) {
        return Err(Errno::EEXIST);
    }
    match dir.lookup(&name) {
        Ok(_) => Err(Errno::EEXIST),
        // procfs's lookup fails a new name outright.
        Err(Errno::ENOENT) if dir.is_proc() => Err(Errno::ENOENT),
        Err(Errno::ENOENT) => Ok((dir, name)),
        Err(e) => Err(e),
    }
}

/// link in every form (Linux's do_linkat).
fn do_linkat(olddfd: i32, oldpath: &[u8], newdfd: i32, newpath: &[u8], flags: u32) -> SysResult {
    if flags & !(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let old = if oldpath.is_empty() && flags & AT_EMPTY_PATH != 0 {
        current().files().get(olddfd)?.inode.clone()
    } else if oldpath.is_empty() {
        return Err(Errno::ENOENT);
    } else {
        super::open::lookup_at(olddfd, oldpath, flags & AT_SYMLINK_FOLLOW != 0)?
    };
    let (dir, name) = create_target(newdfd, newpath)?;
    if old.is_proc() {
        return Err(Errno::EXDEV);
    }
    if old.is_dir() {
        return Err(Errno::EPERM);
    }
    if old.nlink.load(Ordering::Relaxed) == 0 {
        return Err(Errno::ENOENT); // an unlinked file cannot come back
    }
    dir.link_existing(&name, old).map(|_| 0)
}

/// link(old, new): the old name's last link is not followed.
pub fn sys_link(a: &mut SyscallArgs) -> SysResult {
    let (old, new) = (getname(a.arg(0))?, getname(a.arg(1))?);
    do_linkat(AT_FDCWD, &old, AT_FDCWD, &new, 0)
}

/// linkat(olddirfd, old, newdirfd, new, flags): "" is allowed with AT_EMPTY_PATH.
pub fn sys_linkat(a: &mut SyscallArgs) -> SysResult {
    let flags = a.uint(4);
    let old = if flags & AT_EMPTY_PATH != 0 {
        crate::uaccess::strncpy_from_user(a.arg(1), namei::PATH_MAX, Errno::ENAMETOOLONG)?
    } else {
        getname(a.arg(1))?
    };
    let new = getname(a.arg(3))?;
    do_linkat(a.int(0), &old, a.int(2), &new, flags)
}

/// symlink in both forms (Linux's do_symlinkat): the target is stored as
/// given, and need not exist.
fn do_symlinkat(target: &[u8], newdfd: i32, newpath: &[u8]) -> SysResult {
    let (dir, name) = create_target(newdfd, newpath)?;
    let link = Inode::new(
        S_IFLNK | 0o777,
        InodeKind::Symlink {
            target: target.to_vec(),
        },
    );
    dir.link(&name, link)?;
    dir.touch_mtime();
    Ok(0)
}

/// symlink(target, linkpath).
pub fn sys_symlink(a: &mut SyscallArgs) -> SysResult {
    let (target, new) = (getname(a.arg(0))?, getname(a.arg(1))?);
    do_symlinkat(&target, AT_FDCWD, &new)
}

/// symlinkat(target, newdirfd, linkpath).
pub fn sys_symlinkat(a: &mut SyscallArgs) -> SysResult {
    let (target, new) = (getname(a.arg(0))?, getname(a.arg(2))?);
    do_symlinkat(&target, a.int(1), &new)
}

/// A device node whose driver Forkline does not have: opening works,
/// reads and writes fail ENXIO (Linux fails the open itself).
struct NoDevice;

impl FileOps for NoDevice {
    /// No driver: ENXIO.
    fn read(&self, _: &crate::fs::File, _: &mut [u8]) -> SysResult {
        Err(Errno::ENXIO)
    }
    /// No driver: ENXIO.
    fn write(&self, _: &crate::fs::File, _: &[u8]) -> SysResult {
        Err(Errno::ENXIO)
    }
}

/// The `open` of device nodes without a driver.
fn open_nodevice() -> Arc<dyn FileOps> {
    Arc::new(NoDevice)
}

/// Linux's new_decode_dev: the 32-bit dev_t user space passes, as our
/// (major << 8 | minor) device numbers.
fn decode_dev(dev: u32) -> u64 {
    let major = (dev & 0xfff00) >> 8;
    let minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    ((major as u64) << 8) | minor as u64
}

/// mknod in both forms (Linux's do_mknodat): regular files, FIFOs (named
/// pipes on fs/pipe.rs), sockets, and device nodes (known devices get
/// their driver).
fn do_mknodat(dirfd: i32, path: &[u8], mode: u32, dev: u32) -> SysResult {
    let fs = current().fs();
    let perm = mode & 0o7777 & !fs.umask.load(Ordering::Relaxed);
    let kind = mode & S_IFMT;
    match kind {
        0 | S_IFREG | S_IFIFO | S_IFSOCK | S_IFCHR | S_IFBLK => {}
        S_IFDIR => return Err(Errno::EPERM),
        _ => return Err(Errno::EINVAL),
    }
    let (dir, name) = create_target(dirfd, path)?;
    let node = match kind {
        0 | S_IFREG => Inode::new_file(perm, &[])?,
        S_IFIFO => Inode::new(
            S_IFIFO | perm,
            InodeKind::Fifo {
                pipe: crate::fs::pipe::Pipe::new(0, 0),
            },
        ),
        S_IFSOCK => Inode::new(
            S_IFSOCK | perm,
            InodeKind::File {
                mapping: crate::mm::filemap::AddressSpace::new(),
            },
        ),
        _ => {
            let rdev = decode_dev(dev);
            let open = crate::fs::devices::driver(kind, rdev).unwrap_or(open_nodevice);
            Inode::new(kind | perm, InodeKind::CharDev { rdev, open })
        }
    };
    dir.link(&name, node)?;
    dir.touch_mtime();
    Ok(0)
}

/// mknod(path, mode, dev).
pub fn sys_mknod(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_mknodat(AT_FDCWD, &path, a.uint(1), a.uint(2))
}

/// mknodat(dirfd, path, mode, dev).
pub fn sys_mknodat(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(1))?;
    do_mknodat(a.int(0), &path, a.uint(2), a.uint(3))
}
