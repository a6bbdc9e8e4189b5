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
use core::sync::atomic::{AtomicU64, Ordering};

pub const PIPE_BUF: usize = 4096;
pub const PIPE_DEF_SIZE: usize = 65536;

struct Ring {
    data: VecDeque<u8>,
    capacity: usize,
    readers: usize,
    writers: usize,
    /// Opens of each end so far: a FIFO opener waits for the other
    /// side's counter to move (Linux's r_counter/w_counter).
    r_counter: u64,
    w_counter: u64,
}

pub struct Pipe {
    ring: SpinLock<Ring>,
    wq: WaitQueue,
    /// Wake-ups so far, for edge-triggered epoll.
    seq: AtomicU64,
}

impl Pipe {
    fn wake(&self) {
        self.seq.fetch_add(1, Ordering::Relaxed);
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
        self.0.put_end(true, false);
    }

    fn pipe(&self) -> Option<Arc<Pipe>> {
        Some(self.0.clone())
    }

    fn event_seq(&self) -> u64 {
        self.0.seq.load(Ordering::Relaxed)
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
                        crate::process::signal::SigInfo {
                            signo: crate::process::signal::SIGPIPE,
                            ..Default::default()
                        },
                    );
                    return if done > 0 {
                        Ok(done)
                    } else {
                        Err(Errno::EPIPE)
                    };
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
                return if done > 0 {
                    Ok(done)
                } else {
                    Err(Errno::EAGAIN)
                };
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
        self.0.put_end(false, true);
    }

    fn pipe(&self) -> Option<Arc<Pipe>> {
        Some(self.0.clone())
    }

    fn event_seq(&self) -> u64 {
        self.0.seq.load(Ordering::Relaxed)
    }
}

impl Pipe {
    /// A pipe with the given numbers of open ends.
    pub fn new(readers: usize, writers: usize) -> Arc<Pipe> {
        let ring = Ring {
            data: VecDeque::new(),
            capacity: PIPE_DEF_SIZE,
            readers,
            writers,
            r_counter: readers as u64,
            w_counter: writers as u64,
        };
        Arc::new(Pipe {
            ring: SpinLock::new(ring),
            wq: WaitQueue::new(),
            seq: AtomicU64::new(0),
        })
    }

    /// An end is gone. When a FIFO loses its last user its contents go
    /// too (Linux frees the pipe_inode_info).
    fn put_end(&self, reader: bool, writer: bool) {
        let mut r = self.ring.lock();
        r.readers -= reader as usize;
        r.writers -= writer as usize;
        if r.readers == 0 && r.writers == 0 {
            r.data.clear();
        }
        drop(r);
        self.wake();
    }
}

/// Both ends at once: a FIFO opened O_RDWR. The temporary ends below
/// only borrow the pipe: ends count as closed in `release`, not on drop.
struct RdwrEnd(Arc<Pipe>);

impl FileOps for RdwrEnd {
    fn read(&self, file: &File, buf: &mut [u8]) -> SysResult {
        ReadEnd(self.0.clone()).read(file, buf)
    }

    fn write(&self, file: &File, buf: &[u8]) -> SysResult {
        WriteEnd(self.0.clone()).write(file, buf)
    }

    fn poll(&self, file: &File) -> u16 {
        let readable = ReadEnd(self.0.clone()).poll(file) & POLLIN;
        readable | (WriteEnd(self.0.clone()).poll(file) & POLLOUT)
    }

    fn release(&self, _: &File) {
        self.0.put_end(true, true);
    }

    fn pipe(&self) -> Option<Arc<Pipe>> {
        Some(self.0.clone())
    }

    fn event_seq(&self) -> u64 {
        self.0.seq.load(Ordering::Relaxed)
    }
}

/// Open a named pipe (Linux's fifo_open): a reader waits for a writer
/// and a writer for a reader unless O_NONBLOCK (a non-blocking writer
/// without readers gets ENXIO); O_RDWR never waits.
pub fn fifo_open(pipe: &Arc<Pipe>, flags: u32) -> Result<Arc<dyn FileOps>, Errno> {
    use super::file::{O_ACCMODE, O_RDONLY, O_RDWR, O_WRONLY};
    let nonblock = flags & O_NONBLOCK != 0;
    let (reader, writer) = match flags & O_ACCMODE {
        O_RDONLY => (true, false),
        O_WRONLY => (false, true),
        O_RDWR => (true, true),
        _ => return Err(Errno::EINVAL),
    };
    let partner_seen = {
        let mut r = pipe.ring.lock();
        if writer && !reader && nonblock && r.readers == 0 {
            return Err(Errno::ENXIO);
        }
        r.readers += reader as usize;
        r.writers += writer as usize;
        r.r_counter += reader as u64;
        r.w_counter += writer as u64;
        if reader { r.w_counter } else { r.r_counter }
    };
    pipe.wake();
    let must_wait = !(reader && writer) && !nonblock;
    if must_wait {
        let waited = pipe.wq.wait_event(true, || {
            let r = pipe.ring.lock();
            if reader {
                r.writers > 0 || r.w_counter != partner_seen
            } else {
                r.readers > 0 || r.r_counter != partner_seen
            }
        });
        if let Err(e) = waited {
            pipe.put_end(reader, writer);
            return Err(e);
        }
    }
    Ok(match (reader, writer) {
        (true, true) => Arc::new(RdwrEnd(pipe.clone())),
        (true, false) => Arc::new(ReadEnd(pipe.clone())),
        _ => Arc::new(WriteEnd(pipe.clone())),
    })
}

/// Create a pipe: (read end, write end) with the given O_NONBLOCK flag.
pub fn create_pipe(flags: u32) -> (Arc<File>, Arc<File>) {
    let pipe = Pipe::new(1, 1);
    let inode = Inode::new(S_IFIFO | 0o600, InodeKind::Fifo { pipe: pipe.clone() });
    let nb = flags & O_NONBLOCK;
    let r = File::with_ops(
        inode.clone(),
        Arc::new(ReadEnd(pipe.clone())),
        super::file::O_RDONLY | nb,
    );
    let w = File::with_ops(
        inode,
        Arc::new(WriteEnd(pipe.clone())),
        super::file::O_WRONLY | nb,
    );
    (r, w)
}

/// The pipe behind a file, if it is one (for F_GETPIPE_SZ).
pub fn pipe_of(file: &File) -> Option<Arc<Pipe>> {
    file.ops.as_ref().and_then(|o| o.pipe())
}
