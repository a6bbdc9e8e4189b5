//! /proc/PID and /proc/PID/task/TID (Linux's fs/proc/base.c): the
//! directory of one process or thread, its files and its links.

use super::{TAG_PID, TAG_TID, array, fd, make_arg, pid_ino, split_arg, task_mmu};
use crate::errno::Errno;
use crate::fs::inode::{DirOps, Inode, InodeKind, S_IFDIR, S_IFLNK, S_IFREG, Store};
use crate::mm::mmap::Backing;
use crate::process::task::Task;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// What an entry of a process directory is.
enum Kind {
    /// A file and what fills it (for the whole process, or one thread
    /// when the second argument is true: /proc/PID/task/TID).
    File(fn(&Arc<Task>, bool) -> Vec<u8>),
    /// A magic link: its readlink text and the object it leads to.
    Link(fn(&Arc<Task>) -> Option<(Vec<u8>, Arc<Inode>)>),
    /// A directory computed on lookup.
    Dir(&'static dyn DirOps),
}

struct Entry {
    name: &'static str,
    perm: u32,
    kind: Kind,
    /// Present in /proc/PID only, not in /proc/PID/task/TID.
    tgid_only: bool,
}

/// A file entry of a process directory.
const fn file(name: &'static str, perm: u32, f: fn(&Arc<Task>, bool) -> Vec<u8>) -> Entry {
    Entry {
        name,
        perm,
        kind: Kind::File(f),
        tgid_only: false,
    }
}

/// A magic-link entry of a process directory (mode 0777).
const fn link(name: &'static str, f: fn(&Arc<Task>) -> Option<(Vec<u8>, Arc<Inode>)>) -> Entry {
    Entry {
        name,
        perm: 0o777,
        kind: Kind::Link(f),
        tgid_only: false,
    }
}

/// The entries, in Linux's tgid_base_stuff order.
static ENTRIES: [Entry; 15] = [
    Entry {
        name: "task",
        perm: 0o555,
        kind: Kind::Dir(&TASK_DIR),
        tgid_only: true,
    },
    Entry {
        name: "fd",
        perm: 0o500,
        kind: Kind::Dir(&fd::FD_DIR),
        tgid_only: false,
    },
    Entry {
        name: "fdinfo",
        perm: 0o500,
        kind: Kind::Dir(&fd::FDINFO_DIR),
        tgid_only: false,
    },
    file("environ", 0o400, proc_environ),
    file("auxv", 0o400, proc_auxv),
    file("status", 0o444, array::proc_pid_status),
    file("limits", 0o444, proc_limits),
    file("comm", 0o644, proc_comm),
    file("cmdline", 0o444, proc_cmdline),
    file("stat", 0o444, array::proc_pid_stat),
    file("statm", 0o444, array::proc_pid_statm),
    file("maps", 0o444, task_mmu::proc_pid_maps),
    link("cwd", proc_cwd_link),
    link("root", proc_root_link),
    link("exe", proc_exe_link),
];

/// The directory of `task`: /proc/PID (thread = false) or
/// /proc/PID/task/TID (thread = true), under `parent`.
pub fn pid_dir(task: &Arc<Task>, parent: &Arc<Inode>, thread: bool) -> Arc<Inode> {
    let (tag, ops): (u64, &'static dyn DirOps) = if thread {
        (TAG_TID, &TID_DIR)
    } else {
        (TAG_PID, &PID_DIR)
    };
    let kind = InodeKind::DynDir {
        ops,
        arg: make_arg(tag, task.pid(), 0),
        parent: Some(parent.clone()),
    };
    Inode::with_ino(pid_ino(task.pid(), 0, thread), S_IFDIR | 0o555, kind)
}

/// Entry `idx` (index into ENTRIES) of the directory `dir`.
fn entry_inode(dir: &Arc<Inode>, idx: usize) -> Arc<Inode> {
    let (tag, pid, _) = split_arg(super::arg_of(dir));
    let e = &ENTRIES[idx];
    let arg = make_arg(tag, pid, idx as u64);
    let ino = pid_ino(pid, idx + 1, tag == TAG_TID);
    match e.kind {
        Kind::File(_) => Inode::with_ino(
            ino,
            S_IFREG | e.perm,
            InodeKind::Generated {
                generate: read_entry,
                arg,
                store: (e.name == "comm").then_some(write_comm as Store),
            },
        ),
        Kind::Link(_) => Inode::with_ino(
            ino,
            S_IFLNK | e.perm,
            InodeKind::Generated {
                generate: read_entry,
                arg,
                store: None,
            },
        ),
        Kind::Dir(ops) => Inode::with_ino(
            ino,
            S_IFDIR | e.perm,
            InodeKind::DynDir {
                ops,
                arg,
                parent: Some(dir.clone()),
            },
        ),
    }
}

/// The contents of a file entry, or a link's target text (`generate`).
fn read_entry(inode: &Arc<Inode>) -> Vec<u8> {
    let (tag, _, idx) = split_arg(super::arg_of(inode));
    let Some(task) = super::task_of(inode) else {
        return Vec::new();
    };
    match ENTRIES.get(idx as usize).map(|e| &e.kind) {
        Some(Kind::File(f)) => f(&task, tag == TAG_TID),
        Some(Kind::Link(f)) => f(&task).map(|(text, _)| text).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Following a magic link of a process directory (see follow_magic_link).
pub fn magic_target(inode: &Arc<Inode>, idx: usize) -> Option<Result<Arc<Inode>, Errno>> {
    let Some(Kind::Link(f)) = ENTRIES.get(idx).map(|e| &e.kind) else {
        return None;
    };
    Some(
        super::task_of(inode)
            .and_then(|t| f(&t))
            .map(|(_, i)| i)
            .ok_or(Errno::ENOENT),
    )
}

/// /proc/PID (thread = false) or /proc/PID/task/TID (thread = true).
struct PidDir {
    thread: bool,
}

impl DirOps for PidDir {
    /// The entry `name` of this directory, or ENOENT.
    fn lookup(&self, dir: &Arc<Inode>, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        let task = super::task_of(dir).ok_or(Errno::ENOENT)?;
        let idx = ENTRIES
            .iter()
            .position(|e| e.name.as_bytes() == name && !(self.thread && e.tgid_only))
            .ok_or(Errno::ENOENT)?;
        // A link with nothing behind it (exe of a process without an
        // address space, cwd of a zombie) is ENOENT, as Linux's readlink.
        if let Kind::Link(f) = ENTRIES[idx].kind {
            f(&task).ok_or(Errno::ENOENT)?;
        }
        Ok(entry_inode(dir, idx))
    }

    /// Every entry, as getdents lists them.
    fn list(&self, dir: &Arc<Inode>) -> Vec<(Vec<u8>, Arc<Inode>)> {
        if super::task_of(dir).is_none() {
            return Vec::new();
        }
        (0..ENTRIES.len())
            .filter(|&i| !(self.thread && ENTRIES[i].tgid_only))
            .map(|i| (ENTRIES[i].name.as_bytes().to_vec(), entry_inode(dir, i)))
            .collect()
    }
}

static PID_DIR: PidDir = PidDir { thread: false };
static TID_DIR: PidDir = PidDir { thread: true };

/// /proc/PID/task: one directory per thread of the group.
struct TaskDir;

impl DirOps for TaskDir {
    /// The entry `name` of this directory, or ENOENT.
    fn lookup(&self, dir: &Arc<Inode>, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        let tgid = split_arg(super::arg_of(dir)).1;
        let tid = super::parse_pid(name).ok_or(Errno::ENOENT)?;
        let t = crate::process::find_task(tid)
            .filter(|t| t.tgid == tgid)
            .ok_or(Errno::ENOENT)?;
        Ok(pid_dir(&t, dir, true))
    }

    /// Every entry, as getdents lists them.
    fn list(&self, dir: &Arc<Inode>) -> Vec<(Vec<u8>, Arc<Inode>)> {
        let tgid = split_arg(super::arg_of(dir)).1;
        let mut v: Vec<(Vec<u8>, Arc<Inode>)> = crate::process::thread_group(tgid)
            .iter()
            .map(|t| {
                (
                    alloc::format!("{}", t.pid()).into_bytes(),
                    pid_dir(t, dir, true),
                )
            })
            .collect();
        v.sort_by_key(|(n, _)| super::parse_pid(n));
        v
    }
}

static TASK_DIR: TaskDir = TaskDir;

/// Read `len` bytes of a process's memory at `start` (its argument or
/// environment strings); what cannot be read ends the result.
fn read_user_range(task: &Task, start: u64, end: u64) -> Vec<u8> {
    let Some(mm) = task.mm() else {
        return Vec::new();
    };
    let len = end.saturating_sub(start).min(1 << 20) as usize;
    let mut buf = alloc::vec![0u8; len];
    let mut done = 0;
    while done < len {
        let n = (4096 - ((start as usize + done) % 4096)).min(len - done);
        if mm
            .read_remote(start + done as u64, &mut buf[done..done + n])
            .is_err()
        {
            break;
        }
        done += n;
    }
    buf.truncate(done);
    buf
}

/// /proc/PID/cmdline: the argument strings, each NUL-terminated.
fn proc_cmdline(task: &Arc<Task>, _thread: bool) -> Vec<u8> {
    let Some(mm) = task.mm() else {
        return Vec::new();
    };
    let l = mm.layout();
    read_user_range(task, l.arg_start, l.arg_end)
}

/// /proc/PID/environ: the environment strings, each NUL-terminated.
fn proc_environ(task: &Arc<Task>, _thread: bool) -> Vec<u8> {
    let Some(mm) = task.mm() else {
        return Vec::new();
    };
    let l = mm.layout();
    read_user_range(task, l.env_start, l.env_end)
}

/// /proc/PID/comm: the command name and a newline.
fn proc_comm(task: &Arc<Task>, _thread: bool) -> Vec<u8> {
    let mut v = task.comm_str().into_bytes();
    v.push(b'\n');
    v
}

/// Writing /proc/PID/comm renames a thread of the writer's own process
/// (Linux's comm_write): the first 15 bytes, a newline included.
fn write_comm(inode: &Arc<Inode>, buf: &[u8]) -> Result<(), Errno> {
    let task = super::task_of(inode).ok_or(Errno::ESRCH)?;
    if task.tgid != crate::sched::current().tgid {
        return Err(Errno::EINVAL);
    }
    task.set_comm(&buf[..buf.len().min(15)]);
    Ok(())
}

/// /proc/PID/auxv: the auxiliary vector exec gave the process, as words
/// of its ABI, up to and including AT_NULL. It is read back from where
/// create_elf_tables put it: after argc, argv[] and envp[] on the stack.
fn proc_auxv(task: &Arc<Task>, _thread: bool) -> Vec<u8> {
    let Some(mm) = task.mm() else {
        return Vec::new();
    };
    let word: u64 = if task.is_compat() { 4 } else { 8 };
    let read_word = |addr: u64| -> Option<u64> {
        let mut b = [0u8; 8];
        mm.read_remote(addr, &mut b[..word as usize]).ok()?;
        Some(u64::from_le_bytes(b))
    };
    let sp = mm.layout().start_stack;
    let Some(argc) = read_word(sp) else {
        return Vec::new();
    };
    let mut p = sp + word * (argc + 2); // argc, argv[], NULL
    for _ in 0..65536 {
        match read_word(p) {
            Some(0) => break,
            Some(_) => p += word,
            None => return Vec::new(),
        }
    }
    p += word; // envp's NULL
    let start = p;
    for _ in 0..64 {
        match read_word(p) {
            Some(key) => {
                p += 2 * word;
                if key == 0 {
                    break;
                }
            }
            None => return Vec::new(),
        }
    }
    read_user_range(task, start, p)
}

/// /proc/PID/limits (Linux's proc_pid_limits).
fn proc_limits(task: &Arc<Task>, _thread: bool) -> Vec<u8> {
    use core::fmt::Write;
    const LIMITS: [(&str, &str); 16] = [
        ("Max cpu time", "seconds"),
        ("Max file size", "bytes"),
        ("Max data size", "bytes"),
        ("Max stack size", "bytes"),
        ("Max core file size", "bytes"),
        ("Max resident set", "bytes"),
        ("Max processes", "processes"),
        ("Max open files", "files"),
        ("Max locked memory", "bytes"),
        ("Max address space", "bytes"),
        ("Max file locks", "locks"),
        ("Max pending signals", "signals"),
        ("Max msgqueue size", "bytes"),
        ("Max nice priority", ""),
        ("Max realtime priority", ""),
        ("Max realtime timeout", "us"),
    ];
    let rlim = *task.signal().rlim.lock();
    let mut s = alloc::format!(
        "{:<25} {:<20} {:<20} {:<10}\n",
        "Limit",
        "Soft Limit",
        "Hard Limit",
        "Units"
    );
    let show = |v: u64| {
        if v == u64::MAX {
            alloc::string::String::from("unlimited")
        } else {
            alloc::format!("{v}")
        }
    };
    for (i, (name, unit)) in LIMITS.iter().enumerate() {
        let _ = write!(
            s,
            "{:<25} {:<20} {:<20}",
            name,
            show(rlim[i].cur),
            show(rlim[i].max)
        );
        if unit.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, " {unit:<10}");
        }
    }
    s.into_bytes()
}

/// /proc/PID/cwd: the working directory.
fn proc_cwd_link(task: &Arc<Task>) -> Option<(Vec<u8>, Arc<Inode>)> {
    let fs = task.fs.lock().clone()?;
    let (mut path, deleted) = fs.cwd_path();
    if deleted {
        path.extend_from_slice(b" (deleted)");
    }
    Some((path, fs.cwd()))
}

/// /proc/PID/root: the root directory.
fn proc_root_link(task: &Arc<Task>) -> Option<(Vec<u8>, Arc<Inode>)> {
    let fs = task.fs.lock().clone()?;
    Some((b"/".to_vec(), fs.root.clone()))
}

/// /proc/PID/exe: the program file, found as the file mapped over the
/// start of the code (Linux keeps mm->exe_file).
fn proc_exe_link(task: &Arc<Task>) -> Option<(Vec<u8>, Arc<Inode>)> {
    let mm = task.mm()?;
    let code = mm.layout().start_code;
    let vma = mm.find_vma(code).filter(|v| v.start <= code)?;
    match vma.backing {
        Backing::File { file, .. } => Some((fd::file_path(&file), file.inode.clone())),
        _ => None,
    }
}
