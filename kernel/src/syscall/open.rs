//! open, close, access, and the working directory (Linux's fs/open.c,
//! fs/namei.c, fs/d_path.c).

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::file::*;
use crate::fs::inode::{Inode, InodeKind, S_IFLNK};
use crate::fs::{File, namei};
use crate::process::signal::RLIMIT_NOFILE;
use crate::sched::current;
use crate::uaccess::{copy_to_user, strncpy_from_user};
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

pub const AT_FDCWD: i32 = -100;
pub const AT_SYMLINK_NOFOLLOW: u32 = 0x100;
pub const AT_REMOVEDIR: u32 = 0x200;
pub const AT_EMPTY_PATH: u32 = 0x1000;

/// Copy a path argument (Linux's getname): ENOENT for "", ENAMETOOLONG
/// beyond PATH_MAX.
pub fn getname(addr: usize) -> Result<Vec<u8>, Errno> {
    let p = strncpy_from_user(addr, namei::PATH_MAX, Errno::ENAMETOOLONG)?;
    if p.is_empty() {
        return Err(Errno::ENOENT);
    }
    Ok(p)
}

/// The directory a *at() path is relative to.
pub fn dirfd_inode(dirfd: i32, path: &[u8]) -> Result<Arc<Inode>, Errno> {
    if path.first() == Some(&b'/') || dirfd == AT_FDCWD {
        return Ok(current().fs().cwd());
    }
    let f = current().files().get(dirfd)?;
    if !f.inode.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    Ok(f.inode.clone())
}

/// Resolve `path` relative to `dirfd` (Linux's user_path_at).
pub fn lookup_at(dirfd: i32, path: &[u8], follow: bool) -> Result<Arc<Inode>, Errno> {
    let start = dirfd_inode(dirfd, path)?;
    namei::path_lookup(&current().fs().root, &start, path, follow)
}

fn nofile_limit() -> usize {
    current().signal().rlim.lock()[RLIMIT_NOFILE]
        .cur
        .min(usize::MAX as u64) as usize
}

/// Install a new file at the lowest free descriptor, close-on-exec if
/// asked (Linux's get_unused_fd_flags + fd_install); the descriptor.
pub(super) fn install_fd(file: Arc<crate::fs::File>, cloexec: bool) -> SysResult {
    current()
        .files()
        .alloc(file, cloexec, 0, nofile_limit())
        .map(|fd| fd as usize)
}

/// Open `path` (Linux's do_sys_openat2): lookup or create, checks, fd.
pub fn do_open(dirfd: i32, path: &[u8], flags: u32, mode: u32) -> SysResult {
    let fs = current().fs();
    let start = dirfd_inode(dirfd, path)?;
    let inode = match namei::path_lookup(&fs.root, &start, path, flags & O_NOFOLLOW == 0) {
        Ok(i) => {
            if flags & O_CREAT != 0 && flags & O_EXCL != 0 {
                return Err(Errno::EEXIST);
            }
            i
        }
        Err(Errno::ENOENT) if flags & O_CREAT != 0 => {
            let (dir, name) = namei::lookup_parent(&fs.root, &start, path)?;
            if name.is_empty() || path.ends_with(b"/") {
                return Err(Errno::EISDIR);
            }
            let umask = fs.umask.load(Ordering::Relaxed);
            let node = Inode::new_file(mode & 0o7777 & !umask, &[])?;
            dir.link(name, node.clone())?;
            node
        }
        Err(e) => return Err(e),
    };
    if inode.is_symlink() {
        return Err(Errno::ELOOP); // O_NOFOLLOW on a symlink
    }
    if flags & O_DIRECTORY != 0 && !inode.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    if inode.is_dir() && flags & O_ACCMODE != O_RDONLY && flags & O_PATH == 0 {
        return Err(Errno::EISDIR);
    }
    if flags & O_TRUNC != 0 && inode.is_reg() && flags & O_ACCMODE != O_RDONLY {
        inode.truncate(0)?;
    }
    let file = File::open_checked(inode, flags, path.to_vec())?;
    let fd = current()
        .files()
        .alloc(file, flags & O_CLOEXEC != 0, 0, nofile_limit())?;
    Ok(fd as usize)
}

/// O_LARGEFILE is implied on 64-bit and set by glibc on i386: ignore it.
const O_LARGEFILE: u32 = 0o100000;

pub fn sys_open(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_open(AT_FDCWD, &path, a.uint(1) & !O_LARGEFILE, a.uint(2))
}

pub fn sys_openat(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(1))?;
    do_open(a.int(0), &path, a.uint(2) & !O_LARGEFILE, a.uint(3))
}

pub fn sys_creat(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_open(AT_FDCWD, &path, O_CREAT | O_WRONLY | O_TRUNC, a.uint(1))
}

pub fn sys_close(a: &mut SyscallArgs) -> SysResult {
    current().files().close(a.int(0)).map(|_| 0)
}

