//! procfs (Linux's fs/proc): a filesystem whose files are computed when
//! read and whose directories are computed when looked at.
//!
//! The static part (/proc/meminfo, /proc/sys/kernel/…, /proc/forkline/…)
//! is built once at mount from the tables in `generic`; the per-process
//! part (/proc/PID/…, /proc/PID/task/TID/…) is made on every lookup from
//! the task table (`base`), with inode numbers derived from the pid and
//! the entry so that every lookup of the same name agrees:
//!
//! | range              | what                                  |
//! | ------------------ | ------------------------------------- |
//! | 0x8000_0000 + …    | /proc/PID and its entries (pid << 8)  |
//! | 0x9000_0000 + …    | /proc/PID/task/TID and its entries    |
//! | 0xa000_0000 + …    | /proc/PID/fd/N (pid << 12 | N)        |
//! | 0xb000_0000 + …    | /proc/PID/fdinfo/N                    |
//! | ordinary numbers   | the static tree                       |
//!
//! Symbolic links are `Generated` inodes with S_IFLNK in their mode (the
//! readlink text is what `generate` returns); /proc/PID/{exe,cwd,root} and
//! /proc/PID/fd/N are also "magic": following them lands on the object
//! itself (`follow_magic_link`), as Linux's nd_jump_link does.

mod array;
mod base;
mod fd;
mod generic;
mod task_mmu;

use super::inode::{DirOps, Inode, InodeKind, S_IFDIR, S_IFLNK, S_IFREG, Store};
use crate::errno::Errno;
use crate::process::task::{Pid, Task};
use crate::sync::{Once, SpinLock};
use alloc::sync::Arc;
use alloc::vec::Vec;

/// statfs f_type of procfs (PROC_SUPER_MAGIC).
pub const PROC_SUPER_MAGIC: u64 = 0x9fa0;

