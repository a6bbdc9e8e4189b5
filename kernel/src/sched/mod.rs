//! The scheduler: one run queue and the idle task (pid 0). The runnable
//! task with the highest real-time priority runs first (SCHED_FIFO until
//! it blocks or yields, SCHED_RR for RR_TIMESLICE_TICKS at a time among its
//! equals); the normal policies share what is left round-robin, a time
//! slice each. As Linux's sched_rt_runtime_us, real-time tasks get at most
//! RT_RUNTIME_TICKS of every second, so a runaway one cannot lock the
//! machine up. The kernel is not preemptible (Linux's PREEMPT_NONE): a
//! task switches only when it blocks, yields, or is about to return to
//! user mode with TIF_NEED_RESCHED set by the timer tick or a wake-up.

pub mod loadavg;
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
/// SCHED_RR's slice: 100 ms, Linux's sched_rr_timeslice_ms.
pub const RR_TIMESLICE_TICKS: u32 = (crate::time::HZ / 10) as u32;
/// Real-time tasks may run 950 ms of every second (Linux's
/// sched_rt_runtime_us / sched_rt_period_us), measured on the clock, not
/// in ticks, so that ticks lost under a loaded host do not stretch it.
const RT_PERIOD_NS: u64 = 1_000_000_000;
const RT_RUNTIME_NS: u64 = RT_PERIOD_NS * 95 / 100;

/// Scheduling policies (Linux's uapi/linux/sched.h).
pub const SCHED_OTHER: i32 = 0;
pub const SCHED_FIFO: i32 = 1;
pub const SCHED_RR: i32 = 2;
pub const SCHED_BATCH: i32 = 3;
pub const SCHED_IDLE: i32 = 5;
pub const SCHED_RESET_ON_FORK: i32 = 0x4000_0000;

// The child inherits nice, policy and real-time priority;
// SCHED_RESET_ON_FORK gives it the normal ones back (Linux's sched_fork).
pub fn sched_fork(orig: &Task, t: &Task) {
    let (nice, policy, rt_priority) = (
        orig.nice.load(Ordering::Relaxed),
        orig.policy.load(Ordering::Relaxed),
        orig.rt_priority.load(Ordering::Relaxed),
    );
    let (nice, policy, rt_priority) = if policy & SCHED_RESET_ON_FORK != 0 {
        let normal = match policy & !SCHED_RESET_ON_FORK {
            SCHED_FIFO | SCHED_RR => SCHED_OTHER,
            p => p,
        };
        (nice.max(0), normal, 0)
    } else {
        (nice, policy, rt_priority)
    };
    t.nice.store(nice, Ordering::Relaxed);
    t.policy.store(policy, Ordering::Relaxed);
    t.rt_priority.store(rt_priority, Ordering::Relaxed);
}

/// The priority the run queue orders by: the real-time priority under
/// SCHED_FIFO/SCHED_RR, 0 for the normal policies.
pub fn rt_prio(t: &Task) -> i32 {
    match t.policy.load(Ordering::Relaxed) & !SCHED_RESET_ON_FORK {
        SCHED_FIFO | SCHED_RR => t.rt_priority.load(Ordering::Relaxed),
        _ => 0,
    }
}

struct RunQueue {
    queue: VecDeque<Arc<Task>>,
    /// Nanoseconds real-time tasks ran in this period, when the period
    /// began, and the time of the last tick.
    rt_time: u64,
    rt_period_start: u64,
    rt_last_tick: u64,
    /// Real-time tasks used up their share: the normal ones go first
    /// until the period ends (Linux's rt_throttled).
    rt_throttled: bool,
    current: Option<Arc<Task>>,
    idle: Option<Arc<Task>>,
    /// The task we switched away from, released on the next task's stack
    /// (Linux's finish_task_switch → put_task_struct).
    prev: Option<Arc<Task>>,
    nr_switches: u64,
}

