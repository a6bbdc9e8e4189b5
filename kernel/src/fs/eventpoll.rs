//! epoll (Linux's fs/eventpoll.c, in a simple shape): an epoll file keeps
//! an interest list of (file, fd) items, each with the events asked for
//! and a word of user data. Readiness is asked of each file's poll() when
//! someone waits; waiters sleep on POLL_WQ, which every readiness change
//! wakes, as poll and select do.
//!
//! Level-triggered items are reported while ready. Edge-triggered ones
//! (EPOLLET) are reported when they become ready: when the file's
//! event_seq moved since the last report (a wake-up, what Linux's
//! wait-queue callback sees), or for files without one when a ready bit
//! rose. EPOLLONESHOT items are disabled after one report until
//! EPOLL_CTL_MOD. Items are keyed by open file and descriptor number and
//! hold the file weakly: they go when its last reference closes.

use super::file::{
    File, FileOps, O_CLOEXEC, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, anon_inode_getfile,
};
use crate::errno::{Errno, SysResult};
use crate::sync::SpinLock;
use alloc::string::String;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

pub const EPOLLIN: u32 = 0x001;
pub const EPOLLOUT: u32 = 0x004;
pub const EPOLLERR: u32 = 0x008;
pub const EPOLLHUP: u32 = 0x010;
pub const EPOLLRDNORM: u32 = 0x040;
pub const EPOLLRDBAND: u32 = 0x080;
pub const EPOLLWRNORM: u32 = 0x100;
pub const EPOLLWRBAND: u32 = 0x200;
pub const EPOLLEXCLUSIVE: u32 = 1 << 28;
pub const EPOLLWAKEUP: u32 = 1 << 29;
pub const EPOLLONESHOT: u32 = 1 << 30;
pub const EPOLLET: u32 = 1 << 31;

pub const EPOLL_CTL_ADD: i32 = 1;
pub const EPOLL_CTL_DEL: i32 = 2;
pub const EPOLL_CTL_MOD: i32 = 3;
pub const EPOLL_CLOEXEC: u32 = O_CLOEXEC;

/// Flags that are not events: what a disabled EPOLLONESHOT item keeps.
const EP_PRIVATE_BITS: u32 = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
/// What may come with EPOLLEXCLUSIVE.
const EPOLLEXCLUSIVE_OK_BITS: u32 = EPOLLIN
    | EPOLLOUT
    | EPOLLRDNORM
    | EPOLLRDBAND
    | EPOLLWRNORM
    | EPOLLWRBAND
    | EPOLLERR
    | EPOLLHUP
    | EPOLLWAKEUP
    | EPOLLET
    | EPOLLEXCLUSIVE;
/// How deep epoll files may nest (Linux's EP_MAX_NESTS).
const EP_MAX_NESTS: usize = 4;

/// One watched (file, fd) (Linux's struct epitem).
struct Epitem {
    id: u64,
    file: Weak<File>,
    fd: i32,
    /// The events asked for, with EPOLLERR and EPOLLHUP always.
    events: u32,
    data: u64,
    /// Edge-triggered: just added or modified (reported if ready), and
    /// the file's event_seq and ready events at the last report.
    fresh: bool,
    seen_seq: u64,
    seen_mask: u32,
}

