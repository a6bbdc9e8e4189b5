//! Pipes (Linux's fs/pipe.c): a 64 KiB ring shared by a read end and a
//! write end. Reads block while the pipe is empty and a writer remains,
//! then return 0 (EOF); writes block while it is full, are atomic up to
//! PIPE_BUF bytes, and with no reader left raise SIGPIPE and fail EPIPE.

use super::file::{File, FileOps, O_NONBLOCK, POLLERR, POLLHUP, POLLIN, POLLOUT};
use super::inode::{Inode, InodeKind, S_IFIFO};
use crate::errno::{Errno, SysResult};
use crate::sched::wait::WaitQueue;
use crate::sync::SpinLock;
use alloc::collections::VecDeque;
use alloc::sync::Arc;

pub const PIPE_BUF: usize = 4096;
pub const PIPE_DEF_SIZE: usize = 65536;

struct Ring {
    data: VecDeque<u8>,
    capacity: usize,
    readers: usize,
    writers: usize,
}

pub struct Pipe {
    ring: SpinLock<Ring>,
    wq: WaitQueue,
}

impl Pipe {
    fn wake(&self) {
        self.wq.wake_up_all();
        super::poll_wake();
    }

    pub fn capacity(&self) -> usize {
        self.ring.lock().capacity
    }

    /// F_SETPIPE_SZ: round up to a power of two pages, never below the
    /// bytes already buffered.
    pub fn set_capacity(&self, want: usize) -> Result<usize, Errno> {
        let size = want.max(4096).next_power_of_two();
        if size > 1 << 20 {
            return Err(Errno::EPERM);
        }
        let mut r = self.ring.lock();
        if r.data.len() > size {
            return Err(Errno::EBUSY);
        }
        r.capacity = size;
        Ok(size)
    }
}

struct ReadEnd(Arc<Pipe>);
struct WriteEnd(Arc<Pipe>);

impl FileOps for ReadEnd {
    fn read(&self, file: &File, buf: &mut [u8]) -> SysResult {
        if buf.is_empty() {
            return Ok(0);
        }
        let p = &self.0;
        loop {
            {
                let mut r = p.ring.lock();
                if !r.data.is_empty() {
                    let n = buf.len().min(r.data.len());
                    for (i, b) in r.data.drain(..n).enumerate() {
                        buf[i] = b;
                    }
                    drop(r);
                    p.wake();
                    return Ok(n);
                }
                if r.writers == 0 {
                    return Ok(0);
                }
            }
            if file.flags() & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            p.wq.wait_event(true, || {
                let r = p.ring.lock();
                !r.data.is_empty() || r.writers == 0
            })?;
        }
    }

    fn write(&self, _: &File, _: &[u8]) -> SysResult {
        Err(Errno::EBADF)
    }

    fn poll(&self, _: &File) -> u16 {
        let r = self.0.ring.lock();
        let mut m = 0;
        if !r.data.is_empty() {
            m |= POLLIN;
        }
        if r.writers == 0 {
            m |= POLLHUP;
        }
        m
    }

    fn release(&self, _: &File) {
        self.0.ring.lock().readers -= 1;
        self.0.wake();
    }

    fn pipe(&self) -> Option<Arc<Pipe>> {
        Some(self.0.clone())
    }
}

impl FileOps for WriteEnd {
    fn read(&self, _: &File, _: &mut [u8]) -> SysResult {
        Err(Errno::EBADF)
    }

    fn write(&self, file: &File, buf: &[u8]) -> SysResult {
        let p = &self.0;
        let mut done = 0;
        loop {
            {
                let mut r = p.ring.lock();
                if r.readers == 0 {
                    drop(r);
                    crate::process::signal::send_signal_to_thread(
                        &crate::sched::current_arc(),
                        crate::process::signal::SIGPIPE,
                        crate::process::signal::SigInfo { signo: crate::process::signal::SIGPIPE, ..Default::default() },
                    );
                    return if done > 0 { Ok(done) } else { Err(Errno::EPIPE) };
                }
                let space = r.capacity - r.data.len();
                let left = buf.len() - done;
                // Writes of up to PIPE_BUF bytes go in whole or not at all.
                if space > 0 && (left > PIPE_BUF || space >= left) {
                    let n = space.min(left);
                    r.data.extend(&buf[done..done + n]);
                    done += n;
                    drop(r);
                    p.wake();
                    if done == buf.len() {
                        return Ok(done);
                    }
                    continue;
                }
            }
            if file.flags() & O_NONBLOCK != 0 {
                return if done > 0 { Ok(done) } else { Err(Errno::EAGAIN) };
            }
            let need = (buf.len() - done).min(PIPE_BUF);
            let waited = p.wq.wait_event(true, || {
                let r = p.ring.lock();
                r.readers == 0 || r.capacity - r.data.len() >= need
            });
            if let Err(e) = waited {
                return if done > 0 { Ok(done) } else { Err(e) };
            }
        }
    }

    fn poll(&self, _: &File) -> u16 {
        let r = self.0.ring.lock();
        if r.readers == 0 {
            POLLERR
        } else if r.capacity - r.data.len() >= PIPE_BUF {
            POLLOUT
        } else {
            0
        }
    }

    fn release(&self, _: &File) {
        self.0.ring.lock().writers -= 1;
        self.0.wake();
    }

    fn pipe(&self) -> Option<Arc<Pipe>> {
        Some(self.0.clone())
    }
}

/// Create a pipe: (read end, write end) with the given O_NONBLOCK flag.
pub fn create_pipe(flags: u32) -> (Arc<File>, Arc<File>) {
    let pipe = Arc::new(Pipe {
        ring: SpinLock::new(Ring { data: VecDeque::new(), capacity: PIPE_DEF_SIZE, readers: 1, writers: 1 }),
        wq: WaitQueue::new(),
    });
    let inode = Inode::new(S_IFIFO | 0o600, InodeKind::File { data: SpinLock::new(alloc::vec::Vec::new()) });
    let nb = flags & O_NONBLOCK;
    let r = File::with_ops(inode.clone(), Arc::new(ReadEnd(pipe.clone())), super::file::O_RDONLY | nb);
    let w = File::with_ops(inode, Arc::new(WriteEnd(pipe.clone())), super::file::O_WRONLY | nb);
    (r, w)
}

/// The pipe behind a file, if it is one (for F_GETPIPE_SZ).
pub fn pipe_of(file: &File) -> Option<Arc<Pipe>> {
    file.ops.as_ref().and_then(|o| o.pipe())
}
