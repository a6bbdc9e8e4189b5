//! /proc/PID/fd and /proc/PID/fdinfo (Linux's fs/proc/fd.c): one magic
//! link per open descriptor, and one small file of its state.

use super::{TAG_FD, TAG_FDINFO, fd_ino, make_arg, split_arg};
use crate::errno::Errno;
use crate::fs::FilesStruct;
use crate::fs::file::{File, O_CLOEXEC};
use crate::fs::inode::{DirOps, Inode, InodeKind, S_IFLNK, S_IFREG};
use alloc::sync::Arc;
use alloc::vec::Vec;

/// The descriptor table of the process a directory (or entry) belongs to.
fn files_of(inode: &Inode) -> Option<Arc<FilesStruct>> {
    super::task_of(inode)?.files.lock().clone()
}

/// A descriptor number as Linux's name_to_int reads it ("0" included).
fn parse_fd(name: &[u8]) -> Option<i32> {
    if name == b"0" {
        return Some(0);
    }
    super::parse_pid(name)
}

/// What /proc/PID/fd/N reads as (Linux's d_path): the file's absolute
/// path, with " (deleted)" once its last name is gone; pseudo names for
/// objects without one ("pipe:[INO]").
pub fn file_path(file: &File) -> Vec<u8> {
    if crate::fs::pipe::pipe_of(file).is_some() && file.path.is_empty() {
        return alloc::format!("pipe:[{}]", file.inode.ino).into_bytes();
    }
    if let Some(name) = file.ops.as_ref().and_then(|o| o.anon_name()) {
        return alloc::format!("anon_inode:[{name}]").into_bytes();
    }
    if file.path.is_empty() {
        return alloc::format!("anon_inode:[{}]", file.inode.ino).into_bytes();
    }
    let root = crate::fs::root();
    // The path it was opened by while that still names it (a hard link
    // keeps its own name), else the names it was last linked under.
    let opened = crate::fs::namei::normalize(&file.path);
    if file.path.starts_with(b"/")
        && lookup_plain(&root, &opened).is_some_and(|i| Arc::ptr_eq(&i, &file.inode))
    {
        return opened;
    }
    match file.inode.d_path(&root) {
        Some((mut path, deleted)) => {
            if deleted {
                path.extend_from_slice(b" (deleted)");
            }
            path
        }
        None => file.path.clone(),
    }
}

/// Walk a normalised absolute path name by name, following no link of
/// any kind and not entering /proc: what it names, if anything. (Either
/// could come back through a procfs link to this very file, as a program
/// run as /proc/self/exe or /proc/PID/exe would.)
fn lookup_plain(root: &Arc<Inode>, path: &[u8]) -> Option<Arc<Inode>> {
    let mut cur = root.clone();
    for name in path.split(|&b| b == b'/').filter(|c| !c.is_empty()) {
        cur = cur.lookup(name).ok()?;
        if cur.is_symlink() || cur.is_proc() {
            return None; // not a name of the root filesystem
        }
    }
    Some(cur)
}

/// The entry for descriptor `fd` of `file` in the directory `dir`.
fn fd_entry(dir: &Arc<Inode>, fd: i32, file: &File, info: bool) -> Arc<Inode> {
    let pid = split_arg(super::arg_of(dir)).1;
    if info {
        let arg = make_arg(TAG_FDINFO, pid, fd as u64);
        return Inode::with_ino(
            fd_ino(pid, fd, true),
            S_IFREG | 0o444,
            InodeKind::Generated {
                generate: read_fdinfo,
                arg,
                store: None,
            },
        );
    }
    // Linux's proc_fd_instantiate: r-x for a readable file, -wx for a
    // writable one, for the owner only.
    let mut perm = 0;
    if file.readable() {
        perm |= 0o500;
    }
    if file.writable() {
        perm |= 0o300;
    }
    let arg = make_arg(TAG_FD, pid, fd as u64);
    Inode::with_ino(
        fd_ino(pid, fd, false),
        S_IFLNK | perm,
        InodeKind::Generated {
            generate: read_fd_link,
            arg,
            store: None,
        },
    )
}

/// readlink of /proc/PID/fd/N.
fn read_fd_link(inode: &Arc<Inode>) -> Vec<u8> {
    let fd = split_arg(super::arg_of(inode)).2 as i32;
    files_of(inode)
        .and_then(|f| f.get(fd).ok())
        .map_or(Vec::new(), |f| file_path(&f))
}

/// Following /proc/PID/fd/N: the open file's inode.
pub fn fd_target(inode: &Arc<Inode>, fd: i32) -> Result<Arc<Inode>, Errno> {
    let files = files_of(inode).ok_or(Errno::ENOENT)?;
    Ok(files.get(fd).map_err(|_| Errno::ENOENT)?.inode.clone())
}

/// Mount ids as /proc/PID/fdinfo reports them: the root filesystem, procfs.
const ROOT_MNT_ID: u32 = 1;
const PROC_MNT_ID: u32 = 2;

/// /proc/PID/fdinfo/N (Linux's seq_show): position, flags in octal with
/// O_CLOEXEC when the descriptor has it, mount id and inode number.
fn read_fdinfo(inode: &Arc<Inode>) -> Vec<u8> {
    const O_LARGEFILE: u32 = 0o100000;
    let fd = split_arg(super::arg_of(inode)).2 as i32;
    let Some(entry) = files_of(inode).and_then(|f| f.get_entry(fd).ok()) else {
        return Vec::new();
    };
    let f = &entry.file;
    let mut flags = f.flags() | O_LARGEFILE;
    if entry.cloexec {
        flags |= O_CLOEXEC;
    }
    let mnt = if f.inode.is_proc() {
        PROC_MNT_ID
    } else {
        ROOT_MNT_ID
    };
    let extra = f.ops.as_ref().map(|o| o.show_fdinfo(f)).unwrap_or_default();
    alloc::format!(
        "pos:\t{}\nflags:\t0{:o}\nmnt_id:\t{}\nino:\t{}\n{}",
        *f.pos.lock(),
        flags,
        mnt,
        f.inode.ino,
        extra
    )
    .into_bytes()
}

/// /proc/PID/fd (info = false) or /proc/PID/fdinfo (info = true).
pub struct FdDir {
    info: bool,
}

impl DirOps for FdDir {
    /// The entry `name` of this directory, or ENOENT.
    fn lookup(&self, dir: &Arc<Inode>, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        let fd = parse_fd(name).ok_or(Errno::ENOENT)?;
        let file = files_of(dir)
            .ok_or(Errno::ENOENT)?
            .get(fd)
            .map_err(|_| Errno::ENOENT)?;
        Ok(fd_entry(dir, fd, &file, self.info))
    }

    /// Every entry, as getdents lists them.
    fn list(&self, dir: &Arc<Inode>) -> Vec<(Vec<u8>, Arc<Inode>)> {
        let Some(files) = files_of(dir) else {
            return Vec::new();
        };
        files
            .open_fds()
            .into_iter()
            .map(|(fd, file)| {
                (
                    alloc::format!("{fd}").into_bytes(),
                    fd_entry(dir, fd, &file, self.info),
                )
            })
            .collect()
    }
}

pub static FD_DIR: FdDir = FdDir { info: false };
pub static FDINFO_DIR: FdDir = FdDir { info: true };
