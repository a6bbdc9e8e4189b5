//! select, pselect6 and i386's _newselect, old select (one argument
//! block) and pselect6_time64 (Linux's fs/select.c core_sys_select and
//! its compat twin). fd_sets are bitmaps of the caller's longs; what is
//! ready is asked of each file, and the caller sleeps on the poll wait
//! queue until a pipe or terminal changes, the timeout passes or a
//! signal arrives. As on Linux, the remaining time is written back.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::file::{POLLERR, POLLHUP, POLLIN, POLLOUT, POLLPRI};
use crate::sched::current;
use crate::uaccess::{copy_from_user, copy_to_user, get_user};
use alloc::vec;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

const POLLIN_SET: u16 = POLLIN | POLLHUP | POLLERR;
const POLLOUT_SET: u16 = POLLOUT | POLLERR;
const POLLEX_SET: u16 = POLLPRI;

/// The three sets, as (user address, bits) for the ones given.
struct FdSets {
    sets: [(usize, Option<Vec<u8>>); 3],
    /// Bytes each set spans: nfds rounded up to the caller's longs.
    bytes: usize,
}

/// Linux's max_fds: the descriptor table's size, a power of two of at
/// least BITS_PER_LONG above the highest open descriptor.
fn max_fds() -> usize {
    let top = current()
        .files()
        .open_fds()
        .last()
        .map_or(0, |(fd, _)| *fd as usize + 1);
    top.next_power_of_two().max(64)
}

/// Copy in the sets given, for `n` descriptors clamped to the table size.
fn get_fd_sets(n: i32, addrs: [usize; 3], compat: bool) -> Result<(FdSets, usize), Errno> {
    if n < 0 {
        return Err(Errno::EINVAL);
    }
    let n = (n as usize).min(max_fds());
    let long = if compat { 4 } else { 8 };
    let bytes = n.div_ceil(long * 8) * long;
    let mut sets: [(usize, Option<Vec<u8>>); 3] = [(0, None), (0, None), (0, None)];
    for (i, &addr) in addrs.iter().enumerate() {
        if addr != 0 {
            let mut b = vec![0u8; bytes];
            copy_from_user(&mut b, addr)?;
            sets[i] = (addr, Some(b));
        }
    }
    Ok((FdSets { sets, bytes }, n))
}

/// One pass over the descriptors (Linux's do_select inner loop):
/// the result sets and how many bits are set in them.
fn scan(fds: &FdSets, n: usize) -> Result<([Vec<u8>; 3], usize), Errno> {
    let files = current().files();
    let mut out = [
        vec![0u8; fds.bytes],
        vec![0u8; fds.bytes],
        vec![0u8; fds.bytes],
    ];
    let mut count = 0;
    for fd in 0..n {
        let (byte, bit) = (fd / 8, 1u8 << (fd % 8));
        let wanted: [bool; 3] =
            core::array::from_fn(|i| fds.sets[i].1.as_ref().is_some_and(|s| s[byte] & bit != 0));
        if !wanted.iter().any(|&w| w) {
            continue;
        }
        let mask = files.get(fd as i32)?.poll();
        for (i, set) in [POLLIN_SET, POLLOUT_SET, POLLEX_SET].iter().enumerate() {
            if wanted[i] && mask & set != 0 {
                out[i][byte] |= bit;
                count += 1;
            }
        }
    }
    Ok((out, count))
}

/// core_sys_select: wait until something is ready or `deadline` (ktime
/// ns; None = forever), then write the result sets back.
fn core_sys_select(n: i32, addrs: [usize; 3], deadline: Option<u64>, compat: bool) -> SysResult {
    let (fds, n) = get_fd_sets(n, addrs, compat)?;
    let (mut out, mut count) = scan(&fds, n)?;
    if count == 0 && deadline != Some(0) {
        let mut failed = None;
        let r =
            crate::fs::POLL_WQ.wait_event_timeout(true, deadline, &mut || match scan(&fds, n) {
                Ok((_, c)) => c > 0,
                Err(e) => {
                    failed = Some(e);
                    true
                }
            });
        if let Some(e) = failed {
            return Err(e);
        }
        if r.is_err() {
            return Err(Errno::ERESTARTNOHAND);
        }
        (out, count) = scan(&fds, n)?;
    }
    for (i, (addr, set)) in fds.sets.iter().enumerate() {
        if set.is_some() {
            copy_to_user(*addr, &out[i])?;
        }
    }
    Ok(count)
}

/// How a timeout argument is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tmo {
    Timeval64,
    Timeval32,
    Timespec64,
    Timespec32,
}

impl Tmo {
    /// (seconds, sub-second field) at `addr`.
    fn read(self, addr: usize) -> Result<(i64, i64), Errno> {
        Ok(match self {
            Tmo::Timeval64 | Tmo::Timespec64 => {
                (get_user::<i64>(addr)?, get_user::<i64>(addr + 8)?)
            }
            Tmo::Timeval32 | Tmo::Timespec32 => (
                get_user::<i32>(addr)? as i64,
                get_user::<i32>(addr + 4)? as i64,
            ),
        })
    }

    /// Microseconds (timeval) rather than nanoseconds (timespec)?
    fn is_timeval(self) -> bool {
        matches!(self, Tmo::Timeval64 | Tmo::Timeval32)
    }

