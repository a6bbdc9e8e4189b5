//! ITIMER_REAL and alarm (Linux's kernel/time/itimer.c): one real-time
//! interval timer per thread group, delivering SIGALRM.

use crate::errno::Errno;
use crate::process::signal::{SI_KERNEL, SIGALRM, SigInfo, send_signal_to_group};
use crate::sched::timer::arm_alarm;
use crate::sync::SpinLock;

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
        t.expires_ns.map_or(0, |e| e.saturating_sub(now).max(1)),
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

/// A struct timeval (or compat) → ns, checking usec (EINVAL).
pub fn timeval_ns(sec: i64, usec: i64) -> Result<u64, Errno> {
    if sec < 0 || !(0..1_000_000).contains(&usec) {
        return Err(Errno::EINVAL);
    }
    Ok((sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(usec as u64 * 1000))
}
