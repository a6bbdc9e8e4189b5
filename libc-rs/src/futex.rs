//! futex(2), as the C library's locks and the pthread objects use it: wait
//! (optionally until an absolute time on CLOCK_REALTIME or CLOCK_MONOTONIC,
//! as glibc does with FUTEX_WAIT_BITSET), wake, and requeue.
//!
//! Operations are private (FUTEX_PRIVATE_FLAG) unless `shared` is asked
//! for: process-shared objects, and `pthread_join`, whose wake-up comes from
//! the kernel's CLONE_CHILD_CLEARTID handling, which wakes a shared futex.
//!
//! On i386 a timed wait uses `futex_time64` (our `timespec` has a 64-bit
//! `time_t`) and falls back to the old `futex` on kernels without it.

use crate::arch;
use crate::errno::{EINVAL, ENOSYS, EOVERFLOW, ETIMEDOUT};
use crate::time::{CLOCK_MONOTONIC, CLOCK_REALTIME};
use crate::{clockid_t, timespec};
use core::sync::atomic::AtomicU32;

const FUTEX_WAIT: usize = 0;
const FUTEX_WAKE: usize = 1;
const FUTEX_CMP_REQUEUE: usize = 4;
const FUTEX_WAIT_BITSET: usize = 9;
const FUTEX_PRIVATE_FLAG: usize = 128;
const FUTEX_CLOCK_REALTIME: usize = 256;
const FUTEX_BITSET_MATCH_ANY: usize = 0xffff_ffff;

/// The operation word: `op`, private unless `shared`.
fn op(op: usize, shared: bool) -> usize {
    if shared { op } else { op | FUTEX_PRIVATE_FLAG }
}

/// Wake up to `n` threads waiting on `word`; returns how many woke.
pub fn wake(word: &AtomicU32, n: i32, shared: bool) -> isize {
    syscall!(arch::nr::FUTEX, word.as_ptr(), op(FUTEX_WAKE, shared), n)
}

/// Sleep while `*word == val`, without a time limit. Returns 0 when woken,
/// or the kernel's error number: EAGAIN (the value differed), EINTR.
pub fn wait(word: &AtomicU32, val: u32, shared: bool) -> i32 {
    let r = syscall!(
        arch::nr::FUTEX,
        word.as_ptr(),
        op(FUTEX_WAIT, shared),
        val,
        0
    );
    -r as i32
}

/// Sleep while `*word == val`, until woken or until the absolute time `at`
/// on `clock` passes. Returns 0, EAGAIN, EINTR, ETIMEDOUT, or EINVAL for a
/// bad `at` (tv_nsec outside [0, 1e9)) or clock. A negative `tv_sec` has
/// passed already: ETIMEDOUT, as glibc.
pub fn wait_until(
    word: &AtomicU32,
    val: u32,
    at: Option<&timespec>,
    clock: clockid_t,
    shared: bool,
) -> i32 {
    let Some(at) = at else {
        return wait(word, val, shared);
    };
    if !valid_timespec(at) || !(clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC) {
        return EINVAL;
    }
    if at.tv_sec < 0 {
        return ETIMEDOUT;
    }
    let mut o = op(FUTEX_WAIT_BITSET, shared);
    if clock == CLOCK_REALTIME {
        o |= FUTEX_CLOCK_REALTIME;
    }
    // Our own copy, so the i386 padding word is zero whatever the caller left.
    let t = timespec {
        tv_sec: at.tv_sec,
        tv_nsec: at.tv_nsec,
        ..Default::default()
    };
    let p = word.as_ptr();
    let r = syscall!(
        arch::FUTEX_TIME64_NR,
        p,
        o,
        val,
        &raw const t,
        0,
        FUTEX_BITSET_MATCH_ANY
    );
    match (r == -(ENOSYS as isize), arch::OLD_FUTEX_NR) {
        (true, Some(old)) => {
            if t.tv_sec > i32::MAX as i64 {
                return EOVERFLOW;
            }
            let t32 = [t.tv_sec as i32, t.tv_nsec as i32];
            -syscall!(old, p, o, val, t32.as_ptr(), 0, FUTEX_BITSET_MATCH_ANY) as i32
        }
        _ => -r as i32,
    }
}

/// Wake one waiter on `word` and move up to `n` others to wait on `to`,
/// if `*word` still equals `val` (FUTEX_CMP_REQUEUE). Returns the raw
/// result: the number woken or moved, or -EAGAIN.
pub fn cmp_requeue(word: &AtomicU32, val: u32, n: i32, to: &AtomicU32, shared: bool) -> isize {
    syscall!(
        arch::nr::FUTEX,
        word.as_ptr(),
        op(FUTEX_CMP_REQUEUE, shared),
        1,
        n,
        to.as_ptr(),
        val
    )
}

/// An absolute time whose nanoseconds are in range.
pub fn valid_timespec(t: &timespec) -> bool {
    (0..1_000_000_000).contains(&t.tv_nsec)
}
