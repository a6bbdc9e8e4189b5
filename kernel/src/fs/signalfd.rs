//! Signals read as files (Linux's fs/signalfd.c): a signalfd holds a
//! signal mask; a read takes pending signals in that mask from the
//! reader's own queues (the thread's, then its group's) and returns each
//! as a 128-byte struct signalfd_siginfo. The program usually keeps those
//! signals blocked, so that they wait to be read rather than delivered.

use super::file::{File, FileOps, O_CLOEXEC, O_NONBLOCK, POLLIN, anon_inode_getfile};
use crate::errno::{Errno, SysResult};
use crate::process::signal::{SIGKILL, SIGSTOP, SigInfo, sigmask};
use crate::process::task::Task;
use crate::sched::current;
use alloc::string::String;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};

pub const SFD_CLOEXEC: u32 = O_CLOEXEC;
pub const SFD_NONBLOCK: u32 = O_NONBLOCK;

/// sizeof(struct signalfd_siginfo), the same for both ABIs.
const SIGINFO_SIZE: usize = 128;

/// One signalfd (Linux's struct signalfd_ctx).
pub struct SignalfdCtx {
    sigmask: AtomicU64,
}

impl SignalfdCtx {
    /// Watch `mask` from now on (SIGKILL and SIGSTOP never: Linux drops
    /// them), and tell sleeping readers and pollers.
    pub fn set_mask(&self, mask: u64) {
        self.sigmask.store(
            mask & !(sigmask(SIGKILL) | sigmask(SIGSTOP)),
            Ordering::Relaxed,
        );
        super::poll_wake();
    }

    // Is one of our signals pending for `t`?
    fn pending(&self, t: &Task) -> bool {
        let mask = self.sigmask.load(Ordering::Relaxed);
        let pending = t.pending.lock().signal | t.signal().shared_pending.lock().signal;
        pending & mask != 0
    }

    // Take one of our signals for the reader, waiting for one unless
    // `nonblock` (Linux's signalfd_dequeue).
    fn dequeue(&self, nonblock: bool) -> Result<SigInfo, Errno> {
        let me = current();
        loop {
            let mask = self.sigmask.load(Ordering::Relaxed);
            if let Some(info) = crate::process::sigdeliver::dequeue_signal(me, mask) {
                return Ok(info);
            }
            if nonblock {
                return Err(Errno::EAGAIN);
            }
            super::POLL_WQ.wait_event(true, || self.pending(me))?;
        }
    }
}

// Which union member of siginfo a signal carries (Linux's siginfo_layout).
enum Layout {
    Kill,
    Timer,
    Fault,
    Chld,
    Rt,
}

fn siginfo_layout(sig: i32, code: i32) -> Layout {
    use crate::process::signal::{SI_KERNEL, SI_USER};
    if code > SI_USER && code < SI_KERNEL {
        match sig {
            4 | 5 | 7 | 8 | 11 => Layout::Fault, // SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV
            17 => Layout::Chld,
            _ => Layout::Kill,
        }
    } else if code == crate::time::posix_timers::SI_TIMER {
        Layout::Timer
    } else if code < 0 {
        Layout::Rt
    } else {
        Layout::Kill
    }
}

/// struct signalfd_siginfo for `info` (Linux's signalfd_copyinfo):
/// signo, errno, code, then the fields its layout has.
fn signalfd_copyinfo(info: &SigInfo) -> [u8; SIGINFO_SIZE] {
    let mut b = [0u8; SIGINFO_SIZE];
    let put32 = |b: &mut [u8; SIGINFO_SIZE], off: usize, v: u32| {
        b[off..off + 4].copy_from_slice(&v.to_le_bytes())
    };
    put32(&mut b, 0, info.signo as u32); // ssi_signo
    put32(&mut b, 4, info.errno as u32); // ssi_errno
    put32(&mut b, 8, info.code as u32); // ssi_code
    let (pid_uid, value) = match siginfo_layout(info.signo, info.code) {
        Layout::Kill => (true, false),
        Layout::Rt => (true, true),
        Layout::Timer => {
            put32(&mut b, 24, info.timerid as u32); // ssi_tid
            put32(&mut b, 32, info.overrun as u32); // ssi_overrun
            (false, true)
        }
        Layout::Fault => {
            b[72..80].copy_from_slice(&info.addr.to_le_bytes()); // ssi_addr
            (false, false)
        }
        Layout::Chld => {
            put32(&mut b, 40, info.status as u32); // ssi_status
            (true, false)
        }
    };
    if pid_uid {
        put32(&mut b, 12, info.pid as u32); // ssi_pid
        put32(&mut b, 16, info.uid); // ssi_uid
    }
    if value {
        put32(&mut b, 44, info.value as u32); // ssi_int
        b[48..56].copy_from_slice(&info.value.to_le_bytes()); // ssi_ptr
    }
    b
}

impl FileOps for SignalfdCtx {
    /// signalfd_read: as many signals as whole structures fit in `buf`,
    /// waiting only for the first.
    fn read(&self, file: &File, buf: &mut [u8]) -> SysResult {
        let count = buf.len() / SIGINFO_SIZE;
        if count == 0 {
            return Err(Errno::EINVAL);
        }
        let mut nonblock = file.flags() & O_NONBLOCK != 0;
        let mut total = 0;
        for slot in buf.chunks_exact_mut(SIGINFO_SIZE).take(count) {
            match self.dequeue(nonblock) {
                Ok(info) => slot.copy_from_slice(&signalfd_copyinfo(&info)),
                Err(e) if total == 0 => return Err(e),
                Err(_) => break,
            }
            total += SIGINFO_SIZE;
            nonblock = true;
        }
        Ok(total)
    }

    /// A signalfd takes no writes (Linux has no write operation: EINVAL).
    fn write(&self, _: &File, _: &[u8]) -> SysResult {
        Err(Errno::EINVAL)
    }

    /// Readable while one of the mask's signals is pending for the
    /// polling thread.
    fn poll(&self, _: &File) -> u16 {
        if self.pending(current()) { POLLIN } else { 0 }
    }

    fn anon_name(&self) -> Option<&'static str> {
        Some("signalfd")
    }

    /// signalfd_show_fdinfo: the mask in hex.
    fn show_fdinfo(&self, _: &File) -> String {
        alloc::format!("sigmask:\t{:016x}\n", self.sigmask.load(Ordering::Relaxed))
    }

    fn as_any(&self) -> Option<&dyn core::any::Any> {
        Some(self)
    }
}

/// signalfd4 without a descriptor: a new signalfd watching `mask`, with
/// `flags` (already checked) SFD_NONBLOCK and SFD_CLOEXEC.
pub fn signalfd_file(mask: u64, flags: u32) -> Arc<File> {
    let ctx = SignalfdCtx {
        sigmask: AtomicU64::new(0),
    };
    ctx.set_mask(mask);
    anon_inode_getfile(Arc::new(ctx), flags)
}
