//! Timers read as files (Linux's fs/timerfd.c): a timer on
//! CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME (or their _ALARM
//! twins) counts its expiries; a read returns that count as 8 bytes and
//! resets it, blocking while it is 0.
//!
//! The timer waits in the timer list of sched/timer.rs with its deadline
//! in ktime ns (the syscall layer turns an absolute time on the timer's
//! clock into that). A periodic timer counts the periods that went by
//! whenever it is looked at (expiry, read, gettime), as Linux's
//! hrtimer_forward does.

use super::file::{File, FileOps, O_CLOEXEC, O_NONBLOCK, POLLIN, anon_inode_getfile};
use crate::errno::{Errno, SysResult};
use crate::sched::wait::WaitQueue;
use crate::sync::SpinLock;
use alloc::string::String;
use alloc::sync::{Arc, Weak};
use core::sync::atomic::{AtomicU64, Ordering};

pub const TFD_TIMER_ABSTIME: u32 = 1;
pub const TFD_TIMER_CANCEL_ON_SET: u32 = 2;
pub const TFD_CLOEXEC: u32 = O_CLOEXEC;
pub const TFD_NONBLOCK: u32 = O_NONBLOCK;

pub const CLOCK_REALTIME: i32 = 0;
pub const CLOCK_MONOTONIC: i32 = 1;
pub const CLOCK_BOOTTIME: i32 = 7;
pub const CLOCK_REALTIME_ALARM: i32 = 8;
pub const CLOCK_BOOTTIME_ALARM: i32 = 9;

/// The timer's setting and what it counted.
#[derive(Default)]
struct TimerState {
    /// Next expiry in ktime ns; 0 when disarmed.
    expires: u64,
    interval: u64,
    /// Expiries since the last read.
    ticks: u64,
    /// Tells the current arming from stale entries in the timer list.
    generation: u64,
    /// The flags of the last timerfd_settime (for fdinfo).
    settime_flags: u32,
}

impl TimerState {
    // Count the expiries up to `now`, moving a periodic timer past it or
    // disarming a one-shot one; true if any.
    fn forward(&mut self, now: u64) -> bool {
        if self.expires == 0 || now < self.expires {
            return false;
        }
        if self.interval > 0 {
            let missed = (now - self.expires) / self.interval;
            self.ticks = self.ticks.saturating_add(missed + 1);
            self.expires = self
                .expires
                .saturating_add((missed + 1).saturating_mul(self.interval));
        } else {
            self.ticks = self.ticks.saturating_add(1);
            self.expires = 0;
        }
        true
    }

    // (value, interval) left, in ns; value 0 once disarmed.
    fn remaining(&self, now: u64) -> (u64, u64) {
        let value = if self.expires == 0 {
            0
        } else {
            self.expires.saturating_sub(now)
        };
        (value, self.interval)
    }
}

/// One timerfd (Linux's struct timerfd_ctx).
pub struct TimerfdCtx {
    me: Weak<TimerfdCtx>,
    clockid: i32,
    t: SpinLock<TimerState>,
    /// Readers waiting for an expiry.
    wqh: WaitQueue,
    /// Wake-ups so far, for edge-triggered epoll.
    seq: AtomicU64,
}

static GENERATION: AtomicU64 = AtomicU64::new(1);

impl TimerfdCtx {
    /// The clock it was created on.
    pub fn clockid(&self) -> i32 {
        self.clockid
    }

    // The timer expired: wake readers and pollers.
    fn wake(&self) {
        self.seq.fetch_add(1, Ordering::Relaxed);
        self.wqh.wake_up_all();
        super::poll_wake();
    }

    /// timerfd_gettime: (value left, interval) in ns.
    pub fn gettime(&self) -> (u64, u64) {
        let now = crate::time::ktime_get_ns();
        let mut t = self.t.lock();
        t.forward(now);
        t.remaining(now)
    }

