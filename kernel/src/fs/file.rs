//! Open files (Linux's struct file): an inode, a position, open flags, and
//! for devices and pipes the object that implements them.

use super::inode::{Inode, InodeKind};
use crate::errno::{Errno, SysResult};
use crate::sync::SpinLock;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

pub const O_ACCMODE: u32 = 0o3;
pub const O_RDONLY: u32 = 0o0;
pub const O_WRONLY: u32 = 0o1;
pub const O_RDWR: u32 = 0o2;
pub const O_CREAT: u32 = 0o100;
pub const O_EXCL: u32 = 0o200;
pub const O_NOCTTY: u32 = 0o400;
pub const O_TRUNC: u32 = 0o1000;
pub const O_APPEND: u32 = 0o2000;
pub const O_NONBLOCK: u32 = 0o4000;
pub const O_DIRECTORY: u32 = 0o200000;
pub const O_NOFOLLOW: u32 = 0o400000;
pub const O_CLOEXEC: u32 = 0o2000000;
pub const O_PATH: u32 = 0o10000000;

pub const POLLIN: u16 = 0x001;
pub const POLLPRI: u16 = 0x002;
pub const POLLOUT: u16 = 0x004;
pub const POLLERR: u16 = 0x008;
pub const POLLHUP: u16 = 0x010;
pub const POLLNVAL: u16 = 0x020;
pub const POLLRDNORM: u16 = 0x040;
pub const POLLWRNORM: u16 = 0x100;

/// What a device or pipe does with reads, writes and ioctls. Buffers are
/// kernel memory; the syscall layer copies to and from user space.
pub trait FileOps: Send + Sync {
    fn read(&self, file: &File, buf: &mut [u8]) -> SysResult;
    fn write(&self, file: &File, buf: &[u8]) -> SysResult;
    fn ioctl(&self, _file: &File, _cmd: u32, _arg: usize) -> SysResult {
        Err(Errno::ENOTTY)
    }
    /// What a poll would report now: POLLIN, POLLOUT, POLLHUP, POLLERR
    /// bits (Linux's f_op->poll).
    fn poll(&self, _file: &File) -> u16 {
        POLLIN | POLLOUT
    }
    /// Called when the last descriptor for this open file is closed.
    fn release(&self, _file: &File) {}
    /// The pipe behind this file, if it is one.
    fn pipe(&self) -> Option<Arc<super::pipe::Pipe>> {
        None
    }
    /// A count that moves at every wake-up of this file's waiters (what
    /// Linux's wait-queue callbacks tell an edge-triggered epoll); 0 for
    /// files that do not keep one, which epoll then watches by mask.
    fn event_seq(&self) -> u64 {
        0
    }
    /// The name of an anonymous file ("eventfd" reads back from
    /// /proc/PID/fd as "anon_inode:[eventfd]", as Linux's anon_inodes).
    fn anon_name(&self) -> Option<&'static str> {
        None
    }
    /// Lines this kind of file adds to /proc/PID/fdinfo/N.
    fn show_fdinfo(&self, _file: &File) -> alloc::string::String {
        alloc::string::String::new()
    }
    /// The object itself, for code that must know what a file is
    /// (timerfd_settime, epoll_ctl).
    fn as_any(&self) -> Option<&dyn core::any::Any> {
        None
    }
}

pub struct File {
    pub inode: Arc<Inode>,
    pub ops: Option<Arc<dyn FileOps>>,
    pub pos: SpinLock<u64>,
    pub flags: AtomicU32,
    /// The path it was opened by (for /proc/PID/fd and error messages).
    pub path: Vec<u8>,
}

impl File {
    /// Open `inode` with `flags`; devices get their operations here.
    pub fn open(inode: Arc<Inode>, flags: u32, path: Vec<u8>) -> Arc<File> {
        let ops = match &inode.kind {
            InodeKind::CharDev { open, .. } => Some(open()),
            _ => None,
        };
        Arc::new(File {
            inode,
            ops,
            pos: SpinLock::new(0),
            flags: AtomicU32::new(flags & !O_CLOEXEC),
            path,
        })
    }

    /// Open `inode` as open(2) does (Linux's do_dentry_open): as File::open,
    /// but a named pipe attaches to its pipe, which may wait for the
    /// other end or fail (ENXIO).
    pub fn open_checked(inode: Arc<Inode>, flags: u32, path: Vec<u8>) -> Result<Arc<File>, Errno> {
        if let InodeKind::Fifo { pipe } = &inode.kind {
            if flags & O_PATH == 0 {
                let ops = super::pipe::fifo_open(pipe, flags)?;
                let flags = flags & !(O_CLOEXEC | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);
                return Ok(Arc::new(File {
                    inode,
                    ops: Some(ops),
                    pos: SpinLock::new(0),
                    flags: AtomicU32::new(flags),
                    path,
                }));
            }
        }
        Ok(File::open(inode, flags, path))
    }

