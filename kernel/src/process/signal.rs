//! Signal state: handlers (sighand_struct), pending sets, and the
//! thread-group structure (signal_struct), with Linux's numbering.

// Linux's signal numbers, codes and flags are kept whole, used or not.
#![allow(dead_code)]

use crate::process::task::Pid;
use crate::sched::wait::WaitQueue;
use crate::sync::SpinLock;
use alloc::collections::VecDeque;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64};

pub use super::sigdeliver::*;

pub const NSIG: usize = 64;
pub const SIGHUP: i32 = 1;
pub const SIGINT: i32 = 2;
pub const SIGQUIT: i32 = 3;
pub const SIGILL: i32 = 4;
pub const SIGTRAP: i32 = 5;
pub const SIGABRT: i32 = 6;
pub const SIGBUS: i32 = 7;
pub const SIGFPE: i32 = 8;
pub const SIGKILL: i32 = 9;
pub const SIGUSR1: i32 = 10;
pub const SIGSEGV: i32 = 11;
pub const SIGUSR2: i32 = 12;
pub const SIGPIPE: i32 = 13;
pub const SIGALRM: i32 = 14;
pub const SIGTERM: i32 = 15;
pub const SIGSTKFLT: i32 = 16;
pub const SIGCHLD: i32 = 17;
pub const SIGCONT: i32 = 18;
pub const SIGSTOP: i32 = 19;
pub const SIGTSTP: i32 = 20;
pub const SIGTTIN: i32 = 21;
pub const SIGTTOU: i32 = 22;
pub const SIGURG: i32 = 23;
pub const SIGXCPU: i32 = 24;
pub const SIGXFSZ: i32 = 25;
pub const SIGVTALRM: i32 = 26;
pub const SIGPROF: i32 = 27;
pub const SIGWINCH: i32 = 28;
pub const SIGIO: i32 = 29;
pub const SIGPWR: i32 = 30;
pub const SIGSYS: i32 = 31;
pub const SIGRTMIN: i32 = 32;

pub const SIG_DFL: u64 = 0;
pub const SIG_IGN: u64 = 1;

/// The bit for `sig` in a sigset (signal 1 is bit 0).
pub const fn sigmask(sig: i32) -> u64 {
    1u64 << (sig - 1)
}

/// Signals that cannot be caught, blocked or ignored.
pub const SIG_KERNEL_ONLY_MASK: u64 = sigmask(SIGKILL) | sigmask(SIGSTOP);

/// Names for reports ("killed by signal 11 (SIGSEGV)").
pub fn signame(sig: i32) -> &'static str {
    const NAMES: [&str; 32] = [
        "?",
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS",
    ];
    match sig {
        1..=31 => NAMES[sig as usize],
        32..=64 => "SIGRT",
        _ => "?",
    }
}

/// One handler (Linux's struct k_sigaction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigAction {
    pub handler: u64,
    pub flags: u64,
    pub restorer: u64,
    pub mask: u64,
}

pub const SA_NOCLDSTOP: u64 = 0x0000_0001;
pub const SA_NOCLDWAIT: u64 = 0x0000_0002;
pub const SA_SIGINFO: u64 = 0x0000_0004;
pub const SA_RESTORER: u64 = 0x0400_0000;
pub const SA_ONSTACK: u64 = 0x0800_0000;
pub const SA_RESTART: u64 = 0x1000_0000;
pub const SA_NODEFER: u64 = 0x4000_0000;
pub const SA_RESETHAND: u64 = 0x8000_0000;

/// The handler table, shared by CLONE_SIGHAND (Linux's sighand_struct).
pub struct SigHand {
    pub action: SpinLock<[SigAction; NSIG]>,
}

impl SigHand {
    pub fn new() -> SigHand {
        SigHand {
            action: SpinLock::new([SigAction::default(); NSIG]),
        }
    }

