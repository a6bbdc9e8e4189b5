//! The scheduler: one run queue, round-robin with a time slice, and the
//! idle task (pid 0). The kernel is not preemptible (Linux's
//! PREEMPT_NONE): a task switches only when it blocks, yields, or is about
//! to return to user mode with TIF_NEED_RESCHED set by the timer tick.

pub mod timer;
pub mod wait;

use crate::arch::x86_64::{irq, percpu, process as arch_process};
use crate::process::task::{TIF_NEED_RESCHED, Task, TaskState};
use crate::sync::SpinLock;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

/// Ticks a task runs before the tick asks for a reschedule (20 ms at HZ=250).
pub const TIMESLICE_TICKS: u32 = 5;

/// Scheduling policies (Linux's uapi/linux/sched.h). Only the normal ones
/// can be chosen; all tasks share one round robin whatever they say.
pub const SCHED_OTHER: i32 = 0;
pub const SCHED_FIFO: i32 = 1;
pub const SCHED_RR: i32 = 2;
pub const SCHED_BATCH: i32 = 3;
pub const SCHED_IDLE: i32 = 5;
pub const SCHED_RESET_ON_FORK: i32 = 0x4000_0000;

// The child inherits nice and policy; SCHED_RESET_ON_FORK gives it the
// normal ones back (Linux's sched_fork).
pub fn sched_fork(orig: &Task, t: &Task) {
    let (nice, policy) = (
        orig.nice.load(Ordering::Relaxed),
        orig.policy.load(Ordering::Relaxed),
    );
    let (nice, policy) = if policy & SCHED_RESET_ON_FORK != 0 {
        (nice.max(0), policy & !SCHED_RESET_ON_FORK)
    } else {
        (nice, policy)
    };
    t.nice.store(nice, Ordering::Relaxed);
    t.policy.store(policy, Ordering::Relaxed);
}

struct RunQueue {
    queue: VecDeque<Arc<Task>>,
    current: Option<Arc<Task>>,
    idle: Option<Arc<Task>>,
    /// The task we switched away from, released on the next task's stack
    /// (Linux's finish_task_switch → put_task_struct).
    prev: Option<Arc<Task>>,
    nr_switches: u64,
}

static RQ: SpinLock<RunQueue> = SpinLock::new(RunQueue {
    queue: VecDeque::new(),
    current: None,
    idle: None,
    prev: None,
    nr_switches: 0,
});

/// The running task. It cannot be freed while it runs, so the reference
/// is valid for as long as the caller can use it.
pub fn current() -> &'static Task {
    // SAFETY: percpu.current is set to a live task on every switch, and a
    // task is freed only after it has switched away for good.
    unsafe {
        let p = (*percpu::this_cpu()).current as *const Task;
        debug_assert!(!p.is_null(), "current() before sched_init");
        &*p
    }
}

/// Has the scheduler started (is there a current task)?
pub fn has_current() -> bool {
    // SAFETY: a plain read of this CPU's per-CPU field.
    unsafe { (*percpu::this_cpu()).current != 0 }
}

/// The running task as a counted reference.
pub fn current_arc() -> Arc<Task> {
    RQ.lock().current.clone().expect("no current task")
}

/// sched_init: the boot context becomes the idle task (pid 0, "swapper").
pub fn sched_init(idle: Arc<Task>) {
    // SAFETY: boot, interrupts off: publish the idle task as current.
    unsafe { (*percpu::this_cpu()).current = Arc::as_ptr(&idle) as u64 };
    let mut rq = RQ.lock();
    rq.current = Some(idle.clone());
    rq.idle = Some(idle);
}

/// Make a sleeping task runnable (Linux's wake_up_process). Returns
/// whether it was asleep.
#[unsafe(no_mangle)]
pub fn wake_up_process(t: &Arc<Task>) -> bool {
    let mut rq = RQ.lock();
    let s = t.state();
    if !matches!(s, TaskState::Interruptible | TaskState::Uninterruptible) {
        return false;
    }
    t.set_state(TaskState::Running);
    if !t.on_rq.swap(true, Ordering::Relaxed) {
        rq.queue.push_back(t.clone());
    }
    true
}

