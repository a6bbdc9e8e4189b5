//! Inodes of the in-memory filesystem (Linux's ramfs/tmpfs): directories,
//! regular files, symbolic links and character devices.

use super::file::FileOps;
use crate::errno::Errno;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

pub const S_IFMT: u32 = 0o170000;
pub const S_IFSOCK: u32 = 0o140000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFIFO: u32 = 0o010000;

pub enum InodeKind {
    Dir { entries: SpinLock<BTreeMap<Vec<u8>, Arc<Inode>>>, parent: SpinLock<Weak<Inode>> },
    File { data: SpinLock<Vec<u8>> },
    Symlink { target: Vec<u8> },
    /// A character device; each open gets the device's file operations.
    CharDev { rdev: u64, open: fn() -> Arc<dyn FileOps> },
    /// A synthetic file whose contents are generated on open (procfs).
    Generated { generate: fn(&Arc<Inode>) -> Vec<u8>, arg: u64 },
}

pub struct Inode {
    pub ino: u64,
    pub mode: AtomicU32,
    pub uid: AtomicU32,
    pub gid: AtomicU32,
    pub nlink: AtomicU32,
    /// Modification and status-change times, ns since the epoch.
    pub mtime: AtomicU64,
    pub ctime: AtomicU64,
    pub atime: AtomicU64,
    pub kind: InodeKind,
}

static NEXT_INO: AtomicU64 = AtomicU64::new(1);

impl Inode {
    pub fn new(mode: u32, kind: InodeKind) -> Arc<Inode> {
        let now = crate::time::ktime_get_real_ns();
        Arc::new(Inode {
            ino: NEXT_INO.fetch_add(1, Ordering::Relaxed),
            mode: AtomicU32::new(mode),
            uid: AtomicU32::new(0),
            gid: AtomicU32::new(0),
            nlink: AtomicU32::new(if mode & S_IFMT == S_IFDIR { 2 } else { 1 }),
            mtime: AtomicU64::new(now),
            ctime: AtomicU64::new(now),
            atime: AtomicU64::new(now),
            kind,
        })
    }

    pub fn new_dir(perm: u32, parent: Weak<Inode>) -> Arc<Inode> {
        Inode::new(
            S_IFDIR | perm,
            InodeKind::Dir { entries: SpinLock::new(BTreeMap::new()), parent: SpinLock::new(parent) },
        )
    }

    pub fn new_file(perm: u32, data: Vec<u8>) -> Arc<Inode> {
        Inode::new(S_IFREG | perm, InodeKind::File { data: SpinLock::new(data) })
    }

    pub fn mode(&self) -> u32 {
        self.mode.load(Ordering::Relaxed)
    }

    pub fn is_dir(&self) -> bool {
        self.mode() & S_IFMT == S_IFDIR
    }

    pub fn is_reg(&self) -> bool {
        self.mode() & S_IFMT == S_IFREG
    }

    pub fn is_symlink(&self) -> bool {
        self.mode() & S_IFMT == S_IFLNK
    }

    /// Bytes in a regular file or symlink.
    pub fn size(&self) -> u64 {
        match &self.kind {
            InodeKind::File { data } => data.lock().len() as u64,
            InodeKind::Symlink { target } => target.len() as u64,
            InodeKind::Dir { entries, .. } => 4096.max(entries.lock().len() as u64 * 32),
            _ => 0,
        }
    }

    /// Look `name` up in this directory ("." and ".." included).
    pub fn lookup(self: &Arc<Inode>, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        let InodeKind::Dir { entries, parent } = &self.kind else { return Err(Errno::ENOTDIR) };
        match name {
            b"" | b"." => Ok(self.clone()),
            b".." => Ok(parent.lock().upgrade().unwrap_or_else(|| self.clone())),
            _ => entries.lock().get(name).cloned().ok_or(Errno::ENOENT),
        }
    }

    /// Add `child` as `name` in this directory.
    pub fn link(self: &Arc<Inode>, name: &[u8], child: Arc<Inode>) -> Result<(), Errno> {
        let InodeKind::Dir { entries, .. } = &self.kind else { return Err(Errno::ENOTDIR) };
        let mut e = entries.lock();
        if e.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        if let InodeKind::Dir { parent, .. } = &child.kind {
            *parent.lock() = Arc::downgrade(self);
            self.nlink.fetch_add(1, Ordering::Relaxed);
        }
        e.insert(name.to_vec(), child);
        Ok(())
    }

    /// Remove `name` from this directory and return it.
    pub fn unlink(&self, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        let InodeKind::Dir { entries, .. } = &self.kind else { return Err(Errno::ENOTDIR) };
        let child = entries.lock().remove(name).ok_or(Errno::ENOENT)?;
        if child.is_dir() {
            self.nlink.fetch_sub(1, Ordering::Relaxed);
        }
        child.nlink.fetch_sub(1, Ordering::Relaxed);
        Ok(child)
    }

    /// Directory entries in order (name, inode), without "." and "..".
    pub fn children(&self) -> Result<Vec<(Vec<u8>, Arc<Inode>)>, Errno> {
        let InodeKind::Dir { entries, .. } = &self.kind else { return Err(Errno::ENOTDIR) };
        Ok(entries.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// Read from a regular file at `off`.
    pub fn read_at(&self, off: u64, buf: &mut [u8]) -> Result<usize, Errno> {
        match &self.kind {
            InodeKind::File { data } => {
                let d = data.lock();
                if off >= d.len() as u64 {
                    return Ok(0);
                }
                let n = buf.len().min(d.len() - off as usize);
                buf[..n].copy_from_slice(&d[off as usize..off as usize + n]);
                Ok(n)
            }
            InodeKind::Dir { .. } => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    /// Write to a regular file at `off`, growing it as needed.
    pub fn write_at(&self, off: u64, buf: &[u8]) -> Result<usize, Errno> {
        match &self.kind {
            InodeKind::File { data } => {
                let mut d = data.lock();
                let end = (off as usize).checked_add(buf.len()).ok_or(Errno::EFBIG)?;
                if d.len() < end {
                    d.resize(end, 0);
                }
                d[off as usize..end].copy_from_slice(buf);
                self.mtime.store(crate::time::ktime_get_real_ns(), Ordering::Relaxed);
                Ok(buf.len())
            }
            InodeKind::Dir { .. } => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    /// Set a regular file's length.
    pub fn truncate(&self, len: u64) -> Result<(), Errno> {
        match &self.kind {
            InodeKind::File { data } => {
                data.lock().resize(len as usize, 0);
                Ok(())
            }
            InodeKind::Dir { .. } => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }
}