/// An epoll instance (Linux's struct eventpoll): the interest list, in
/// the order items are reported (a reported level-triggered item moves
/// to the back, as Linux puts it back at the tail of its ready list).
pub struct Eventpoll {
    items: SpinLock<Vec<Epitem>>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// What a file's poll() reports, as epoll events (Linux's f_op->poll
/// sets the *NORM bits beside IN and OUT).
fn ep_item_poll(file: &File) -> u32 {
    let m = file.poll();
    let mut ev = m as u32;
    if m & POLLIN != 0 {
        ev |= POLLRDNORM as u32;
    }
    if m & POLLOUT != 0 {
        ev |= POLLWRNORM as u32;
    }
    ev
}

/// One pass's view of an item, taken without the lock held.
struct Seen {
    id: u64,
    revents: u32,
    seq: u64,
    report: bool,
}

impl Eventpoll {
    // Ask every live item's file what is ready (outside our lock: files
    // may be epoll files themselves); dead items are dropped first.
    fn scan(&self) -> Vec<Seen> {
        let snapshot: Vec<_> = {
            let mut items = self.items.lock();
            items.retain(|i| i.file.strong_count() > 0);
            items
                .iter()
                .filter(|i| i.events & !EP_PRIVATE_BITS != 0)
                .filter_map(|i| Some((i.file.upgrade()?, i.id)))
                .collect()
        };
        let polled: Vec<_> = snapshot
            .iter()
            .map(|(f, id)| {
                let seq = f.ops.as_ref().map_or(0, |o| o.event_seq());
                (*id, ep_item_poll(f), seq)
            })
            .collect();
        drop(snapshot);
        let items = self.items.lock();
        polled
            .into_iter()
            .filter_map(|(id, mask, seq)| {
                let i = items.iter().find(|i| i.id == id)?;
                let revents = mask & i.events;
                let report = revents != 0
                    && (i.events & EPOLLET == 0
                        || i.fresh
                        || seq != i.seen_seq
                        || revents & !i.seen_mask != 0);
                Some(Seen {
                    id,
                    revents,
                    seq,
                    report,
                })
            })
            .collect()
    }

    /// Would a wait report something now? (Nothing is consumed.)
    pub fn ready(&self) -> bool {
        self.scan().iter().any(|s| s.report)
    }

    /// Take up to `max` events to report, as (events, data), updating
    /// edge-triggered and one-shot items (Linux's ep_send_events).
    pub fn send_events(&self, max: usize) -> Vec<(u32, u64)> {
        let seen = self.scan();
        let mut items = self.items.lock();
        let mut out = Vec::new();
        let mut reported = Vec::new();
        for s in &seen {
            let Some(i) = items.iter_mut().find(|i| i.id == s.id) else {
                continue;
            };
            if i.events & EPOLLET != 0 {
                // A bit that fell is a bit that can rise again.
                i.seen_mask &= s.revents;
            }
            if !s.report || out.len() >= max {
                continue;
            }
            out.push((s.revents, i.data));
            if i.events & EPOLLONESHOT != 0 {
                i.events &= EP_PRIVATE_BITS;
            }
            i.fresh = false;
            i.seen_seq = s.seq;
            i.seen_mask = s.revents;
            if i.events & EPOLLET == 0 {
                reported.push(s.id);
            }
        }
        // Reported level-triggered items go to the back, so that a small
        // maxevents still sees every ready item in turn.
        for id in reported {
            if let Some(pos) = items.iter().position(|i| i.id == id) {
                let item = items.remove(pos);
                items.push(item);
            }
        }
        out
    }

    /// Wait up to `deadline` (ktime ns; None: forever) for events and take
    /// up to `max` (Linux's ep_poll). A signal ends the wait with EINTR.
    pub fn ep_poll(&self, max: usize, deadline: Option<u64>) -> Result<Vec<(u32, u64)>, Errno> {
        loop {
            let events = self.send_events(max);
            if !events.is_empty() || deadline == Some(0) {
                return Ok(events);
            }
            let woke = super::POLL_WQ.wait_event_timeout(true, deadline, &mut || self.ready());
            match woke {
                Ok(true) => continue,
                Ok(false) => return Ok(self.send_events(max)),
                Err(_) => return Err(Errno::EINTR),
            }
        }
    }

    // The epoll files among our items (for the loop check).
    fn nested(&self) -> Vec<Arc<File>> {
        self.items
            .lock()
            .iter()
            .filter_map(|i| i.file.upgrade())
            .filter(|f| f.ops_as::<Eventpoll>().is_some())
            .collect()
    }

    // Does `ep`'s tree of nested epoll files reach `target` or nest deeper
    // than EP_MAX_NESTS below `depth`? (Linux's ep_loop_check.)
    fn loops_to(&self, target: *const Eventpoll, depth: usize) -> bool {
        if depth > EP_MAX_NESTS {
            return true;
        }
        self.nested().iter().any(|f| {
            let inner = f.ops_as::<Eventpoll>().unwrap();
            core::ptr::eq(inner, target) || inner.loops_to(target, depth + 1)
        })
    }

