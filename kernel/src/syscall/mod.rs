//! System calls. The tables are data: `syscall_64.tbl` and
//! `syscall_32.tbl` (Linux's format and numbers) name the handler for each
//! number, and build.rs turns them into `SYS_CALL_TABLE`s. Each family
//! lives in its own file; a handler decodes its arguments and calls the
//! subsystem that does the work.

mod attr;
mod close_range;
mod eventfd;
mod eventpoll;
mod exec;
mod exit;
mod fcntl;
mod fork;
mod futex;
mod ioctl;
mod itimer;
mod mmap;
mod namei;
mod open;
mod pid;
mod pipe;
mod poll;
mod posix_timers;
mod prctl;
mod random;
mod read_write;
mod readdir;
mod reboot;
mod resource;
mod rw_vec;
mod sched;
mod select;
mod sendfile;
mod signal;
mod signalfd;
mod stat;
mod statfs;
mod sync;
mod time;
mod timerfd;
mod tls;
mod truncate;
mod uname;
mod utimes;
mod wait;

pub use attr::*;
pub use close_range::*;
pub use eventfd::*;
pub use eventpoll::*;
pub use exec::*;
pub use exit::*;
pub use fcntl::*;
pub use fork::*;
pub use futex::*;
pub use ioctl::*;
pub use itimer::*;
pub use mmap::*;
pub use namei::*;
pub use open::*;
pub use pid::*;
pub use pipe::*;
pub use poll::*;
pub use posix_timers::*;
pub use prctl::*;
pub use random::*;
pub use read_write::*;
pub use readdir::*;
pub use reboot::*;
pub use resource::*;
pub use rw_vec::*;
pub use sched::*;
pub use select::*;
pub use sendfile::*;
pub use signal::*;
pub use signalfd::*;
pub use stat::*;
pub use statfs::*;
pub use sync::*;
pub use time::*;
pub use timerfd::*;
pub use tls::*;
pub use truncate::*;
pub use uname::*;
pub use utimes::*;
pub use wait::*;

use crate::arch::x86_64::entry::PtRegs;
use crate::errno::{Errno, SysResult};

/// Which table a syscall comes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Abi {
    X64,
    I386,
}

/// A syscall's arguments as its ABI passed them, and the caller's
/// registers (for fork, execve, sigreturn).
pub struct SyscallArgs<'a> {
    pub nr: i64,
    pub args: [u64; 6],
    pub abi: Abi,
    pub regs: &'a mut PtRegs,
}

impl SyscallArgs<'_> {
    /// Argument `i` as an unsigned word (pointer, size, unsigned long).
    pub fn arg(&self, i: usize) -> usize {
        self.args[i] as usize
    }

    /// Argument `i` as a C int.
    pub fn int(&self, i: usize) -> i32 {
        self.args[i] as u32 as i32
    }

    /// Argument `i` as an unsigned int.
    pub fn uint(&self, i: usize) -> u32 {
        self.args[i] as u32
    }

    /// Argument `i` as a signed long of the caller's ABI.
    pub fn long(&self, i: usize) -> i64 {
        match self.abi {
            Abi::X64 => self.args[i] as i64,
            Abi::I386 => self.args[i] as u32 as i32 as i64,
        }
    }

    pub fn compat(&self) -> bool {
        self.abi == Abi::I386
    }
}

pub type SyscallFn = fn(&mut SyscallArgs) -> SysResult;

#[allow(dead_code)]
mod table_64 {
    include!(concat!(env!("OUT_DIR"), "/syscalls_64.rs"));
}

#[allow(dead_code)]
mod table_32 {
    include!(concat!(env!("OUT_DIR"), "/syscalls_32.rs"));
}

/// The name of syscall `nr` in `abi`, for tracing.
pub fn name(abi: Abi, nr: i64) -> &'static str {
    let names: &[&str] = match abi {
        Abi::X64 => &table_64::SYSCALL_NAMES,
        Abi::I386 => &table_32::SYSCALL_NAMES,
    };
    usize::try_from(nr)
        .ok()
        .and_then(|n| names.get(n))
        .copied()
        .filter(|n| !n.is_empty())
        .unwrap_or("?")
}

/// Run syscall `nr`: its handler, or -ENOSYS for numbers without one.
pub fn dispatch(abi: Abi, nr: i64, args: [u64; 6], regs: &mut PtRegs) -> i64 {
    let table: &[Option<SyscallFn>] = match abi {
        Abi::X64 => &table_64::SYS_CALL_TABLE,
        Abi::I386 => &table_32::SYS_CALL_TABLE,
    };
    let handler = usize::try_from(nr)
        .ok()
        .and_then(|n| table.get(n))
        .copied()
        .flatten();
    let mut a = SyscallArgs {
        nr,
        args,
        abi,
        regs,
    };
    let r = match handler {
        Some(h) => h(&mut a),
        None => Err(Errno::ENOSYS),
    };
    if crate::params::trace_syscalls() {
        trace(abi, nr, &args, &r);
    }
    match r {
        Ok(v) => v as i64,
        Err(e) => -(e.0 as i64),
    }
}

/// `trace=syscall`: one line per syscall, strace-style.
fn trace(abi: Abi, nr: i64, args: &[u64; 6], r: &SysResult) {
    let me = crate::sched::current();
    let bits = if abi == Abi::I386 { "32" } else { "64" };
    let ret = match r {
        Ok(v) => alloc::format!("{v:#x}"),
        Err(e) => alloc::format!("-{}", e.name()),
    };
    crate::pr_info!(
        "{}[{}] {}/{}({:#x}, {:#x}, {:#x}) = {}",
        me.comm_str(),
        me.pid(),
        name(abi, nr),
        bits,
        args[0],
        args[1],
        args[2],
        ret
    );
}
