//! Locks. `SpinLock` is Linux's `spin_lock_irqsave`: it disables interrupts
//! while held, so data shared with interrupt handlers cannot deadlock on
//! this CPU. Everything else is `spin`'s plain primitives.

use crate::arch::x86_64::irq;
use core::ops::{Deref, DerefMut};

pub use spin::Once;

pub struct SpinLock<T> {
    inner: spin::Mutex<T>,
}

pub struct SpinLockGuard<'a, T> {
    guard: core::mem::ManuallyDrop<spin::MutexGuard<'a, T>>,
    irqs_were_on: bool,
}

impl<T> SpinLock<T> {
    pub const fn new(v: T) -> SpinLock<T> {
        SpinLock {
            inner: spin::Mutex::new(v),
        }
    }

    /// Lock with interrupts off; they are restored when the guard drops.
    /// Inlined always: it is a few instructions on every syscall's path,
    /// and LLVM stops inlining it once it has enough callers.
    #[inline(always)]
    pub fn lock(&self) -> SpinLockGuard<'_, T> {
        let irqs_were_on = irq::save_and_disable();
        SpinLockGuard {
            guard: core::mem::ManuallyDrop::new(self.inner.lock()),
            irqs_were_on,
        }
    }

    /// Exclusive access without locking (the caller owns the lock).
    pub fn get_mut(&mut self) -> &mut T {
        self.inner.get_mut()
    }

    /// Take the lock even if held: only for the panic path, where the
    /// holder will never run again.
    ///
    /// # Safety
    /// The caller must guarantee that no other context uses the data.
    pub unsafe fn force_unlock(&self) {
        // SAFETY: the caller promises the holder is gone.
        unsafe { self.inner.force_unlock() }
    }
}

impl<T> Deref for SpinLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for SpinLockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T> Drop for SpinLockGuard<'_, T> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: dropped exactly once, here, before interrupts come back.
        unsafe { core::mem::ManuallyDrop::drop(&mut self.guard) };
        irq::restore(self.irqs_were_on);
    }
}
