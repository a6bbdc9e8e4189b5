//! `pthread_atfork` and what fork does around the syscall, in glibc's order:
//! prepare handlers (last registered first), then the C library's own locks
//! (stdio, malloc); after the syscall the locks are released (parent) or
//! reset (child, whose only thread is the one that forked and now counts as
//! the process's only thread), then the parent or child handlers run in
//! registration order.

use crate::lock::Lock;
use crate::stdlib::malloc::{HEAP_LOCK, realloc};
use crate::{c_int, stdio};
use core::ptr::null_mut;

type Handler = Option<unsafe extern "C" fn()>;

#[derive(Clone, Copy)]
struct Entry {
    prepare: Handler,
    parent: Handler,
    child: Handler,
}

static LOCK: Lock = Lock::new();
static mut LIST: *mut Entry = null_mut();
static mut LEN: usize = 0;
static mut CAP: usize = 0;

/// `pthread_atfork(prepare, parent, child)`: ENOMEM if it cannot grow.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_atfork(
    prepare: Handler,
    parent: Handler,
    child: Handler,
) -> c_int {
    LOCK.with(|| {
        // SAFETY: the lock serialises the list.
        unsafe {
            if LEN == CAP {
                let cap = if CAP == 0 { 8 } else { CAP * 2 };
                let p = realloc(LIST as _, cap * size_of::<Entry>()) as *mut Entry;
                if p.is_null() {
                    return crate::errno::ENOMEM;
                }
                LIST = p;
                CAP = cap;
            }
            *LIST.add(LEN) = Entry {
                prepare,
                parent,
                child,
            };
            LEN += 1;
        }
        0
    })
}

/// Before the fork syscall: handlers, then our locks. Returns with the
/// atfork lock held (released by [`after`]).
pub fn before() {
    LOCK.lock();
    // SAFETY: the list is stable while the lock is held.
    unsafe {
        for i in (0..LEN).rev() {
            if let Some(f) = (*LIST.add(i)).prepare {
                f();
            }
        }
    }
    stdio::lock_all();
    HEAP_LOCK.lock();
}

/// After the fork syscall, in parent (`child == false`) or child.
pub fn after(child: bool) {
    if child {
        crate::pthread::create::after_fork_child();
        HEAP_LOCK.reset();
        stdio::reset_locks_in_child();
        LOCK.reset();
        LOCK.lock();
    } else {
        HEAP_LOCK.unlock();
        stdio::unlock_all();
    }
    // SAFETY: as in before.
    unsafe {
        for i in 0..LEN {
            let e = *LIST.add(i);
            if let Some(f) = if child { e.child } else { e.parent } {
                f();
            }
        }
    }
    LOCK.unlock();
}
