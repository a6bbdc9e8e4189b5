//! Inodes of the in-memory filesystem (Linux's ramfs/tmpfs): directories,
//! regular files, symbolic links and character devices.

use super::file::FileOps;
use crate::errno::Errno;
use crate::mm::filemap::AddressSpace;
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

/// A procfs file's write handler: the inode and the bytes written.
pub type Store = fn(&Arc<Inode>, &[u8]) -> Result<(), Errno>;

pub enum InodeKind {
    Dir {
        entries: SpinLock<BTreeMap<Vec<u8>, Arc<Inode>>>,
        parent: SpinLock<Weak<Inode>>,
    },
    /// A regular file: its bytes in the page cache.
    File {
        mapping: AddressSpace,
    },
    Symlink {
        target: Vec<u8>,
    },
    /// A character device; each open gets the device's file operations.
    CharDev {
        rdev: u64,
        open: fn() -> Arc<dyn FileOps>,
    },
    /// A synthetic file whose contents are generated on open (procfs).
    /// With S_IFLNK in its mode it is a symbolic link and `generate`
    /// gives the target.
    Generated {
        generate: fn(&Arc<Inode>) -> Vec<u8>,
        arg: u64,
        /// What a write does (writable sysctls, /proc/PID/comm): given
        /// the bytes of one write(2); None for read-only files.
        store: Option<Store>,
    },
    /// A directory whose entries are computed when looked at (procfs:
    /// /proc, /proc/PID, /proc/PID/fd). `parent` is None for a directory
    /// mounted on the root directory (its ".." is "/").
    DynDir {
        ops: &'static dyn DirOps,
        arg: u64,
        parent: Option<Arc<Inode>>,
    },
    /// A named pipe (mknod S_IFIFO); every open attaches to the one pipe.
    Fifo {
        pipe: Arc<super::pipe::Pipe>,
    },
}

/// The operations of a computed directory (Linux's inode_operations
/// lookup plus file_operations iterate_shared, for procfs).
pub trait DirOps: Send + Sync {
    /// The entry `name` (never "." or ".."), or ENOENT.
    fn lookup(&self, dir: &Arc<Inode>, name: &[u8]) -> Result<Arc<Inode>, Errno>;
    /// Every entry, in the order getdents reports them.
    fn list(&self, dir: &Arc<Inode>) -> Vec<(Vec<u8>, Arc<Inode>)>;
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
    /// The directory and name this inode was last linked under (what a
    /// Linux dentry remembers): d_path reads it, also after an unlink.
    dentry: SpinLock<(Weak<Inode>, Vec<u8>)>,
}

static NEXT_INO: AtomicU64 = AtomicU64::new(1);

impl Inode {
    pub fn new(mode: u32, kind: InodeKind) -> Arc<Inode> {
        Inode::with_ino(NEXT_INO.fetch_add(1, Ordering::Relaxed), mode, kind)
    }

    /// An inode with a number chosen by its filesystem (procfs numbers
    /// its per-process entries so that every lookup agrees).
    pub fn with_ino(ino: u64, mode: u32, kind: InodeKind) -> Arc<Inode> {
        let now = crate::time::ktime_get_real_ns();
        Arc::new(Inode {
            ino,
            mode: AtomicU32::new(mode),
            uid: AtomicU32::new(0),
            gid: AtomicU32::new(0),
            nlink: AtomicU32::new(if mode & S_IFMT == S_IFDIR { 2 } else { 1 }),
            mtime: AtomicU64::new(now),
            ctime: AtomicU64::new(now),
            atime: AtomicU64::new(now),
            kind,
            dentry: SpinLock::new((Weak::new(), Vec::new())),
        })
    }

    pub fn new_dir(perm: u32, parent: Weak<Inode>) -> Arc<Inode> {
        Inode::new(
            S_IFDIR | perm,
            InodeKind::Dir {
                entries: SpinLock::new(BTreeMap::new()),
                parent: SpinLock::new(parent),
            },
        )
    }