    /// Write `ns` nanoseconds back in this layout.
    fn write(self, addr: usize, ns: u64) -> Result<(), Errno> {
        let sec = (ns / 1_000_000_000) as i64;
        let sub = if self.is_timeval() {
            (ns % 1_000_000_000 / 1000) as i64
        } else {
            (ns % 1_000_000_000) as i64
        };
        match self {
            Tmo::Timeval64 | Tmo::Timespec64 => {
                let mut b = [0u8; 16];
                b[..8].copy_from_slice(&sec.to_le_bytes());
                b[8..].copy_from_slice(&sub.to_le_bytes());
                copy_to_user(addr, &b)
            }
            _ => {
                let mut b = [0u8; 8];
                b[..4].copy_from_slice(&(sec as i32).to_le_bytes());
                b[4..].copy_from_slice(&(sub as i32).to_le_bytes());
                copy_to_user(addr, &b)
            }
        }
    }
}

/// The deadline a timeout gives: a timeval's microseconds may exceed a
/// second (they are carried), a timespec must be normalised; negative
/// values are EINVAL.
fn deadline_of(tmo: Tmo, addr: usize) -> Result<Option<u64>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    let (sec, sub) = tmo.read(addr)?;
    if sec < 0 || sub < 0 || (!tmo.is_timeval() && sub >= 1_000_000_000) {
        return Err(Errno::EINVAL);
    }
    let sub_ns = if tmo.is_timeval() {
        sub.saturating_mul(1000)
    } else {
        sub
    } as u64;
    let ns = (sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(sub_ns);
    Ok(Some(crate::time::ktime_get_ns().saturating_add(ns)))
}

/// Run a select and write the time left back (Linux's
/// poll_select_finish; if that write faults the result stands, but a
/// restart becomes EINTR).
fn select_with_timeout(n: i32, addrs: [usize; 3], tmo: Tmo, tvp: usize, compat: bool) -> SysResult {
    let deadline = deadline_of(tmo, tvp)?;
    let r = core_sys_select(n, addrs, deadline, compat);
    if let Some(d) = deadline {
        let left = d.saturating_sub(crate::time::ktime_get_ns());
        if tmo.write(tvp, left).is_err() && r == Err(Errno::ERESTARTNOHAND) {
            return Err(Errno::EINTR);
        }
    }
    r
}

/// select(nfds, readfds, writefds, exceptfds, timeval *) on x86_64, and
/// i386's _newselect with 32-bit longs and timeval.
pub fn sys_select(a: &mut SyscallArgs) -> SysResult {
    let tmo = if a.compat() {
        Tmo::Timeval32
    } else {
        Tmo::Timeval64
    };
    select_with_timeout(
        a.int(0),
        [a.arg(1), a.arg(2), a.arg(3)],
        tmo,
        a.arg(4),
        a.compat(),
    )
}

/// i386's old select(struct sel_arg_struct *): the five arguments in
/// user memory.
pub fn sys_old_select(a: &mut SyscallArgs) -> SysResult {
    let mut b = [0u8; 20];
    copy_from_user(&mut b, a.arg(0))?;
    let w =
        |i: usize| u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().unwrap_or_default()) as usize;
    select_with_timeout(w(0) as i32, [w(1), w(2), w(3)], Tmo::Timeval32, w(4), true)
}

/// pselect6 with a signal mask swapped in for the wait, as ppoll does.
fn do_pselect6(a: &SyscallArgs, tmo: Tmo) -> SysResult {
    let me = current();
    let mut mask_set = false;
    if a.arg(5) != 0 {
        let (ss, len) = if a.compat() {
            (
                get_user::<u32>(a.arg(5))? as usize,
                get_user::<u32>(a.arg(5) + 4)? as usize,
            )
        } else {
            (
                get_user::<u64>(a.arg(5))? as usize,
                get_user::<u64>(a.arg(5) + 8)? as usize,
            )
        };
        if ss != 0 {
            if len != 8 {
                return Err(Errno::EINVAL);
            }
            let mask: u64 = get_user(ss)?;
            *me.saved_sigmask.lock() = Some(me.blocked.load(Ordering::Relaxed));
            crate::process::signal::set_current_blocked(mask);
            mask_set = true;
        }
    }
    let r = select_with_timeout(
        a.int(0),
        [a.arg(1), a.arg(2), a.arg(3)],
        tmo,
        a.arg(4),
        a.compat(),
    );
    // After a signal the mask is put back once its handler has run.
    if mask_set && r != Err(Errno::ERESTARTNOHAND) {
        if let Some(m) = me.saved_sigmask.lock().take() {
            crate::process::signal::set_current_blocked(m);
        }
    }
    r
}

/// pselect6(nfds, r, w, e, timespec *, { sigset_t *, size_t } *).
pub fn sys_pselect6(a: &mut SyscallArgs) -> SysResult {
    do_pselect6(
        a,
        if a.compat() {
            Tmo::Timespec32
        } else {
            Tmo::Timespec64
        },
    )
}

/// i386's pselect6_time64: a 64-bit timespec.
pub fn sys_pselect6_time64(a: &mut SyscallArgs) -> SysResult {
    do_pselect6(a, Tmo::Timespec64)
}
