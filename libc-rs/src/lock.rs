//! Locks on futexes, usable before and after threads exist.
//!
//! [`Lock`] is the classic three-state futex mutex (0 free, 1 held, 2 held
//! with waiters). [`RecLock`] adds an owner tid and a depth, for `FILE`s
//! (`flockfile` nests). Both can be reset in a forked child, where the lock
//! holder (the parent thread that forked) no longer exists.

use crate::futex;
use core::sync::atomic::{AtomicI32, AtomicU32, Ordering::*};

/// A non-recursive mutex.
pub struct Lock(AtomicU32);

impl Lock {
    pub const fn new() -> Lock {
        Lock(AtomicU32::new(0))
    }

    /// Take the lock, sleeping on the futex while another thread holds it.
    pub fn lock(&self) {
        if self.0.compare_exchange(0, 1, Acquire, Relaxed).is_ok() {
            return;
        }
        while self.0.swap(2, Acquire) != 0 {
            futex::wait(&self.0, 2, false);
        }
    }

    /// Release the lock, waking one waiter if there were any.
    pub fn unlock(&self) {
        if self.0.swap(0, Release) == 2 {
            futex::wake(&self.0, 1, false);
        }
    }

    /// In a forked child: the lock is free again (only our thread exists).
    pub fn reset(&self) {
        self.0.store(0, Relaxed);
    }

    /// Run `f` with the lock held.
    pub fn with<R>(&self, f: impl FnOnce() -> R) -> R {
        self.lock();
        let r = f();
        self.unlock();
        r
    }
}

impl Default for Lock {
    fn default() -> Self {
        Lock::new()
    }
}

/// A recursive mutex owned by a thread id.
pub struct RecLock {
    lock: Lock,
    owner: AtomicI32,
    depth: AtomicI32,
}

impl RecLock {
    pub const fn new() -> RecLock {
        RecLock {
            lock: Lock::new(),
            owner: AtomicI32::new(0),
            depth: AtomicI32::new(0),
        }
    }

    /// Take the lock (again, if this thread holds it).
    pub fn lock(&self) {
        let me = crate::thread::gettid();
        if self.owner.load(Relaxed) == me {
            self.depth.fetch_add(1, Relaxed);
            return;
        }
        self.lock.lock();
        self.owner.store(me, Relaxed);
        self.depth.store(1, Relaxed);
    }

    /// Try to take the lock without sleeping; true on success.
    pub fn try_lock(&self) -> bool {
        let me = crate::thread::gettid();
        if self.owner.load(Relaxed) == me {
            self.depth.fetch_add(1, Relaxed);
            return true;
        }
        if self.lock.0.compare_exchange(0, 1, Acquire, Relaxed).is_ok() {
            self.owner.store(me, Relaxed);
            self.depth.store(1, Relaxed);
            return true;
        }
        false
    }

    /// Drop one level; the last one releases the lock.
    pub fn unlock(&self) {
        if self.depth.fetch_sub(1, Relaxed) == 1 {
            self.owner.store(0, Relaxed);
            self.lock.unlock();
        }
    }

    /// In a forked child: free again.
    pub fn reset(&self) {
        self.owner.store(0, Relaxed);
        self.depth.store(0, Relaxed);
        self.lock.reset();
    }
}

impl Default for RecLock {
    fn default() -> Self {
        RecLock::new()
    }
}
