//! exit, atexit, __cxa_atexit, _Exit: handlers run last-registered first
//! (the program's destructors were registered first at startup, so they run
//! last), then stdio is flushed, then the process ends with exit_group.

use crate::lock::Lock;
use crate::stdlib::malloc::realloc;
use crate::{c_int, c_void};
use core::ptr::null_mut;

#[derive(Clone, Copy)]
enum Handler {
    Plain(extern "C" fn()),
    WithArg(unsafe extern "C" fn(*mut c_void), *mut c_void),
}

/// The first 32 handlers need no memory (C requires that many to succeed);
/// more go to a malloc'd array.
static mut FIXED: [Option<Handler>; 32] = [None; 32];
static mut MORE: *mut Option<Handler> = null_mut();
static mut COUNT: usize = 0;
static mut CAP: usize = 32;
static LOCK: Lock = Lock::new();

/// Add a handler; false when out of memory.
fn push(h: Handler) -> bool {
    LOCK.with(|| {
        // SAFETY: the lock serialises the list.
        unsafe {
            if COUNT < 32 {
                FIXED[COUNT] = Some(h);
            } else {
                if COUNT - 32 >= CAP - 32 {
                    let cap = CAP * 2;
                    let p = realloc(MORE as _, (cap - 32) * size_of::<Option<Handler>>())
                        as *mut Option<Handler>;
                    if p.is_null() {
                        return false;
                    }
                    MORE = p;
                    CAP = cap;
                }
                *MORE.add(COUNT - 32) = Some(h);
            }
            COUNT += 1;
        }
        true
    })
}

/// Take the most recently registered handler off the list.
fn pop() -> Option<Handler> {
    LOCK.with(|| {
        // SAFETY: the lock serialises the list.
        unsafe {
            if COUNT == 0 {
                return None;
            }
            COUNT -= 1;
            if COUNT < 32 {
                FIXED[COUNT].take()
            } else {
                (*MORE.add(COUNT - 32)).take()
            }
        }
    })
}

/// Startup: the program's destructors run after every atexit handler.
pub fn register_internal_fini(f: extern "C" fn()) {
    push(Handler::Plain(f));
}

/// `atexit(f)`: 0, or -1 when out of memory.
#[unsafe(no_mangle)]
pub extern "C" fn atexit(f: extern "C" fn()) -> c_int {
    if push(Handler::Plain(f)) { 0 } else { -1 }
}

/// `__cxa_atexit(f, arg, dso)`: C++ destructors.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __cxa_atexit(
    f: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
    _dso: *mut c_void,
) -> c_int {
    if push(Handler::WithArg(f, arg)) {
        0
    } else {
        -1
    }
}

/// `exit(status)`: handlers, stdio flush, exit_group.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exit(status: c_int) -> ! {
    while let Some(h) = pop() {
        match h {
            Handler::Plain(f) => f(),
            // SAFETY: the registered function with its own argument.
            Handler::WithArg(f, a) => unsafe { f(a) },
        }
    }
    crate::stdio::flush_all_at_exit();
    crate::unistd::_exit(status)
}

/// `_Exit(status)`: no handlers, no flush.
#[unsafe(no_mangle)]
pub extern "C" fn _Exit(status: c_int) -> ! {
    crate::unistd::_exit(status)
}
