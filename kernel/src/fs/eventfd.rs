//! Event counters (Linux's fs/eventfd.c): a file holding a 64-bit
//! counter. A write adds to it, blocking while the sum would reach
//! 0xffffffffffffffff; a read takes the whole count (or 1 with
//! EFD_SEMAPHORE), blocking while it is 0. Both move eight bytes: a
//! longer read is cut to 8, a write of any other size is EINVAL.

use super::file::{
    File, FileOps, O_CLOEXEC, O_NONBLOCK, POLLERR, POLLIN, POLLOUT, anon_inode_getfile,
};
use crate::errno::{Errno, SysResult};
use crate::sched::wait::WaitQueue;
use crate::sync::SpinLock;
use alloc::string::String;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};

pub const EFD_SEMAPHORE: u32 = 1;
pub const EFD_CLOEXEC: u32 = O_CLOEXEC;
pub const EFD_NONBLOCK: u32 = O_NONBLOCK;

/// One eventfd (Linux's struct eventfd_ctx).
pub struct EventfdCtx {
    count: SpinLock<u64>,
    semaphore: bool,
    /// Readers and writers waiting for the count to move.
    wqh: WaitQueue,
    /// Wake-ups so far, for edge-triggered epoll.
    seq: AtomicU64,
}

impl EventfdCtx {
    // The count moved: wake blocked readers and writers, and pollers.
    fn wake(&self) {
        self.seq.fetch_add(1, Ordering::Relaxed);
        self.wqh.wake_up_all();
        super::poll_wake();
    }
}

impl FileOps for EventfdCtx {
    /// eventfd_read: the count (or 1 for a semaphore) as 8 bytes.
    fn read(&self, file: &File, buf: &mut [u8]) -> SysResult {
        if buf.len() < 8 {
            return Err(Errno::EINVAL);
        }
        loop {
            {
                let mut count = self.count.lock();
                if *count > 0 {
                    let took = if self.semaphore { 1 } else { *count };
                    *count -= took;
                    drop(count);
                    buf[..8].copy_from_slice(&took.to_le_bytes());
                    self.wake();
                    return Ok(8);
                }
            }
            if file.flags() & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            self.wqh.wait_event(true, || *self.count.lock() > 0)?;
        }
    }

    /// eventfd_write: add an 8-byte value (exactly 8 bytes), waiting for
    /// room.
    fn write(&self, file: &File, buf: &[u8]) -> SysResult {
        if buf.len() != 8 {
            return Err(Errno::EINVAL);
        }
        let add = u64::from_le_bytes(buf[..8].try_into().unwrap());
        if add == u64::MAX {
            return Err(Errno::EINVAL);
        }
        let fits = |count: u64| u64::MAX - count > add;
        loop {
            {
                let mut count = self.count.lock();
                if fits(*count) {
                    *count += add;
                    drop(count);
                    self.wake();
                    return Ok(8);
                }
            }
            if file.flags() & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            self.wqh.wait_event(true, || fits(*self.count.lock()))?;
        }
    }

    /// Readable while the count is nonzero, writable while 1 more fits;
    /// a count at the maximum (only eventfd_signal could get there) is
    /// POLLERR.
    fn poll(&self, _: &File) -> u16 {
        let count = *self.count.lock();
        let mut m = 0;
        if count > 0 {
            m |= POLLIN;
        }
        if count == u64::MAX {
            m |= POLLERR;
        }
        if u64::MAX - 1 > count {
            m |= POLLOUT;
        }
        m
    }

    fn event_seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    fn anon_name(&self) -> Option<&'static str> {
        Some("eventfd")
    }

    /// eventfd_show_fdinfo: the count in hex, as Linux prints it.
    fn show_fdinfo(&self, _: &File) -> String {
        alloc::format!("eventfd-count: {:16x}\n", *self.count.lock())
    }

    fn as_any(&self) -> Option<&dyn core::any::Any> {
        Some(self)
    }
}

/// eventfd2: a new eventfd file starting at `count`; EINVAL for flags
/// other than EFD_SEMAPHORE, EFD_NONBLOCK and EFD_CLOEXEC (the caller
/// installs it, close-on-exec with EFD_CLOEXEC).
pub fn eventfd_file(count: u32, flags: u32) -> Result<Arc<File>, Errno> {
    if flags & !(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let ctx = EventfdCtx {
        count: SpinLock::new(count as u64),
        semaphore: flags & EFD_SEMAPHORE != 0,
        wqh: WaitQueue::new(),
        seq: AtomicU64::new(0),
    };
    Ok(anon_inode_getfile(Arc::new(ctx), flags))
}