/// access/faccessat: everything is owned by root and we are root, so only
/// existence and, for X_OK, an execute bit matter (Linux's root rules).
fn do_access(dirfd: i32, path: &[u8], mode: u32, flags: u32) -> SysResult {
    if mode & !7 != 0 {
        return Err(Errno::EINVAL);
    }
    let inode = lookup_at(dirfd, path, flags & AT_SYMLINK_NOFOLLOW == 0)?;
    if mode & 1 != 0 && !inode.is_dir() && inode.mode() & 0o111 == 0 {
        return Err(Errno::EACCES);
    }
    Ok(0)
}

pub fn sys_access(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_access(AT_FDCWD, &path, a.uint(1), 0)
}

pub fn sys_faccessat(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(1))?;
    do_access(a.int(0), &path, a.uint(2), 0)
}

pub fn sys_faccessat2(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(1))?;
    do_access(a.int(0), &path, a.uint(2), a.uint(3))
}

pub fn sys_getcwd(a: &mut SyscallArgs) -> SysResult {
    let (mut path, deleted) = current().fs().cwd_path();
    if deleted {
        return Err(Errno::ENOENT);
    }
    path.push(0);
    if path.len() > a.arg(1) {
        return Err(Errno::ERANGE);
    }
    copy_to_user(a.arg(0), &path)?;
    Ok(path.len())
}

/// Move the working directory to `inode`, known by absolute `path`.
fn set_pwd(inode: Arc<Inode>, path: Vec<u8>) -> SysResult {
    if !inode.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    *current().fs().pwd.lock() = (inode, namei::normalize(&path));
    Ok(0)
}

pub fn sys_chdir(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    let inode = lookup_at(AT_FDCWD, &path, true)?;
    let abs = if path.starts_with(b"/") {
        path
    } else {
        let mut p = current().fs().pwd.lock().1.clone();
        p.push(b'/');
        p.extend_from_slice(&path);
        p
    };
    set_pwd(inode, abs)
}

pub fn sys_fchdir(a: &mut SyscallArgs) -> SysResult {
    let f = current().files().get(a.int(0))?;
    let root = current().fs().root.clone();
    let path = f
        .inode
        .d_path(&root)
        .map_or_else(|| f.path.clone(), |(p, _)| p);
    set_pwd(f.inode.clone(), path)
}

pub fn sys_umask(a: &mut SyscallArgs) -> SysResult {
    Ok(current()
        .fs()
        .umask
        .swap(a.uint(0) & 0o777, Ordering::Relaxed) as usize)
}

/// readlink into a user buffer (no NUL, truncated to bufsiz).
fn do_readlink(dirfd: i32, path: &[u8], buf: usize, bufsiz: i32) -> SysResult {
    if bufsiz <= 0 {
        return Err(Errno::EINVAL);
    }
    let inode = lookup_at(dirfd, path, false)?;
    let target: Vec<u8> = match &inode.kind {
        InodeKind::Symlink { target } => target.clone(),
        InodeKind::Generated { generate, .. } if inode.mode() & S_IFLNK == S_IFLNK => {
            generate(&inode)
        }
        _ => return Err(Errno::EINVAL),
    };
    let n = target.len().min(bufsiz as usize);
    copy_to_user(buf, &target[..n])?;
    Ok(n)
}

pub fn sys_readlink(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_readlink(AT_FDCWD, &path, a.arg(1), a.int(2))
}

pub fn sys_readlinkat(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(1))?;
    do_readlink(a.int(0), &path, a.arg(2), a.int(3))
}

fn do_mkdir(dirfd: i32, path: &[u8], mode: u32) -> SysResult {
    let fs = current().fs();
    let start = dirfd_inode(dirfd, path)?;
    let (dir, name) = namei::lookup_parent(&fs.root, &start, path)?;
    if name.is_empty() || name == b"." || name == b".." {
        return Err(Errno::EEXIST);
    }
    let umask = fs.umask.load(Ordering::Relaxed);
    dir.link(name, Inode::new_dir(mode & 0o7777 & !umask, Weak::new()))
        .map(|_| 0)
}

pub fn sys_mkdir(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_mkdir(AT_FDCWD, &path, a.uint(1))
}

pub fn sys_mkdirat(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(1))?;
    do_mkdir(a.int(0), &path, a.uint(2))
}

fn do_unlink(dirfd: i32, path: &[u8], flags: u32) -> SysResult {
    let fs = current().fs();
    let start = dirfd_inode(dirfd, path)?;
    let (dir, name) = namei::lookup_parent(&fs.root, &start, path)?;
    let victim = dir.lookup(name)?;
    if flags & AT_REMOVEDIR != 0 {
        if !victim.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if name == b"." {
            return Err(Errno::EINVAL);
        }
        if dir.is_proc() {
            return Err(Errno::EPERM); // procfs has no ->rmdir (checked before emptiness)
        }
        if !victim.children()?.is_empty() {
            return Err(Errno::ENOTEMPTY);
        }
    } else if victim.is_dir() {
        return Err(Errno::EISDIR);
    }
    dir.unlink(name).map(|_| 0)
}

pub fn sys_unlink(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_unlink(AT_FDCWD, &path, 0)
}

pub fn sys_unlinkat(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(1))?;
    do_unlink(a.int(0), &path, a.uint(2))
}

pub fn sys_rmdir(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_unlink(AT_FDCWD, &path, AT_REMOVEDIR)
}
