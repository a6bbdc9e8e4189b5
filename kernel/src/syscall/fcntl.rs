//! dup, dup2, dup3 and fcntl (Linux's fs/file.c and fs/fcntl.c); record
//! locks are fs/locks.rs's, here only their struct flock is decoded.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::FilesStruct;
use crate::fs::fdtable::NR_OPEN_MAX;
use crate::fs::file::{File, O_APPEND, O_CLOEXEC, O_NONBLOCK, O_PATH};
use crate::fs::locks::{self, Flock};
use crate::process::signal::RLIMIT_NOFILE;
use crate::sched::current;
use crate::uaccess::{copy_from_user, copy_to_user};
use core::sync::atomic::Ordering;

fn nofile() -> usize {
    current().signal().rlim.lock()[RLIMIT_NOFILE]
        .cur
        .min(NR_OPEN_MAX as u64) as usize
}

pub fn sys_dup(a: &mut SyscallArgs) -> SysResult {
    let files = current().files();
    let f = files.get(a.int(0))?;
    files.alloc(f, false, 0, nofile()).map(|fd| fd as usize)
}

/// dup3's core: put `old`'s file at `new`, closing what was there.
fn do_dup3(old: i32, new: i32, flags: u32) -> SysResult {
    if flags & !O_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    let files = current().files();
    let f = files.get(old)?;
    if new < 0 || new as usize >= nofile() {
        return Err(Errno::EBADF);
    }
    files.install(new as usize, f, flags & O_CLOEXEC != 0);
    Ok(new as usize)
}

pub fn sys_dup2(a: &mut SyscallArgs) -> SysResult {
    let (old, new) = (a.int(0), a.int(1));
    if old == new {
        // dup2(fd, fd) only checks that fd is open.
        current().files().get(old)?;
        return Ok(new as usize);
    }
    do_dup3(old, new, 0)
}

pub fn sys_dup3(a: &mut SyscallArgs) -> SysResult {
    if a.int(0) == a.int(1) {
        return Err(Errno::EINVAL);
    }
    do_dup3(a.int(0), a.int(1), a.uint(2))
}

const F_DUPFD: u32 = 0;
const F_GETFD: u32 = 1;
const F_SETFD: u32 = 2;
const F_GETFL: u32 = 3;
const F_SETFL: u32 = 4;
const F_GETLK: u32 = 5;
const F_SETLK: u32 = 6;
const F_SETLKW: u32 = 7;
const F_GETLK64: u32 = 12;
const F_SETLK64: u32 = 13;
const F_SETLKW64: u32 = 14;
const F_OFD_GETLK: u32 = 36;
const F_OFD_SETLK: u32 = 37;
const F_OFD_SETLKW: u32 = 38;
const F_DUPFD_CLOEXEC: u32 = 1030;
const F_SETPIPE_SZ: u32 = 1031;
const F_GETPIPE_SZ: u32 = 1032;
const FD_CLOEXEC: usize = 1;

/// fcntl (x86_64): struct flock has 64-bit offsets, so there are no
/// F_*LK64 commands.
pub fn sys_fcntl(a: &mut SyscallArgs) -> SysResult {
    do_fcntl(a, |_| FlockAbi::Native)
}

/// i386's fcntl64: F_GETLK, F_SETLK and F_SETLKW take the 32-bit struct
/// flock, the F_*LK64 and OFD commands struct flock64.
pub fn compat_sys_fcntl64(a: &mut SyscallArgs) -> SysResult {
    do_fcntl(a, |cmd| match cmd {
        F_GETLK | F_SETLK | F_SETLKW => FlockAbi::Compat,
        _ => FlockAbi::Compat64,
    })
}

/// i386's old fcntl: as fcntl64, without the commands that take struct
/// flock64 (EINVAL).
pub fn compat_sys_fcntl(a: &mut SyscallArgs) -> SysResult {
    match a.uint(1) {
        F_GETLK64 | F_SETLK64 | F_SETLKW64 | F_OFD_GETLK | F_OFD_SETLK | F_OFD_SETLKW => {
            Err(Errno::EINVAL)
        }
        _ => compat_sys_fcntl64(a),
    }
}

/// The layouts of the user's struct flock: x86_64's (32 bytes), i386's
/// with 32-bit off_t (16), i386's packed struct flock64 (24).
#[derive(Clone, Copy, PartialEq)]
enum FlockAbi {
    Native,
    Compat,
    Compat64,
}

impl FlockAbi {
    /// Where l_start, l_len and l_pid are, and the offsets' size.
    fn layout(self) -> (usize, usize, usize, usize) {
        match self {
            FlockAbi::Native => (8, 16, 24, 8),
            FlockAbi::Compat => (4, 8, 12, 4),
            FlockAbi::Compat64 => (4, 12, 20, 8),
        }
    }
}

