//! POSIX interval timers (Linux's kernel/time/posix-timers.c and the CPU
//! clock part of posix-cpu-timers.c): timer_create, timer_settime,
//! timer_gettime, timer_getoverrun, timer_delete.
//!
//! A thread group owns its timers, numbered from 0. A timer on a wall clock
//! (CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME) waits in the timer list
//! of sched/timer.rs; one on a CPU clock is checked at each tick of the
//! group. On expiry it queues its signal, unless the previous one is still
//! pending: then it counts an overrun, handed over when the signal is
//! taken (si_overrun, timer_getoverrun). Timers are not inherited by fork
//! and go at execve.

use crate::errno::Errno;
use crate::process::cputime;
use crate::process::signal::{SigInfo, send_signal_to_group, send_signal_to_thread};
use crate::process::task::{Pid, Task};
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};

/// si_code of a timer's signal.
pub const SI_TIMER: i32 = -2;
/// sigev_notify values.
pub const SIGEV_SIGNAL: i32 = 0;
pub const SIGEV_NONE: i32 = 1;
pub const SIGEV_THREAD_ID: i32 = 4;
/// The most timers one group may have (Linux is bounded by memory).
const MAX_TIMERS: usize = 4096;
/// Overruns saturate here (DELAYTIMER_MAX).
const DELAYTIMER_MAX: i32 = i32::MAX;

/// What a timer measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerClock {
    /// A wall clock, by its deadline in ktime ns.
    Wall,
    /// A CPU clock of the group (thread == 0) or of thread `thread`, of
    /// the kind cputime::CPUCLOCK_* names.
    Cpu { thread: Pid, which: u32 },
}

/// How a timer reports an expiry (struct sigevent, decoded).
#[derive(Clone, Copy, Debug)]
pub struct Notify {
    /// SIGEV_SIGNAL, SIGEV_NONE or SIGEV_THREAD_ID.
    pub how: i32,
    pub signo: i32,
    pub value: u64,
    /// SIGEV_THREAD_ID: the thread to signal.
    pub tid: Pid,
}

/// One timer (Linux's struct k_itimer).
struct KTimer {
    /// The clock id it was created on, and what that measures.
    clockid: i32,
    clock: TimerClock,
    notify: Notify,
    /// Next expiry (0: disarmed): ktime ns for wall clocks, the clock's
    /// own ns for CPU clocks.
    expires: u64,
    interval: u64,
    /// Told apart from stale entries in the wall-clock timer list.
    generation: u64,
    /// The signal is queued and not yet taken.
    sig_pending: bool,
    overrun: i32,
    overrun_last: i32,
}

/// A group's timers (in SignalStruct).
#[derive(Default)]
pub struct PosixTimers {
    timers: BTreeMap<i32, KTimer>,
    /// The id to try next: ids go round rather than reuse the lowest, so a
    /// stale id is unlikely to name a new timer (Linux's next_posix_timer_id).
    next_id: i32,
    /// How many are armed on CPU clocks: the tick looks only if some are.
    cpu_armed: usize,
}

static GENERATION: AtomicU64 = AtomicU64::new(1);

/// timer_create: a new disarmed timer; its id, or EAGAIN when the group
/// has too many.
pub fn timer_create(
    me: &Task,
    clockid: i32,
    clock: TimerClock,
    notify: Option<Notify>,
) -> Result<i32, Errno> {
    let sig = me.signal();
    let mut pt = sig.posix_timers.lock();
    if pt.timers.len() >= MAX_TIMERS {
        return Err(Errno::EAGAIN);
    }
    let mut id = pt.next_id;
    while pt.timers.contains_key(&id) {
        id = id.wrapping_add(1) & i32::MAX;
    }
    pt.next_id = id.wrapping_add(1) & i32::MAX;
    // No sigevent: SIGALRM to the group, with the timer id as its value.
    let notify = notify.unwrap_or(Notify {
        how: SIGEV_SIGNAL,
        signo: crate::process::signal::SIGALRM,
        value: id as u64,
        tid: 0,
    });
    pt.timers.insert(
        id,
        KTimer {
            clockid,
            clock,
            notify,
            expires: 0,
            interval: 0,
            generation: 0,
            sig_pending: false,
            overrun: 0,
            overrun_last: 0,
        },
    );
    Ok(id)
}

