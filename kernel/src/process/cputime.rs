//! CPU time and resource usage (Linux's kernel/sched/cputime.c and the
//! getrusage part of kernel/sys.c).
//!
//! Three sources, as in Linux with tick-based accounting: the tick charges
//! a whole tick to user or system mode (`utime`, `stime`); the scheduler
//! adds the exact time each task spent on the CPU (`sum_exec_runtime`);
//! faults and context switches are counted where they happen. What user
//! space sees as user and system time is the exact runtime split in the
//! ratio of the ticks (cputime_adjust), so that a program that ran 2 ms
//! between two ticks still reports 2 ms, and neither half goes backwards.
//! A thread's counts join its group's `dead` totals when it is released;
//! a child's group totals join its parent's `children` totals when the
//! parent reaps it (RUSAGE_CHILDREN, times()'s cutime).

use super::signal::SignalStruct;
use super::task::Task;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use core::ops::AddAssign;
use core::sync::atomic::Ordering;

/// A tick's worth of CPU time.
const TICK_NSEC: u64 = crate::time::itimer::TICK_NSEC;

/// The counters of a thread, or summed over threads (Linux's
/// task_cputime plus the rusage counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cputime {
    /// Ticks that found the task in user mode, and in the kernel.
    pub utime: u64,
    pub stime: u64,
    /// Nanoseconds on the CPU, exactly.
    pub sum_exec_runtime: u64,
    pub min_flt: u64,
    pub maj_flt: u64,
    /// Context switches: gave up the CPU to wait (voluntary), or was
    /// preempted or yielded (involuntary).
    pub nvcsw: u64,
    pub nivcsw: u64,
}

impl AddAssign for Cputime {
    fn add_assign(&mut self, o: Cputime) {
        self.utime += o.utime;
        self.stime += o.stime;
        self.sum_exec_runtime += o.sum_exec_runtime;
        self.min_flt += o.min_flt;
        self.maj_flt += o.maj_flt;
        self.nvcsw += o.nvcsw;
        self.nivcsw += o.nivcsw;
    }
}

/// What getrusage and wait4 report: user and system time in ns, and the
/// counts (struct rusage).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rusage {
    pub utime_ns: u64,
    pub stime_ns: u64,
    /// The largest resident set, in KiB: a peak, so it combines by max.
    pub maxrss_kib: u64,
    pub min_flt: u64,
    pub maj_flt: u64,
    pub nvcsw: u64,
    pub nivcsw: u64,
}

impl AddAssign for Rusage {
    fn add_assign(&mut self, o: Rusage) {
        self.utime_ns += o.utime_ns;
        self.stime_ns += o.stime_ns;
        self.maxrss_kib = self.maxrss_kib.max(o.maxrss_kib);
        self.min_flt += o.min_flt;
        self.maj_flt += o.maj_flt;
        self.nvcsw += o.nvcsw;
        self.nivcsw += o.nivcsw;
    }
}

/// The last (utime, stime) reported, in ns, so that neither goes back
/// (Linux's struct prev_cputime).
pub type PrevCputime = SpinLock<(u64, u64)>;

/// Split `rtime` ns of runtime in the ratio of the user and system ticks,
/// never below what was reported before (Linux's cputime_adjust).
pub fn cputime_adjust(
    utime_ticks: u64,
    stime_ticks: u64,
    rtime: u64,
    prev: &PrevCputime,
) -> (u64, u64) {
    let mut p = prev.lock();
    // Runtime lags the ticks a little at times: keep the last answer.
    if p.0 + p.1 >= rtime {
        return *p;
    }
    let mut stime = if stime_ticks == 0 {
        0
    } else if utime_ticks == 0 {
        rtime
    } else {
        (rtime as u128 * stime_ticks as u128 / (stime_ticks + utime_ticks) as u128) as u64
    };
    stime = stime.max(p.1);
    let mut utime = rtime - stime;
    if utime < p.0 {
        utime = p.0;
        stime = rtime - utime;
    }
    *p = (utime, stime);
    (utime, stime)
}