/// The contents of each static directory, by the index in its inode's
/// `arg`; index 0 is /proc itself (whose pid entries are added on lookup).
static STATIC_DIRS: SpinLock<Vec<Vec<(&'static [u8], Arc<Inode>)>>> = SpinLock::new(Vec::new());
static PROC_ROOT: Once<Arc<Inode>> = Once::new();

/// A node of the static tree (generic.rs holds the table).
pub enum Node {
    /// A read-only file and the function that fills it.
    File(&'static str, fn(&Arc<Inode>) -> Vec<u8>),
    /// A file root may write (a sysctl): what it reads, what a write does.
    Sysctl(&'static str, fn(&Arc<Inode>) -> Vec<u8>, Store),
    /// A symbolic link and the function that gives its target.
    Link(&'static str, fn(&Arc<Inode>) -> Vec<u8>),
    Dir(&'static str, &'static [Node]),
}

/// The /proc directory (Linux's proc_root), built on first use.
pub fn proc_root() -> Arc<Inode> {
    PROC_ROOT
        .call_once(|| build_dir(generic::ROOT, None, &ROOT_OPS))
        .clone()
}

/// Build a static directory and everything under it.
fn build_dir(
    table: &'static [Node],
    parent: Option<Arc<Inode>>,
    ops: &'static dyn DirOps,
) -> Arc<Inode> {
    let idx = {
        let mut dirs = STATIC_DIRS.lock();
        dirs.push(Vec::new());
        dirs.len() - 1
    };
    let dir = Inode::new(
        S_IFDIR | 0o555,
        InodeKind::DynDir {
            ops,
            arg: idx as u64,
            parent,
        },
    );
    let mut children: Vec<(&'static [u8], Arc<Inode>)> = Vec::new();
    for node in table {
        let (name, inode) = match node {
            Node::File(name, f) => (
                name,
                Inode::new(
                    S_IFREG | 0o444,
                    InodeKind::Generated {
                        generate: *f,
                        arg: 0,
                        store: None,
                    },
                ),
            ),
            Node::Sysctl(name, f, store) => (
                name,
                Inode::new(
                    S_IFREG | 0o644,
                    InodeKind::Generated {
                        generate: *f,
                        arg: 0,
                        store: Some(*store),
                    },
                ),
            ),
            Node::Link(name, f) => (
                name,
                Inode::new(
                    S_IFLNK | 0o777,
                    InodeKind::Generated {
                        generate: *f,
                        arg: 0,
                        store: None,
                    },
                ),
            ),
            Node::Dir(name, sub) => (name, build_dir(sub, Some(dir.clone()), &STATIC_OPS)),
        };
        children.push((name.as_bytes(), inode));
    }
    STATIC_DIRS.lock()[idx] = children;
    dir
}

/// The `arg` of a procfs inode.
pub(super) fn arg_of(inode: &Inode) -> u64 {
    match &inode.kind {
        InodeKind::Generated { arg, .. } | InodeKind::DynDir { arg, .. } => *arg,
        _ => 0,
    }
}

/// The entry `name` of static directory `idx`.
fn static_lookup(idx: u64, name: &[u8]) -> Option<Arc<Inode>> {
    let dirs = STATIC_DIRS.lock();
    dirs.get(idx as usize)?
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, i)| i.clone())
}

/// The entries of static directory `idx`, in table order.
fn static_list(idx: u64) -> Vec<(Vec<u8>, Arc<Inode>)> {
    let dirs = STATIC_DIRS.lock();
    dirs.get(idx as usize).map_or(Vec::new(), |d| {
        d.iter().map(|(n, i)| (n.to_vec(), i.clone())).collect()
    })
}

/// A directory of the static tree.
struct StaticDir;

impl DirOps for StaticDir {
    /// The entry `name` of this directory, or ENOENT.
    fn lookup(&self, dir: &Arc<Inode>, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        static_lookup(arg_of(dir), name).ok_or(Errno::ENOENT)
    }

    /// Every entry, as getdents lists them.
    fn list(&self, dir: &Arc<Inode>) -> Vec<(Vec<u8>, Arc<Inode>)> {
        static_list(arg_of(dir))
    }
}

/// /proc: the static entries, then one directory per process (Linux's
/// proc_root_lookup and proc_pid_readdir). Any thread id may be looked up,
/// but only thread-group leaders are listed, as in Linux.
struct RootDir;

impl DirOps for RootDir {
    /// The entry `name` of this directory, or ENOENT.
    fn lookup(&self, dir: &Arc<Inode>, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        if let Some(i) = static_lookup(arg_of(dir), name) {
            return Ok(i);
        }
        let pid = parse_pid(name).ok_or(Errno::ENOENT)?;
        let task = crate::process::find_task(pid).ok_or(Errno::ENOENT)?;
        Ok(base::pid_dir(&task, dir, false))
    }

    /// Every entry, as getdents lists them.
    fn list(&self, dir: &Arc<Inode>) -> Vec<(Vec<u8>, Arc<Inode>)> {
        let mut v = static_list(arg_of(dir));
        for t in crate::process::all_tasks() {
            if t.is_group_leader() && t.pid() > 0 {
                v.push((
                    alloc::format!("{}", t.pid()).into_bytes(),
                    base::pid_dir(&t, dir, false),
                ));
            }
        }
        v
    }
}

static ROOT_OPS: RootDir = RootDir;
static STATIC_OPS: StaticDir = StaticDir;

/// A decimal pid without sign or leading zeros, as Linux's name_to_int.
pub(super) fn parse_pid(name: &[u8]) -> Option<Pid> {
    if name.is_empty() || name.len() > 9 || (name[0] == b'0' && name.len() > 1) {
        return None;
    }
    let mut v: i64 = 0;
    for &c in name {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i64;
    }
    Pid::try_from(v).ok().filter(|p| *p > 0)
}

/// Where /proc/PID/…, /proc/PID/task/TID/…, fd and fdinfo entries are
/// numbered (see the table at the top). Pids stay below PID_MAX (2^15)
/// and descriptors below NR_OPEN_MAX (2^12), so the ranges never meet.
pub(super) fn pid_ino(pid: Pid, idx: usize, thread: bool) -> u64 {
    let base = if thread { 0x9000_0000 } else { 0x8000_0000 };
    base | (pid as u64 & 0x7fff) << 8 | (idx as u64 & 0xff)
}

/// The inode number of /proc/PID/fd/N (info: fdinfo/N).
pub(super) fn fd_ino(pid: Pid, fd: i32, info: bool) -> u64 {
    let base = if info { 0xb000_0000 } else { 0xa000_0000 };
    base | (pid as u64 & 0x7fff) << 12 | (fd as u64 & 0xfff)
}

/// Kinds of per-process inodes, in bits 48.. of their `arg`; bits 0..32
/// hold the pid, bits 32..48 the entry index or descriptor.
pub(super) const TAG_PID: u64 = 1;
pub(super) const TAG_TID: u64 = 2;
pub(super) const TAG_FD: u64 = 3;
pub(super) const TAG_FDINFO: u64 = 4;

/// Pack (kind, pid, entry or descriptor) into an inode's `arg`.
pub(super) fn make_arg(tag: u64, pid: Pid, n: u64) -> u64 {
    tag << 48 | (n & 0xffff) << 32 | pid as u32 as u64
}

/// (tag, pid, n) from an `arg` made by make_arg.
pub(super) fn split_arg(arg: u64) -> (u64, Pid, u64) {
    (arg >> 48, arg as u32 as Pid, (arg >> 32) & 0xffff)
}

/// The task an inode's `arg` names, if it still exists.
pub(super) fn task_of(inode: &Inode) -> Option<Arc<Task>> {
    crate::process::find_task(split_arg(arg_of(inode)).1)
}

/// If `inode` is one of procfs's magic links, what following it reaches
/// (the open file's inode, the executable, the working directory…);
/// None for ordinary links, whose text is walked instead.
pub fn follow_magic_link(inode: &Arc<Inode>) -> Option<Result<Arc<Inode>, Errno>> {
    if !inode.is_symlink() || !inode.is_proc() {
        return None;
    }
    let (tag, _, n) = split_arg(arg_of(inode));
    match tag {
        TAG_FD => Some(fd::fd_target(inode, n as i32)),
        TAG_PID | TAG_TID => base::magic_target(inode, n as usize),
        _ => None,
    }
}

/// Attach /proc to the root directory (Linux's proc_root_init plus the
/// mount of "proc" on /proc that init does).
pub fn proc_mount(root: &Arc<Inode>) {
    let _ = root.unlink(b"proc");
    if let Err(e) = root.link(b"proc", proc_root()) {
        crate::pr_err!("procfs: cannot mount on /proc: {}", e.name());
    }
}
