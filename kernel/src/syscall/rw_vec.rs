//! preadv, pwritev, preadv2 and pwritev2 (Linux's fs/read_write.c
//! do_preadv/do_pwritev and their compat twins): vectored I/O at an
//! offset, or (v2 with offset -1) at the file position.

use super::SyscallArgs;
use super::read_write::{do_read, do_write};
use crate::errno::{Errno, SysResult};
use crate::fs::file::O_APPEND;
use crate::sched::current;
use crate::uaccess::{copy_from_user, get_user};
use alloc::vec::Vec;

/// Linux's UIO_MAXIOV and MAX_RW_COUNT.
const UIO_MAXIOV: usize = 1024;
const MAX_RW_COUNT: usize = 0x7fff_f000;

/// RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_NOWAIT, RWF_APPEND.
const RWF_SUPPORTED: u32 = 0x1f;
const RWF_NOWAIT: u32 = 0x08;
const RWF_APPEND: u32 = 0x10;

/// The caller's iovec array (struct iovec or compat_iovec), checked as
/// Linux's import_iovec: at most UIO_MAXIOV entries, no negative length,
/// the total capped at MAX_RW_COUNT.
pub(super) fn import_iovec(
    addr: usize,
    cnt: usize,
    compat: bool,
) -> Result<Vec<(usize, usize)>, Errno> {
    if cnt > UIO_MAXIOV {
        return Err(Errno::EINVAL);
    }
    let mut v = Vec::with_capacity(cnt);
    let mut total = 0usize;
    for i in 0..cnt {
        let (base, len) = if compat {
            (
                get_user::<u32>(addr + i * 8)? as usize,
                get_user::<u32>(addr + i * 8 + 4)? as i32 as isize,
            )
        } else {
            (
                get_user::<u64>(addr + i * 16)? as usize,
                get_user::<u64>(addr + i * 16 + 8)? as isize,
            )
        };
        if len < 0 {
            return Err(Errno::EINVAL);
        }
        let len = (len as usize).min(MAX_RW_COUNT - total);
        total += len;
        v.push((base, len));
    }
    Ok(v)
}

/// The offset argument pair: one register on x86_64 (pos_h unused), two
/// 32-bit halves on i386.
fn pos_arg(a: &SyscallArgs) -> i64 {
    if a.compat() {
        (a.args[3] as u32 as u64 | (a.args[4] as u32 as u64) << 32) as i64
    } else {
        a.args[3] as i64
    }
}

/// Read into each buffer in turn at `pos` (None: the file position);
/// a short read ends it.
pub(super) fn do_readv_at(fd: i32, iov: &[(usize, usize)], pos: Option<u64>) -> SysResult {
    let mut total = 0;
    for &(base, len) in iov {
        let n = match do_read(fd, base, len, pos.map(|p| p + total as u64)) {
            Ok(n) => n,
            Err(e) if total == 0 => return Err(e),
            Err(_) => break,
        };
        total += n;
        if n < len {
            break;
        }
    }
    Ok(total)
}

