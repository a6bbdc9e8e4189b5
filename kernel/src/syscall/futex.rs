//! futex(2) and futex_time64: decode the operation and timeout, then the
//! futex subsystem.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::futex::*;

/// Relative (FUTEX_WAIT) or absolute (FUTEX_WAIT_BITSET) timeout → ktime deadline.
fn deadline(
    a: &SyscallArgs,
    addr: usize,
    absolute: bool,
    realtime: bool,
) -> Result<Option<u64>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    let old32 = a.compat() && a.nr != 422;
    let (s, ns) = super::time::get_timespec(addr, old32)?;
    let t = (s as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ns as u64);
    let now = crate::time::ktime_get_ns();
    Ok(Some(if absolute {
        let clock_now = if realtime {
            crate::time::ktime_get_real_ns()
        } else {
            crate::time::monotonic_ns()
        };
        now + t.saturating_sub(clock_now)
    } else {
        now.saturating_add(t)
    }))
}

pub fn sys_futex(a: &mut SyscallArgs) -> SysResult {
    let (uaddr, op, val) = (a.arg(0), a.uint(1), a.uint(2));
    let private = op & FUTEX_PRIVATE_FLAG != 0;
    let realtime = op & FUTEX_CLOCK_REALTIME != 0;
    let cmd = op & !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    if realtime && !matches!(cmd, FUTEX_WAIT | FUTEX_WAIT_BITSET) {
        return Err(Errno::ENOSYS);
    }
    match cmd {
        FUTEX_WAIT => futex_wait(
            uaddr,
            val,
            deadline(a, a.arg(3), realtime, realtime)?,
            FUTEX_BITSET_MATCH_ANY,
            private,
        ),
        FUTEX_WAIT_BITSET => futex_wait(
            uaddr,
            val,
            deadline(a, a.arg(3), true, realtime)?,
            a.uint(5),
            private,
        ),
        FUTEX_WAKE => Ok(futex_wake(uaddr, val as usize, private)),
        FUTEX_WAKE_BITSET => {
            if a.uint(5) == 0 {
                return Err(Errno::EINVAL);
            }
            Ok(futex_wake_bitset(uaddr, val as usize, a.uint(5), private))
        }
        FUTEX_REQUEUE => futex_requeue(
            uaddr,
            a.arg(4),
            val as usize,
            a.arg(3) & 0x7fff_ffff,
            None,
            private,
        ),
        FUTEX_CMP_REQUEUE => futex_requeue(
            uaddr,
            a.arg(4),
            val as usize,
            a.arg(3) & 0x7fff_ffff,
            Some(a.uint(5)),
            private,
        ),
        FUTEX_WAKE_OP => futex_wake_op(
            uaddr,
            a.arg(4),
            val as usize,
            a.arg(3) & 0x7fff_ffff,
            a.uint(5),
            private,
        ),
        _ => Err(Errno::ENOSYS),
    }
}
