//! Timeouts (Linux's timer wheel, reduced to an ordered map with one-tick
//! resolution): sleeping tasks with a deadline, ITIMER_REAL, which sends
//! SIGALRM to a thread group, POSIX timers on the wall clocks, and
//! timerfds.

use crate::process::task::Task;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use core::sync::atomic::{AtomicU64, Ordering};

enum Event {
    /// Wake this task if it still sleeps.
    Wake(Weak<Task>),
    /// ITIMER_REAL of thread group `tgid`, armed as generation `generation`.
    Alarm { tgid: i32, generation: u64 },
    /// POSIX timer `id` of thread group `tgid`, armed as `generation`.
    PosixTimer { tgid: i32, id: i32, generation: u64 },
    /// A timerfd, armed as `generation`.
    Timerfd {
        ctx: Weak<crate::fs::timerfd::TimerfdCtx>,
        generation: u64,
    },
}

static TIMERS: SpinLock<BTreeMap<(u64, u64), Event>> = SpinLock::new(BTreeMap::new());
static SEQ: AtomicU64 = AtomicU64::new(0);

fn insert(deadline_ns: u64, e: Event) {
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    TIMERS.lock().insert((deadline_ns, seq), e);
}

/// Wake `t` at or after `deadline_ns` (if it is still asleep then).
pub fn arm(deadline_ns: u64, t: &Arc<Task>) {
    insert(deadline_ns, Event::Wake(Arc::downgrade(t)));
}

/// Fire thread group `tgid`'s real-time interval timer at `deadline_ns`.
pub fn arm_alarm(deadline_ns: u64, tgid: i32, generation: u64) {
    insert(deadline_ns, Event::Alarm { tgid, generation });
}

/// Fire POSIX timer `id` of thread group `tgid` at `deadline_ns`.
pub fn arm_posix_timer(deadline_ns: u64, tgid: i32, id: i32, generation: u64) {
    insert(
        deadline_ns,
        Event::PosixTimer {
            tgid,
            id,
            generation,
        },
    );
}

/// Expire timerfd `ctx` at `deadline_ns`.
pub fn arm_timerfd(deadline_ns: u64, ctx: Weak<crate::fs::timerfd::TimerfdCtx>, generation: u64) {
    insert(deadline_ns, Event::Timerfd { ctx, generation });
}

/// From the tick: handle every event whose deadline has passed.
pub fn run_timers(now_ns: u64) {
    loop {
        let due = {
            let mut timers = TIMERS.lock();
            match timers.first_key_value() {
                Some((&(d, _), _)) if d <= now_ns => timers.pop_first().map(|(_, e)| e),
                _ => None,
            }
        };
        match due {
            Some(Event::Wake(w)) => {
                if let Some(t) = w.upgrade() {
                    super::wake_up_process(&t);
                }
            }
            Some(Event::Alarm { tgid, generation }) => {
                crate::time::itimer::it_real_fn(tgid, generation, now_ns)
            }
            Some(Event::PosixTimer {
                tgid,
                id,
                generation,
            }) => crate::time::posix_timers::posix_timer_fn(tgid, id, generation, now_ns),
            Some(Event::Timerfd { ctx, generation }) => {
                crate::fs::timerfd::timerfd_tmrproc(&ctx, generation, now_ns)
            }
            None => break,
        }
    }
}
