//! truncate, ftruncate (and i386's truncate64/ftruncate64 with split
//! 64-bit lengths), fallocate and fadvise64 (Linux's fs/open.c
//! do_sys_truncate/do_sys_ftruncate/vfs_fallocate, mm/fadvise.c).

use super::SyscallArgs;
use super::open::{AT_FDCWD, getname, lookup_at};
use crate::errno::{Errno, SysResult};
use crate::fs::file::File;
use crate::sched::current;
use alloc::sync::Arc;

/// i386's 64-bit value split over two registers (low word first).
fn arg64(a: &SyscallArgs, i: usize) -> i64 {
    (a.args[i] as u32 as u64 | (a.args[i + 1] as u32 as u64) << 32) as i64
}

/// Linux's vfs_truncate on a path.
fn do_sys_truncate(path: &[u8], len: i64) -> SysResult {
    if len < 0 {
        return Err(Errno::EINVAL);
    }
    let inode = lookup_at(AT_FDCWD, path, true)?;
    if inode.is_dir() {
        return Err(Errno::EISDIR);
    }
    if !inode.is_reg() {
        return Err(Errno::EINVAL);
    }
    if inode.is_proc() {
        return Ok(0); // procfs accepts and ignores a new size, as Linux's proc_setattr
    }
    inode.truncate(len as u64).map(|_| 0)
}

/// Linux's do_sys_ftruncate: a regular file open for writing.
fn do_sys_ftruncate(fd: i32, len: i64) -> SysResult {
    if len < 0 {
        return Err(Errno::EINVAL);
    }
    let f = current().files().get(fd)?;
    if f.flags() & crate::fs::file::O_PATH != 0 {
        return Err(Errno::EBADF);
    }
    if !f.inode.is_reg() || !f.writable() {
        return Err(Errno::EINVAL);
    }
    if f.inode.is_proc() {
        return Ok(0);
    }
    f.inode.truncate(len as u64).map(|_| 0)
}

/// truncate(path, length); i386's length is a signed 32-bit long.
pub fn sys_truncate(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_sys_truncate(&path, a.long(1))
}

/// ftruncate(fd, length); i386's length is a signed 32-bit long.
pub fn sys_ftruncate(a: &mut SyscallArgs) -> SysResult {
    do_sys_ftruncate(a.int(0), a.long(1))
}

/// i386 truncate64(path, length_low, length_high).
pub fn sys_ia32_truncate64(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_sys_truncate(&path, arg64(a, 1))
}

/// i386 ftruncate64(fd, length_low, length_high).
pub fn sys_ia32_ftruncate64(a: &mut SyscallArgs) -> SysResult {
    do_sys_ftruncate(a.int(0), arg64(a, 1))
}

const FALLOC_FL_KEEP_SIZE: u32 = 0x01;
const FALLOC_FL_PUNCH_HOLE: u32 = 0x02;
/// Every mode bit Linux knows (FALLOC_FL_SUPPORTED_MASK).
const FALLOC_FL_SUPPORTED_MASK: u32 = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x20 | 0x40;
const FALLOC_FL_ZERO_RANGE: u32 = 0x10;

/// The regular file behind `fd` for fallocate/fadvise, with Linux's
/// errors for pipes (ESPIPE), directories (EISDIR) and the rest (ENODEV).
fn regular_file(fd: i32) -> Result<Arc<File>, Errno> {
    let f = current().files().get(fd)?;
    if f.inode.is_fifo() || crate::fs::pipe::pipe_of(&f).is_some() {
        return Err(Errno::ESPIPE);
    }
    if f.inode.is_dir() {
        return Err(Errno::EISDIR);
    }
    if !f.inode.is_reg() {
        return Err(Errno::ENODEV);
    }
    Ok(f)
}

/// Linux's vfs_fallocate, answered as tmpfs's shmem_fallocate does:
/// allocate (growing the file unless KEEP_SIZE) or punch a hole; other
/// modes are EOPNOTSUPP.
fn do_fallocate(fd: i32, mode: u32, offset: i64, len: i64) -> SysResult {
    let f = current().files().get(fd)?;
    if offset < 0 || len <= 0 {
        return Err(Errno::EINVAL);
    }
    if mode & !FALLOC_FL_SUPPORTED_MASK != 0
        || mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)
            == FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE
        || (mode & FALLOC_FL_PUNCH_HOLE != 0 && mode & FALLOC_FL_KEEP_SIZE == 0)
    {
        return Err(Errno::EOPNOTSUPP);
    }
    if !f.writable() {
        return Err(Errno::EBADF);
    }
    let f = regular_file(fd)?;
    let end = offset.checked_add(len).ok_or(Errno::EFBIG)? as u64;
    if mode & !(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE) != 0 || f.inode.is_proc() {
        return Err(Errno::EOPNOTSUPP);
    }
    let mapping = f.inode.mapping().ok_or(Errno::ENODEV)?;
    if mode & FALLOC_FL_PUNCH_HOLE != 0 {
        // The hole reads as zeros and frees its pages; the size stays.
        mapping.punch_hole(offset as u64, end);
        f.inode.touch_mtime();
        return Ok(0);
    }
    mapping.fallocate(offset as u64, end)?;
    if mode & FALLOC_FL_KEEP_SIZE == 0 && end > mapping.size() {
        f.inode.truncate(end)?;
    }
    Ok(0)
}

/// fallocate(fd, mode, offset, len) on x86_64.
pub fn sys_fallocate(a: &mut SyscallArgs) -> SysResult {
    do_fallocate(a.int(0), a.uint(1), a.args[2] as i64, a.args[3] as i64)
}

/// i386 fallocate(fd, mode, offset_lo, offset_hi, len_lo, len_hi).
pub fn sys_ia32_fallocate(a: &mut SyscallArgs) -> SysResult {
    do_fallocate(a.int(0), a.uint(1), arg64(a, 2), arg64(a, 4))
}

/// Linux's generic_fadvise: advice is only a hint for an in-memory
/// file, but the arguments are checked.
fn do_fadvise(fd: i32, len: i64, advice: i32) -> SysResult {
    let f = current().files().get(fd)?;
    if f.inode.is_fifo() || crate::fs::pipe::pipe_of(&f).is_some() {
        return Err(Errno::ESPIPE);
    }
    if !(0..=5).contains(&advice) || len < 0 {
        return Err(Errno::EINVAL);
    }
    Ok(0)
}

/// fadvise64(fd, offset, len, advice) on x86_64.
pub fn sys_fadvise64(a: &mut SyscallArgs) -> SysResult {
    do_fadvise(a.int(0), a.args[2] as i64, a.int(3))
}

/// i386 fadvise64(fd, offset_lo, offset_hi, len, advice).
pub fn sys_ia32_fadvise64(a: &mut SyscallArgs) -> SysResult {
    do_fadvise(a.int(0), a.uint(3) as i64, a.int(4))
}

/// i386 fadvise64_64(fd, offset_lo, offset_hi, len_lo, len_hi, advice).
pub fn sys_ia32_fadvise64_64(a: &mut SyscallArgs) -> SysResult {
    do_fadvise(a.int(0), arg64(a, 3), a.int(5))
}
