//! sendfile, i386's sendfile64 and copy_file_range (Linux's
//! fs/read_write.c do_sendfile and vfs_copy_file_range): copies between
//! descriptors that never pass through user memory.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::File;
use crate::fs::file::O_APPEND;
use crate::sched::current;
use crate::uaccess::{get_user, put_user};
use alloc::sync::Arc;

const MAX_RW_COUNT: usize = 0x7fff_f000;
const CHUNK: usize = 64 * 1024;
/// Largest offset a 32-bit off_t reaches (Linux's MAX_NON_LFS).
const MAX_NON_LFS: u64 = 0x7fff_ffff;

/// Read from `input` at `pos` (None: its file position) and write to
/// `out`, until `count` bytes, the end of the input, or a short write.
fn copy_loop(input: &Arc<File>, out: &Arc<File>, pos: Option<u64>, count: usize) -> SysResult {
    let mut buf = alloc::vec![0u8; count.min(CHUNK)];
    let mut done = 0;
    while done < count {
        let want = (count - done).min(CHUNK);
        let n = match pos {
            Some(p) => input.read_at(p + done as u64, &mut buf[..want]),
            None => input.read(&mut buf[..want]),
        };
        let n = match n {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        match out.write(&buf[..n]) {
            Ok(w) => {
                done += w;
                if w < n {
                    break;
                }
            }
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        }
        if pos.is_none() && input.ops.is_some() {
            break; // a pipe or terminal: what it had
        }
    }
    Ok(done)
}

/// Linux's do_sendfile: `offp` is the user's offset (`wide`: loff_t,
/// else a 32-bit off_t), or 0 to use and advance the input's position.
fn do_sendfile(out_fd: i32, in_fd: i32, offp: usize, wide: bool, count: usize) -> SysResult {
    let files = current().files();
    let input = files.get(in_fd)?;
    if !input.readable() {
        return Err(Errno::EBADF);
    }
    let seekable = input.ops.is_none();
    let pos = if offp != 0 {
        let p = if wide {
            get_user::<i64>(offp)?
        } else {
            get_user::<i32>(offp)? as i64
        };
        if !seekable {
            return Err(Errno::ESPIPE);
        }
        if p < 0 {
            return Err(Errno::EINVAL);
        }
        Some(p as u64)
    } else if seekable {
        Some(*input.pos.lock())
    } else {
        None
    };
    let out = files.get(out_fd)?;
    if !out.writable() {
        return Err(Errno::EBADF);
    }
    if out.flags() & O_APPEND != 0 {
        return Err(Errno::EINVAL);
    }
    let mut count = count.min(MAX_RW_COUNT);
    if let (Some(p), false) = (pos, wide) {
        if p >= MAX_NON_LFS {
            return Err(Errno::EOVERFLOW);
        }
        count = count.min((MAX_NON_LFS - p) as usize);
    }
    if input.inode.is_dir() {
        return Err(Errno::EINVAL);
    }
    let done = copy_loop(&input, &out, pos, count)?;
    if let Some(p) = pos {
        let end = p + done as u64;
        if offp != 0 {
            if wide {
                put_user(offp, &(end as i64))?
            } else {
                put_user(offp, &(end as i32))?
            }
        } else {
            *input.pos.lock() = end;
        }
    }
    Ok(done)
}

/// sendfile(out_fd, in_fd, off_t *offset, count): x86_64's off_t is 64
/// bits, i386's 32.
pub fn sys_sendfile(a: &mut SyscallArgs) -> SysResult {
    do_sendfile(a.int(0), a.int(1), a.arg(2), !a.compat(), a.arg(3))
}

/// i386 sendfile64(out_fd, in_fd, loff_t *offset, count).
pub fn sys_sendfile64(a: &mut SyscallArgs) -> SysResult {
    do_sendfile(a.int(0), a.int(1), a.arg(2), true, a.arg(3))
}

/// An offset argument of copy_file_range: the loff_t at `addr`, or the
/// file's position when `addr` is 0.
fn offset_of(file: &File, addr: usize) -> Result<i64, Errno> {
    if addr == 0 {
        Ok(*file.pos.lock() as i64)
    } else {
        get_user::<i64>(addr)
    }
}

/// copy_file_range(fd_in, loff_t *off_in, fd_out, loff_t *off_out,
/// len, flags), with Linux's generic_copy_file_checks.
pub fn sys_copy_file_range(a: &mut SyscallArgs) -> SysResult {
    let (off_in, off_out, len) = (a.arg(1), a.arg(3), a.arg(4));
    if a.uint(5) != 0 {
        return Err(Errno::EINVAL);
    }
    let files = current().files();
    let (input, out) = (files.get(a.int(0))?, files.get(a.int(2))?);
    if input.inode.is_dir() || out.inode.is_dir() {
        return Err(Errno::EISDIR);
    }
    if !input.inode.is_reg() || !out.inode.is_reg() || input.ops.is_some() || out.ops.is_some() {
        return Err(Errno::EINVAL);
    }
    if !input.readable() || !out.writable() || out.flags() & O_APPEND != 0 {
        return Err(Errno::EBADF);
    }
    let (pin, pout) = (offset_of(&input, off_in)?, offset_of(&out, off_out)?);
    if pin < 0 || pout < 0 {
        return Err(Errno::EINVAL);
    }
    let len = len.min(MAX_RW_COUNT) as u64;
    let (pin, pout) = (pin as u64, pout as u64);
    if pin.checked_add(len).is_none() || pout.checked_add(len).is_none() {
        return Err(Errno::EOVERFLOW);
    }
    if Arc::ptr_eq(&input.inode, &out.inode) && pin < pout + len && pout < pin + len {
        return Err(Errno::EINVAL); // overlapping ranges of one file
    }
    let size = input.inode.size();
    let count = if pin >= size {
        0
    } else {
        (size - pin).min(len) as usize
    };
    let mut buf = alloc::vec![0u8; count.min(CHUNK)];
    let mut done = 0;
    while done < count {
        let n = (count - done).min(CHUNK);
        let r = input.inode.read_at(pin + done as u64, &mut buf[..n])?;
        if r == 0 {
            break;
        }
        out.inode.write_at(pout + done as u64, &buf[..r])?;
        done += r;
    }
    for (file, addr, start) in [(&input, off_in, pin), (&out, off_out, pout)] {
        if addr == 0 {
            *file.pos.lock() = start + done as u64;
        } else {
            put_user(addr, &((start + done as u64) as i64))?;
        }
    }
    Ok(done)
}
