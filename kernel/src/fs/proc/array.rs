//! /proc/PID/stat, status and statm (Linux's fs/proc/array.c), in
//! Linux's exact field order and spelling: ps, top and htop parse them.

use crate::mm::mmap::{Backing, MmStruct, VmFlags};
use crate::process::signal::{SIG_DFL, SIG_IGN};
use crate::process::task::{Task, TaskState};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt::Write;
use core::sync::atomic::Ordering;

/// Clock ticks user space counts in (USER_HZ, sysconf(_SC_CLK_TCK)).
const USER_HZ: u64 = 100;
const PAGE: u64 = 4096;

/// Kernel ticks (HZ) to USER_HZ ticks (Linux's jiffies_to_clock_t).
fn ns_to_clock_t(ns: u64) -> u64 {
    ns / (1_000_000_000 / USER_HZ)
}

/// Memory figures of an address space, in pages.
#[derive(Default)]
struct MemStats {
    total: u64,
    rss: u64,
    /// Private writable non-stack memory (VmData), stack (VmStk).
    data: u64,
    stack: u64,
    /// Executable file mappings of the program (VmExe) and the rest (VmLib).
    exe: u64,
    lib: u64,
    shared_anon: u64,
}

/// Sizes of `mm`'s regions by kind, for stat, statm and status.
fn mem_stats(mm: &MmStruct) -> MemStats {
    let mut s = MemStats {
        rss: mm.stats().1 as u64,
        ..MemStats::default()
    };
    let l = mm.layout();
    for v in mm.vmas() {
        let pages = (v.end - v.start) / PAGE;
        s.total += pages;
        if v.flags.contains(VmFlags::GROWSDOWN) || v.name.as_deref() == Some("[stack]") {
            s.stack += pages;
        } else if v.flags.contains(VmFlags::WRITE) && !v.flags.contains(VmFlags::SHARED) {
            s.data += pages;
        } else if v.flags.contains(VmFlags::EXEC) && matches!(v.backing, Backing::File { .. }) {
            if v.start <= l.start_code && l.start_code < v.end {
                s.exe += pages;
            } else {
                s.lib += pages;
            }
        }
        if matches!(v.backing, Backing::Shmem { .. }) {
            s.shared_anon += pages;
        }
    }
    s
}

/// The letter and word of a state, as status shows it.
fn state_name(t: &Task) -> (char, &'static str) {
    match t.state() {
        TaskState::Running => ('R', "running"),
        TaskState::Interruptible => ('S', "sleeping"),
        TaskState::Uninterruptible => ('D', "disk sleep"),
        TaskState::Stopped => ('T', "stopped"),
        TaskState::Zombie => ('Z', "zombie"),
        TaskState::Dead => ('X', "dead"),
    }
}

/// Signals ignored and caught, as two masks.
fn sig_ign_caught(t: &Task) -> (u64, u64) {
    let (mut ign, mut caught) = (0u64, 0u64);
    for (i, a) in t.sighand().action.lock().iter().enumerate() {
        match a.handler {
            SIG_IGN => ign |= 1 << i,
            SIG_DFL => {}
            _ => caught |= 1 << i,
        }
    }
    (ign, caught)
}

/// The parent's process id (0 for init and the orphaned).
fn ppid_of(t: &Task) -> i32 {
    t.parent().map_or(0, |p| p.tgid)
}

/// /proc/PID/stat: 52 fields on one line (Linux's do_task_stat); CPU
/// times are the whole group's unless `thread` (/proc/PID/task/TID/stat).
pub fn proc_pid_stat(t: &Arc<Task>, thread: bool) -> Vec<u8> {
    let sig = t.signal();
    let (pgrp, session) = (
        sig.pgrp.load(Ordering::Relaxed),
        sig.session.load(Ordering::Relaxed),
    );
    let (tty_nr, tpgid) = crate::fs::tty::ctty_of_session(session).unwrap_or((0, -1));
    let group = crate::process::thread_group(t.tgid);
    let threads = group.len().max(1);
    let mm = t.mm();
    let l = mm.as_ref().map(|m| m.layout()).unwrap_or_default();
    let ms = mm.as_ref().map(|m| mem_stats(m)).unwrap_or_default();
    let pending = t.pending.lock().signal | sig.shared_pending.lock().signal;
    let (ign, caught) = sig_ign_caught(t);
    let rsslim = sig.rlim.lock()[5].cur;
    let start = t.start_time * USER_HZ / 1_000_000_000;
    // Linux's do_task_stat: the thread's or the group's usage, and the
    // reaped children's for the group.
    let (own, children) = if thread {
        (crate::process::cputime::task_rusage(t), Default::default())
    } else {
        (
            crate::process::cputime::group_rusage(t),
            crate::process::cputime::children_rusage(&sig),
        )
    };
    let exit_code = if t.state() == TaskState::Zombie {
        t.exit_code.load(Ordering::Relaxed)
    } else {
        0
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "{} ({}) {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} 0 {} {} {} {} {} {} {} 0 0 ",
        t.pid(),
        t.comm_str(),
        state_name(t).0,
        ppid_of(t),
        pgrp,
        session,
        tty_nr,
        tpgid,
        t.flags.load(Ordering::Relaxed),
        own.min_flt,
        children.min_flt,
        own.maj_flt,
        children.maj_flt,
        ns_to_clock_t(own.utime_ns),
        ns_to_clock_t(own.stime_ns),
        ns_to_clock_t(children.utime_ns),
        ns_to_clock_t(children.stime_ns),
        match crate::sched::rt_prio(t) {
            0 => 20 + t.nice.load(Ordering::Relaxed),
            rt => -1 - rt, // Linux's prio - MAX_RT_PRIO
        },
        t.nice.load(Ordering::Relaxed),
        threads,
        start,
        ms.total * PAGE,
        ms.rss,
        rsslim,
        l.start_code,
        l.end_code,
        l.start_stack,
    );
    let _ = writeln!(
        s,
        "{} {} {} {} 0 0 0 {} 0 {} {} 0 0 0 {} {} {} {} {} {} {} {}",
        pending,
        t.blocked.load(Ordering::Relaxed),
        ign,
        caught,
        t.exit_signal.load(Ordering::Relaxed),
        t.rt_priority.load(Ordering::Relaxed),
        t.policy.load(Ordering::Relaxed) & !crate::sched::SCHED_RESET_ON_FORK,
        l.start_data,
        l.end_data,
        l.start_brk,
        l.arg_start,
        l.arg_end,
        l.env_start,
        l.env_end,
        exit_code,
    );
    s.into_bytes()
}

