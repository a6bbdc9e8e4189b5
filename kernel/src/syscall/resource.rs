//! Resource limits and accounting: getrlimit/setrlimit/prlimit64 (and
//! i386's ugetrlimit), getrusage, sysinfo (whose freeram the leak tests
//! read).

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::process::cputime::{self, Rusage};
use crate::process::signal::{RLIM_INFINITY, RLIM_NLIMITS, Rlimit};
use crate::sched::current;
use crate::uaccess::{clear_user, copy_from_user, copy_to_user, put_user};
use core::sync::atomic::Ordering;

fn limits_of(pid: i32) -> Result<alloc::sync::Arc<crate::process::signal::SignalStruct>, Errno> {
    if pid == 0 {
        return Ok(current().signal());
    }
    Ok(crate::process::find_task(pid).ok_or(Errno::ESRCH)?.signal())
}

fn resource(r: u32) -> Result<usize, Errno> {
    let r = r as usize;
    if r < RLIM_NLIMITS {
        Ok(r)
    } else {
        Err(Errno::EINVAL)
    }
}

/// prlimit64(pid, resource, new, old) with struct rlimit64.
pub fn sys_prlimit64(a: &mut SyscallArgs) -> SysResult {
    let r = resource(a.uint(1))?;
    let sig = limits_of(a.int(0))?;
    let new = if a.arg(2) != 0 {
        let mut b = [0u8; 16];
        copy_from_user(&mut b, a.arg(2))?;
        let l = Rlimit {
            cur: u64::from_le_bytes(b[..8].try_into().unwrap()),
            max: u64::from_le_bytes(b[8..].try_into().unwrap()),
        };
        if l.cur > l.max {
            return Err(Errno::EINVAL);
        }
        Some(l)
    } else {
        None
    };
    let mut rl = sig.rlim.lock();
    let old = rl[r];
    if let Some(l) = new {
        rl[r] = l;
    }
    drop(rl);
    if a.arg(3) != 0 {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&old.cur.to_le_bytes());
        b[8..].copy_from_slice(&old.max.to_le_bytes());
        copy_to_user(a.arg(3), &b)?;
    }
    Ok(0)
}

/// getrlimit: unsigned longs (x86_64), or i386's compat_rlimit where
/// infinity is 0xffffffff (ugetrlimit) or clamped to 0x7fffffff (old).
pub fn sys_getrlimit(a: &mut SyscallArgs) -> SysResult {
    let r = resource(a.uint(0))?;
    let l = current().signal().rlim.lock()[r];
    if a.compat() {
        let inf = if a.nr == 76 { 0x7fff_ffff } else { 0xffff_ffff };
        let c = |v: u64| if v >= inf as u64 { inf } else { v as u32 };
        put_user(a.arg(1), &c(l.cur))?;
        put_user(a.arg(1) + 4, &c(l.max))?;
    } else {
        put_user(a.arg(1), &l.cur)?;
        put_user(a.arg(1) + 8, &l.max)?;
    }
    Ok(0)
}

pub fn sys_setrlimit(a: &mut SyscallArgs) -> SysResult {
    let r = resource(a.uint(0))?;
    let (cur, max) = if a.compat() {
        let g = |v: u32| {
            if v == u32::MAX {
                RLIM_INFINITY
            } else {
                v as u64
            }
        };
        (
            g(crate::uaccess::get_user::<u32>(a.arg(1))?),
            g(crate::uaccess::get_user::<u32>(a.arg(1) + 4)?),
        )
    } else {
        (
            crate::uaccess::get_user::<u64>(a.arg(1))?,
            crate::uaccess::get_user::<u64>(a.arg(1) + 8)?,
        )
    };
    if cur > max {
        return Err(Errno::EINVAL);
    }
    current().signal().rlim.lock()[r] = Rlimit { cur, max };
    Ok(0)
}

