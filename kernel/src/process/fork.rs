//! fork, vfork, clone: Linux's kernel/fork.c, with its names and order.
//!
//! ```text
//! sys_fork / sys_vfork / sys_clone / sys_clone3
//!   └─ kernel_clone (do_fork)         pid back to the parent; vfork waits
//!        └─ copy_process              flag checks, limits
//!             ├─ dup_task_struct      new task, kernel stack, pid
//!             ├─ copy_files, copy_fs, copy_sighand, copy_signal
//!             ├─ copy_mm              CLONE_VM shares, else dup_mmap (COW)
//!             └─ copy_thread          child pt_regs (ax = 0), ret_from_fork
//!        └─ wake_up_new_task
//! ```
//! With `trace=fork` on the command line each step is logged.

use super::signal::{SIGCHLD, SigHand, SignalStruct};
use super::task::{PF_FORKNOEXEC, PF_KTHREAD, Pid, Task};
use super::{MAX_THREADS, NR_THREADS, alloc_pid, hash_task};
use crate::arch::x86_64::entry::PtRegs;
use crate::arch::x86_64::process::{ThreadStart, ThreadStruct, copy_thread};
use crate::errno::Errno;
use crate::mm::vmalloc::alloc_kernel_stack;
use crate::sched::wait::Completion;
use crate::sched::{current, current_arc, sched_fork, wake_up_new_task};
use alloc::sync::Arc;
use core::sync::atomic::Ordering;

pub const CSIGNAL: u64 = 0x0000_00ff;
pub const CLONE_VM: u64 = 0x0000_0100;
pub const CLONE_FS: u64 = 0x0000_0200;
pub const CLONE_FILES: u64 = 0x0000_0400;
pub const CLONE_SIGHAND: u64 = 0x0000_0800;
pub const CLONE_PIDFD: u64 = 0x0000_1000;
pub const CLONE_PTRACE: u64 = 0x0000_2000;
pub const CLONE_VFORK: u64 = 0x0000_4000;
pub const CLONE_PARENT: u64 = 0x0000_8000;
pub const CLONE_THREAD: u64 = 0x0001_0000;
pub const CLONE_NEWNS: u64 = 0x0002_0000;
pub const CLONE_SYSVSEM: u64 = 0x0004_0000;
pub const CLONE_SETTLS: u64 = 0x0008_0000;
pub const CLONE_PARENT_SETTID: u64 = 0x0010_0000;
pub const CLONE_CHILD_CLEARTID: u64 = 0x0020_0000;
pub const CLONE_DETACHED: u64 = 0x0040_0000;
pub const CLONE_UNTRACED: u64 = 0x0080_0000;
pub const CLONE_CHILD_SETTID: u64 = 0x0100_0000;
#[allow(dead_code)]
pub const CLONE_NEWCGROUP: u64 = 0x0200_0000;
#[allow(dead_code)]
pub const CLONE_NEWUTS: u64 = 0x0400_0000;
#[allow(dead_code)]
pub const CLONE_NEWIPC: u64 = 0x0800_0000;
pub const CLONE_NEWUSER: u64 = 0x1000_0000;
pub const CLONE_NEWPID: u64 = 0x2000_0000;
#[allow(dead_code)]
pub const CLONE_NEWNET: u64 = 0x4000_0000;
pub const CLONE_IO: u64 = 0x8000_0000;
/// clone3 only.
pub const CLONE_CLEAR_SIGHAND: u64 = 0x1_0000_0000;
#[allow(dead_code)]
pub const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;

/// Flags Forkline implements or, as Linux does, accepts and ignores
/// (CLONE_DETACHED, CLONE_SYSVSEM without SysV semaphores, CLONE_IO,
/// CLONE_PTRACE/CLONE_UNTRACED until ptrace exists).
const SUPPORTED: u64 = CSIGNAL
    | CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_PTRACE
    | CLONE_VFORK
    | CLONE_PARENT
    | CLONE_THREAD
    | CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID
    | CLONE_DETACHED
    | CLONE_UNTRACED
    | CLONE_CHILD_SETTID
    | CLONE_IO
    | CLONE_CLEAR_SIGHAND;

/// Linux's struct kernel_clone_args.
#[derive(Clone, Copy, Debug, Default)]
pub struct KernelCloneArgs {
    pub flags: u64,
    /// Signal sent to the parent when the child exits.
    pub exit_signal: i32,
    pub stack: u64,
    pub parent_tid: usize,
    pub child_tid: usize,
    pub tls: u64,
    /// Came through clone3, whose checks are stricter (clone3_args_valid).
    pub from_clone3: bool,
}

