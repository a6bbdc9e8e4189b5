//! The task: Linux's `struct task_struct`, one per thread.
//!
//! Shared pieces hang off counted references exactly where Linux shares
//! them between threads or after clone flags: `mm` (CLONE_VM), `files`
//! (CLONE_FILES), `fs` (CLONE_FS), `sighand` (CLONE_SIGHAND) and `signal`
//! (the thread group: CLONE_THREAD).

use crate::arch::x86_64::process::ThreadStruct;
use crate::fs::{FilesStruct, FsStruct};
use crate::mm::mmap::MmStruct;
use crate::mm::vmalloc::KernelStack;
use crate::process::signal::{SigHand, SigPending, SignalStruct};
use crate::sched::wait::Completion;
use crate::sync::SpinLock;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, AtomicUsize, Ordering};

pub type Pid = i32;

/// Scheduling state (Linux's __state and exit_state, folded together).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum TaskState {
    Running = 0,
    Interruptible = 1,
    Uninterruptible = 2,
    Stopped = 4,
    /// Exited, waiting to be reaped by its parent.
    Zombie = 0x20,
    /// Reaped.
    Dead = 0x10,
}

impl TaskState {}

/// Thread-info flags (TIF_*).
pub const TIF_SIGPENDING: u32 = 1 << 2;
pub const TIF_NEED_RESCHED: u32 = 1 << 3;
/// Task flags (PF_*).
pub const PF_EXITING: u32 = 0x0000_0004;
pub const PF_FORKNOEXEC: u32 = 0x0000_0040;
pub const PF_KTHREAD: u32 = 0x0020_0000;

pub struct Task {
    /// Thread id. It changes once, at most: a thread that execs takes
    /// over its group leader's pid (Linux's de_thread/exchange_tids).
    pid: AtomicI32,
    /// Thread-group id: the pid user space sees from getpid().
    pub tgid: Pid,
    state: AtomicU32,
    pub flags: AtomicU32,
    tif: AtomicU32,
    /// On the run queue (guards against double enqueue).
    pub on_rq: AtomicBool,
    pub time_slice: AtomicU32,
    pub comm: SpinLock<[u8; 16]>,
    /// 32-bit (IA-32 compat) user space.
    pub compat: AtomicBool,
    /// Registers and state saved across context switches.
    pub thread: ThreadCell,
    /// None only for the idle task, which runs on the boot stack.
    pub kstack: Option<KernelStack>,
    pub mm: SpinLock<Option<Arc<MmStruct>>>,
    pub files: SpinLock<Option<Arc<FilesStruct>>>,
    pub fs: SpinLock<Option<Arc<FsStruct>>>,
    pub sighand: SpinLock<Arc<SigHand>>,
    pub signal: SpinLock<Arc<SignalStruct>>,
    /// Blocked signals (sigprocmask).
    pub blocked: AtomicU64,
    /// Signals sent to this thread.
    pub pending: SpinLock<SigPending>,
    /// Signal mask to restore after sigsuspend/pselect (Linux's saved_sigmask).
    pub saved_sigmask: SpinLock<Option<u64>>,
    /// Alternate signal stack: (ss_sp, ss_size, ss_flags).
    pub sigaltstack: SpinLock<(u64, u64, i32)>,
    pub real_parent: SpinLock<Weak<Task>>,
    pub children: SpinLock<Vec<Arc<Task>>>,
    pub exit_code: AtomicI32,
    /// Signal sent to the parent at exit (SIGCHLD for fork; -1 for threads).
    pub exit_signal: AtomicI32,
    pub set_child_tid: AtomicUsize,
    pub clear_child_tid: AtomicUsize,
    pub robust_list: AtomicUsize,
    pub vfork_done: SpinLock<Option<Arc<Completion>>>,
    /// The 32-bit vDSO's int80_landing_pad in this task's address space (0
    /// without one): where SYSENTER/compat SYSCALL return, read on every
    /// fast 32-bit syscall, so kept here rather than looked up.
    pub vdso32_landing_pad: AtomicU64,
    /// Signal sent when the parent dies (PR_SET_PDEATHSIG).
    pub pdeath_signal: AtomicI32,
    /// The nice value (setpriority), -20..19.
    pub nice: AtomicI32,
    /// The scheduling policy (sched_setscheduler), with
    /// SCHED_RESET_ON_FORK as Linux reports it: recorded, not weighed.
    pub policy: AtomicI32,
    /// The real-time priority, 1..=99 under SCHED_FIFO/SCHED_RR, else 0.
    pub rt_priority: AtomicI32,
    /// The execution domain and its flags (personality(2)); fork and
    /// exec keep it.
    pub personality: AtomicU32,
    /// CPU time in ticks: user, system.
    pub utime: AtomicU64,
    pub stime: AtomicU64,
    /// Exact time on the CPU (ns), and when the current run began.
    pub sum_exec_runtime: AtomicU64,
    pub exec_start: AtomicU64,
    /// Page faults served (all minor: every page is in memory), and
    /// voluntary and involuntary context switches.
    pub min_flt: AtomicU64,
    pub maj_flt: AtomicU64,
    pub nvcsw: AtomicU64,
    pub nivcsw: AtomicU64,
    /// The user and system time last reported for this thread.
    pub prev_cputime: crate::process::cputime::PrevCputime,
    /// ktime at creation.
    pub start_time: u64,
}