    /// A private copy (fork without CLONE_SIGHAND).
    pub fn copy(&self) -> SigHand {
        SigHand {
            action: SpinLock::new(*self.action.lock()),
        }
    }
}

impl Default for SigHand {
    fn default() -> Self {
        Self::new()
    }
}

/// What accompanies a signal (the kernel's part of siginfo_t).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigInfo {
    pub signo: i32,
    pub errno: i32,
    pub code: i32,
    pub pid: Pid,
    pub uid: u32,
    /// Faulting address (SIGSEGV, SIGBUS, SIGILL, SIGFPE).
    pub addr: u64,
    /// Exit status or signal (SIGCHLD).
    pub status: i32,
    pub value: u64,
    /// A POSIX timer's id and the overruns it hands over (SI_TIMER), and
    /// whether a timer of ours really sent it (Linux's si_sys_private; a
    /// program can queue SI_TIMER to itself with rt_sigqueueinfo).
    pub timerid: i32,
    pub overrun: i32,
    pub sys_private: bool,
}

pub const SI_USER: i32 = 0;
pub const SI_KERNEL: i32 = 0x80;
pub const SI_TKILL: i32 = -6;
pub const SEGV_MAPERR: i32 = 1;
pub const SEGV_ACCERR: i32 = 2;
pub const ILL_ILLOPN: i32 = 2;
pub const FPE_INTDIV: i32 = 1;
pub const BUS_ADRERR: i32 = 2;
pub const TRAP_BRKPT: i32 = 1;
pub const CLD_EXITED: i32 = 1;
pub const CLD_KILLED: i32 = 2;
pub const CLD_DUMPED: i32 = 3;
pub const CLD_STOPPED: i32 = 5;
pub const CLD_CONTINUED: i32 = 6;

/// A pending set with the siginfo of each queued signal.
#[derive(Default, Debug)]
pub struct SigPending {
    pub signal: u64,
    pub queue: VecDeque<SigInfo>,
}

/// Resource limits (struct rlimit), indexed by RLIMIT_*.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rlimit {
    pub cur: u64,
    pub max: u64,
}

pub const RLIM_INFINITY: u64 = u64::MAX;
pub const RLIMIT_CPU: usize = 0;
pub const RLIMIT_STACK: usize = 3;
pub const RLIMIT_NPROC: usize = 6;
pub const RLIMIT_NOFILE: usize = 7;
pub const RLIM_NLIMITS: usize = 16;

/// Linux's defaults (include/asm-generic/resource.h, INIT_RLIMITS).
pub fn default_rlimits() -> [Rlimit; RLIM_NLIMITS] {
    let inf = Rlimit {
        cur: RLIM_INFINITY,
        max: RLIM_INFINITY,
    };
    let mut r = [inf; RLIM_NLIMITS];
    r[4] = Rlimit {
        cur: 0,
        max: RLIM_INFINITY,
    }; // RLIMIT_CORE
    r[RLIMIT_STACK] = Rlimit {
        cur: 8 << 20,
        max: RLIM_INFINITY,
    };
    // Linux gives init max_threads/2 processes (fork_init).
    let nproc = (super::MAX_THREADS.load(core::sync::atomic::Ordering::Relaxed) / 2) as u64;
    r[RLIMIT_NPROC] = Rlimit {
        cur: nproc,
        max: nproc,
    };
    r[RLIMIT_NOFILE] = Rlimit {
        cur: 1024,
        max: 4096,
    };
    r[8] = Rlimit {
        cur: 8 << 20,
        max: 8 << 20,
    }; // RLIMIT_MEMLOCK
    r[11] = Rlimit {
        cur: 4096,
        max: 4096,
    }; // RLIMIT_SIGPENDING
    r[12] = Rlimit {
        cur: 819_200,
        max: 819_200,
    }; // RLIMIT_MSGQUEUE
    r
}

