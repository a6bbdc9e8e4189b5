//! Interval timers (Linux's kernel/time/itimer.c), one set per thread
//! group: ITIMER_REAL and alarm deliver SIGALRM on the clock; ITIMER_VIRTUAL
//! (user time, SIGVTALRM) and ITIMER_PROF (user and system time, SIGPROF)
//! count the group's CPU time, charged tick by tick, as is RLIMIT_CPU
//! (SIGXCPU each second past the soft limit, SIGKILL at the hard one).

use crate::errno::Errno;
use crate::process::signal::{
    RLIM_INFINITY, RLIMIT_CPU, SI_KERNEL, SIGALRM, SIGKILL, SIGPROF, SIGVTALRM, SIGXCPU, SigInfo,
    send_signal_to_group,
};
use crate::process::task::Task;
use crate::sched::timer::arm_alarm;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

/// The CPU time one tick stands for.
pub const TICK_NSEC: u64 = 1_000_000_000 / super::HZ;

/// A group's timer: when it fires next and how often it repeats. `generation`
/// tells a stale queued expiry from the current arming.
#[derive(Clone, Copy, Debug, Default)]
pub struct ItimerReal {
    pub expires_ns: Option<u64>,
    pub interval_ns: u64,
    pub generation: u64,
}

/// (value, interval) left on the calling group's timer, in ns.
pub fn get(it: &SpinLock<ItimerReal>) -> (u64, u64) {
    let t = *it.lock();
    let now = super::ktime_get_ns();
    (
        // An armed timer never reads as disarmed: at least 1 µs (Linux).
        t.expires_ns.map_or(0, |e| e.saturating_sub(now).max(1000)),
        t.interval_ns,
    )
}

/// Arm (value > 0) or disarm (value == 0); returns the old setting.
pub fn set(it: &SpinLock<ItimerReal>, tgid: i32, value_ns: u64, interval_ns: u64) -> (u64, u64) {
    let old = get(it);
    let mut t = it.lock();
    t.generation += 1;
    t.interval_ns = interval_ns;
    if value_ns == 0 {
        t.expires_ns = None;
    } else {
        let when = super::ktime_get_ns().saturating_add(value_ns);
        t.expires_ns = Some(when);
        arm_alarm(when, tgid, t.generation);
    }
    old
}

/// The timer fired (from the tick): SIGALRM, and re-arm an interval.
pub fn it_real_fn(tgid: i32, generation: u64, now: u64) {
    let Some(leader) = crate::process::find_task(tgid) else {
        return;
    };
    let sig = leader.signal();
    {
        let mut t = sig.it_real.lock();
        if t.generation != generation || t.expires_ns.is_none() {
            return;
        }
        if t.interval_ns > 0 {
            let next = t
                .expires_ns
                .unwrap()
                .saturating_add(t.interval_ns)
                .max(now + 1);
            t.expires_ns = Some(next);
            arm_alarm(next, tgid, generation);
        } else {
            t.expires_ns = None;
        }
    }
    send_signal_to_group(
        &leader,
        SIGALRM,
        SigInfo {
            signo: SIGALRM,
            code: SI_KERNEL,
            ..Default::default()
        },
    );
}

/// ITIMER_VIRTUAL or ITIMER_PROF (Linux's struct cpu_itimer): CPU time
/// left before the signal (0: disarmed) and the reload.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuItimer {
    pub value_ns: u64,
    pub interval_ns: u64,
}

/// Index of ITIMER_VIRTUAL and ITIMER_PROF in the group's pair.
pub const CPUCLOCK_VIRT: usize = 0;
pub const CPUCLOCK_PROF: usize = 1;

/// (value, interval) left on a CPU timer, in ns.
pub fn get_cpu(it: &SpinLock<[CpuItimer; 2]>, which: usize) -> (u64, u64) {
    let t = it.lock()[which];
    (t.value_ns, t.interval_ns)
}

/// Arm or disarm a CPU timer and return the old setting (Linux's
/// set_cpu_itimer). A nonzero value gets one tick more, as in Linux, so
/// that the signal never comes before the CPU time asked for was used.
pub fn set_cpu(
    it: &SpinLock<[CpuItimer; 2]>,
    which: usize,
    value_ns: u64,
    interval_ns: u64,
) -> (u64, u64) {
    let mut t = it.lock();
    let old = (t[which].value_ns, t[which].interval_ns);
    t[which] = CpuItimer {
        value_ns: if value_ns > 0 {
            value_ns.saturating_add(TICK_NSEC)
        } else {
            0
        },
        interval_ns,
    };
    old
}

// Take `ns` off an armed timer; true when it expired (then reloaded from
// its interval, the overshoot carried, or disarmed).
fn cpu_itimer_charge(t: &mut CpuItimer, ns: u64) -> bool {
    if t.value_ns == 0 {
        return false;
    }
    if t.value_ns > ns {
        t.value_ns -= ns;
        return false;
    }
    let over = ns - t.value_ns;
    t.value_ns = t.interval_ns.saturating_sub(over).max(t.interval_ns.min(1));
    true
}

/// Charge the tick that interrupted `task` to its group (Linux's
/// account_process_tick and check_process_timers): a user tick counts for
/// ITIMER_VIRTUAL and ITIMER_PROF, a system tick for ITIMER_PROF; then
/// RLIMIT_CPU is checked against the group's CPU time.
pub fn account_cpu_tick(task: &Arc<Task>, user: bool) {
    let sig = task.signal();
    let cputime = sig.cputime_ns.fetch_add(TICK_NSEC, Ordering::Relaxed) + TICK_NSEC;
    let (virt, prof) = {
        let mut it = sig.it_cpu.lock();
        let virt = user && cpu_itimer_charge(&mut it[CPUCLOCK_VIRT], TICK_NSEC);
        (virt, cpu_itimer_charge(&mut it[CPUCLOCK_PROF], TICK_NSEC))
    };
    let kernel_signal = |signo| SigInfo {
        signo,
        code: SI_KERNEL,
        ..Default::default()
    };
    if virt {
        send_signal_to_group(task, SIGVTALRM, kernel_signal(SIGVTALRM));
    }
    if prof {
        send_signal_to_group(task, SIGPROF, kernel_signal(SIGPROF));
    }
    let secs = cputime / 1_000_000_000;
    let limit = {
        let mut rlim = sig.rlim.lock();
        let l = rlim[RLIMIT_CPU];
        // Past the soft limit: SIGXCPU now and one second later again.
        if l.cur != RLIM_INFINITY && secs >= l.cur && l.cur < l.max {
            rlim[RLIMIT_CPU].cur = l.cur + 1;
        }
        l
    };
    if limit.max != RLIM_INFINITY && secs >= limit.max {
        send_signal_to_group(task, SIGKILL, kernel_signal(SIGKILL));
    } else if limit.cur != RLIM_INFINITY && secs >= limit.cur {
        send_signal_to_group(task, SIGXCPU, kernel_signal(SIGXCPU));
    }
}

/// A struct timeval (or compat) → ns, checking usec (EINVAL).
pub fn timeval_ns(sec: i64, usec: i64) -> Result<u64, Errno> {
    if sec < 0 || !(0..1_000_000).contains(&usec) {
        return Err(Errno::EINVAL);
    }
    Ok((sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(usec as u64 * 1000))
}
