//! Thread attributes (`pthread_attr_t`, glibc's size: 56 bytes on x86_64,
//! 36 on i386): stack size, caller-provided stack, guard size, detach
//! state, contention scope.
//!
//! Defaults are glibc's: the stack size is RLIMIT_STACK's soft limit when
//! it is finite (at least PTHREAD_STACK_MIN), else 2 MiB; one guard page;
//! joinable; PTHREAD_SCOPE_SYSTEM (the only scope Linux has).

use super::{page_size, round_page};
use crate::arch::nr;
use crate::errno::{EINVAL, ENOTSUP};
use crate::{c_int, c_void, size_t};
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub const PTHREAD_STACK_MIN: usize = 16384;
pub const PTHREAD_CREATE_JOINABLE: c_int = 0;
pub const PTHREAD_CREATE_DETACHED: c_int = 1;
pub const PTHREAD_SCOPE_SYSTEM: c_int = 0;
pub const PTHREAD_SCOPE_PROCESS: c_int = 1;
/// glibc's ARCH_STACK_DEFAULT_SIZE for i386 and x86_64.
const ARCH_STACK_DEFAULT_SIZE: usize = 2 << 20;
const RLIMIT_STACK: usize = 3;

/// What a thread is created with (the C type's first bytes).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Attr {
    pub stacksize: usize,
    pub guardsize: usize,
    /// Lowest address of a caller-provided stack (pthread_attr_setstack), or 0.
    pub stackaddr: usize,
    pub detachstate: c_int,
    pub scope: c_int,
}

/// `pthread_attr_t`: an [`Attr`] padded to glibc's size.
#[repr(C)]
pub struct pthread_attr_t {
    pub a: Attr,
    _reserved: [u8; ATTR_SIZE - size_of::<Attr>()],
}

const ATTR_SIZE: usize = if size_of::<usize>() == 8 { 56 } else { 36 };
const _: () = assert!(size_of::<pthread_attr_t>() == ATTR_SIZE);

/// glibc's default stack size, found once (0: not yet).
static DEFAULT_STACKSIZE: AtomicUsize = AtomicUsize::new(0);

/// The default stack size: RLIMIT_STACK's soft limit if finite, else 2 MiB.
pub fn default_stacksize() -> usize {
    let cached = DEFAULT_STACKSIZE.load(Relaxed);
    if cached != 0 {
        return cached;
    }
    let mut lim = [0u64; 2];
    let r = syscall!(nr::PRLIMIT64, 0, RLIMIT_STACK, 0, lim.as_mut_ptr());
    let size = if r < 0 || lim[0] == u64::MAX || lim[0] > usize::MAX as u64 / 2 {
        ARCH_STACK_DEFAULT_SIZE
    } else {
        round_page((lim[0] as usize).max(PTHREAD_STACK_MIN)).unwrap_or(ARCH_STACK_DEFAULT_SIZE)
    };
    DEFAULT_STACKSIZE.store(size, Relaxed);
    size
}

/// The attributes of a thread created with `attr` (NULL: the defaults).
///
/// # Safety
/// `attr` is NULL or an initialised attribute object.
pub unsafe fn effective(attr: *const pthread_attr_t) -> Attr {
    if attr.is_null() {
        defaults()
    } else {
        // SAFETY: the caller's initialised object.
        unsafe { (*attr).a }
    }
}

/// A fresh attribute object's values.
fn defaults() -> Attr {
    Attr {
        stacksize: default_stacksize(),
        guardsize: page_size(),
        stackaddr: 0,
        detachstate: PTHREAD_CREATE_JOINABLE,
        scope: PTHREAD_SCOPE_SYSTEM,
    }
}

/// `pthread_attr_init(attr)`: the defaults.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_init(attr: *mut pthread_attr_t) -> c_int {
    // SAFETY: the caller's object; all of it is written.
    unsafe {
        attr.write(pthread_attr_t {
            a: defaults(),
            _reserved: [0; ATTR_SIZE - size_of::<Attr>()],
        })
    };
    0
}

/// `pthread_attr_destroy(attr)`: nothing to free.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_attr_destroy(_attr: *mut pthread_attr_t) -> c_int {
    0
}

/// `pthread_attr_setdetachstate`: EINVAL unless JOINABLE or DETACHED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_setdetachstate(attr: *mut pthread_attr_t, s: c_int) -> c_int {
    if s != PTHREAD_CREATE_JOINABLE && s != PTHREAD_CREATE_DETACHED {
        return EINVAL;
    }
    // SAFETY: the caller's initialised object.
    unsafe { (*attr).a.detachstate = s };
    0
}

/// `pthread_attr_getdetachstate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_getdetachstate(
    attr: *const pthread_attr_t,
    s: *mut c_int,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *s = (*attr).a.detachstate };
    0
}

/// `pthread_attr_setstacksize`: EINVAL below PTHREAD_STACK_MIN.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_setstacksize(
    attr: *mut pthread_attr_t,
    size: size_t,
) -> c_int {
    if size < PTHREAD_STACK_MIN {
        return EINVAL;
    }
    // SAFETY: the caller's initialised object.
    unsafe { (*attr).a.stacksize = size };
    0
}

/// `pthread_attr_getstacksize`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_getstacksize(
    attr: *const pthread_attr_t,
    size: *mut size_t,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *size = (*attr).a.stacksize };
    0
}

/// `pthread_attr_setguardsize`: any size (rounded up to pages at creation;
/// 0 means no guard page). Ignored with a caller-provided stack.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_setguardsize(
    attr: *mut pthread_attr_t,
    size: size_t,
) -> c_int {
    // SAFETY: the caller's initialised object.
    unsafe { (*attr).a.guardsize = size };
    0
}

/// `pthread_attr_getguardsize`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_getguardsize(
    attr: *const pthread_attr_t,
    size: *mut size_t,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *size = (*attr).a.guardsize };
    0
}

/// `pthread_attr_setstack(attr, addr, size)`: the thread runs on the
/// caller's `[addr, addr+size)`; EINVAL below PTHREAD_STACK_MIN.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_setstack(
    attr: *mut pthread_attr_t,
    addr: *mut c_void,
    size: size_t,
) -> c_int {
    if size < PTHREAD_STACK_MIN || (addr as usize).checked_add(size).is_none() {
        return EINVAL;
    }
    // SAFETY: the caller's initialised object.
    unsafe {
        (*attr).a.stackaddr = addr as usize;
        (*attr).a.stacksize = size;
    }
    0
}

/// `pthread_attr_getstack(attr, &addr, &size)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_getstack(
    attr: *const pthread_attr_t,
    addr: *mut *mut c_void,
    size: *mut size_t,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe {
        *addr = (*attr).a.stackaddr as *mut c_void;
        *size = (*attr).a.stacksize;
    }
    0
}

/// `pthread_attr_setscope`: SYSTEM; PROCESS is ENOTSUP (as on Linux).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_setscope(attr: *mut pthread_attr_t, scope: c_int) -> c_int {
    match scope {
        PTHREAD_SCOPE_SYSTEM => {
            // SAFETY: the caller's initialised object.
            unsafe { (*attr).a.scope = scope };
            0
        }
        PTHREAD_SCOPE_PROCESS => ENOTSUP,
        _ => EINVAL,
    }
}

/// `pthread_attr_getscope`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_attr_getscope(
    attr: *const pthread_attr_t,
    scope: *mut c_int,
) -> c_int {
    // SAFETY: the caller's objects.
    unsafe { *scope = (*attr).a.scope };
    0
}
