//! read, write and their vector/positional forms (Linux's fs/read_write.c).

use super::SyscallArgs;
use super::rw_vec::{do_readv_at, do_writev_at, import_iovec};
use crate::errno::{Errno, SysResult};
use crate::sched::current;
use crate::uaccess::{copy_from_user, copy_to_user};
use alloc::vec;

/// Linux caps one read or write at MAX_RW_COUNT (INT_MAX & PAGE_MASK).
const MAX_RW_COUNT: usize = 0x7fff_f000;
/// Bytes moved through the kernel per step.
const CHUNK: usize = 64 * 1024;

/// read(fd) into user memory, chunk by chunk; a short read ends it.
pub fn do_read(fd: i32, buf: usize, count: usize, pos: Option<u64>) -> SysResult {
    let file = current().files().get(fd)?;
    let count = count.min(MAX_RW_COUNT);
    if !crate::uaccess::access_ok(buf, count) {
        return Err(Errno::EFAULT);
    }
    // Files with a position advance it only by what reached user memory,
    // so a bad buffer (EFAULT) consumes nothing.
    let seekable = file.ops.is_none();
    let start = match pos {
        Some(p) => Some(p),
        None if seekable => Some(*file.pos.lock()),
        None => None,
    };
    let mut done = 0;
    let mut kbuf = vec![0u8; count.min(CHUNK)];
    let result = loop {
        if done >= count {
            break Ok(done);
        }
        let want = (count - done).min(CHUNK);
        let n = match start {
            Some(p) => file.read_at(p + done as u64, &mut kbuf[..want]),
            None => file.read(&mut kbuf[..want]),
        };
        let n = match n {
            Ok(n) => n,
            Err(e) if done == 0 => break Err(e),
            Err(_) => break Ok(done),
        };
        if let Err(e) = copy_to_user(buf + done, &kbuf[..n]) {
            break if done == 0 { Err(e) } else { Ok(done) };
        }
        done += n;
        if n < want || !seekable {
            break Ok(done); // pipes and terminals return what they have
        }
    };
    if let (None, true, Ok(n)) = (pos, seekable, &result) {
        *file.pos.lock() = start.unwrap_or(0) + *n as u64;
    }
    result
}

/// write(fd) from user memory.
pub fn do_write(fd: i32, buf: usize, count: usize) -> SysResult {
    let file = current().files().get(fd)?;
    let count = count.min(MAX_RW_COUNT);
    if !crate::uaccess::access_ok(buf, count) {
        return Err(Errno::EFAULT);
    }
    let mut done = 0;
    let mut kbuf = vec![0u8; count.min(CHUNK)];
    while done < count {
        let n = (count - done).min(CHUNK);
        copy_from_user(&mut kbuf[..n], buf + done)?;
        match file.write(&kbuf[..n]) {
            Ok(w) => {
                done += w;
                if w < n {
                    break;
                }
            }
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        }
    }
    if count == 0 {
        file.write(&[])?;
    }
    Ok(done)
}

pub fn sys_read(a: &mut SyscallArgs) -> SysResult {
    do_read(a.int(0), a.arg(1), a.arg(2), None)
}

pub fn sys_write(a: &mut SyscallArgs) -> SysResult {
    do_write(a.int(0), a.arg(1), a.arg(2))
}

// readv and writev are preadv/pwritev at the file position (rw_vec.rs).
pub fn sys_readv(a: &mut SyscallArgs) -> SysResult {
    let iov = import_iovec(a.arg(1), a.arg(2), a.compat())?;
    do_readv_at(a.int(0), &iov, None)
}

pub fn sys_writev(a: &mut SyscallArgs) -> SysResult {
    let iov = import_iovec(a.arg(1), a.arg(2), a.compat())?;
    do_writev_at(a.int(0), &iov, None, false)
}

/// The 64-bit file offset: one register on x86_64, two (lo, hi) on i386.
fn offset_arg(a: &SyscallArgs, i: usize) -> i64 {
    if a.compat() {
        (a.args[i] as u32 as u64 | (a.args[i + 1] << 32)) as i64
    } else {
        a.args[i] as i64
    }
}

pub fn sys_pread64(a: &mut SyscallArgs) -> SysResult {
    let off = offset_arg(a, 3);
    if off < 0 {
        return Err(Errno::EINVAL);
    }
    do_read(a.int(0), a.arg(1), a.arg(2), Some(off as u64))
}

pub fn sys_pwrite64(a: &mut SyscallArgs) -> SysResult {
    let off = offset_arg(a, 3);
    if off < 0 {
        return Err(Errno::EINVAL);
    }
    let file = current().files().get(a.int(0))?;
    if file.ops.is_some() {
        return Err(Errno::ESPIPE);
    }
    if !file.writable() {
        return Err(Errno::EBADF);
    }
    let mut kbuf = vec![0u8; a.arg(2).min(MAX_RW_COUNT)];
    copy_from_user(&mut kbuf, a.arg(1))?;
    file.inode.write_at(off as u64, &kbuf)
}

const SEEK_SET: u32 = 0;
const SEEK_CUR: u32 = 1;
const SEEK_END: u32 = 2;

/// Move the file position (Linux's vfs_llseek).
fn do_lseek(fd: i32, off: i64, whence: u32) -> Result<i64, Errno> {
    let file = current().files().get(fd)?;
    if file.ops.is_some() {
        return Err(Errno::ESPIPE);
    }
    let mut pos = file.pos.lock();
    let base = match whence {
        SEEK_SET => 0,
        SEEK_CUR => *pos as i64,
        SEEK_END => file.inode.size() as i64,
        _ => return Err(Errno::EINVAL),
    };
    let new = base.checked_add(off).ok_or(Errno::EOVERFLOW)?;
    if new < 0 {
        return Err(Errno::EINVAL);
    }
    *pos = new as u64;
    Ok(new)
}

pub fn sys_lseek(a: &mut SyscallArgs) -> SysResult {
    let off = do_lseek(a.int(0), a.long(1), a.uint(2))?;
    if a.compat() && off > i32::MAX as i64 {
        return Err(Errno::EOVERFLOW);
    }
    Ok(off as usize)
}

/// i386 _llseek(fd, offset_high, offset_low, loff_t *result, whence).
pub fn sys_llseek(a: &mut SyscallArgs) -> SysResult {
    let off = ((a.args[1] << 32) | (a.args[2] & 0xffff_ffff)) as i64;
    let new = do_lseek(a.int(0), off, a.uint(4))?;
    crate::uaccess::put_user(a.arg(3), &new)?;
    Ok(0)
}
