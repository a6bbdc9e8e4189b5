//! Fast user-space mutexes (Linux's kernel/futex): tasks sleep on a user
//! address until a FUTEX_WAKE on the same address. Waiters are keyed by
//! (address space, address) for private futexes and by the physical
//! frame for shared ones, so threads and processes both work.

use crate::errno::Errno;
use crate::sched::current;
use crate::sched::wait::WaitQueue;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};

pub const FUTEX_WAIT: u32 = 0;
pub const FUTEX_WAKE: u32 = 1;
pub const FUTEX_REQUEUE: u32 = 3;
pub const FUTEX_CMP_REQUEUE: u32 = 4;
pub const FUTEX_WAKE_OP: u32 = 5;
pub const FUTEX_WAIT_BITSET: u32 = 9;
pub const FUTEX_WAKE_BITSET: u32 = 10;
pub const FUTEX_PRIVATE_FLAG: u32 = 128;
pub const FUTEX_CLOCK_REALTIME: u32 = 256;
pub const FUTEX_BITSET_MATCH_ANY: u32 = u32::MAX;

/// (mm identity, address): the futex's key.
type Key = (usize, usize);

struct Waiter {
    bitset: u32,
    /// Set by a wake, read by the sleeper (which may have been requeued).
    woken: Arc<AtomicBool>,
}

static FUTEXES: SpinLock<BTreeMap<Key, Vec<Waiter>>> = SpinLock::new(BTreeMap::new());
static WQ: WaitQueue = WaitQueue::new();

/// The key of `uaddr` in the current address space.
fn key(uaddr: usize, private: bool) -> Key {
    let mm = current().mm();
    let id = mm.as_ref().map_or(0, |m| Arc::as_ptr(m) as usize);
    if private {
        return (id, uaddr);
    }
    // Shared futexes follow the physical page so other processes match.
    match mm.and_then(|m| {
        let mut b = [0u8; 4];
        m.read_remote(uaddr as u64, &mut b).ok()?;
        crate::arch::x86_64::mm::pgtable::PageTable { pml4: m.pgd() }.translate(uaddr as u64)
    }) {
        Some((pa, _)) => (usize::MAX, pa as usize),
        None => (id, uaddr),
    }
}

/// FUTEX_WAIT: sleep if *uaddr still equals `val`, until woken, the
/// deadline (ktime ns) passes (ETIMEDOUT) or a signal comes (ERESTARTSYS).
pub fn futex_wait(
    uaddr: usize,
    val: u32,
    deadline: Option<u64>,
    bitset: u32,
    private: bool,
) -> Result<usize, Errno> {
    if uaddr % 4 != 0 {
        return Err(Errno::EINVAL);
    }
    if bitset == 0 {
        return Err(Errno::EINVAL);
    }
    let k = key(uaddr, private);
    let flag = Arc::new(AtomicBool::new(false));
    {
        let mut f = FUTEXES.lock();
        let cur: u32 = crate::uaccess::get_user(uaddr)?;
        if cur != val {
            return Err(Errno::EAGAIN);
        }
        f.entry(k).or_default().push(Waiter {
            bitset,
            woken: flag.clone(),
        });
    }
    let r = WQ.wait_event_timeout(true, deadline, &mut || flag.load(Ordering::Acquire));
    // Remove ourselves from whichever futex we ended up queued on.
    {
        let mut f = FUTEXES.lock();
        let mut empty = None;
        for (key, ws) in f.iter_mut() {
            if let Some(p) = ws.iter().position(|w| Arc::ptr_eq(&w.woken, &flag)) {
                ws.remove(p);
                if ws.is_empty() {
                    empty = Some(*key);
                }
                break;
            }
        }
        if let Some(key) = empty {
            f.remove(&key);
        }
    }
    if flag.load(Ordering::Acquire) {
        return Ok(0);
    }
    match r {
        Ok(false) => Err(Errno::ETIMEDOUT),
        Err(e) => Err(e),
        Ok(true) => Ok(0),
    }
}

