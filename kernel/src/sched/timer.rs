//! Timeouts: sleeping tasks with a deadline, woken by the tick (Linux's
//! timer wheel, reduced to an ordered map; resolution is one tick).

use crate::process::task::Task;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use core::sync::atomic::{AtomicU64, Ordering};

static TIMERS: SpinLock<BTreeMap<(u64, u64), Weak<Task>>> = SpinLock::new(BTreeMap::new());
static SEQ: AtomicU64 = AtomicU64::new(0);

/// Wake `t` at or after `deadline_ns` (if it is still asleep then).
pub fn arm(deadline_ns: u64, t: &Arc<Task>) {
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    TIMERS.lock().insert((deadline_ns, seq), Arc::downgrade(t));
}

/// From the tick: wake every task whose deadline has passed.
pub fn run_timers(now_ns: u64) {
    loop {
        let due = {
            let mut timers = TIMERS.lock();
            match timers.first_key_value() {
                Some((&(d, _), _)) if d <= now_ns => timers.pop_first().map(|(_, w)| w),
                _ => None,
            }
        };
        match due {
            Some(w) => {
                if let Some(t) = w.upgrade() {
                    super::wake_up_process(&t);
                }
            }
            None => break,
        }
    }
}