/// The arch context, touched only by the context-switch code (interrupts
/// off) or by the task itself.
pub struct ThreadCell(UnsafeCell<ThreadStruct>);

// SAFETY: see ThreadCell's invariant above.
unsafe impl Sync for ThreadCell {}

impl ThreadCell {
    pub fn new(t: ThreadStruct) -> ThreadCell {
        ThreadCell(UnsafeCell::new(t))
    }

    /// # Safety
    /// Only the context-switch path (interrupts off), or the task itself
    /// while running, may use the result; never hold it across schedule().
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn get(&self) -> &mut ThreadStruct {
        // SAFETY: forwarded to the caller.
        unsafe { &mut *self.0.get() }
    }
}

impl Task {
    /// A task with everything empty; fork and the boot code fill it in.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pid: Pid,
        tgid: Pid,
        thread: ThreadStruct,
        kstack: Option<KernelStack>,
        sighand: Arc<SigHand>,
        signal: Arc<SignalStruct>,
        comm: [u8; 16],
    ) -> Task {
        Task {
            pid: AtomicI32::new(pid),
            tgid,
            state: AtomicU32::new(TaskState::Running as u32),
            flags: AtomicU32::new(0),
            tif: AtomicU32::new(0),
            on_rq: AtomicBool::new(false),
            time_slice: AtomicU32::new(0),
            comm: SpinLock::new(comm),
            compat: AtomicBool::new(false),
            thread: ThreadCell::new(thread),
            kstack,
            mm: SpinLock::new(None),
            files: SpinLock::new(None),
            fs: SpinLock::new(None),
            sighand: SpinLock::new(sighand),
            signal: SpinLock::new(signal),
            blocked: AtomicU64::new(0),
            pending: SpinLock::new(SigPending::default()),
            saved_sigmask: SpinLock::new(None),
            sigaltstack: SpinLock::new((0, 0, 2 /* SS_DISABLE */)),
            real_parent: SpinLock::new(Weak::new()),
            children: SpinLock::new(Vec::new()),
            exit_code: AtomicI32::new(0),
            exit_signal: AtomicI32::new(0),
            set_child_tid: AtomicUsize::new(0),
            clear_child_tid: AtomicUsize::new(0),
            robust_list: AtomicUsize::new(0),
            vfork_done: SpinLock::new(None),
            vdso32_landing_pad: AtomicU64::new(0),
            pdeath_signal: AtomicI32::new(0),
            nice: AtomicI32::new(0),
            policy: AtomicI32::new(0),
            rt_priority: AtomicI32::new(0),
            personality: AtomicU32::new(0),
            utime: AtomicU64::new(0),
            stime: AtomicU64::new(0),
            sum_exec_runtime: AtomicU64::new(0),
            exec_start: AtomicU64::new(0),
            min_flt: AtomicU64::new(0),
            maj_flt: AtomicU64::new(0),
            nvcsw: AtomicU64::new(0),
            nivcsw: AtomicU64::new(0),
            prev_cputime: SpinLock::new((0, 0)),
            start_time: crate::time::ktime_get_ns(),
        }
    }

    /// Thread id (what gettid returns).
    pub fn pid(&self) -> Pid {
        self.pid.load(Ordering::Relaxed)
    }

    /// Take on another tid (de_thread only).
    pub fn set_pid(&self, pid: Pid) {
        self.pid.store(pid, Ordering::Relaxed);
    }

    pub fn state(&self) -> TaskState {
        match self.state.load(Ordering::Acquire) {
            0 => TaskState::Running,
            1 => TaskState::Interruptible,
            2 => TaskState::Uninterruptible,
            4 => TaskState::Stopped,
            0x20 => TaskState::Zombie,
            _ => TaskState::Dead,
        }
    }

    pub fn set_state(&self, s: TaskState) {
        self.state.store(s as u32, Ordering::Release);
    }

    pub fn set_tif(&self, f: u32) {
        self.tif.fetch_or(f, Ordering::AcqRel);
    }

    pub fn clear_tif(&self, f: u32) {
        self.tif.fetch_and(!f, Ordering::AcqRel);
    }

    pub fn test_tif(&self, f: u32) -> bool {
        self.tif.load(Ordering::Acquire) & f != 0
    }

    /// Is a signal waiting that the task has not blocked?
    pub fn signal_pending(&self) -> bool {
        self.test_tif(TIF_SIGPENDING)
    }

    pub fn is_kthread(&self) -> bool {
        self.flags.load(Ordering::Relaxed) & PF_KTHREAD != 0
    }

    pub fn is_compat(&self) -> bool {
        self.compat.load(Ordering::Relaxed)
    }

    /// The thread-group leader's view: is this the leader?
    pub fn is_group_leader(&self) -> bool {
        self.pid() == self.tgid
    }

    pub fn comm_str(&self) -> alloc::string::String {
        let c = *self.comm.lock();
        let n = c.iter().position(|&b| b == 0).unwrap_or(16);
        alloc::string::String::from_utf8_lossy(&c[..n]).into_owned()
    }

    pub fn personality(&self) -> u32 {
        self.personality.load(Ordering::Relaxed)
    }

    pub fn set_comm(&self, name: &[u8]) {
        let mut c = [0u8; 16];
        let n = name.len().min(15);
        c[..n].copy_from_slice(&name[..n]);
        *self.comm.lock() = c;
    }

    /// The task's address space (None for kernel threads).
    pub fn mm(&self) -> Option<Arc<MmStruct>> {
        self.mm.lock().clone()
    }

    pub fn files(&self) -> Arc<FilesStruct> {
        self.files.lock().clone().expect("task has no files")
    }

    pub fn fs(&self) -> Arc<FsStruct> {
        self.fs.lock().clone().expect("task has no fs")
    }

    pub fn signal(&self) -> Arc<SignalStruct> {
        self.signal.lock().clone()
    }

    pub fn sighand(&self) -> Arc<SigHand> {
        self.sighand.lock().clone()
    }

    /// The parent, if it still exists (inlined: getppid is a benchmark).
    #[inline]
    pub fn parent(&self) -> Option<Arc<Task>> {
        self.real_parent.lock().upgrade()
    }

    /// Give this task its own copy of a descriptor table it shares (exec
    /// must not close another process's close-on-exec descriptors).
    pub fn unshare_files(&self) {
        let mut slot = self.files.lock();
        if let Some(f) = slot.as_ref() {
            if Arc::strong_count(f) > 1 {
                let copy = Arc::new(f.copy());
                *slot = Some(copy);
            }
        }
    }

    /// Give this task its own handler table (exec resets handlers, which
    /// must not touch a CLONE_SIGHAND sharer).
    pub fn unshare_sighand(&self) {
        let mut slot = self.sighand.lock();
        if Arc::strong_count(&slot) > 1 {
            let copy = Arc::new(slot.copy());
            *slot = copy;
        }
    }

    /// The user registers saved at the top of this task's kernel stack.
    pub fn pt_regs(&self) -> *mut crate::arch::x86_64::entry::PtRegs {
        let top = self
            .kstack
            .as_ref()
            .expect("idle has no user registers")
            .top;
        (top as usize - core::mem::size_of::<crate::arch::x86_64::entry::PtRegs>()) as *mut _
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(s) = self.kstack.take() {
            crate::mm::vmalloc::free_kernel_stack(s);
        }
    }
}