/// Write each buffer in turn at `pos` (None: the file position). With
/// O_APPEND (or RWF_APPEND) Linux writes at the end whatever `pos` says.
pub(super) fn do_writev_at(
    fd: i32,
    iov: &[(usize, usize)],
    pos: Option<u64>,
    append: bool,
) -> SysResult {
    let file = current().files().get(fd)?;
    if !file.writable() {
        return Err(Errno::EBADF);
    }
    let mut total = 0;
    for &(base, len) in iov {
        let r = match pos {
            None => do_write(fd, base, len),
            Some(p) => {
                if file.ops.is_some() {
                    return Err(Errno::ESPIPE);
                }
                let append = append || file.flags() & O_APPEND != 0;
                write_at_chunked(&file.inode, base, len, p + total as u64, append)
            }
        };
        match r {
            Ok(n) => {
                total += n;
                if n < len {
                    break;
                }
            }
            Err(e) if total == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(total)
}

/// Copy `len` bytes from user memory at `base` into the file at `at`
/// (or at its end), 64 KiB at a time; a fault after some progress
/// returns the progress.
fn write_at_chunked(
    inode: &crate::fs::inode::Inode,
    base: usize,
    len: usize,
    at: u64,
    append: bool,
) -> SysResult {
    const CHUNK: usize = 64 * 1024;
    let mut kbuf = alloc::vec![0u8; len.min(CHUNK)];
    let mut done = 0;
    while done < len {
        let n = (len - done).min(CHUNK);
        if let Err(e) = copy_from_user(&mut kbuf[..n], base + done) {
            return if done == 0 { Err(e) } else { Ok(done) };
        }
        let off = if append {
            inode.size()
        } else {
            at + done as u64
        };
        done += inode.write_at(off, &kbuf[..n])?;
    }
    Ok(done)
}

/// The checks every positioned call makes before any I/O.
fn check_positioned(fd: i32, pos: i64) -> Result<(), Errno> {
    let file = current().files().get(fd)?;
    if pos < 0 {
        return Err(Errno::EINVAL);
    }
    if file.ops.is_some() {
        return Err(Errno::ESPIPE);
    }
    Ok(())
}

/// preadv(fd, iov, cnt, pos_l, pos_h): the file position stays.
pub fn sys_preadv(a: &mut SyscallArgs) -> SysResult {
    let pos = pos_arg(a);
    check_positioned(a.int(0), pos)?;
    let iov = import_iovec(a.arg(1), a.arg(2), a.compat())?;
    do_readv_at(a.int(0), &iov, Some(pos as u64))
}

/// pwritev(fd, iov, cnt, pos_l, pos_h): the file position stays.
pub fn sys_pwritev(a: &mut SyscallArgs) -> SysResult {
    let pos = pos_arg(a);
    check_positioned(a.int(0), pos)?;
    let iov = import_iovec(a.arg(1), a.arg(2), a.compat())?;
    do_writev_at(a.int(0), &iov, Some(pos as u64), false)
}

/// v2's flags: unknown bits are EOPNOTSUPP; RWF_NOWAIT on a file that
/// might block (a pipe or terminal) is EOPNOTSUPP too without O_NONBLOCK
/// support for it, as Linux answers for files without FMODE_NOWAIT.
fn check_rwf(fd: i32, flags: u32) -> Result<(), Errno> {
    if flags & !RWF_SUPPORTED != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    if flags & RWF_NOWAIT != 0 && current().files().get(fd)?.ops.is_some() {
        return Err(Errno::EOPNOTSUPP);
    }
    Ok(())
}

/// The arguments of preadv2/pwritev2 (fd, iov, cnt, pos_l, pos_h,
/// flags), checked in Linux's order: the descriptor, the flags, the
/// vector.
fn v2_args(a: &SyscallArgs) -> Result<(i64, u32, Vec<(usize, usize)>), Errno> {
    let (pos, flags) = (pos_arg(a), a.uint(5));
    current().files().get(a.int(0))?;
    check_rwf(a.int(0), flags)?;
    Ok((pos, flags, import_iovec(a.arg(1), a.arg(2), a.compat())?))
}

/// preadv2: offset -1 reads at the file position, like readv.
pub fn sys_preadv2(a: &mut SyscallArgs) -> SysResult {
    let (pos, _, iov) = v2_args(a)?;
    if pos == -1 {
        return do_readv_at(a.int(0), &iov, None);
    }
    check_positioned(a.int(0), pos)?;
    do_readv_at(a.int(0), &iov, Some(pos as u64))
}

/// pwritev2: offset -1 writes at the file position; RWF_APPEND at the end.
pub fn sys_pwritev2(a: &mut SyscallArgs) -> SysResult {
    let (pos, flags, iov) = v2_args(a)?;
    let append = flags & RWF_APPEND != 0;
    if pos == -1 && !append {
        return do_writev_at(a.int(0), &iov, None, false);
    }
    if pos == -1 {
        // Appending at the end and moving the position past what was written.
        let file = current().files().get(a.int(0))?;
        let n = do_writev_at(a.int(0), &iov, Some(file.inode.size()), true)?;
        if file.ops.is_none() {
            *file.pos.lock() = file.inode.size();
        }
        return Ok(n);
    }
    check_positioned(a.int(0), pos)?;
    do_writev_at(a.int(0), &iov, Some(pos as u64), append)
}