/// `trace=fork`: log each step of the fork path.
pub fn tracing() -> bool {
    crate::params::trace_enabled("fork")
}

macro_rules! trace_fork {
    ($($a:tt)*) => { if tracing() { crate::pr_info!($($a)*) } };
}

/// Linux's flag checks, in copy_process's order, plus Forkline's: a flag
/// it does not implement is EINVAL rather than silently ignored.
pub fn check_clone_flags(args: &KernelCloneArgs) -> Result<(), Errno> {
    let flags = args.flags;
    if flags & (CLONE_NEWNS | CLONE_FS) == (CLONE_NEWNS | CLONE_FS) {
        return Err(Errno::EINVAL);
    }
    if flags & (CLONE_NEWUSER | CLONE_FS) == (CLONE_NEWUSER | CLONE_FS) {
        return Err(Errno::EINVAL);
    }
    // Thread groups must share signals as well.
    if flags & CLONE_THREAD != 0 && flags & CLONE_SIGHAND == 0 {
        return Err(Errno::EINVAL);
    }
    // Shared signal handlers imply shared VM.
    if flags & CLONE_SIGHAND != 0 && flags & CLONE_VM == 0 {
        return Err(Errno::EINVAL);
    }
    // The init process may not make siblings (SIGNAL_UNKILLABLE).
    if flags & CLONE_PARENT != 0 && current().tgid == 1 {
        return Err(Errno::EINVAL);
    }
    if flags & CLONE_THREAD != 0 && flags & (CLONE_NEWUSER | CLONE_NEWPID) != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & (CLONE_THREAD | CLONE_PARENT) != 0 && args.exit_signal != 0 && args.from_clone3 {
        return Err(Errno::EINVAL);
    }
    if flags & CLONE_PIDFD != 0 && flags & (CLONE_DETACHED | CLONE_THREAD) != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & CLONE_CLEAR_SIGHAND != 0 && flags & CLONE_SIGHAND != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & !SUPPORTED != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// dup_task_struct: a new task with its own kernel stack and pid, a copy
/// of the parent's identity (comm, compat, blocked signals).
#[unsafe(no_mangle)]
fn dup_task_struct(orig: &Task, flags: u64) -> Result<Arc<Task>, Errno> {
    let stack = alloc_kernel_stack().ok_or(Errno::ENOMEM)?;
    let pid = alloc_pid().ok_or(Errno::EAGAIN)?;
    let tgid = if flags & CLONE_THREAD != 0 {
        orig.tgid
    } else {
        pid
    };
    let t = Task::new(
        pid,
        tgid,
        ThreadStruct::new(),
        Some(stack),
        orig.sighand(),
        orig.signal(),
        *orig.comm.lock(),
    );
    t.compat.store(orig.is_compat(), Ordering::Relaxed);
    t.blocked
        .store(orig.blocked.load(Ordering::Relaxed), Ordering::Relaxed);
    t.vdso32_landing_pad.store(
        orig.vdso32_landing_pad.load(Ordering::Relaxed),
        Ordering::Relaxed,
    );
    t.flags.store(PF_FORKNOEXEC, Ordering::Relaxed);
    sched_fork(orig, &t);
    t.personality.store(orig.personality(), Ordering::Relaxed);
    trace_fork!(
        "fork: dup_task_struct: pid {} (tgid {}), kernel stack {:#x}",
        pid,
        tgid,
        t.kstack.as_ref().unwrap().top
    );
    Ok(Arc::new(t))
}

#[unsafe(no_mangle)]
fn copy_files(p: &Task, flags: u64) {
    let files = current().files();
    *p.files.lock() = Some(if flags & CLONE_FILES != 0 {
        files
    } else {
        Arc::new(files.copy())
    });
    trace_fork!(
        "fork: copy_files: {}",
        if flags & CLONE_FILES != 0 {
            "shared"
        } else {
            "copied"
        }
    );
}

#[unsafe(no_mangle)]
fn copy_fs(p: &Task, flags: u64) {
    let fs = current().fs();
    *p.fs.lock() = Some(if flags & CLONE_FS != 0 {
        fs
    } else {
        Arc::new(fs.copy())
    });
    trace_fork!(
        "fork: copy_fs: {}",
        if flags & CLONE_FS != 0 {
            "shared"
        } else {
            "copied"
        }
    );
}

#[unsafe(no_mangle)]
fn copy_sighand(p: &Task, flags: u64) {
    let sh = current().sighand();
    let new = if flags & CLONE_SIGHAND != 0 {
        sh
    } else {
        let copy = sh.copy();
        if flags & CLONE_CLEAR_SIGHAND != 0 {
            // Reset handled signals to SIG_DFL; ignored ones stay ignored.
            for a in copy.action.lock().iter_mut() {
                if a.handler > super::signal::SIG_IGN {
                    *a = Default::default();
                }
            }
        }
        Arc::new(copy)
    };
    *p.sighand.lock() = new;
    trace_fork!(
        "fork: copy_sighand: {}",
        if flags & CLONE_SIGHAND != 0 {
            "shared"
        } else {
            "copied"
        }
    );
}

#[unsafe(no_mangle)]
fn copy_signal(p: &Task, flags: u64) {
    let sig = current().signal();
    let new = if flags & CLONE_THREAD != 0 {
        sig.live.fetch_add(1, Ordering::Relaxed);
        sig
    } else {
        Arc::new(SignalStruct::new(
            sig.pgrp.load(Ordering::Relaxed),
            sig.session.load(Ordering::Relaxed),
            *sig.rlim.lock(),
        ))
    };
    *p.signal.lock() = new;
    trace_fork!(
        "fork: copy_signal: {}",
        if flags & CLONE_THREAD != 0 {
            "same thread group"
        } else {
            "new thread group"
        }
    );
}

/// copy_mm: share the address space (CLONE_VM) or duplicate it with
/// copy-on-write.
#[unsafe(no_mangle)]
fn copy_mm(p: &Task, flags: u64) -> Result<(), Errno> {
    let Some(mm) = current().mm() else {
        return Ok(());
    };
    let new = if flags & CLONE_VM != 0 {
        mm
    } else {
        Arc::new(mm.dup_mmap()?)
    };
    if tracing() {
        let (vmas, rss) = new.stats();
        crate::pr_info!(
            "fork: copy_mm: {} ({} VMAs, {} pages now shared copy-on-write)",
            if flags & CLONE_VM != 0 {
                "shared"
            } else {
                "duplicated"
            },
            vmas,
            rss
        );
    }
    *p.mm.lock() = Some(new);
    Ok(())
}

/// copy_process: create the child, stopped, ready to run (Linux's order).
#[unsafe(no_mangle)]
pub fn copy_process(args: &KernelCloneArgs, regs: Option<&PtRegs>) -> Result<Arc<Task>, Errno> {
    let flags = args.flags;
    trace_fork!("fork: copy_process: flags {:#x}", flags);
    check_clone_flags(args)?;
    let cur = current();
    if NR_THREADS.load(Ordering::Relaxed) >= MAX_THREADS.load(Ordering::Relaxed) {
        return Err(Errno::EAGAIN);
    }
    let nproc = cur.signal().rlim.lock()[super::signal::RLIMIT_NPROC].cur;
    if flags & CLONE_THREAD == 0 && cur.pid() != 0 && super::all_tasks().len() as u64 >= nproc {
        return Err(Errno::EAGAIN);
    }
    // Refuse before memory runs out: a new task needs room above the
    // kernel's reserve for its stack, tables and first pages.
    if crate::mm::page_alloc::nr_free_pages() < crate::mm::page_alloc::min_free_pages() * 2 {
        return Err(Errno::ENOMEM);
    }
    let p = dup_task_struct(cur, flags)?;
    copy_files(&p, flags);
    copy_fs(&p, flags);
    copy_sighand(&p, flags);
    copy_signal(&p, flags);
    copy_mm(&p, flags)?;
    let start = match regs {
        Some(regs) => ThreadStart::User {
            regs,
            stack: args.stack,
            tls: (flags & CLONE_SETTLS != 0).then_some(args.tls),
        },
        None => unreachable!("kernel threads use kernel_thread()"),
    };
    copy_thread(&p, start)?;
    trace_fork!("fork: copy_thread: child pt_regs ax = 0, resumes in ret_from_fork");
    if flags & CLONE_CHILD_SETTID != 0 {
        p.set_child_tid.store(args.child_tid, Ordering::Relaxed);
    }
    if flags & CLONE_CHILD_CLEARTID != 0 {
        p.clear_child_tid.store(args.child_tid, Ordering::Relaxed);
    }
    p.exit_signal.store(
        if flags & CLONE_THREAD != 0 {
            -1
        } else {
            args.exit_signal
        },
        Ordering::Relaxed,
    );
    let parent = if flags & (CLONE_PARENT | CLONE_THREAD) != 0 {
        cur.parent()
    } else {
        Some(current_arc())
    };
    if let Some(parent) = &parent {
        *p.real_parent.lock() = Arc::downgrade(parent);
        parent.children.lock().push(p.clone());
    }
    hash_task(p.clone());
    Ok(p)
}

/// kernel_clone (Linux ≥ 5.10; do_fork before): create the child, start
/// it, report its pid; with CLONE_VFORK, wait until it execs or exits.
#[unsafe(no_mangle)]
pub fn kernel_clone(args: &KernelCloneArgs, regs: &PtRegs) -> Result<Pid, Errno> {
    trace_fork!(
        "fork: {} entered by {}; kernel_clone (do_fork) in pid {} ({})",
        crate::syscall::name(
            if current().is_compat() {
                crate::syscall::Abi::I386
            } else {
                crate::syscall::Abi::X64
            },
            regs.orig_ax as u32 as i32 as i64
        ),
        crate::arch::x86_64::entry::common::current_entry_method(),
        current().pid(),
        current().comm_str()
    );
    let p = copy_process(args, Some(regs))?;
    let pid = p.pid();
    let vfork = (args.flags & CLONE_VFORK != 0).then(|| {
        let c = Arc::new(Completion::new());
        *p.vfork_done.lock() = Some(c.clone());
        c
    });
    if args.flags & CLONE_PARENT_SETTID != 0 {
        // Linux writes this before the child runs; a fault is ignored.
        let _ = crate::uaccess::put_user(args.parent_tid, &pid);
    }
    trace_fork!("fork: wake_up_new_task: pid {}", pid);
    wake_up_new_task(p);
    if let Some(done) = vfork {
        trace_fork!(
            "fork: vfork: parent {} waits for pid {} to exec or exit",
            current().pid(),
            pid
        );
        wait_for_vfork_done(&done);
    }
    Ok(pid)
}

/// The do_fork name the seeds use, for gdb users (`break do_fork`).
#[unsafe(no_mangle)]
pub fn do_fork(args: &KernelCloneArgs, regs: &PtRegs) -> Result<Pid, Errno> {
    kernel_clone(args, regs)
}

/// The vfork parent sleeps until the child releases the mm; only a fatal
/// signal ends the wait early (TASK_KILLABLE).
fn wait_for_vfork_done(done: &Completion) {
    loop {
        if done.wait(true).is_ok() || super::signal::fatal_signal_pending(current()) {
            return;
        }
    }
}

/// A kernel thread running `f(arg)` (Linux's kernel_thread). It shares
/// nothing with user space until it execs.
pub fn kernel_thread(f: fn(usize), arg: usize, name: &[u8]) -> Result<Arc<Task>, Errno> {
    let cur = current();
    let stack = alloc_kernel_stack().ok_or(Errno::ENOMEM)?;
    let pid = alloc_pid().ok_or(Errno::EAGAIN)?;
    let mut comm = [0u8; 16];
    comm[..name.len().min(15)].copy_from_slice(&name[..name.len().min(15)]);
    let sig = cur.signal();
    let t = Arc::new(Task::new(
        pid,
        pid,
        ThreadStruct::new(),
        Some(stack),
        Arc::new(SigHand::new()),
        Arc::new(SignalStruct::new(pid, pid, *sig.rlim.lock())),
        comm,
    ));
    t.flags.store(PF_KTHREAD, Ordering::Relaxed);
    t.exit_signal.store(SIGCHLD, Ordering::Relaxed);
    *t.files.lock() = Some(Arc::new(crate::fs::FilesStruct::new()));
    *t.fs.lock() = Some(Arc::new(crate::fs::FsStruct::new()));
    copy_thread(&t, ThreadStart::Kernel { f, arg })?;
    hash_task(t.clone());
    wake_up_new_task(t.clone());
    Ok(t)
}

/// First thing a new user task does (Linux's schedule_tail): report its
/// tid where CLONE_CHILD_SETTID asked.
pub fn schedule_tail() {
    let cur = current();
    trace_fork!(
        "fork: ret_from_fork: pid {} returns to user space with ax = 0",
        cur.pid()
    );
    let addr = cur.set_child_tid.load(Ordering::Relaxed);
    if addr != 0 {
        let _ = crate::uaccess::put_user(addr, &cur.pid());
    }
}