/// Called by the scheduler switching from `prev` to `next` at `now`:
/// charge prev's time on the CPU and count the switch.
pub fn account_switch(prev: &Task, next: &Task, now: u64) {
    let ran = now.saturating_sub(prev.exec_start.load(Ordering::Relaxed));
    prev.sum_exec_runtime.fetch_add(ran, Ordering::Relaxed);
    if prev.state() == super::task::TaskState::Running {
        prev.nivcsw.fetch_add(1, Ordering::Relaxed);
    } else {
        prev.nvcsw.fetch_add(1, Ordering::Relaxed);
    }
    next.exec_start.store(now, Ordering::Relaxed);
}

/// One thread's counters; a thread on the CPU now includes its current run.
pub fn task_cputime(t: &Task) -> Cputime {
    let mut sum = t.sum_exec_runtime.load(Ordering::Relaxed);
    if crate::sched::has_current() && core::ptr::eq(crate::sched::current(), t) {
        let now = crate::time::ktime_get_ns();
        sum += now.saturating_sub(t.exec_start.load(Ordering::Relaxed));
    }
    Cputime {
        utime: t.utime.load(Ordering::Relaxed),
        stime: t.stime.load(Ordering::Relaxed),
        sum_exec_runtime: sum,
        min_flt: t.min_flt.load(Ordering::Relaxed),
        maj_flt: t.maj_flt.load(Ordering::Relaxed),
        nvcsw: t.nvcsw.load(Ordering::Relaxed),
        nivcsw: t.nivcsw.load(Ordering::Relaxed),
    }
}

/// The group's counters: released threads plus those still listed
/// (Linux's thread_group_cputime).
pub fn thread_group_cputime(t: &Task) -> Cputime {
    let mut c = *t.signal().dead.lock();
    for th in super::thread_group(t.tgid) {
        c += task_cputime(&th);
    }
    c
}

// Counters → rusage, with the times adjusted against `prev`.
fn to_rusage(c: &Cputime, prev: &PrevCputime) -> Rusage {
    let (utime_ns, stime_ns) = cputime_adjust(c.utime, c.stime, c.sum_exec_runtime, prev);
    Rusage {
        utime_ns,
        stime_ns,
        maxrss_kib: 0,
        min_flt: c.min_flt,
        maj_flt: c.maj_flt,
        nvcsw: c.nvcsw,
        nivcsw: c.nivcsw,
    }
}

// The resident set of `t`'s address space now, in KiB.
fn rss_kib(t: &Task) -> u64 {
    t.mm().map_or(0, |mm| mm.stats().1 as u64 * 4)
}

/// Tear down an address space the group is leaving (at exit and exec)
/// if it is its last user, and remember its resident set for ru_maxrss
/// (Linux keeps a high-water mark; Forkline takes the size at the end,
/// counted by the teardown itself).
pub fn exit_mm_rss(t: &Task, mm: &Arc<crate::mm::mmap::MmStruct>) {
    if Arc::strong_count(mm) == 1 {
        let kib = mm.exit_mmap() as u64 * 4;
        t.signal().maxrss_kib.fetch_max(kib, Ordering::Relaxed);
    }
}

/// This thread's usage (RUSAGE_THREAD, /proc/PID/task/TID/stat).
pub fn task_rusage(t: &Task) -> Rusage {
    let mut r = to_rusage(&task_cputime(t), &t.prev_cputime);
    r.maxrss_kib = rss_kib(t);
    r
}

/// The whole group's usage (RUSAGE_SELF, times(), /proc/PID/stat).
pub fn group_rusage(t: &Task) -> Rusage {
    let sig = t.signal();
    let mut r = to_rusage(&thread_group_cputime(t), &sig.prev_cputime);
    r.maxrss_kib = sig.maxrss_kib.load(Ordering::Relaxed).max(rss_kib(t));
    r
}

/// Reaped children's usage (RUSAGE_CHILDREN, times()'s cutime and cstime).
pub fn children_rusage(sig: &SignalStruct) -> Rusage {
    *sig.children_usage.lock()
}

/// A thread leaves the task list: its counters join its group's (the
/// accounting half of Linux's __exit_signal).
pub fn release_cputime(t: &Task) {
    let c = task_cputime(t);
    *t.signal().dead.lock() += c;
}