/// timer_delete; EINVAL for an id that is not ours.
pub fn timer_delete(me: &Task, id: i32) -> Result<(), Errno> {
    let sig = me.signal();
    let mut pt = sig.posix_timers.lock();
    let t = pt.timers.remove(&id).ok_or(Errno::EINVAL)?;
    if t.expires != 0 && matches!(t.clock, TimerClock::Cpu { .. }) {
        pt.cpu_armed -= 1;
    }
    Ok(())
}

/// The clock's current reading for a CPU-clock timer of `me`'s group.
fn cpu_now(me: &Task, thread: Pid, which: u32) -> u64 {
    let c = if thread == 0 {
        cputime::thread_group_cputime(me)
    } else {
        crate::process::find_task(thread)
            .map_or_else(Default::default, |t| cputime::task_cputime(&t))
    };
    cputime::cpu_clock_sample(which, &c)
}

// (value, interval) left on a timer, value at least 1 ns while armed.
fn remaining(me: &Task, t: &KTimer) -> (u64, u64) {
    if t.expires == 0 {
        return (0, t.interval);
    }
    let now = match t.clock {
        TimerClock::Wall => super::ktime_get_ns(),
        TimerClock::Cpu { thread, which } => cpu_now(me, thread, which),
    };
    (t.expires.saturating_sub(now).max(1), t.interval)
}

/// timer_gettime: (value, interval) in ns.
pub fn timer_gettime(me: &Task, id: i32) -> Result<(u64, u64), Errno> {
    let sig = me.signal();
    let pt = sig.posix_timers.lock();
    let t = pt.timers.get(&id).ok_or(Errno::EINVAL)?;
    Ok(remaining(me, t))
}

/// The clock a timer runs on: its id and kind.
pub fn timer_clock_of(me: &Task, id: i32) -> Result<(i32, TimerClock), Errno> {
    let sig = me.signal();
    let pt = sig.posix_timers.lock();
    let t = pt.timers.get(&id).ok_or(Errno::EINVAL)?;
    Ok((t.clockid, t.clock))
}

/// timer_getoverrun: the overruns handed over with the last signal taken.
pub fn timer_getoverrun(me: &Task, id: i32) -> Result<i32, Errno> {
    let sig = me.signal();
    let pt = sig.posix_timers.lock();
    Ok(pt.timers.get(&id).ok_or(Errno::EINVAL)?.overrun_last)
}

/// timer_settime: arm to expire in `value` ns (or at `value` on the
/// timer's own clock when `absolute`; for a wall clock the caller has
/// turned that into ktime ns), repeating every `interval`; value 0
/// disarms. Returns the old (value, interval).
pub fn timer_settime(
    me: &Task,
    id: i32,
    value: u64,
    interval: u64,
    absolute: bool,
) -> Result<(u64, u64), Errno> {
    let sig = me.signal();
    let mut guard = sig.posix_timers.lock();
    let pt = &mut *guard;
    let t = pt.timers.get_mut(&id).ok_or(Errno::EINVAL)?;
    let old = remaining(me, t);
    let was_cpu_armed = t.expires != 0 && matches!(t.clock, TimerClock::Cpu { .. });
    t.generation = GENERATION.fetch_add(1, Ordering::Relaxed);
    t.interval = interval;
    t.overrun = 0;
    t.expires = if value == 0 {
        0
    } else if absolute {
        value.max(1)
    } else {
        let now = match t.clock {
            TimerClock::Wall => super::ktime_get_ns(),
            TimerClock::Cpu { thread, which } => cpu_now(me, thread, which),
        };
        now.saturating_add(value)
    };
    let is_cpu_armed = t.expires != 0 && matches!(t.clock, TimerClock::Cpu { .. });
    if t.expires != 0 && t.clock == TimerClock::Wall {
        crate::sched::timer::arm_posix_timer(t.expires, me.tgid, id, t.generation);
    }
    pt.cpu_armed = pt.cpu_armed + is_cpu_armed as usize - was_cpu_armed as usize;
    Ok(old)
}