/// FUTEX_WAKE: wake up to `n` waiters on `uaddr` whose bitset matches.
pub fn futex_wake_bitset(uaddr: usize, n: usize, bitset: u32, private: bool) -> usize {
    let k = key(uaddr, private);
    let mut woke = 0;
    {
        let mut f = FUTEXES.lock();
        if let Some(ws) = f.get_mut(&k) {
            ws.retain(|w| {
                if woke < n && w.bitset & bitset != 0 {
                    w.woken.store(true, Ordering::Release);
                    woke += 1;
                    false
                } else {
                    true
                }
            });
        }
    }
    if woke > 0 {
        WQ.wake_up_all();
    }
    woke
}

pub fn futex_wake(uaddr: usize, n: usize, private: bool) -> usize {
    futex_wake_bitset(uaddr, n, FUTEX_BITSET_MATCH_ANY, private)
}

/// FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wake `n`, move up to `n2` others to
/// `uaddr2`.
pub fn futex_requeue(
    uaddr: usize,
    uaddr2: usize,
    n: usize,
    n2: usize,
    cmp: Option<u32>,
    private: bool,
) -> Result<usize, Errno> {
    let (k1, k2) = (key(uaddr, private), key(uaddr2, private));
    let mut f = FUTEXES.lock();
    if let Some(v) = cmp {
        let cur: u32 = crate::uaccess::get_user(uaddr)?;
        if cur != v {
            return Err(Errno::EAGAIN);
        }
    }
    let ws = f.remove(&k1).unwrap_or_default();
    let (mut woke, mut moved) = (0, 0);
    let mut stay = Vec::new();
    for w in ws {
        if woke < n {
            w.woken.store(true, Ordering::Release);
            woke += 1;
        } else if moved < n2 {
            f.entry(k2).or_default().push(w);
            moved += 1;
        } else {
            stay.push(w);
        }
    }
    if !stay.is_empty() {
        f.insert(k1, stay);
    }
    drop(f);
    WQ.wake_up_all();
    Ok(woke + moved)
}

/// FUTEX_WAKE_OP: atomically apply an operation to *uaddr2, wake `n` on
/// uaddr, and `n2` on uaddr2 if the old value passes the comparison.
/// (Atomic here because the kernel is not preempted between the read and
/// the write.)
pub fn futex_wake_op(
    uaddr: usize,
    uaddr2: usize,
    n: usize,
    n2: usize,
    val3: u32,
    private: bool,
) -> Result<usize, Errno> {
    let op = (val3 >> 28) & 7;
    let cmp = (val3 >> 24) & 15;
    let sext12 = |v: u32| ((v << 20) as i32) >> 20;
    let mut oparg = sext12((val3 >> 12) & 0xfff);
    let cmparg = sext12(val3 & 0xfff);
    if val3 & (8 << 28) != 0 {
        if !(0..32).contains(&oparg) {
            return Err(Errno::EINVAL);
        }
        oparg = 1 << oparg;
    }
    let old: i32 = crate::uaccess::get_user(uaddr2)?;
    let new = match op {
        0 => oparg,
        1 => old.wrapping_add(oparg),
        2 => old | oparg,
        3 => old & !oparg,
        4 => old ^ oparg,
        _ => return Err(Errno::ENOSYS),
    };
    crate::uaccess::put_user(uaddr2, &new)?;
    let mut woke = futex_wake(uaddr, n, private);
    let pass = match cmp {
        0 => old == cmparg,
        1 => old != cmparg,
        2 => old < cmparg,
        3 => old <= cmparg,
        4 => old > cmparg,
        5 => old >= cmparg,
        _ => return Err(Errno::ENOSYS),
    };
    if pass {
        woke += futex_wake(uaddr2, n2, private);
    }
    Ok(woke)
}
