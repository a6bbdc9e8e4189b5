//! utimensat, utimes, futimesat and utime, with i386's 32-bit and
//! time64 layouts (Linux's fs/utimes.c).

use super::SyscallArgs;
use super::attr::{at_target, fd_target};
use super::open::{AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, getname, lookup_at};
use crate::errno::{Errno, SysResult};
use crate::fs::inode::Inode;
use crate::uaccess::get_user;
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;
const NSEC_PER_SEC: i64 = 1_000_000_000;

/// One of the two times to set.
#[derive(Clone, Copy)]
enum Time {
    Now,
    Omit,
    /// Nanoseconds since the epoch (times before 1970 become 1970).
    At(u64),
}

/// A time of `sec` seconds and `nsec` nanoseconds since the epoch.
fn at(sec: i64, nsec: i64) -> Time {
    Time::At(
        (sec.max(0) as u64)
            .saturating_mul(NSEC_PER_SEC as u64)
            .saturating_add(nsec as u64),
    )
}

/// A timespec's (sec, nsec) as Linux's nsec_valid judges it.
fn from_timespec(sec: i64, nsec: i64) -> Result<Time, Errno> {
    match nsec {
        UTIME_NOW => Ok(Time::Now),
        UTIME_OMIT => Ok(Time::Omit),
        0..NSEC_PER_SEC => Ok(at(sec, nsec)),
        _ => Err(Errno::EINVAL),
    }
}

/// A timeval's (sec, usec): microseconds must be below a second.
fn from_timeval(sec: i64, usec: i64) -> Result<Time, Errno> {
    if !(0..1_000_000).contains(&usec) {
        return Err(Errno::EINVAL);
    }
    Ok(at(sec, usec * 1000))
}

/// Which layout a times argument has.
#[derive(Clone, Copy)]
enum Layout {
    /// struct __kernel_timespec: 64-bit seconds and nanoseconds (x86_64,
    /// i386's *_time64 calls).
    Timespec64,
    /// struct old_timespec32 (i386).
    Timespec32,
    Timeval64,
    Timeval32,
}

/// The two times at `addr`, or None for a NULL pointer ("now").
fn read_times(addr: usize, layout: Layout, compat: bool) -> Result<Option<[Time; 2]>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    let mut t = [Time::Now; 2];
    for (i, slot) in t.iter_mut().enumerate() {
        *slot = match layout {
            Layout::Timespec64 => {
                let sec: i64 = get_user(addr + i * 16)?;
                let mut nsec: i64 = get_user(addr + i * 16 + 8)?;
                if compat {
                    nsec = nsec as u32 as i64; // Linux ignores the upper half for 32-bit tasks
                }
                from_timespec(sec, nsec)?
            }
            Layout::Timespec32 => {
                let sec: i32 = get_user(addr + i * 8)?;
                let nsec: i32 = get_user(addr + i * 8 + 4)?;
                from_timespec(sec as i64, nsec as i64)?
            }
            Layout::Timeval64 => from_timeval(
                get_user::<i64>(addr + i * 16)?,
                get_user::<i64>(addr + i * 16 + 8)?,
            )?,
            Layout::Timeval32 => from_timeval(
                get_user::<i32>(addr + i * 8)? as i64,
                get_user::<i32>(addr + i * 8 + 4)? as i64,
            )?,
        };
    }
    Ok(Some(t))
}

/// Set the times (Linux's vfs_utimes); the change time is always now.
fn vfs_utimes(inode: &Arc<Inode>, times: Option<[Time; 2]>) -> SysResult {
    if inode.is_proc() && inode.is_dir() {
        return Err(Errno::EPERM); // procfs's process directories refuse it
    }
    let now = crate::time::ktime_get_real_ns();
    let [atime, mtime] = times.unwrap_or([Time::Now; 2]);
    for (t, field) in [(atime, &inode.atime), (mtime, &inode.mtime)] {
        match t {
            Time::Now => field.store(now, Ordering::Relaxed),
            Time::At(ns) => field.store(ns, Ordering::Relaxed),
            Time::Omit => {}
        }
    }
    inode.ctime.store(now, Ordering::Relaxed);
    Ok(0)
}

/// Linux's do_utimes: a NULL path means the descriptor itself (not
/// AT_FDCWD, which would be EFAULT from getname).
fn do_utimes(dirfd: i32, path_addr: usize, times: Option<[Time; 2]>, flags: u32) -> SysResult {
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    if path_addr == 0 && dirfd != AT_FDCWD {
        if flags & AT_SYMLINK_NOFOLLOW != 0 {
            return Err(Errno::EINVAL);
        }
        return vfs_utimes(&fd_target(dirfd)?, times);
    }
    if path_addr == 0 {
        return Err(Errno::EFAULT);
    }
    vfs_utimes(&at_target(dirfd, path_addr, flags)?, times)
}

/// utimensat(dirfd, path, times[2], flags); i386's takes old_timespec32.
pub fn sys_utimensat(a: &mut SyscallArgs) -> SysResult {
    let layout = if a.compat() {
        Layout::Timespec32
    } else {
        Layout::Timespec64
    };
    let times = read_times(a.arg(2), layout, a.compat())?;
    do_utimes(a.int(0), a.arg(1), times, a.uint(3))
}

/// i386's utimensat_time64.
pub fn sys_utimensat_time64(a: &mut SyscallArgs) -> SysResult {
    let times = read_times(a.arg(2), Layout::Timespec64, true)?;
    do_utimes(a.int(0), a.arg(1), times, a.uint(3))
}

/// The caller's struct timeval.
fn timeval_layout(a: &SyscallArgs) -> Layout {
    if a.compat() {
        Layout::Timeval32
    } else {
        Layout::Timeval64
    }
}

/// utimes(path, timeval[2]): follows links.
pub fn sys_utimes(a: &mut SyscallArgs) -> SysResult {
    let times = read_times(a.arg(1), timeval_layout(a), a.compat())?;
    let path = getname(a.arg(0))?;
    vfs_utimes(&lookup_at(AT_FDCWD, &path, true)?, times)
}

/// futimesat(dirfd, path, timeval[2]); a NULL path means dirfd itself.
pub fn sys_futimesat(a: &mut SyscallArgs) -> SysResult {
    let times = read_times(a.arg(2), timeval_layout(a), a.compat())?;
    do_utimes(a.int(0), a.arg(1), times, 0)
}

/// utime(path, struct utimbuf { actime, modtime }) in whole seconds.
pub fn sys_utime(a: &mut SyscallArgs) -> SysResult {
    let times = if a.arg(1) == 0 {
        None
    } else if a.compat() {
        Some([
            at(get_user::<i32>(a.arg(1))? as i64, 0),
            at(get_user::<i32>(a.arg(1) + 4)? as i64, 0),
        ])
    } else {
        Some([
            at(get_user::<i64>(a.arg(1))?, 0),
            at(get_user::<i64>(a.arg(1) + 8)?, 0),
        ])
    };
    let path = getname(a.arg(0))?;
    vfs_utimes(&lookup_at(AT_FDCWD, &path, true)?, times)
}