/// Resume a stopped task (SIGCONT).
pub fn wake_up_stopped(t: &Arc<Task>) {
    let mut rq = RQ.lock();
    if t.state() == TaskState::Stopped {
        t.set_state(TaskState::Running);
        if !t.on_rq.swap(true, Ordering::Relaxed) {
            rq.queue.push_back(t.clone());
        }
    }
}

/// Put a freshly created task on the run queue (Linux's wake_up_new_task).
#[unsafe(no_mangle)]
pub fn wake_up_new_task(t: Arc<Task>) {
    let mut rq = RQ.lock();
    t.set_state(TaskState::Running);
    t.on_rq.store(true, Ordering::Relaxed);
    rq.queue.push_back(t);
}

/// Give up the CPU: run the next runnable task, or idle. A current task
/// that is still Running goes to the back of the queue.
#[unsafe(no_mangle)]
pub fn schedule() {
    let irqs = irq::save_and_disable();
    let switch = {
        let mut rq = RQ.lock();
        let prev = rq.current.clone().expect("schedule() before sched_init");
        prev.clear_tif(TIF_NEED_RESCHED);
        let is_idle = rq.idle.as_ref().is_some_and(|i| Arc::ptr_eq(i, &prev));
        if !is_idle
            && prev.state() == TaskState::Running
            && !prev.on_rq.swap(true, Ordering::Relaxed)
        {
            rq.queue.push_back(prev.clone());
        }
        let next = loop {
            match rq.queue.pop_front() {
                Some(t) => {
                    t.on_rq.store(false, Ordering::Relaxed);
                    if t.state() == TaskState::Running {
                        break t;
                    }
                }
                None => break rq.idle.clone().expect("no idle task"),
            }
        };
        if Arc::ptr_eq(&prev, &next) {
            None
        } else {
            next.time_slice.store(TIMESLICE_TICKS, Ordering::Relaxed);
            rq.current = Some(next.clone());
            rq.prev = Some(prev.clone());
            rq.nr_switches += 1;
            // SAFETY: interrupts are off; `next` stays alive in rq.current.
            unsafe { (*percpu::this_cpu()).current = Arc::as_ptr(&next) as u64 };
            Some((Arc::as_ptr(&prev), Arc::as_ptr(&next)))
        }
    };
    if let Some((prev, next)) = switch {
        // SAFETY: both tasks are kept alive by the run queue (rq.current,
        // rq.prev) across the switch; interrupts are off.
        unsafe { arch_process::context_switch(&*prev, &*next) };
        finish_task_switch();
    }
    irq::restore(irqs);
}

/// Runs on the new task's stack right after a switch: release the previous
/// task (Linux's finish_task_switch). New tasks call it from ret_from_fork.
pub fn finish_task_switch() {
    let prev = RQ.lock().prev.take();
    drop(prev);
}

/// Called from the timer interrupt: charge the tick and ask for a switch
/// when the slice is used up (Linux's scheduler_tick).
pub fn scheduler_tick() {
    let cur = current();
    if cur.pid() == 0 {
        if !RQ.lock().queue.is_empty() {
            cur.set_tif(TIF_NEED_RESCHED);
        }
        return;
    }
    let left = cur.time_slice.load(Ordering::Relaxed);
    if left <= 1 {
        cur.set_tif(TIF_NEED_RESCHED);
    } else {
        cur.time_slice.store(left - 1, Ordering::Relaxed);
    }
}

/// sched_yield: go to the back of the queue.
pub fn yield_now() {
    schedule();
}

/// Reschedule if the tick asked for it (on the way back to user mode).
pub fn cond_resched() {
    if current().test_tif(TIF_NEED_RESCHED) {
        schedule();
    }
}

/// Runnable tasks waiting for the CPU.
pub fn nr_running() -> usize {
    RQ.lock().queue.len()
}

/// Context switches so far.
pub fn nr_switches() -> u64 {
    RQ.lock().nr_switches
}

/// The idle loop (Linux's do_idle): halt until an interrupt, then run
/// whatever became runnable.
pub fn cpu_idle() -> ! {
    loop {
        irq::disable();
        if RQ.lock().queue.is_empty() {
            irq::safe_halt();
        } else {
            irq::enable();
        }
        schedule();
    }
}