    /// A regular file holding `data` (the initramfs's files; empty for
    /// creat and mknod); ENOSPC if its pages cannot be had.
    pub fn new_file(perm: u32, data: &[u8]) -> Result<Arc<Inode>, Errno> {
        let mapping = AddressSpace::with_data(data)?;
        Ok(Inode::new(S_IFREG | perm, InodeKind::File { mapping }))
    }

    /// A regular file's page cache (Linux's i_mapping).
    pub fn mapping(&self) -> Option<&AddressSpace> {
        match &self.kind {
            InodeKind::File { mapping } => Some(mapping),
            _ => None,
        }
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

    pub fn is_fifo(&self) -> bool {
        self.mode() & S_IFMT == S_IFIFO
    }

    /// The target of a symbolic link: stored, or computed now (procfs).
    pub fn read_link(self: &Arc<Inode>) -> Option<Vec<u8>> {
        match &self.kind {
            InodeKind::Symlink { target } => Some(target.clone()),
            InodeKind::Generated { generate, .. } if self.is_symlink() => Some(generate(self)),
            _ => None,
        }
    }

    /// Does this inode belong to procfs rather than the root filesystem
    /// (rename and link across them fail EXDEV; statfs differs)?
    pub fn is_proc(&self) -> bool {
        matches!(
            self.kind,
            InodeKind::Generated { .. } | InodeKind::DynDir { .. }
        )
    }

    /// Bytes in a regular file or symlink.
    pub fn size(&self) -> u64 {
        match &self.kind {
            InodeKind::File { mapping } => mapping.size(),
            InodeKind::Symlink { target } => target.len() as u64,
            InodeKind::Dir { entries, .. } => 4096.max(entries.lock().len() as u64 * 32),
            // procfs files and directories report 0, as Linux's do.
            _ => 0,
        }
    }

    /// Look `name` up in this directory ("." and ".." included).
    pub fn lookup(self: &Arc<Inode>, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        if let InodeKind::DynDir { ops, parent, .. } = &self.kind {
            return match name {
                b"" | b"." => Ok(self.clone()),
                b".." => Ok(parent.clone().unwrap_or_else(super::root)),
                // Name what procfs made, so d_path (getcwd, /proc/PID/cwd)
                // finds "/proc/123" for a directory reached by /proc/self.
                _ => ops.lookup(self, name).inspect(|child| {
                    let mut d = child.dentry.lock();
                    if d.0.upgrade().is_none() {
                        *d = (Arc::downgrade(self), name.to_vec());
                    }
                }),
            };
        }
        let InodeKind::Dir { entries, parent } = &self.kind else {
            return Err(Errno::ENOTDIR);
        };
        match name {
            b"" | b"." => Ok(self.clone()),
            b".." => Ok(parent.lock().upgrade().unwrap_or_else(|| self.clone())),
            _ => entries.lock().get(name).cloned().ok_or(Errno::ENOENT),
        }
    }

    /// Add `child` as `name` in this directory.
    pub fn link(self: &Arc<Inode>, name: &[u8], child: Arc<Inode>) -> Result<(), Errno> {
        if let InodeKind::DynDir { .. } = &self.kind {
            // procfs has no create: its lookup of a new name fails first.
            return Err(Errno::ENOENT);
        }
        let InodeKind::Dir { entries, .. } = &self.kind else {
            return Err(Errno::ENOTDIR);
        };
        if self.nlink.load(Ordering::Relaxed) == 0 {
            return Err(Errno::ENOENT); // a removed directory (Linux's IS_DEADDIR)
        }
        let mut e = entries.lock();
        if e.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        if let InodeKind::Dir { parent, .. } = &child.kind {
            *parent.lock() = Arc::downgrade(self);
            self.nlink.fetch_add(1, Ordering::Relaxed);
        }
        *child.dentry.lock() = (Arc::downgrade(self), name.to_vec());
        e.insert(name.to_vec(), child);
        Ok(())
    }

    /// Remove `name` from this directory and return it.
    pub fn unlink(&self, name: &[u8]) -> Result<Arc<Inode>, Errno> {
        if let InodeKind::DynDir { .. } = &self.kind {
            return Err(Errno::EPERM); // Linux's vfs_unlink without ->unlink
        }
        let InodeKind::Dir { entries, .. } = &self.kind else {
            return Err(Errno::ENOTDIR);
        };
        let child = entries.lock().remove(name).ok_or(Errno::ENOENT)?;
        if child.is_dir() {
            // Its ".." no longer counts, and a removed directory has no
            // links at all (Linux's shmem_rmdir): nothing can be made in it.
            self.nlink.fetch_sub(1, Ordering::Relaxed);
            child.nlink.store(0, Ordering::Relaxed);
        } else {
            child.nlink.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(child)
    }

    /// Add a hard link to `child` (link(2)): an entry and one more link.
    pub fn link_existing(self: &Arc<Inode>, name: &[u8], child: Arc<Inode>) -> Result<(), Errno> {
        let c = child.clone();
        self.link(name, child)?;
        c.nlink.fetch_add(1, Ordering::Relaxed);
        c.touch_ctime();
        Ok(())
    }

    /// rename's last step (Linux's shmem_rename2, checks done by the
    /// caller): move `old_name` of `self` to `new_name` of `new_dir`,
    /// replacing what is there; or swap the two entries (`exchange`).
    /// Directory link counts and ".." follow the moved directories.
    pub fn rename_entry(
        self: &Arc<Inode>,
        old_name: &[u8],
        new_dir: &Arc<Inode>,
        new_name: &[u8],
        exchange: bool,
    ) -> Result<(), Errno> {
        static RENAME_LOCK: SpinLock<()> = SpinLock::new(());
        let _serialised = RENAME_LOCK.lock();
        let (InodeKind::Dir { entries: old_e, .. }, InodeKind::Dir { entries: new_e, .. }) =
            (&self.kind, &new_dir.kind)
        else {
            return Err(Errno::ENOTDIR);
        };
        if new_dir.nlink.load(Ordering::Relaxed) == 0 {
            return Err(Errno::ENOENT); // into a removed directory
        }
        let moved = old_e.lock().get(old_name).cloned().ok_or(Errno::ENOENT)?;
        let target = new_e.lock().get(new_name).cloned();
        if exchange {
            let other = target.ok_or(Errno::ENOENT)?;
            old_e.lock().insert(old_name.to_vec(), other.clone());
            new_e.lock().insert(new_name.to_vec(), moved.clone());
            *other.dentry.lock() = (Arc::downgrade(self), old_name.to_vec());
            if !Arc::ptr_eq(self, new_dir) {
                self.reparent(&other, new_dir);
                new_dir.reparent(&moved, self);
            }
            other.touch_ctime();
        } else {
            if target.is_some() {
                new_dir.unlink(new_name)?;
            }
            old_e.lock().remove(old_name);
            new_e.lock().insert(new_name.to_vec(), moved.clone());
            if !Arc::ptr_eq(self, new_dir) {
                new_dir.reparent(&moved, self);
            }
        }
        *moved.dentry.lock() = (Arc::downgrade(new_dir), new_name.to_vec());
        moved.touch_ctime();
        self.touch_mtime();
        new_dir.touch_mtime();
        Ok(())
    }

    /// `child`, a directory now in `self`, was in `from`: its ".." and
    /// both directories' link counts change.
    fn reparent(self: &Arc<Inode>, child: &Arc<Inode>, from: &Inode) {
        if let InodeKind::Dir { parent, .. } = &child.kind {
            *parent.lock() = Arc::downgrade(self);
            self.nlink.fetch_add(1, Ordering::Relaxed);
            from.nlink.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// The absolute path of this inode below `root` from the names it was
    /// linked under (Linux's d_path), and whether a name on the way no
    /// longer leads to it (the file was unlinked: " (deleted)"). None when
    /// it was never linked below `root`.
    pub fn d_path(self: &Arc<Inode>, root: &Arc<Inode>) -> Option<(Vec<u8>, bool)> {
        let mut names: Vec<Vec<u8>> = Vec::new();
        let mut deleted = false;
        let mut cur = self.clone();
        while !Arc::ptr_eq(&cur, root) {
            let (parent, name) = cur.dentry.lock().clone();
            let parent = parent.upgrade()?;
            let still_there = match &parent.kind {
                InodeKind::Dir { entries, .. } => entries
                    .lock()
                    .get(&name)
                    .is_some_and(|i| Arc::ptr_eq(i, &cur)),
                // procfs names are never unlinked.
                InodeKind::DynDir { .. } => true,
                _ => false,
            };
            deleted |= !still_there;
            names.push(name);
            cur = parent;
            if names.len() > 256 {
                return None; // PATH_MAX allows no deeper tree
            }
        }
        let mut path = Vec::new();
        for n in names.iter().rev() {
            path.push(b'/');
            path.extend_from_slice(n);
        }
        if path.is_empty() {
            path.push(b'/');
        }
        Some((path, deleted))
    }

    /// Is `self` (a directory) `other` or one of its ancestors?
    pub fn is_ancestor_of(self: &Arc<Inode>, other: &Arc<Inode>) -> bool {
        let mut cur = other.clone();
        loop {
            if Arc::ptr_eq(self, &cur) {
                return true;
            }
            let InodeKind::Dir { parent, .. } = &cur.kind else {
                return false;
            };
            let Some(p) = parent.lock().upgrade() else {
                return false;
            };
            cur = p;
        }
    }

    /// The status-change time is now (chmod, chown, link, rename).
    pub fn touch_ctime(&self) {
        self.ctime
            .store(crate::time::ktime_get_real_ns(), Ordering::Relaxed);
    }

    /// Contents changed now: mtime and ctime.
    pub fn touch_mtime(&self) {
        let now = crate::time::ktime_get_real_ns();
        self.mtime.store(now, Ordering::Relaxed);
        self.ctime.store(now, Ordering::Relaxed);
    }

    /// Directory entries in order (name, inode), without "." and "..".
    pub fn children(self: &Arc<Inode>) -> Result<Vec<(Vec<u8>, Arc<Inode>)>, Errno> {
        if let InodeKind::DynDir { ops, .. } = &self.kind {
            return Ok(ops.list(self));
        }
        let InodeKind::Dir { entries, .. } = &self.kind else {
            return Err(Errno::ENOTDIR);
        };
        Ok(entries
            .lock()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    /// Read from a regular file at `off` (holes read as zeros).
    pub fn read_at(&self, off: u64, buf: &mut [u8]) -> Result<usize, Errno> {
        match &self.kind {
            InodeKind::File { mapping } => Ok(mapping.read_at(off, buf)),
            InodeKind::Dir { .. } => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    /// Write to a regular file at `off`, growing it as needed.
    pub fn write_at(&self, off: u64, buf: &[u8]) -> Result<usize, Errno> {
        match &self.kind {
            InodeKind::File { mapping } => {
                let n = mapping.write_at(off, buf)?;
                self.touch_mtime();
                Ok(n)
            }
            InodeKind::Dir { .. } => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    /// Set a regular file's length: growing leaves a hole (no memory),
    /// shrinking frees the pages past the end and unmaps them.
    pub fn truncate(&self, len: u64) -> Result<(), Errno> {
        match &self.kind {
            InodeKind::File { mapping } => {
                mapping.set_size(len)?;
                self.touch_mtime();
                Ok(())
            }
            InodeKind::Dir { .. } => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }
}

/// Inode numbers handed out so far (statfs's f_files - f_ffree).
pub fn nr_inodes() -> u64 {
    NEXT_INO.load(Ordering::Relaxed) - 1
}
