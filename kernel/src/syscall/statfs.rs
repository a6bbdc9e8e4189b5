//! statfs, fstatfs and i386's statfs64/fstatfs64 (Linux's fs/statfs.c),
//! in the x86_64 layout, i386's compat_statfs and its packed
//! compat_statfs64. The root filesystem answers as a tmpfs would
//! (TMPFS_MAGIC, at most half of RAM); /proc as procfs.

use super::SyscallArgs;
use super::open::{AT_FDCWD, getname, lookup_at};
use crate::errno::{Errno, SysResult};
use crate::fs::inode::Inode;
use crate::uaccess::copy_to_user;
use alloc::sync::Arc;

const TMPFS_MAGIC: u64 = 0x0102_1994;
const ST_VALID: u64 = 0x20;
const ST_NOSUID: u64 = 0x2;
const ST_NODEV: u64 = 0x4;
const ST_NOEXEC: u64 = 0x8;
const ST_RELATIME: u64 = 0x1000;

/// Linux's struct kstatfs.
struct Kstatfs {
    f_type: u64,
    bsize: u64,
    blocks: u64,
    bfree: u64,
    bavail: u64,
    files: u64,
    ffree: u64,
    namelen: u64,
    frsize: u64,
    flags: u64,
}

/// The filesystem `inode` lives on (Linux's vfs_statfs).
fn vfs_statfs(inode: &Arc<Inode>) -> Kstatfs {
    if inode.is_proc() {
        return Kstatfs {
            f_type: crate::fs::proc::PROC_SUPER_MAGIC,
            bsize: 4096,
            blocks: 0,
            bfree: 0,
            bavail: 0,
            files: 0,
            ffree: 0,
            namelen: 255,
            frsize: 4096,
            flags: ST_VALID | ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME,
        };
    }
    let total = crate::mm::page_alloc::totalram_pages() as u64;
    let max_blocks = total / 2;
    let used = crate::mm::filemap::nr_file_pages() as u64;
    let free = (crate::mm::page_alloc::nr_free_pages() as u64).min(max_blocks.saturating_sub(used));
    let max_inodes = total / 2;
    Kstatfs {
        f_type: TMPFS_MAGIC,
        bsize: 4096,
        blocks: max_blocks,
        bfree: free,
        bavail: free,
        files: max_inodes,
        ffree: max_inodes.saturating_sub(crate::fs::inode::nr_inodes()),
        namelen: 255,
        frsize: 4096,
        flags: ST_VALID | ST_RELATIME,
    }
}

/// x86_64 struct statfs (120 bytes).
fn statfs_layout(k: &Kstatfs) -> [u8; 120] {
    let mut b = [0u8; 120];
    let fields = [
        k.f_type, k.bsize, k.blocks, k.bfree, k.bavail, k.files, k.ffree, 0, k.namelen, k.frsize,
        k.flags,
    ];
    for (i, v) in fields.iter().enumerate() {
        b[i * 8..i * 8 + 8].copy_from_slice(&v.to_le_bytes());
    }
    b
}

/// i386 struct statfs (compat_statfs, 64 bytes); EOVERFLOW when a count
/// does not fit 32 bits (Linux's put_compat_statfs).
fn compat_statfs_layout(k: &Kstatfs) -> Result<[u8; 64], Errno> {
    let high = |v: u64| v & 0xffff_ffff_0000_0000 != 0;
    if high(k.blocks | k.bfree | k.bavail | k.bsize | k.frsize)
        || (k.files != u64::MAX && high(k.files))
        || (k.ffree != u64::MAX && high(k.ffree))
    {
        return Err(Errno::EOVERFLOW);
    }
    let mut b = [0u8; 64];
    let fields = [
        k.f_type, k.bsize, k.blocks, k.bfree, k.bavail, k.files, k.ffree, 0, 0, k.namelen,
        k.frsize, k.flags,
    ];
    for (i, v) in fields.iter().enumerate() {
        b[i * 4..i * 4 + 4].copy_from_slice(&(*v as u32).to_le_bytes());
    }
    Ok(b)
}

/// i386 struct statfs64 (compat_statfs64, 84 bytes, packed).
const COMPAT_STATFS64_SIZE: usize = 84;

/// The packed i386 layout; EOVERFLOW if a block size does not fit 32 bits.
fn compat_statfs64_layout(k: &Kstatfs) -> Result<[u8; COMPAT_STATFS64_SIZE], Errno> {
    if (k.bsize | k.frsize) & 0xffff_ffff_0000_0000 != 0 {
        return Err(Errno::EOVERFLOW);
    }
    let mut b = [0u8; COMPAT_STATFS64_SIZE];
    b[0..4].copy_from_slice(&(k.f_type as u32).to_le_bytes());
    b[4..8].copy_from_slice(&(k.bsize as u32).to_le_bytes());
    for (i, v) in [k.blocks, k.bfree, k.bavail, k.files, k.ffree]
        .iter()
        .enumerate()
    {
        b[8 + i * 8..16 + i * 8].copy_from_slice(&v.to_le_bytes());
    }
    // f_fsid (48..56) stays zero.
    for (i, v) in [k.namelen, k.frsize, k.flags].iter().enumerate() {
        b[56 + i * 4..60 + i * 4].copy_from_slice(&(*v as u32).to_le_bytes());
    }
    Ok(b)
}

/// statfs of the filesystem `path` (at user address `addr`) is on.
fn path_statfs(addr: usize) -> Result<Kstatfs, Errno> {
    let path = getname(addr)?;
    Ok(vfs_statfs(&lookup_at(AT_FDCWD, &path, true)?))
}

/// fstatfs takes O_PATH descriptors too (Linux's fdget_raw).
fn fd_statfs(fd: i32) -> Result<Kstatfs, Errno> {
    Ok(vfs_statfs(&crate::sched::current().files().get(fd)?.inode))
}

/// Copy out in the caller's layout: x86_64's, or i386's compat_statfs.
fn put_statfs(a: &SyscallArgs, k: &Kstatfs, buf: usize) -> SysResult {
    if a.compat() {
        copy_to_user(buf, &compat_statfs_layout(k)?)?;
    } else {
        copy_to_user(buf, &statfs_layout(k))?;
    }
    Ok(0)
}

/// statfs(path, buf) in the caller's layout.
pub fn sys_statfs(a: &mut SyscallArgs) -> SysResult {
    let k = path_statfs(a.arg(0))?;
    put_statfs(a, &k, a.arg(1))
}

/// fstatfs(fd, buf) in the caller's layout.
pub fn sys_fstatfs(a: &mut SyscallArgs) -> SysResult {
    let k = fd_statfs(a.int(0))?;
    put_statfs(a, &k, a.arg(1))
}

/// i386 statfs64(path, size, buf): size must be the packed layout's.
pub fn sys_statfs64(a: &mut SyscallArgs) -> SysResult {
    if a.arg(1) != COMPAT_STATFS64_SIZE {
        return Err(Errno::EINVAL);
    }
    let k = path_statfs(a.arg(0))?;
    copy_to_user(a.arg(2), &compat_statfs64_layout(&k)?).map(|_| 0)
}

/// i386 fstatfs64(fd, size, buf).
pub fn sys_fstatfs64(a: &mut SyscallArgs) -> SysResult {
    if a.arg(1) != COMPAT_STATFS64_SIZE {
        return Err(Errno::EINVAL);
    }
    let k = fd_statfs(a.int(0))?;
    copy_to_user(a.arg(2), &compat_statfs64_layout(&k)?).map(|_| 0)
}
