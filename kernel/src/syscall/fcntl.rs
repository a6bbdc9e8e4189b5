//! dup, dup2, dup3 and fcntl (Linux's fs/file.c and fs/fcntl.c).

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::fdtable::NR_OPEN_MAX;
use crate::fs::file::{O_APPEND, O_CLOEXEC, O_NONBLOCK};
use crate::process::signal::RLIMIT_NOFILE;
use crate::sched::current;
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
    let replaced = files.install(new as usize, f, flags & O_CLOEXEC != 0);
    drop(replaced);
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

/// fcntl and i386's fcntl64.
pub fn sys_fcntl(a: &mut SyscallArgs) -> SysResult {
    let (fd, cmd, arg) = (a.int(0), a.uint(1), a.arg(2));
    let files = current().files();
    let entry = files.get_entry(fd)?;
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
        // Record locks: one process at a time owns everything here, so
        // locks always succeed and F_GETLK reports "unlocked".
        F_SETLK | F_SETLKW | F_SETLK64 | F_SETLKW64 | F_OFD_SETLK | F_OFD_SETLKW => Ok(0),
        F_GETLK | F_GETLK64 | F_OFD_GETLK => {
            // l_type is the first field; F_UNLCK = 2.
            crate::uaccess::put_user(arg, &2u16).map(|_| 0)
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
