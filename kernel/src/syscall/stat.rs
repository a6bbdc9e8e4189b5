//! stat, fstat, lstat, fstatat, statx in every layout user space may ask
//! for (Linux's fs/stat.c and arch/x86/kernel/sys_ia32.c): x86_64's
//! `struct stat`, i386's `struct stat64` and old `struct stat`, and
//! `struct statx`.

use super::SyscallArgs;
use super::open::{AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, getname, lookup_at};
use crate::errno::{Errno, SysResult};
use crate::fs::inode::{Inode, InodeKind, S_IFMT};
use crate::sched::current;
use crate::uaccess::copy_to_user;
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

/// The facts every layout is filled from (Linux's struct kstat).
struct Kstat {
    dev: u64,
    ino: u64,
    mode: u32,
    nlink: u32,
    uid: u32,
    gid: u32,
    rdev: u64,
    size: u64,
    blksize: u32,
    blocks: u64,
    atime: (i64, u32),
    mtime: (i64, u32),
    ctime: (i64, u32),
}

/// Device number of the root filesystem (anonymous, as tmpfs's).
const ROOT_DEV: u64 = 0x16;

fn ts(ns: u64) -> (i64, u32) {
    ((ns / 1_000_000_000) as i64, (ns % 1_000_000_000) as u32)
}

/// The device number of the file's inode's file system, as stat reports
/// it (devtmpfs's for devices, the root's otherwise).
pub fn st_dev(i: &Inode) -> u64 {
    match &i.kind {
        InodeKind::CharDev { rdev, .. } if *rdev != 0 => 0x5,
        _ => ROOT_DEV,
    }
}

fn kstat(i: &Arc<Inode>) -> Kstat {
    let rdev = match &i.kind {
        InodeKind::CharDev { rdev, .. } => *rdev,
        _ => 0,
    };
    let size = i.size();
    Kstat {
        dev: st_dev(i),
        ino: i.ino,
        mode: i.mode(),
        nlink: i.nlink.load(Ordering::Relaxed),
        uid: i.uid.load(Ordering::Relaxed),
        gid: i.gid.load(Ordering::Relaxed),
        rdev,
        size,
        blksize: 4096,
        // Frames a regular file holds (holes take none), as tmpfs counts.
        blocks: i.mapping().map_or(size.div_ceil(512), |m| m.nr_pages() * 8),
        atime: ts(i.atime.load(Ordering::Relaxed)),
        mtime: ts(i.mtime.load(Ordering::Relaxed)),
        ctime: ts(i.ctime.load(Ordering::Relaxed)),
    }
}

struct Buf<const N: usize>([u8; N]);

impl<const N: usize> Buf<N> {
    fn put(&mut self, off: usize, v: &[u8]) {
        self.0[off..off + v.len()].copy_from_slice(v);
    }
}

/// x86_64 `struct stat` (144 bytes).
fn stat64_layout(k: &Kstat) -> [u8; 144] {
    let mut b = Buf([0u8; 144]);
    b.put(0, &k.dev.to_le_bytes());
    b.put(8, &k.ino.to_le_bytes());
    b.put(16, &(k.nlink as u64).to_le_bytes());
    b.put(24, &k.mode.to_le_bytes());
    b.put(28, &k.uid.to_le_bytes());
    b.put(32, &k.gid.to_le_bytes());
    b.put(40, &k.rdev.to_le_bytes());
    b.put(48, &k.size.to_le_bytes());
    b.put(56, &(k.blksize as u64).to_le_bytes());
    b.put(64, &k.blocks.to_le_bytes());
    for (off, t) in [(72, k.atime), (88, k.mtime), (104, k.ctime)] {
        b.put(off, &t.0.to_le_bytes());
        b.put(off + 8, &(t.1 as u64).to_le_bytes());
    }
    b.0
}

/// i386 `struct stat64` (96 bytes, packed).
fn ia32_stat64_layout(k: &Kstat) -> [u8; 96] {
    let mut b = Buf([0u8; 96]);
    b.put(0, &k.dev.to_le_bytes());
    b.put(12, &(k.ino as u32).to_le_bytes());
    b.put(16, &k.mode.to_le_bytes());
    b.put(20, &k.nlink.to_le_bytes());
    b.put(24, &k.uid.to_le_bytes());
    b.put(28, &k.gid.to_le_bytes());
    b.put(32, &k.rdev.to_le_bytes());
    b.put(44, &k.size.to_le_bytes());
    b.put(52, &k.blksize.to_le_bytes());
    b.put(56, &k.blocks.to_le_bytes());
    for (off, t) in [(64, k.atime), (72, k.mtime), (80, k.ctime)] {
        b.put(off, &(t.0 as u32).to_le_bytes());
        b.put(off + 4, &t.1.to_le_bytes());
    }
    b.put(88, &k.ino.to_le_bytes());
    b.0
}

/// i386 old `struct stat` (compat_stat, 64 bytes); EOVERFLOW where a
/// value does not fit, as Linux's cp_compat_stat.
fn compat_stat_layout(k: &Kstat) -> Result<[u8; 64], Errno> {
    if k.size > i32::MAX as u64 || k.ino > u32::MAX as u64 {
        return Err(Errno::EOVERFLOW);
    }
    let mut b = Buf([0u8; 64]);
    b.put(0, &(k.dev as u32).to_le_bytes());
    b.put(4, &(k.ino as u32).to_le_bytes());
    b.put(8, &(k.mode as u16).to_le_bytes());
    b.put(10, &(k.nlink as u16).to_le_bytes());
    b.put(12, &(k.uid as u16).to_le_bytes());
    b.put(14, &(k.gid as u16).to_le_bytes());
    b.put(16, &(k.rdev as u32).to_le_bytes());
    b.put(20, &(k.size as u32).to_le_bytes());
    b.put(24, &k.blksize.to_le_bytes());
    b.put(28, &(k.blocks as u32).to_le_bytes());
    for (off, t) in [(32, k.atime), (40, k.mtime), (48, k.ctime)] {
        b.put(off, &(t.0 as u32).to_le_bytes());
        b.put(off + 4, &t.1.to_le_bytes());
    }
    Ok(b.0)
}