/// /proc/PID/statm: size resident shared text lib data dt, in pages.
pub fn proc_pid_statm(t: &Arc<Task>, _thread: bool) -> Vec<u8> {
    let Some(mm) = t.mm() else {
        return b"0 0 0 0 0 0 0\n".to_vec();
    };
    let ms = mem_stats(&mm);
    let l = mm.layout();
    let text = l
        .end_code
        .next_multiple_of(PAGE)
        .saturating_sub(l.start_code & !(PAGE - 1))
        / PAGE;
    alloc::format!(
        "{} {} {} {} 0 {} 0\n",
        ms.total,
        ms.rss,
        ms.shared_anon.min(ms.rss),
        text,
        ms.data + ms.stack
    )
    .into_bytes()
}

/// /proc/PID/status: "Key:\tvalue" lines, the set Linux 6.1 prints.
pub fn proc_pid_status(t: &Arc<Task>, _thread: bool) -> Vec<u8> {
    let sig = t.signal();
    let (letter, word) = state_name(t);
    let umask =
        t.fs.lock()
            .clone()
            .map_or(0o022, |f| f.umask.load(Ordering::Relaxed));
    let fdsize = t.files.lock().clone().map_or(0, |f| {
        f.open_fds().last().map_or(0, |(fd, _)| *fd as usize + 1)
    });
    let fdsize = fdsize.next_power_of_two().max(64);
    let mut s = String::new();
    let _ = write!(
        s,
        "Name:\t{}\nUmask:\t{:04o}\nState:\t{} ({})\nTgid:\t{}\nNgid:\t0\nPid:\t{}\nPPid:\t{}\nTracerPid:\t0\n\
         Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t{}\nGroups:\t \nNStgid:\t{}\nNSpid:\t{}\nNSpgid:\t{}\nNSsid:\t{}\n",
        t.comm_str(),
        umask,
        letter,
        word,
        t.tgid,
        t.pid(),
        ppid_of(t),
        fdsize,
        t.tgid,
        t.pid(),
        sig.pgrp.load(Ordering::Relaxed),
        sig.session.load(Ordering::Relaxed),
    );
    if let Some(mm) = t.mm() {
        let ms = mem_stats(&mm);
        let kb = |pages: u64| pages * (PAGE / 1024);
        for (key, pages) in [
            ("VmPeak", ms.total),
            ("VmSize", ms.total),
            ("VmLck", 0),
            ("VmPin", 0),
            ("VmHWM", ms.rss),
            ("VmRSS", ms.rss),
            ("RssAnon", ms.rss),
            ("RssFile", 0),
            ("RssShmem", 0),
            ("VmData", ms.data),
            ("VmStk", ms.stack),
            ("VmExe", ms.exe),
            ("VmLib", ms.lib),
            ("VmPTE", 0),
            ("VmSwap", 0),
        ] {
            let _ = writeln!(s, "{}:\t{:>8} kB", key, kb(pages));
        }
        s.push_str("HugetlbPages:\t       0 kB\n");
    }
    let pending = t.pending.lock().signal;
    let shared = sig.shared_pending.lock().signal;
    let (ign, caught) = sig_ign_caught(t);
    let queued = t.pending.lock().queue.len() + sig.shared_pending.lock().queue.len();
    let _ = write!(
        s,
        "CoreDumping:\t0\nTHP_enabled:\t1\nThreads:\t{}\nSigQ:\t{}/{}\nSigPnd:\t{:016x}\nShdPnd:\t{:016x}\n\
         SigBlk:\t{:016x}\nSigIgn:\t{:016x}\nSigCgt:\t{:016x}\n",
        crate::process::thread_group(t.tgid).len().max(1),
        queued,
        sig.rlim.lock()[11].cur,
        pending,
        shared,
        t.blocked.load(Ordering::Relaxed),
        ign,
        caught,
    );
    s.push_str(
        "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n\
         CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n\
         Speculation_Store_Bypass:\tnot vulnerable\nSpeculationIndirectBranch:\tunknown\n\
         Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n",
    );
    let _ = write!(
        s,
        "voluntary_ctxt_switches:\t{}\nnonvoluntary_ctxt_switches:\t{}\n",
        t.nvcsw.load(Ordering::Relaxed),
        t.nivcsw.load(Ordering::Relaxed)
    );
    s.into_bytes()
}
