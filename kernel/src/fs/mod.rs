//! The filesystem: an in-memory tree (ramfs) filled from the initramfs at
//! boot, devices under /dev, open files, descriptor tables and the
//! per-process root/cwd/umask (Linux's fs_struct).

pub mod binfmt_elf;
pub mod devices;
pub mod eventfd;
pub mod eventpoll;
pub mod exec;
pub mod fdtable;
pub mod file;
pub mod inode;
pub mod locks;
pub mod namei;
pub mod pipe;
pub mod proc;
pub mod signalfd;
pub mod timerfd;
pub mod tty;

pub use fdtable::FilesStruct;
pub use file::File;

use crate::errno::Errno;
use crate::sync::{Once, SpinLock};
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use inode::{Inode, InodeKind, S_IFCHR, S_IFLNK, S_IFMT};

static ROOT: Once<Arc<Inode>> = Once::new();

/// The root directory of the one mount.
pub fn root() -> Arc<Inode> {
    ROOT.get().expect("rootfs not mounted").clone()
}

/// Root, working directory and umask of a process (Linux's fs_struct),
/// shared by CLONE_FS.
pub struct FsStruct {
    pub root: Arc<Inode>,
    /// The working directory and its absolute path (for getcwd).
    pub pwd: SpinLock<(Arc<Inode>, Vec<u8>)>,
    pub umask: AtomicU32,
}

impl FsStruct {
    pub fn new() -> FsStruct {
        FsStruct {
            root: root(),
            pwd: SpinLock::new((root(), b"/".to_vec())),
            umask: AtomicU32::new(0o022),
        }
    }

    /// A private copy (fork without CLONE_FS).
    pub fn copy(&self) -> FsStruct {
        FsStruct {
            root: self.root.clone(),
            pwd: SpinLock::new(self.pwd.lock().clone()),
            umask: AtomicU32::new(self.umask.load(Ordering::Relaxed)),
        }
    }

    pub fn cwd(&self) -> Arc<Inode> {
        self.pwd.lock().0.clone()
    }

    /// The working directory's absolute path from the names it is linked
    /// under now (Linux's d_path, so a renamed directory reads right), and
    /// whether it was removed; the path it was entered by if it has none.
    pub fn cwd_path(&self) -> (Vec<u8>, bool) {
        let (inode, path) = self.pwd.lock().clone();
        inode.d_path(&self.root).unwrap_or((path, false))
    }

    /// Resolve `path` relative to the working directory.
    pub fn lookup(&self, path: &[u8], follow: bool) -> Result<Arc<Inode>, Errno> {
        namei::path_lookup(&self.root, &self.cwd(), path, follow)
    }
}

impl Default for FsStruct {
    fn default() -> Self {
        Self::new()
    }
}

/// Create the root, unpack the initramfs into it, and add /dev (Linux's
/// populate_rootfs + devtmpfs). Malformed archives are reported, not fatal.
pub fn mount_root(initramfs: Option<&[u8]>) {
    let root = ROOT
        .call_once(|| Inode::new_dir(0o755, Weak::new()))
        .clone();
    let (mut files, mut bytes) = (0, 0);
    if let Some(archive) = initramfs {
        for entry in cpio::entries(archive) {
            match entry {
                Ok(e) => {
                    if let Err(err) = add_entry(&root, &e) {
                        crate::pr_warn!("initramfs: {}: {}", e.name, err);
                    } else if e.mode & cpio::S_IFMT == cpio::S_IFREG {
                        files += 1;
                        bytes += e.data.len();
                    }
                }
                Err(err) => {
                    crate::pr_err!("initramfs: {err}; unpacking stopped");
                    break;
                }
            }
        }
    }
    crate::pr_info!("initramfs: unpacked {} files, {} KiB", files, bytes / 1024);
    devices::populate_dev(&root);
    for dir in [b"tmp".as_slice(), b"proc", b"etc", b"bin"] {
        if root.lookup(dir).is_err() {
            let _ = root.link(
                dir,
                Inode::new_dir(if dir == b"tmp" { 0o1777 } else { 0o755 }, Weak::new()),
            );
        }
    }
    proc::proc_mount(&root);
}

/// Create the directories leading to `path` (mkdir -p).
fn mkdir_p(root: &Arc<Inode>, comps: &[&[u8]]) -> Result<Arc<Inode>, Errno> {
    let mut cur = root.clone();
    for c in comps {
        cur = match cur.lookup(c) {
            Ok(d) if d.is_dir() => d,
            Ok(_) => return Err(Errno::ENOTDIR),
            Err(_) => {
                let d = Inode::new_dir(0o755, Weak::new());
                cur.link(c, d.clone())?;
                d
            }
        };
    }
    Ok(cur)
}

fn add_entry(root: &Arc<Inode>, e: &cpio::Entry) -> Result<(), Errno> {
    let comps: Vec<&[u8]> = e
        .name
        .as_bytes()
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .collect();
    let Some((last, dirs)) = comps.split_last() else {
        return Ok(());
    };
    let dir = mkdir_p(root, dirs)?;
    let perm = e.mode & 0o7777;
    let node = match e.mode & cpio::S_IFMT {
        cpio::S_IFDIR => {
            if let Ok(existing) = dir.lookup(last) {
                existing
                    .mode
                    .store(inode::S_IFDIR | perm, Ordering::Relaxed);
                return Ok(());
            }
            Inode::new_dir(perm, Weak::new())
        }
        cpio::S_IFREG => Inode::new_file(perm, e.data)?,
        cpio::S_IFLNK => Inode::new(
            S_IFLNK | 0o777,
            InodeKind::Symlink {
                target: e.data.to_vec(),
            },
        ),
        _ => return Ok(()), // devices, fifos: /dev is ours
    };
    node.uid.store(e.uid, Ordering::Relaxed);
    node.gid.store(e.gid, Ordering::Relaxed);
    if e.mtime != 0 {
        node.mtime
            .store(e.mtime as u64 * 1_000_000_000, Ordering::Relaxed);
    }
    let _ = dir.unlink(last);
    dir.link(last, node)
}

/// Anyone in poll/select/epoll_wait, and signalfd readers, sleep here;
/// pipes, the terminal, eventfds, timerfds and signals sent wake it
/// whenever their state changes.
pub static POLL_WQ: crate::sched::wait::WaitQueue = crate::sched::wait::WaitQueue::new();

pub fn poll_wake() {
    POLL_WQ.wake_up_all();
}

/// Is this a character device node?
pub fn is_chardev(i: &Inode) -> bool {
    i.mode() & S_IFMT == S_IFCHR
}
