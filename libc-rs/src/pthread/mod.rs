//! POSIX threads, built on clone and futex as glibc's NPTL is (issue 5).
//!
//! * [`create`]: pthread_create/exit/join/detach/self/equal. A thread is a
//!   `clone` with glibc's flags; its stack, guard page, static TLS block
//!   and descriptor live in one mapping; the kernel clears its tid and wakes
//!   the futex on it at exit (CLONE_CHILD_CLEARTID), which join waits for.
//! * [`attr`]: thread attributes (stack size and address, guard size,
//!   detach state, scope).
//! * [`mutex`], [`cond`], [`rwlock`]: the synchronisation objects, with
//!   glibc's sizes and static initialisers, private futexes unless
//!   process-shared.
//! * [`once`], [`key`]: pthread_once and thread-specific data.
//! * [`misc`]: cleanup handlers, pthread_sigmask/kill, spin locks, barriers.
//! * [`sched`]: sched.h (sched_yield, affinity, getcpu).
//! * [`semaphore`]: unnamed POSIX semaphores (these set errno).
//!
//! Functions return an error number rather than setting errno, as POSIX
//! says; errno is left as it was.

pub mod attr;
pub mod cond;
pub mod create;
pub mod key;
pub mod misc;
pub mod mutex;
pub mod once;
pub mod rwlock;
pub mod sched;
pub mod semaphore;

/// The process's page size (AT_PAGESZ).
pub fn page_size() -> usize {
    crate::auxv::get(crate::auxv::AT_PAGESZ).unwrap_or(4096)
}

/// `n` rounded up to a whole number of pages; None on overflow.
pub fn round_page(n: usize) -> Option<usize> {
    let p = page_size();
    Some(n.checked_add(p - 1)? & !(p - 1))
}

/// The bit that marks an object process-shared for `pshared`
/// (PTHREAD_PROCESS_SHARED: `bit`, PRIVATE: 0), or EINVAL: what every
/// `*attr_setpshared` checks.
pub fn pshared_bit(pshared: crate::c_int, bit: u32) -> Result<u32, crate::c_int> {
    match pshared {
        mutex::PTHREAD_PROCESS_PRIVATE => Ok(0),
        mutex::PTHREAD_PROCESS_SHARED => Ok(bit),
        _ => Err(crate::errno::EINVAL),
    }
}