    /// epoll_ctl on this instance, for `target` open as `fd`; `event` is
    /// (events, data) for ADD and MOD. Checks as Linux's do_epoll_ctl after
    /// the descriptors were looked up.
    pub fn ctl(
        &self,
        op: i32,
        fd: i32,
        target: &Arc<File>,
        event: Option<(u32, u64)>,
    ) -> Result<(), Errno> {
        let (mut events, data) = event.unwrap_or((0, 0));
        if event.is_some() && events & EPOLLEXCLUSIVE != 0 {
            let target_is_epoll = target.ops_as::<Eventpoll>().is_some();
            if op == EPOLL_CTL_MOD
                || (op == EPOLL_CTL_ADD
                    && (target_is_epoll || events & !EPOLLEXCLUSIVE_OK_BITS != 0))
            {
                return Err(Errno::EINVAL);
            }
        }
        if op == EPOLL_CTL_ADD {
            if let Some(inner) = target.ops_as::<Eventpoll>() {
                if core::ptr::eq(inner, self) || inner.loops_to(self, 1) {
                    return Err(Errno::ELOOP);
                }
            }
        }
        let mut items = self.items.lock();
        items.retain(|i| i.file.strong_count() > 0);
        let found = items
            .iter()
            .position(|i| i.fd == fd && core::ptr::eq(i.file.as_ptr(), Arc::as_ptr(target)));
        match (op, found) {
            (EPOLL_CTL_ADD, None) => {
                events |= EPOLLERR | EPOLLHUP;
                items.push(Epitem {
                    id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                    file: Arc::downgrade(target),
                    fd,
                    events,
                    data,
                    fresh: true,
                    seen_seq: 0,
                    seen_mask: 0,
                });
            }
            (EPOLL_CTL_ADD, Some(_)) => return Err(Errno::EEXIST),
            (EPOLL_CTL_DEL, Some(pos)) => {
                items.remove(pos);
            }
            (EPOLL_CTL_MOD, Some(pos)) => {
                let i = &mut items[pos];
                if i.events & EPOLLEXCLUSIVE != 0 {
                    return Err(Errno::EINVAL);
                }
                i.events = events | EPOLLERR | EPOLLHUP;
                i.data = data;
                i.fresh = true;
            }
            (EPOLL_CTL_DEL | EPOLL_CTL_MOD, None) => return Err(Errno::ENOENT),
            _ => return Err(Errno::EINVAL),
        }
        drop(items);
        // A waiter may have something to report now.
        super::poll_wake();
        Ok(())
    }
}

impl FileOps for Eventpoll {
    /// An epoll file is not read (Linux has no read operation: EINVAL).
    fn read(&self, _: &File, _: &mut [u8]) -> SysResult {
        Err(Errno::EINVAL)
    }

    fn write(&self, _: &File, _: &[u8]) -> SysResult {
        Err(Errno::EINVAL)
    }

    /// Readable while a wait would report something (nested epoll).
    fn poll(&self, _: &File) -> u16 {
        if self.ready() { POLLIN } else { 0 }
    }

    fn anon_name(&self) -> Option<&'static str> {
        Some("eventpoll")
    }

    /// ep_show_fdinfo: one line per item.
    fn show_fdinfo(&self, _: &File) -> String {
        let mut s = String::new();
        for i in self.items.lock().iter() {
            let Some(f) = i.file.upgrade() else { continue };
            s += &alloc::format!(
                "tfd: {:8} events: {:8x} data: {:16x}  pos:{} ino:{:x} sdev:0\n",
                i.fd,
                i.events,
                i.data,
                *f.pos.lock(),
                f.inode.ino
            );
        }
        s
    }

    fn as_any(&self) -> Option<&dyn core::any::Any> {
        Some(self)
    }
}

/// epoll_create1: a new epoll file with an empty interest list; EINVAL
/// for flags other than EPOLL_CLOEXEC.
pub fn epoll_file(flags: u32) -> Result<Arc<File>, Errno> {
    if flags & !EPOLL_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    let ep = Eventpoll {
        items: SpinLock::new(Vec::new()),
    };
    Ok(anon_inode_getfile(Arc::new(ep), 0))
}

/// The epoll instance behind `file`, or EINVAL (Linux's is_file_epoll).
pub fn eventpoll_of(file: &File) -> Result<&Eventpoll, Errno> {
    file.ops_as::<Eventpoll>().ok_or(Errno::EINVAL)
}
