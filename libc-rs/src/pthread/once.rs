//! `pthread_once`: the init routine runs exactly once; callers that come
//! while it runs sleep on the control word (a futex) until it is done.
//!
//! `pthread_once_t` is an `int` and PTHREAD_ONCE_INIT is 0, as in glibc.

use crate::{c_int, futex};
use core::sync::atomic::{AtomicU32, Ordering::*};

pub type pthread_once_t = c_int;

const INIT: u32 = 0;
const RUNNING: u32 = 1;
/// Running, and someone sleeps waiting for it.
const WAITED: u32 = 2;
const DONE: u32 = 3;

/// `pthread_once(&once, init)`: 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_once(once: *mut pthread_once_t, init: extern "C" fn()) -> c_int {
    // SAFETY: the caller's control word, only ever used atomically.
    let w = unsafe { AtomicU32::from_ptr(once as *mut u32) };
    loop {
        match w.compare_exchange(INIT, RUNNING, Acquire, Acquire) {
            Ok(_) => {
                init();
                if w.swap(DONE, Release) == WAITED {
                    futex::wake(w, i32::MAX, false);
                }
                return 0;
            }
            Err(DONE) => return 0,
            Err(s) => {
                if s == WAITED
                    || w.compare_exchange(RUNNING, WAITED, Relaxed, Relaxed)
                        .is_ok()
                {
                    futex::wait(w, WAITED, false);
                }
            }
        }
    }
}