/// Read a struct flock of layout `abi` from `addr`.
fn get_flock(abi: FlockAbi, addr: usize) -> Result<Flock, Errno> {
    let (start, len, pid, off) = abi.layout();
    let mut b = [0u8; 32];
    copy_from_user(&mut b[..pid + 4], addr)?;
    let int = |at: usize, n: usize| match n {
        2 => i16::from_le_bytes([b[at], b[at + 1]]) as i64,
        4 => i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as i64,
        _ => i64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default()),
    };
    Ok(Flock {
        l_type: int(0, 2) as i16,
        l_whence: int(2, 2) as i16,
        l_start: int(start, off),
        l_len: int(len, off),
        l_pid: int(pid, 4) as i32,
    })
}

/// Write `fl` as the struct flock of layout `abi` at `addr`; i386's 32-bit offsets overflow as Linux's
/// fixup_compat_flock says (EOVERFLOW for the start, l_len clamped).
fn put_flock(abi: FlockAbi, addr: usize, fl: &Flock) -> Result<(), Errno> {
    let (start, len, pid, off) = abi.layout();
    let mut b = [0u8; 32];
    b[0..2].copy_from_slice(&fl.l_type.to_le_bytes());
    b[2..4].copy_from_slice(&fl.l_whence.to_le_bytes());
    if off == 4 {
        let start32 = i32::try_from(fl.l_start).map_err(|_| Errno::EOVERFLOW)?;
        b[start..start + 4].copy_from_slice(&start32.to_le_bytes());
        b[len..len + 4].copy_from_slice(&(fl.l_len.min(i32::MAX as i64) as i32).to_le_bytes());
    } else {
        b[start..start + 8].copy_from_slice(&fl.l_start.to_le_bytes());
        b[len..len + 8].copy_from_slice(&fl.l_len.to_le_bytes());
    }
    b[pid..pid + 4].copy_from_slice(&fl.l_pid.to_le_bytes());
    copy_to_user(addr, &b[..pid + 4])
}

/// The record-lock commands: decode the struct flock and hand it to
/// fs/locks.rs.
fn fcntl_lock(cmd: u32, arg: usize, abi: FlockAbi, file: &File, files: &FilesStruct) -> SysResult {
    let mut fl = get_flock(abi, arg)?;
    let ofd = matches!(cmd, F_OFD_GETLK | F_OFD_SETLK | F_OFD_SETLKW);
    match cmd {
        F_GETLK | F_GETLK64 | F_OFD_GETLK => {
            locks::fcntl_getlk(file, files, ofd, &mut fl)?;
            put_flock(abi, arg, &fl)?;
        }
        _ => {
            let wait = matches!(cmd, F_SETLKW | F_SETLKW64 | F_OFD_SETLKW);
            locks::fcntl_setlk(file, files, ofd, wait, &fl)?;
        }
    }
    Ok(0)
}

/// fcntl's commands, with the struct flock layout `flock_abi` gives for
/// each lock command.
fn do_fcntl(a: &mut SyscallArgs, flock_abi: fn(u32) -> FlockAbi) -> SysResult {
    let (fd, cmd, arg) = (a.int(0), a.uint(1), a.arg(2));
    let files = current().files();
    let entry = files.get_entry(fd)?;
    // Linux's check_fcntl_cmd: an O_PATH descriptor has only these.
    if entry.file.flags() & O_PATH != 0
        && !matches!(cmd, F_DUPFD | F_DUPFD_CLOEXEC | F_GETFD | F_SETFD | F_GETFL)
    {
        return Err(Errno::EBADF);
    }
    match cmd {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            if arg >= nofile() {
                return Err(Errno::EINVAL);
            }
            files
                .alloc(entry.file, cmd == F_DUPFD_CLOEXEC, arg, nofile())
                .map(|fd| fd as usize)
        }
        F_GETFD => Ok(if entry.cloexec { FD_CLOEXEC } else { 0 }),
        F_SETFD => files.set_cloexec(fd, arg & FD_CLOEXEC != 0).map(|_| 0),
        F_GETFL => Ok(
            entry.file.flags() as usize | 0o100000, /* O_LARGEFILE, as Linux reports */
        ),
        F_SETFL => {
            let settable = O_APPEND | O_NONBLOCK | 0o20000 /* O_ASYNC */ | 0o40000 /* O_DIRECT */ | 0o1000000 /* O_NOATIME */;
            let f = &entry.file;
            let old = f.flags();
            f.flags.store(
                (old & !settable) | (arg as u32 & settable),
                Ordering::Relaxed,
            );
            Ok(0)
        }
        F_GETLK | F_SETLK | F_SETLKW | F_OFD_GETLK | F_OFD_SETLK | F_OFD_SETLKW => {
            fcntl_lock(cmd, arg, flock_abi(cmd), &entry.file, &files)
        }
        F_GETLK64 | F_SETLK64 | F_SETLKW64 if a.compat() => {
            fcntl_lock(cmd, arg, flock_abi(cmd), &entry.file, &files)
        }
        F_GETPIPE_SZ => crate::fs::pipe::pipe_of(&entry.file)
            .map(|p| p.capacity())
            .ok_or(Errno::EBADF),
        F_SETPIPE_SZ => crate::fs::pipe::pipe_of(&entry.file)
            .ok_or(Errno::EBADF)?
            .set_capacity(arg),
        _ => Err(Errno::EINVAL),
    }
}