/// The parent reaps the group of `child`: its usage and its reaped
/// children's join the parent's children totals (wait_task_zombie). Returns
/// what wait4 reports for the child: both together.
pub fn reap_child_usage(parent: &Task, child: &Arc<Task>) -> Rusage {
    let csig = child.signal();
    let mut r = group_rusage(child);
    r += children_rusage(&csig);
    *parent.signal().children_usage.lock() += r;
    r
}

/// CPU time in ns of the kind a CPU clock or timer counts: user and system
/// ticks (PROF), user ticks (VIRT), or exact runtime (SCHED).
pub fn cpu_clock_sample(which: u32, c: &Cputime) -> u64 {
    match which {
        CPUCLOCK_PROF => (c.utime + c.stime) * TICK_NSEC,
        CPUCLOCK_VIRT => c.utime * TICK_NSEC,
        _ => c.sum_exec_runtime,
    }
}

/// The low bits of a CPU clock id (Linux's CPUCLOCK_WHICH).
pub const CPUCLOCK_PROF: u32 = 0;
pub const CPUCLOCK_VIRT: u32 = 1;
pub const CPUCLOCK_SCHED: u32 = 2;

/// A CPU clock id taken apart: (pid, per-thread, which), or None for the
/// other clocks. The ids clock_getcpuclockid() and pthread_getcpuclockid()
/// make are ((~pid) << 3) | (per-thread: 4) | which, pid 0 meaning the
/// caller; CLOCK_PROCESS_CPUTIME_ID (2) and CLOCK_THREAD_CPUTIME_ID (3) are
/// the caller's own.
pub fn cpu_clock_decode(clock: i32) -> Option<(super::task::Pid, bool, u32)> {
    match clock {
        2 => Some((0, false, CPUCLOCK_SCHED)),
        3 => Some((0, true, CPUCLOCK_SCHED)),
        c if c < 0 => Some((!(c >> 3), c & 4 != 0, c as u32 & 3)),
        _ => None,
    }
}

/// Read a CPU clock (Linux's posix_cpu_clock_get): the caller's process or
/// thread, or another by id; a thread clock must name a thread of the
/// caller's group and a process clock a group leader (EINVAL otherwise).
pub fn cpu_clock_get(clock: i32) -> Result<u64, crate::errno::Errno> {
    use crate::errno::Errno;
    let (pid, thread, which) = cpu_clock_decode(clock).ok_or(Errno::EINVAL)?;
    if which > CPUCLOCK_SCHED {
        return Err(Errno::EINVAL);
    }
    let me = crate::sched::current_arc();
    let t = if pid == 0 {
        me.clone()
    } else {
        super::find_task(pid).ok_or(Errno::EINVAL)?
    };
    if thread {
        if t.tgid != me.tgid {
            return Err(Errno::EINVAL);
        }
        Ok(cpu_clock_sample(which, &task_cputime(&t)))
    } else {
        if !t.is_group_leader() {
            return Err(Errno::EINVAL);
        }
        Ok(cpu_clock_sample(which, &thread_group_cputime(&t)))
    }
}

/// Ticks since boot that found the CPU in user mode (nice 0 or less, and
/// niced), in the kernel, and idle (Linux's kernel_cpustat, one CPU).
pub static KCPUSTAT: [core::sync::atomic::AtomicU64; 4] =
    [const { core::sync::atomic::AtomicU64::new(0) }; 4];
pub const CPUTIME_USER: usize = 0;
pub const CPUTIME_NICE: usize = 1;
pub const CPUTIME_SYSTEM: usize = 2;
pub const CPUTIME_IDLE: usize = 3;

/// Charge the tick that interrupted `t` (Linux's account_process_tick):
/// to the task, in user or system mode, and to the CPU's totals.
pub fn account_process_tick(t: &Task, user: bool) {
    let slot = if t.pid() == 0 {
        CPUTIME_IDLE
    } else if user {
        t.utime.fetch_add(1, Ordering::Relaxed);
        if t.nice.load(Ordering::Relaxed) > 0 {
            CPUTIME_NICE
        } else {
            CPUTIME_USER
        }
    } else {
        t.stime.fetch_add(1, Ordering::Relaxed);
        CPUTIME_SYSTEM
    };
    KCPUSTAT[slot].fetch_add(1, Ordering::Relaxed);
}