/// The thread group (Linux's signal_struct): shared pending signals, the
/// group exit, job-control ids and resource limits.
pub struct SignalStruct {
    pub shared_pending: SpinLock<SigPending>,
    /// Set once exit_group (or a fatal signal) has started.
    pub group_exit: AtomicBool,
    pub group_exit_code: AtomicI32,
    pub live: AtomicU32,
    /// Parents sleep here in wait4 until a child changes state.
    pub wait_chldexit: WaitQueue,
    pub pgrp: AtomicI32,
    pub session: AtomicI32,
    pub rlim: SpinLock<[Rlimit; RLIM_NLIMITS]>,
    /// Stop/continue reports pending for the parent's wait (WUNTRACED/WCONTINUED).
    pub stop_report: SpinLock<Option<i32>>,
    pub continued_report: AtomicBool,
    /// The whole group is stopped (SIGSTOP and friends).
    pub group_stopped: AtomicBool,
    /// The thread running execve while the others are killed (Linux's
    /// group_exec_task); 0 when none.
    pub group_exec_task: AtomicI32,
    /// ITIMER_REAL (alarm, setitimer).
    pub it_real: SpinLock<crate::time::itimer::ItimerReal>,
    /// ITIMER_VIRTUAL and ITIMER_PROF.
    pub it_cpu: SpinLock<[crate::time::itimer::CpuItimer; 2]>,
    /// CPU time of the whole group, live and dead threads, for RLIMIT_CPU.
    pub cputime_ns: AtomicU64,
    /// Counters of the group's released threads; reaped children's usage;
    /// the group's user and system time last reported.
    pub dead: SpinLock<crate::process::cputime::Cputime>,
    pub children_usage: SpinLock<crate::process::cputime::Rusage>,
    pub prev_cputime: crate::process::cputime::PrevCputime,
    /// The largest resident set of an address space the group left (KiB).
    pub maxrss_kib: AtomicU64,
    /// timer_create's timers.
    pub posix_timers: SpinLock<crate::time::posix_timers::PosixTimers>,
    /// prctl state: PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS.
    pub dumpable: AtomicU32,
    pub child_subreaper: AtomicBool,
    pub no_new_privs: AtomicBool,
}

impl SignalStruct {
    /// The group's exit code once exit_group started, else `code`.
    pub fn group_exit_code_or(&self, code: i32) -> i32 {
        if self.group_exit.load(core::sync::atomic::Ordering::Acquire) {
            self.group_exit_code
                .load(core::sync::atomic::Ordering::Relaxed)
        } else {
            code
        }
    }

    pub fn new(pgrp: Pid, session: Pid, rlim: [Rlimit; RLIM_NLIMITS]) -> SignalStruct {
        SignalStruct {
            shared_pending: SpinLock::new(SigPending::default()),
            group_exit: AtomicBool::new(false),
            group_exit_code: AtomicI32::new(0),
            live: AtomicU32::new(1),
            wait_chldexit: WaitQueue::new(),
            pgrp: AtomicI32::new(pgrp),
            session: AtomicI32::new(session),
            rlim: SpinLock::new(rlim),
            stop_report: SpinLock::new(None),
            continued_report: AtomicBool::new(false),
            group_stopped: AtomicBool::new(false),
            group_exec_task: AtomicI32::new(0),
            it_real: SpinLock::new(crate::time::itimer::ItimerReal::default()),
            it_cpu: SpinLock::new(Default::default()),
            cputime_ns: AtomicU64::new(0),
            dead: SpinLock::new(Default::default()),
            children_usage: SpinLock::new(Default::default()),
            prev_cputime: SpinLock::new((0, 0)),
            maxrss_kib: AtomicU64::new(0),
            posix_timers: SpinLock::new(Default::default()),
            dumpable: AtomicU32::new(1),
            child_subreaper: AtomicBool::new(false),
            no_new_privs: AtomicBool::new(false),
        }
    }
}
