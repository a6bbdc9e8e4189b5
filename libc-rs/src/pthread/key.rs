//! Thread-specific data: pthread_key_create/delete, pthread_getspecific/
//! setspecific, and the destructors run when a thread exits, as glibc
//! does it.
//!
//! 1024 keys (PTHREAD_KEYS_MAX). Each key slot has a sequence number, odd
//! while the key is in use; a thread's value remembers the sequence it was
//! stored under, so after pthread_key_delete and a new pthread_key_create
//! on the same slot every thread reads NULL again. A thread's values live
//! in its descriptor: the first 32 keys inline, the others in blocks of 32
//! allocated on first use. At pthread_exit, destructors run for non-NULL
//! values (the value is set to NULL first), in up to
//! PTHREAD_DESTRUCTOR_ITERATIONS rounds while destructors set new values.

use crate::errno::{EAGAIN, EINVAL, ENOMEM};
use crate::stdlib::malloc::{calloc, free};
use crate::thread::{Pthread, current};
use crate::{c_int, c_uint, c_void};
use core::ptr::null_mut;
use core::sync::atomic::{AtomicUsize, Ordering::*};

pub type pthread_key_t = c_uint;
pub const PTHREAD_KEYS_MAX: usize = 1024;
pub const PTHREAD_DESTRUCTOR_ITERATIONS: usize = 4;
const BLOCK: usize = 32;

/// A key slot: its sequence number (odd while in use) and destructor.
struct KeySlot {
    seq: AtomicUsize,
    destructor: AtomicUsize,
}

static KEYS: [KeySlot; PTHREAD_KEYS_MAX] = [const {
    KeySlot {
        seq: AtomicUsize::new(0),
        destructor: AtomicUsize::new(0),
    }
}; PTHREAD_KEYS_MAX];

/// One thread's value for one key.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Entry {
    seq: usize,
    data: *mut c_void,
}

/// A thread's values (inside its descriptor; zeroed is empty).
#[repr(C)]
pub struct Tsd {
    first: [Entry; BLOCK],
    /// Blocks for keys 32 and up (index 0 unused: that is `first`).
    blocks: [*mut [Entry; BLOCK]; PTHREAD_KEYS_MAX / BLOCK],
    /// Set by setspecific: destructors have something to look at.
    used: bool,
}

/// `pthread_key_create(&key, destructor)`: EAGAIN when all keys are used.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_key_create(
    key: *mut pthread_key_t,
    destructor: Option<unsafe extern "C" fn(*mut c_void)>,
) -> c_int {
    for (i, slot) in KEYS.iter().enumerate() {
        let seq = slot.seq.load(Relaxed);
        // An even, non-wrapping sequence is a free slot.
        if seq % 2 == 0
            && seq.checked_add(1).is_some()
            && slot
                .seq
                .compare_exchange(seq, seq + 1, AcqRel, Relaxed)
                .is_ok()
        {
            slot.destructor
                .store(destructor.map_or(0, |f| f as usize), Release);
            // SAFETY: the caller's output.
            unsafe { *key = i as pthread_key_t };
            return 0;
        }
    }
    EAGAIN
}

/// `pthread_key_delete(key)`: no destructor runs; EINVAL for a key not in use.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_key_delete(key: pthread_key_t) -> c_int {
    let Some(slot) = KEYS.get(key as usize) else {
        return EINVAL;
    };
    let seq = slot.seq.load(Relaxed);
    if seq % 2 == 1
        && slot
            .seq
            .compare_exchange(seq, seq + 1, AcqRel, Relaxed)
            .is_ok()
    {
        0
    } else {
        EINVAL
    }
}

/// The calling thread's entry for `key`, allocating its block if `create`.
/// None for an unallocated block (or failed allocation).
fn entry(me: *mut Pthread, key: usize, create: bool) -> Option<*mut Entry> {
    let (b, i) = (key / BLOCK, key % BLOCK);
    // SAFETY: our own descriptor; blocks are ours alone.
    unsafe {
        let tsd = &raw mut (*me).tsd;
        if b == 0 {
            return Some(&raw mut (*tsd).first[i]);
        }
        if (*tsd).blocks[b].is_null() {
            if !create {
                return None;
            }
            let p = calloc(1, size_of::<[Entry; BLOCK]>()) as *mut [Entry; BLOCK];
            if p.is_null() {
                return None;
            }
            (*tsd).blocks[b] = p;
        }
        Some(&raw mut (*(*tsd).blocks[b])[i])
    }
}

/// `pthread_getspecific(key)`: this thread's value, NULL if none (or the
/// key is not in use).
#[unsafe(no_mangle)]
pub extern "C" fn pthread_getspecific(key: pthread_key_t) -> *mut c_void {
    let Some(slot) = KEYS.get(key as usize) else {
        return null_mut();
    };
    let Some(e) = entry(current(), key as usize, false) else {
        return null_mut();
    };
    // SAFETY: our own entry.
    unsafe {
        if (*e).seq != slot.seq.load(Acquire) {
            (*e).data = null_mut();
        }
        (*e).data
    }
}

/// `pthread_setspecific(key, value)`: EINVAL for a key not in use, ENOMEM
/// when its block cannot be allocated.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_setspecific(key: pthread_key_t, value: *const c_void) -> c_int {
    let Some(slot) = KEYS.get(key as usize) else {
        return EINVAL;
    };
    let seq = slot.seq.load(Acquire);
    if seq % 2 == 0 {
        return EINVAL;
    }
    let me = current();
    let Some(e) = entry(me, key as usize, true) else {
        return ENOMEM;
    };
    // SAFETY: our own entry and descriptor.
    unsafe {
        *e = Entry {
            seq,
            data: value as *mut c_void,
        };
        (*me).tsd.used = true;
    }
    0
}

/// At thread exit: the calling thread's destructors, in rounds, then free
/// its blocks.
pub fn run_destructors() {
    let me = current();
    for _ in 0..PTHREAD_DESTRUCTOR_ITERATIONS {
        // SAFETY: our own descriptor.
        if !unsafe { core::mem::replace(&mut (*me).tsd.used, false) } {
            break;
        }
        for (k, slot) in KEYS.iter().enumerate() {
            let Some(e) = entry(me, k, false) else {
                continue;
            };
            // SAFETY: our own entry; the destructor is the key's.
            unsafe {
                let data = core::mem::replace(&mut (*e).data, null_mut());
                let f = slot.destructor.load(Acquire);
                if !data.is_null() && (*e).seq == slot.seq.load(Acquire) && f != 0 {
                    core::mem::transmute::<usize, unsafe extern "C" fn(*mut c_void)>(f)(data);
                }
            }
        }
    }
    // SAFETY: our own descriptor; nothing refers to the blocks any more.
    unsafe {
        for b in (*me).tsd.blocks.iter_mut() {
            free(core::mem::replace(b, null_mut()) as *mut c_void);
        }
    }
}