    /// A file backed by `ops` alone (pipes, anonymous files).
    pub fn with_ops(inode: Arc<Inode>, ops: Arc<dyn FileOps>, flags: u32) -> Arc<File> {
        Arc::new(File {
            inode,
            ops: Some(ops),
            pos: SpinLock::new(0),
            flags: AtomicU32::new(flags),
            path: Vec::new(),
        })
    }

    pub fn flags(&self) -> u32 {
        self.flags.load(Ordering::Relaxed)
    }

    pub fn readable(&self) -> bool {
        self.flags() & O_ACCMODE != O_WRONLY && self.flags() & O_PATH == 0
    }

    pub fn writable(&self) -> bool {
        self.flags() & O_ACCMODE != O_RDONLY && self.flags() & O_PATH == 0
    }

    /// read(2) at the file position.
    pub fn read(&self, buf: &mut [u8]) -> SysResult {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        if let Some(ops) = &self.ops {
            return ops.read(self, buf);
        }
        match &self.inode.kind {
            InodeKind::Generated { generate, .. } => {
                let data = generate(&self.inode);
                let mut pos = self.pos.lock();
                let n = read_slice(&data, *pos, buf);
                *pos += n as u64;
                Ok(n)
            }
            _ => {
                let mut pos = self.pos.lock();
                let n = self.inode.read_at(*pos, buf)?;
                *pos += n as u64;
                Ok(n)
            }
        }
    }

    /// write(2) at the file position (or the end with O_APPEND).
    pub fn write(&self, buf: &[u8]) -> SysResult {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        if let Some(ops) = &self.ops {
            return ops.write(self, buf);
        }
        // A writable procfs file takes each write whole, as Linux's
        // sysctl strings do.
        if let InodeKind::Generated {
            store: Some(store), ..
        } = &self.inode.kind
        {
            store(&self.inode, buf)?;
            return Ok(buf.len());
        }
        let mut pos = self.pos.lock();
        if self.flags() & O_APPEND != 0 {
            *pos = self.inode.size();
        }
        let n = self.inode.write_at(*pos, buf)?;
        *pos += n as u64;
        Ok(n)
    }

    /// pread: read at `off` without moving the position (exec, mmap).
    pub fn read_at(&self, off: u64, buf: &mut [u8]) -> SysResult {
        if self.ops.is_some() {
            return Err(Errno::ESPIPE);
        }
        match &self.inode.kind {
            InodeKind::Generated { generate, .. } => {
                Ok(read_slice(&generate(&self.inode), off, buf))
            }
            _ => self.inode.read_at(off, buf),
        }
    }

    /// The operations object as `T`, if this file is one of those.
    pub fn ops_as<T: 'static>(&self) -> Option<&T> {
        self.ops.as_ref()?.as_any()?.downcast_ref::<T>()
    }

    /// poll: the file's event mask (regular files are always ready).
    pub fn poll(&self) -> u16 {
        match &self.ops {
            Some(ops) => ops.poll(self),
            None => POLLIN | POLLOUT,
        }
    }
}

impl Drop for File {
    fn drop(&mut self) {
        super::locks::locks_remove_file(self);
        if let Some(ops) = self.ops.take() {
            ops.release(self);
        }
    }
}

/// A file with no name of its own (Linux's anon_inode_getfile): every
/// eventfd, timerfd, signalfd and epoll file shares one inode, mode 0600
/// with no file type, and is open for reading and writing.
pub fn anon_inode_getfile(ops: Arc<dyn FileOps>, flags: u32) -> Arc<File> {
    static ANON_INODE: crate::sync::Once<Arc<Inode>> = crate::sync::Once::new();
    let inode = ANON_INODE.call_once(|| {
        Inode::new(
            0o600,
            InodeKind::File {
                mapping: crate::mm::filemap::AddressSpace::new(),
            },
        )
    });
    File::with_ops(inode.clone(), ops, O_RDWR | (flags & O_NONBLOCK))
}

/// Copy from `data` at `off` into `buf`; returns the bytes copied.
pub fn read_slice(data: &[u8], off: u64, buf: &mut [u8]) -> usize {
    if off >= data.len() as u64 {
        return 0;
    }
    let n = buf.len().min(data.len() - off as usize);
    buf[..n].copy_from_slice(&data[off as usize..off as usize + n]);
    n
}
