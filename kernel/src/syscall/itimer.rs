//! alarm, setitimer, getitimer: ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF
//! (Linux's kernel/time/itimer.c).

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::sched::current;
use crate::time::itimer::{self, timeval_ns};
use crate::uaccess::{copy_from_user, copy_to_user};

const ITIMER_REAL: i32 = 0;
const ITIMER_VIRTUAL: i32 = 1;
const ITIMER_PROF: i32 = 2;

/// struct itimerval (interval, value) in the caller's layout → ns.
fn read_itimerval(a: &SyscallArgs, addr: usize) -> Result<(u64, u64), Errno> {
    let v: [i64; 4] = if a.compat() {
        let mut b = [0u8; 16];
        copy_from_user(&mut b, addr)?;
        core::array::from_fn(|i| i32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().unwrap()) as i64)
    } else {
        let mut b = [0u8; 32];
        copy_from_user(&mut b, addr)?;
        core::array::from_fn(|i| i64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap()))
    };
    Ok((timeval_ns(v[0], v[1])?, timeval_ns(v[2], v[3])?))
}

fn write_itimerval(a: &SyscallArgs, addr: usize, interval: u64, value: u64) -> Result<(), Errno> {
    let f = [
        interval / 1_000_000_000,
        (interval % 1_000_000_000) / 1000,
        value / 1_000_000_000,
        (value % 1_000_000_000) / 1000,
    ];
    if a.compat() {
        let mut b = [0u8; 16];
        for (i, v) in f.iter().enumerate() {
            b[i * 4..i * 4 + 4].copy_from_slice(&(*v as u32).to_le_bytes());
        }
        copy_to_user(addr, &b)
    } else {
        let mut b = [0u8; 32];
        for (i, v) in f.iter().enumerate() {
            b[i * 8..i * 8 + 8].copy_from_slice(&v.to_le_bytes());
        }
        copy_to_user(addr, &b)
    }
}

// The timer `which` names, or EINVAL.
fn which(w: i32) -> Result<Option<usize>, Errno> {
    match w {
        ITIMER_REAL => Ok(None),
        ITIMER_VIRTUAL => Ok(Some(itimer::CPUCLOCK_VIRT)),
        ITIMER_PROF => Ok(Some(itimer::CPUCLOCK_PROF)),
        _ => Err(Errno::EINVAL),
    }
}

pub fn sys_getitimer(a: &mut SyscallArgs) -> SysResult {
    let sig = current().signal();
    let (value, interval) = match which(a.int(0))? {
        None => itimer::get(&sig.it_real),
        Some(cpu) => itimer::get_cpu(&sig.it_cpu, cpu),
    };
    write_itimerval(a, a.arg(1), interval, value).map(|_| 0)
}

pub fn sys_setitimer(a: &mut SyscallArgs) -> SysResult {
    let timer = which(a.int(0))?;
    // A NULL new value disarms, as Linux has always allowed.
    let (interval, value) = if a.arg(1) != 0 {
        read_itimerval(a, a.arg(1))?
    } else {
        (0, 0)
    };
    let me = current();
    let sig = me.signal();
    let (ov, oi) = match timer {
        None => itimer::set(&sig.it_real, me.tgid, value, interval),
        Some(cpu) => itimer::set_cpu(&sig.it_cpu, cpu, value, interval),
    };
    if a.arg(2) != 0 {
        write_itimerval(a, a.arg(2), oi, ov)?;
    }
    Ok(0)
}

/// alarm: seconds left on the old alarm (rounded up, as Linux).
pub fn sys_alarm(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let (old, _) = itimer::set(
        &me.signal().it_real,
        me.tgid,
        a.uint(0) as u64 * 1_000_000_000,
        0,
    );
    Ok(old.div_ceil(1_000_000_000) as usize)
}