/// Write a struct rusage in the caller's layout: two timevals, then 14
/// longs of which Forkline fills maxrss and the fault and context-switch
/// counts (the shared-memory sizes, swaps, block I/O, messages and signals
/// stay 0).
pub(super) fn put_rusage(addr: usize, compat: bool, r: &Rusage) -> Result<(), Errno> {
    let w = if compat { 4 } else { 8 };
    clear_user(addr, 18 * w)?;
    let tv = |ns: u64| [ns / 1_000_000_000, ns % 1_000_000_000 / 1000];
    let [us, uu] = tv(r.utime_ns);
    let [ss, su] = tv(r.stime_ns);
    // (index in longs, value): ru_utime, ru_stime, ru_maxrss, ru_minflt,
    // ru_majflt, ru_nvcsw, ru_nivcsw.
    for (i, v) in [
        (0, us),
        (1, uu),
        (2, ss),
        (3, su),
        (4, r.maxrss_kib),
        (8, r.min_flt),
        (9, r.maj_flt),
        (16, r.nvcsw),
        (17, r.nivcsw),
    ] {
        if compat {
            put_user(addr + i * 4, &(v as u32))?
        } else {
            put_user(addr + i * 8, &v)?
        }
    }
    Ok(())
}

const RUSAGE_SELF: i32 = 0;
const RUSAGE_CHILDREN: i32 = -1;
const RUSAGE_THREAD: i32 = 1;

/// getrusage: the group, its reaped children, or this thread.
pub fn sys_getrusage(a: &mut SyscallArgs) -> SysResult {
    let me = current();
    let r = match a.int(0) {
        RUSAGE_SELF => cputime::group_rusage(me),
        RUSAGE_CHILDREN => cputime::children_rusage(&me.signal()),
        RUSAGE_THREAD => cputime::task_rusage(me),
        _ => return Err(Errno::EINVAL),
    };
    put_rusage(a.arg(1), a.compat(), &r).map(|_| 0)
}

pub fn sys_sysinfo(a: &mut SyscallArgs) -> SysResult {
    let total = crate::mm::page_alloc::totalram_pages() as u64 * 4096;
    let free = crate::mm::page_alloc::nr_free_pages() as u64 * 4096;
    let uptime = crate::time::ktime_get_ns() / 1_000_000_000;
    let procs = crate::process::NR_THREADS
        .load(Ordering::Relaxed)
        .min(u16::MAX as usize) as u16;
    // Load averages in 16-bit fixed point (SI_LOAD_SHIFT).
    let loads =
        crate::sched::loadavg::get_avenrun(0).map(|l| l << (16 - crate::sched::loadavg::FSHIFT));
    if a.compat() {
        // Bytes when they fit in 32 bits, else pages (Linux's do_sysinfo).
        let unit: u64 = if total > u32::MAX as u64 { 4096 } else { 1 };
        let mut b = [0u8; 64];
        b[0..4].copy_from_slice(&(uptime as u32).to_le_bytes());
        for (i, l) in loads.iter().enumerate() {
            b[4 + 4 * i..8 + 4 * i].copy_from_slice(&(*l as u32).to_le_bytes());
        }
        b[16..20].copy_from_slice(&((total / unit) as u32).to_le_bytes());
        b[20..24].copy_from_slice(&((free / unit) as u32).to_le_bytes());
        b[40..42].copy_from_slice(&procs.to_le_bytes());
        b[52..56].copy_from_slice(&(unit as u32).to_le_bytes());
        copy_to_user(a.arg(0), &b)?;
    } else {
        let mut b = [0u8; 112];
        b[0..8].copy_from_slice(&uptime.to_le_bytes());
        for (i, l) in loads.iter().enumerate() {
            b[8 + 8 * i..16 + 8 * i].copy_from_slice(&l.to_le_bytes());
        }
        b[32..40].copy_from_slice(&total.to_le_bytes());
        b[40..48].copy_from_slice(&free.to_le_bytes());
        b[80..82].copy_from_slice(&procs.to_le_bytes());
        b[104..108].copy_from_slice(&1u32.to_le_bytes());
        copy_to_user(a.arg(0), &b)?;
    }
    Ok(0)
}