    /// timerfd_settime: expire at `deadline` (ktime ns; None disarms),
    /// then every `interval` ns; the count starts again from 0. Returns
    /// the old (value, interval).
    pub fn settime(&self, deadline: Option<u64>, interval: u64, flags: u32) -> (u64, u64) {
        let now = crate::time::ktime_get_ns();
        let (old, fired) = {
            let mut t = self.t.lock();
            t.forward(now);
            let old = t.remaining(now);
            t.generation = GENERATION.fetch_add(1, Ordering::Relaxed);
            t.ticks = 0;
            t.settime_flags = flags;
            t.interval = interval;
            t.expires = deadline.map_or(0, |d| d.max(1));
            if t.expires != 0 {
                crate::sched::timer::arm_timerfd(t.expires, self.me.clone(), t.generation);
            }
            // A deadline already passed counts at once, as an hrtimer
            // started in the past fires at once.
            (old, t.forward(now))
        };
        if fired {
            self.wake();
        }
        old
    }
}

/// From the timer list: a timerfd armed as `generation` is due at `now`.
pub fn timerfd_tmrproc(ctx: &Weak<TimerfdCtx>, generation: u64, now: u64) {
    let Some(ctx) = ctx.upgrade() else {
        return;
    };
    let fired = {
        let mut t = ctx.t.lock();
        if t.generation != generation || t.expires == 0 {
            return;
        }
        let fired = t.forward(now);
        if t.expires != 0 {
            crate::sched::timer::arm_timerfd(t.expires, ctx.me.clone(), generation);
        }
        fired
    };
    if fired {
        ctx.wake();
    }
}

impl FileOps for TimerfdCtx {
    /// timerfd_read: the expiries since the last read, as 8 bytes.
    fn read(&self, file: &File, buf: &mut [u8]) -> SysResult {
        if buf.len() < 8 {
            return Err(Errno::EINVAL);
        }
        let ready = || {
            let mut t = self.t.lock();
            t.forward(crate::time::ktime_get_ns());
            t.ticks > 0
        };
        if !ready() {
            if file.flags() & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            self.wqh.wait_event(true, ready)?;
        }
        let ticks = core::mem::take(&mut self.t.lock().ticks);
        buf[..8].copy_from_slice(&ticks.to_le_bytes());
        Ok(8)
    }

    /// A timerfd takes no writes (Linux has no write operation: EINVAL).
    fn write(&self, _: &File, _: &[u8]) -> SysResult {
        Err(Errno::EINVAL)
    }

    fn poll(&self, _: &File) -> u16 {
        if self.t.lock().ticks > 0 { POLLIN } else { 0 }
    }

    fn event_seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    fn anon_name(&self) -> Option<&'static str> {
        Some("timerfd")
    }

    /// timerfd_show: clock, ticks, flags and the setting, as Linux.
    fn show_fdinfo(&self, _: &File) -> String {
        let now = crate::time::ktime_get_ns();
        let t = self.t.lock();
        let (value, interval) = t.remaining(now);
        let ns = 1_000_000_000;
        alloc::format!(
            "clockid: {}\nticks: {}\nsettime flags: 0{:o}\nit_value: ({}, {})\nit_interval: ({}, {})\n",
            self.clockid,
            t.ticks,
            t.settime_flags,
            value / ns,
            value % ns,
            interval / ns,
            interval % ns
        )
    }

    fn as_any(&self) -> Option<&dyn core::any::Any> {
        Some(self)
    }
}

/// timerfd_create: a disarmed timer on `clockid`; EINVAL for other
/// clocks or flags than TFD_NONBLOCK and TFD_CLOEXEC. (The _ALARM clocks
/// need CAP_WAKE_ALARM, which Forkline's root has; they run as their
/// plain clocks, there being no suspend to wake from.)
pub fn timerfd_create(clockid: i32, flags: u32) -> Result<Arc<File>, Errno> {
    let clock_ok = matches!(
        clockid,
        CLOCK_REALTIME
            | CLOCK_MONOTONIC
            | CLOCK_BOOTTIME
            | CLOCK_REALTIME_ALARM
            | CLOCK_BOOTTIME_ALARM
    );
    if flags & !(TFD_CLOEXEC | TFD_NONBLOCK) != 0 || !clock_ok {
        return Err(Errno::EINVAL);
    }
    let ctx = Arc::new_cyclic(|me| TimerfdCtx {
        me: me.clone(),
        clockid,
        t: SpinLock::new(TimerState::default()),
        wqh: WaitQueue::new(),
        seq: AtomicU64::new(0),
    });
    Ok(anon_inode_getfile(ctx, flags))
}