// The timer expired at `now` (on its clock): queue its signal or count an
// overrun, and re-arm a periodic timer past `now`, counting the periods
// that went by as overruns too. Returns the signal to send.
fn expire(t: &mut KTimer, now: u64) -> Option<Notify> {
    let mut missed = 0u64;
    if t.interval > 0 {
        missed = (now - t.expires) / t.interval;
        t.expires += (missed + 1) * t.interval;
    } else {
        t.expires = 0;
    }
    let add = |o: i32, n: u64| (o as u64).saturating_add(n).min(DELAYTIMER_MAX as u64) as i32;
    if t.sig_pending || t.notify.how == SIGEV_NONE {
        let n = if t.notify.how == SIGEV_NONE {
            0
        } else {
            missed + 1
        };
        t.overrun = add(t.overrun, n);
        return None;
    }
    t.overrun = add(t.overrun, missed);
    t.sig_pending = true;
    Some(t.notify)
}

// Send a timer's signal; if it could not be queued (the same standard
// signal was pending already from elsewhere), the timer is not left
// waiting for a delivery that will not come.
fn send(leader: &Arc<Task>, id: i32, n: Notify) {
    let info = SigInfo {
        signo: n.signo,
        code: SI_TIMER,
        value: n.value,
        timerid: id,
        sys_private: true,
        ..Default::default()
    };
    let queued = if n.how == SIGEV_THREAD_ID {
        match crate::process::find_task(n.tid).filter(|t| t.tgid == leader.tgid) {
            Some(t) => send_signal_to_thread(&t, n.signo, info),
            None => false,
        }
    } else {
        send_signal_to_group(leader, n.signo, info)
    };
    if !queued {
        if let Some(t) = leader.signal().posix_timers.lock().timers.get_mut(&id) {
            t.sig_pending = false;
        }
    }
}

/// From the wall-clock timer list: timer `id` of group `tgid` is due.
pub fn posix_timer_fn(tgid: Pid, id: i32, generation: u64, now: u64) {
    let Some(leader) = crate::process::find_task(tgid) else {
        return;
    };
    let sig = leader.signal();
    let notify = {
        let mut pt = sig.posix_timers.lock();
        let Some(t) = pt.timers.get_mut(&id) else {
            return;
        };
        if t.generation != generation || t.expires == 0 {
            return;
        }
        let n = expire(t, now);
        if t.expires != 0 {
            crate::sched::timer::arm_posix_timer(t.expires, tgid, id, generation);
        }
        n
    };
    if let Some(n) = notify {
        send(&leader, id, n);
    }
}

/// From the tick of a task of the group: fire the CPU-clock timers due.
pub fn run_posix_cpu_timers(task: &Arc<Task>) {
    let sig = task.signal();
    let mut due = alloc::vec::Vec::new();
    {
        let mut guard = sig.posix_timers.lock();
        let pt = &mut *guard;
        if pt.cpu_armed == 0 {
            return;
        }
        let mut disarmed = 0;
        for (&id, t) in pt.timers.iter_mut() {
            let TimerClock::Cpu { thread, which } = t.clock else {
                continue;
            };
            if t.expires == 0 {
                continue;
            }
            let now = cpu_now(task, thread, which);
            if now < t.expires {
                continue;
            }
            if let Some(n) = expire(t, now) {
                due.push((id, n));
            }
            if t.expires == 0 {
                disarmed += 1;
            }
        }
        pt.cpu_armed -= disarmed;
    }
    for (id, n) in due {
        send(task, id, n);
    }
}

/// A timer's signal is being taken: hand over the overruns counted while
/// it was pending (Linux's posixtimer_deliver_signal).
pub fn posixtimer_deliver_signal(me: &Task, info: &mut SigInfo) {
    if let Some(t) = me
        .signal()
        .posix_timers
        .lock()
        .timers
        .get_mut(&info.timerid)
    {
        t.sig_pending = false;
        t.overrun_last = t.overrun;
        t.overrun = 0;
        info.overrun = t.overrun_last;
    }
}

/// execve: the group's timers go (Linux's exit_itimers).
pub fn exit_itimers(me: &Task) {
    *me.signal().posix_timers.lock() = PosixTimers::default();
}