static RQ: SpinLock<RunQueue> = SpinLock::new(RunQueue {
    queue: VecDeque::new(),
    rt_time: 0,
    rt_period_start: 0,
    rt_last_tick: 0,
    rt_throttled: false,
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
    check_preempt_curr(&rq, t);
    true
}

// A task that became runnable with a higher real-time priority than the
// running one takes the CPU at the next return to user mode.
fn check_preempt_curr(rq: &RunQueue, t: &Task) {
    if let Some(cur) = &rq.current
        && rt_prio(t) > rt_prio(cur)
        && !rq.rt_throttled
    {
        cur.set_tif(TIF_NEED_RESCHED);
    }
}

/// The priorities of `t` changed (sched_setscheduler): let the run queue
/// see it, as Linux's check_class_changed.
pub fn prio_changed(t: &Arc<Task>) {
    let rq = RQ.lock();
    if t.on_rq.load(Ordering::Relaxed) {
        check_preempt_curr(&rq, t);
    } else if rq.current.as_ref().is_some_and(|c| Arc::ptr_eq(c, t))
        && rq.queue.iter().any(|q| rt_prio(q) > rt_prio(t))
    {
        t.set_tif(TIF_NEED_RESCHED);
    }
}

/// Resume a stopped task (SIGCONT).
pub fn wake_up_stopped(t: &Arc<Task>) {
    let mut rq = RQ.lock();
    if t.state() == TaskState::Stopped {
        t.set_state(TaskState::Running);
        if !t.on_rq.swap(true, Ordering::Relaxed) {
            rq.queue.push_back(t.clone());
        }
        check_preempt_curr(&rq, t);
    }
}

/// Put a freshly created task on the run queue (Linux's wake_up_new_task).
#[unsafe(no_mangle)]
pub fn wake_up_new_task(t: Arc<Task>) {
    let mut rq = RQ.lock();
    t.set_state(TaskState::Running);
    t.on_rq.store(true, Ordering::Relaxed);
    check_preempt_curr(&rq, &t);
    rq.queue.push_back(t);
}

/// Give up the CPU: run the next runnable task, or idle. A current task
/// that is still Running goes to the back of the queue, unless it is a
/// real-time task that was preempted rather than done with its turn: it
/// keeps its place at the front (Linux's requeue of a preempted FIFO task).
#[unsafe(no_mangle)]
pub fn schedule() {
    __schedule(false)
}

fn __schedule(yielding: bool) {
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
            let turn_over = yielding || prev.time_slice.load(Ordering::Relaxed) == 0;
            if rt_prio(&prev) > 0 && !turn_over {
                rq.queue.push_front(prev.clone());
            } else {
                rq.queue.push_back(prev.clone());
            }
        }
        rq.queue.retain(|t| {
            let runnable = t.state() == TaskState::Running;
            if !runnable {
                t.on_rq.store(false, Ordering::Relaxed);
            }
            runnable
        });
        let next = match pick_next(&rq) {
            Some(i) => {
                let t = rq.queue.remove(i).unwrap();
                t.on_rq.store(false, Ordering::Relaxed);
                t
            }
            None => rq.idle.clone().expect("no idle task"),
        };
        if next.time_slice.load(Ordering::Relaxed) <= 1 || !Arc::ptr_eq(&prev, &next) {
            let slice = match next.policy.load(Ordering::Relaxed) & !SCHED_RESET_ON_FORK {
                SCHED_RR => RR_TIMESLICE_TICKS,
                _ => TIMESLICE_TICKS,
            };
            next.time_slice.store(slice, Ordering::Relaxed);
        }
        if Arc::ptr_eq(&prev, &next) {
            None
        } else {
            crate::process::cputime::account_switch(&prev, &next, crate::time::ktime_get_ns());
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

// The queue index of the task to run: the first of the highest real-time
// priority, or, while real-time tasks are throttled, the first normal one
// (a real-time one when there is nothing else).
fn pick_next(rq: &RunQueue) -> Option<usize> {
    if rq.rt_throttled
        && let Some(i) = rq.queue.iter().position(|t| rt_prio(t) == 0)
    {
        return Some(i);
    }
    let best = rq.queue.iter().map(|t| rt_prio(t)).max()?;
    rq.queue.iter().position(|t| rt_prio(t) == best)
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
    let mut rq = RQ.lock();
    let rt = rt_prio(cur) > 0;
    if sched_rt_period_tick(&mut rq, rt) {
        cur.set_tif(TIF_NEED_RESCHED);
    }
    if cur.pid() == 0 {
        if !rq.queue.is_empty() {
            cur.set_tif(TIF_NEED_RESCHED);
        }
        return;
    }
    if rt && cur.policy.load(Ordering::Relaxed) & !SCHED_RESET_ON_FORK == SCHED_FIFO {
        return; // SCHED_FIFO has no time slice
    }
    let left = cur.time_slice.load(Ordering::Relaxed);
    if left <= 1 {
        // Only a real-time task keeps its slice's end in mind: its turn is
        // over (schedule puts it behind its equals).
        if rt {
            cur.time_slice.store(0, Ordering::Relaxed);
        }
        cur.set_tif(TIF_NEED_RESCHED);
    } else {
        cur.time_slice.store(left - 1, Ordering::Relaxed);
    }
}

// Charge the time since the last tick to the real-time budget; throttle
// when it is used up and lift the throttle when the period ends. Returns
// whether the running task should make way (throttling began, or ended
// with RT tasks waiting).
fn sched_rt_period_tick(rq: &mut RunQueue, rt: bool) -> bool {
    let now = crate::time::ktime_get_ns();
    let ran = now.saturating_sub(core::mem::replace(&mut rq.rt_last_tick, now));
    let mut resched = false;
    if rt {
        rq.rt_time += ran;
        if rq.rt_time >= RT_RUNTIME_NS && !rq.rt_throttled {
            rq.rt_throttled = true;
            static ONCE: crate::sync::Once<()> = crate::sync::Once::new();
            ONCE.call_once(|| crate::pr_warn!("sched: RT throttling activated"));
            resched = rq.queue.iter().any(|t| rt_prio(t) == 0);
        }
    }
    if now - rq.rt_period_start >= RT_PERIOD_NS {
        rq.rt_period_start = now;
        rq.rt_time = 0;
        if core::mem::take(&mut rq.rt_throttled) {
            resched = rq.queue.iter().any(|t| rt_prio(t) > 0);
        }
    }
    resched
}

/// sched_yield: go to the back of the queue (behind one's equals).
pub fn yield_now() {
    __schedule(true);
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