/// `struct statx` (256 bytes).
fn statx_layout(k: &Kstat) -> [u8; 256] {
    const STATX_BASIC_STATS: u32 = 0x7ff;
    let mut b = Buf([0u8; 256]);
    b.put(0, &STATX_BASIC_STATS.to_le_bytes());
    b.put(4, &k.blksize.to_le_bytes());
    b.put(16, &k.nlink.to_le_bytes());
    b.put(20, &k.uid.to_le_bytes());
    b.put(24, &k.gid.to_le_bytes());
    b.put(28, &(k.mode as u16).to_le_bytes());
    b.put(32, &k.ino.to_le_bytes());
    b.put(40, &k.size.to_le_bytes());
    b.put(48, &k.blocks.to_le_bytes());
    for (off, t) in [(64, k.atime), (96, k.ctime), (112, k.mtime)] {
        b.put(off, &t.0.to_le_bytes());
        b.put(off + 8, &t.1.to_le_bytes());
    }
    b.put(128, &((k.rdev >> 8) as u32).to_le_bytes());
    b.put(132, &((k.rdev & 0xff) as u32).to_le_bytes());
    b.put(136, &((k.dev >> 8) as u32).to_le_bytes());
    b.put(140, &((k.dev & 0xff) as u32).to_le_bytes());
    b.0
}

/// The inode a stat-family call names: by path (following symlinks or
/// not), or the fd itself with AT_EMPTY_PATH and "".
fn stat_target(dirfd: i32, path_addr: usize, flags: u32) -> Result<Arc<Inode>, Errno> {
    // AT_NO_AUTOMOUNT and the AT_STATX_SYNC_* bits are accepted and mean nothing here.
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | 0x6000) != 0 {
        return Err(Errno::EINVAL);
    }
    super::attr::at_target(dirfd, path_addr, flags)
}

fn fd_inode(fd: i32) -> Result<Arc<Inode>, Errno> {
    Ok(current().files().get(fd)?.inode.clone())
}

fn path_inode(addr: usize, follow: bool) -> Result<Arc<Inode>, Errno> {
    let path = getname(addr)?;
    lookup_at(AT_FDCWD, &path, follow)
}

pub fn sys_newstat(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&path_inode(a.arg(0), true)?);
    copy_to_user(a.arg(1), &stat64_layout(&k)).map(|_| 0)
}

pub fn sys_newlstat(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&path_inode(a.arg(0), false)?);
    copy_to_user(a.arg(1), &stat64_layout(&k)).map(|_| 0)
}

pub fn sys_newfstat(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&fd_inode(a.int(0))?);
    copy_to_user(a.arg(1), &stat64_layout(&k)).map(|_| 0)
}

pub fn sys_newfstatat(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&stat_target(a.int(0), a.arg(1), a.uint(3))?);
    copy_to_user(a.arg(2), &stat64_layout(&k)).map(|_| 0)
}

pub fn compat_sys_newstat(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&path_inode(a.arg(0), true)?);
    copy_to_user(a.arg(1), &compat_stat_layout(&k)?).map(|_| 0)
}

pub fn compat_sys_newlstat(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&path_inode(a.arg(0), false)?);
    copy_to_user(a.arg(1), &compat_stat_layout(&k)?).map(|_| 0)
}

pub fn compat_sys_newfstat(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&fd_inode(a.int(0))?);
    copy_to_user(a.arg(1), &compat_stat_layout(&k)?).map(|_| 0)
}

pub fn compat_sys_ia32_stat64(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&path_inode(a.arg(0), true)?);
    copy_to_user(a.arg(1), &ia32_stat64_layout(&k)).map(|_| 0)
}

pub fn compat_sys_ia32_lstat64(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&path_inode(a.arg(0), false)?);
    copy_to_user(a.arg(1), &ia32_stat64_layout(&k)).map(|_| 0)
}

pub fn compat_sys_ia32_fstat64(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&fd_inode(a.int(0))?);
    copy_to_user(a.arg(1), &ia32_stat64_layout(&k)).map(|_| 0)
}

pub fn compat_sys_ia32_fstatat64(a: &mut SyscallArgs) -> SysResult {
    let k = kstat(&stat_target(a.int(0), a.arg(1), a.uint(3))?);
    copy_to_user(a.arg(2), &ia32_stat64_layout(&k)).map(|_| 0)
}

pub fn sys_statx(a: &mut SyscallArgs) -> SysResult {
    let inode = stat_target(a.int(0), a.arg(1), a.uint(2))?;
    if a.uint(3) & 0x8000_0000 != 0 {
        return Err(Errno::EINVAL); // STATX__RESERVED
    }
    copy_to_user(a.arg(4), &statx_layout(&kstat(&inode))).map(|_| 0)
}

/// The type bits of a mode, for getdents' d_type.
pub fn d_type(mode: u32) -> u8 {
    ((mode & S_IFMT) >> 12) as u8
}
