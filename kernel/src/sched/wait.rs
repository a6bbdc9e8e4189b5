//! Wait queues and completions (Linux's wait.h / completion.h).
//!
//! `wait_event` follows Linux's protocol: enqueue, mark the task sleeping,
//! test the condition, and only then schedule, so a wake-up between the
//! test and the switch is never lost.

use super::{current, current_arc, schedule, wake_up_process};
use crate::errno::Errno;
use crate::process::task::TaskState;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use alloc::vec::Vec;

pub struct WaitQueue {
    waiters: SpinLock<Vec<Arc<crate::process::task::Task>>>,
}

impl Default for WaitQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitQueue {
    pub const fn new() -> WaitQueue {
        WaitQueue {
            waiters: SpinLock::new(Vec::new()),
        }
    }

    /// Sleep until `cond()` holds. Interruptible sleeps end early with
    /// ERESTARTSYS when a signal is pending.
    pub fn wait_event(
        &self,
        interruptible: bool,
        mut cond: impl FnMut() -> bool,
    ) -> Result<(), Errno> {
        self.wait_event_timeout(interruptible, None, &mut cond)
            .map(|_| ())
    }

    /// As wait_event, giving up at `deadline_ns` (ktime). Returns whether
    /// the condition became true (false: timed out).
    pub fn wait_event_timeout(
        &self,
        interruptible: bool,
        deadline_ns: Option<u64>,
        cond: &mut dyn FnMut() -> bool,
    ) -> Result<bool, Errno> {
        if cond() {
            return Ok(true);
        }
        let me = current_arc();
        let state = if interruptible {
            TaskState::Interruptible
        } else {
            TaskState::Uninterruptible
        };
        let result = loop {
            {
                let mut w = self.waiters.lock();
                if !w.iter().any(|t| Arc::ptr_eq(t, &me)) {
                    w.push(me.clone());
                }
                me.set_state(state);
            }
            if cond() {
                break Ok(true);
            }
            if interruptible && me.signal_pending() {
                break Err(Errno::ERESTARTSYS);
            }
            if let Some(d) = deadline_ns {
                if crate::time::ktime_get_ns() >= d {
                    break Ok(false);
                }
                super::timer::arm(d, &me);
            }
            schedule();
        };
        me.set_state(TaskState::Running);
        self.waiters.lock().retain(|t| !Arc::ptr_eq(t, &me));
        result
    }

    /// Wake every waiter (they re-test their conditions).
    pub fn wake_up_all(&self) {
        let waiters: Vec<_> = self.waiters.lock().clone();
        for t in &waiters {
            wake_up_process(t);
        }
    }
}

/// A one-shot event (Linux's struct completion), e.g. vfork_done.
pub struct Completion {
    done: SpinLock<bool>,
    wq: WaitQueue,
}

impl Default for Completion {
    fn default() -> Self {
        Self::new()
    }
}

impl Completion {
    pub const fn new() -> Completion {
        Completion {
            done: SpinLock::new(false),
            wq: WaitQueue::new(),
        }
    }

    pub fn complete(&self) {
        *self.done.lock() = true;
        self.wq.wake_up_all();
    }

    /// Wait for complete(); `killable` lets a fatal signal end the wait.
    pub fn wait(&self, interruptible: bool) -> Result<(), Errno> {
        self.wq.wait_event(interruptible, || *self.done.lock())
    }
}

/// Sleep the current task until `deadline_ns` or a signal (nanosleep).
/// Returns Err(ERESTARTSYS) when interrupted.
pub fn sleep_until(deadline_ns: u64) -> Result<(), Errno> {
    let me = current_arc();
    loop {
        if crate::time::ktime_get_ns() >= deadline_ns {
            return Ok(());
        }
        me.set_state(TaskState::Interruptible);
        if current().signal_pending() {
            me.set_state(TaskState::Running);
            return Err(Errno::ERESTARTSYS);
        }
        super::timer::arm(deadline_ns, &me);
        schedule();
        me.set_state(TaskState::Running);
    }
}
