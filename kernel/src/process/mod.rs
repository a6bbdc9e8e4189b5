//! Processes and threads: the pid table, fork (kernel_clone →
//! copy_process), exit and wait, signals (Linux's kernel/fork.c,
//! kernel/exit.c, kernel/signal.c, kernel/pid.c).

pub mod cputime;
pub mod exit;
pub mod fork;
pub mod sigdeliver;
pub mod signal;
pub mod task;
pub mod wait;

use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use task::{Pid, Task};

/// Linux's default /proc/sys/kernel/pid_max.
pub const PID_MAX: Pid = 32768;
/// Pids below this are skipped when the counter wraps (RESERVED_PIDS).
const RESERVED_PIDS: Pid = 300;

/// Every live task (including zombies), by pid: Linux's pid hash plus
/// the task list.
static TASKS: SpinLock<BTreeMap<Pid, Arc<Task>>> = SpinLock::new(BTreeMap::new());
static LAST_PID: AtomicI32 = AtomicI32::new(0);
/// Tasks in existence, and the ceiling fork enforces (Linux's max_threads).
pub static NR_THREADS: AtomicUsize = AtomicUsize::new(0);
pub static MAX_THREADS: AtomicUsize = AtomicUsize::new(4096);

/// Allocate a pid: the next free one after the last, wrapping past
/// RESERVED_PIDS (Linux's alloc_pid). None when all are taken.
pub fn alloc_pid() -> Option<Pid> {
    let tasks = TASKS.lock();
    let mut pid = LAST_PID.load(Ordering::Relaxed);
    for _ in 0..PID_MAX {
        pid += 1;
        if pid >= PID_MAX {
            pid = RESERVED_PIDS;
        }
        if !tasks.contains_key(&pid) {
            LAST_PID.store(pid, Ordering::Relaxed);
            return Some(pid);
        }
    }
    None
}

/// Make a task findable by pid (attach_pid).
pub fn hash_task(t: Arc<Task>) {
    TASKS.lock().insert(t.pid(), t);
    NR_THREADS.fetch_add(1, Ordering::Relaxed);
}

/// Forget a reaped task (detach_pid).
pub fn unhash_task(pid: Pid) -> Option<Arc<Task>> {
    let t = TASKS.lock().remove(&pid);
    if t.is_some() {
        NR_THREADS.fetch_sub(1, Ordering::Relaxed);
    }
    t
}

/// The task with this pid (thread id), if any (find_task_by_vpid).
pub fn find_task(pid: Pid) -> Option<Arc<Task>> {
    TASKS.lock().get(&pid).cloned()
}

/// Snapshot of all tasks, for /proc and signals to groups.
pub fn all_tasks() -> Vec<Arc<Task>> {
    TASKS.lock().values().cloned().collect()
}

/// The threads of the group `tgid` (leader first), excluding dead ones.
pub fn thread_group(tgid: Pid) -> Vec<Arc<Task>> {
    let mut v: Vec<Arc<Task>> = TASKS
        .lock()
        .values()
        .filter(|t| t.tgid == tgid)
        .cloned()
        .collect();
    v.sort_by_key(|t| (t.pid() != tgid, t.pid()));
    v
}

/// Linux's set_max_threads: as many tasks as fit one-eighth of memory at
/// THREAD_SIZE each (fork_init).
pub fn set_max_threads() {
    let bytes = crate::mm::page_alloc::totalram_pages() as u64 * 4096;
    let n = (bytes / (crate::mm::vmalloc::THREAD_SIZE as u64 * 8))
        .clamp(20, crate::mm::vmalloc::MAX_STACKS as u64);
    MAX_THREADS.store(n as usize, Ordering::Relaxed);
}

/// The init process (pid 1), which adopts orphans.
pub fn init_task() -> Option<Arc<Task>> {
    find_task(1)
}
