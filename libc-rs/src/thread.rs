//! The thread descriptor (`struct pthread`): glibc's `tcbhead_t` first, so
//! the thread pointer, the TCB and the descriptor are one address, then the
//! per-thread state the C library keeps (errno, the kernel's tid, what
//! pthread_create/join/exit and the keys need).
//!
//! The initial thread's descriptor is set up by `tls::init` at startup;
//! every other thread gets one from `pthread_create`, laid out by the same
//! `tls::install_block` at the top of the thread's stack mapping, so each
//! thread has its own copy of the static TLS block. A zeroed descriptor is
//! a valid joinable thread with no keys set.

use crate::arch::tcb::{TcbHead, thread_self};
use crate::c_void;
use crate::pthread::key::Tsd;
use core::sync::atomic::{AtomicU32, AtomicUsize};

/// What `pthread_create` runs in the new thread.
pub type StartFn = extern "C" fn(*mut c_void) -> *mut c_void;

/// One thread's descriptor; its address is the thread pointer and the
/// `pthread_t`.
#[repr(C, align(64))]
pub struct Pthread {
    pub head: TcbHead,
    /// This thread's errno (`__errno_location` returns its address).
    pub errno: i32,
    /// The kernel's thread id. For threads the kernel writes it at creation
    /// (CLONE_PARENT_SETTID) and clears it and wakes its futex when the
    /// thread is gone (CLONE_CHILD_CLEARTID): pthread_join waits on it. In a
    /// forked child the kernel writes it through CLONE_CHILD_SETTID.
    pub tid: i32,
    /// The mapping holding this descriptor (and, for threads we created,
    /// the stack and its guard page): unmapped when the thread is reaped.
    pub map_base: usize,
    pub map_size: usize,
    /// Start of the static TLS block (just below the descriptor).
    pub tls_block: usize,
    /// A minimal DTV for `__tls_get_addr`: [generation, module 1 block].
    pub dtv: [usize; 2],
    /// Who reaps this thread: see `pthread::create` (JOINABLE, DETACHED,
    /// EXITED, or the descriptor of the thread joining it).
    pub join: AtomicUsize,
    pub start: Option<StartFn>,
    pub arg: *mut c_void,
    /// The start routine's value, or pthread_exit's argument.
    pub result: *mut c_void,
    /// The creator's signal mask, which the new thread starts with.
    pub sigmask: u64,
    /// The innermost `pthread_cleanup_push` record (a C stack object).
    pub cleanup: *mut crate::pthread::misc::Cleanup,
    /// Thread-specific data (`pthread_setspecific`).
    pub tsd: Tsd,
}

/// The calling thread's descriptor. Valid from startup stage 3 on.
#[inline(always)]
pub fn current() -> *mut Pthread {
    thread_self() as *mut Pthread
}

/// The `tid` word of `pd` as a futex word.
///
/// # Safety
/// `pd` must be a live descriptor.
pub unsafe fn tid_word<'a>(pd: *mut Pthread) -> &'a AtomicU32 {
    // SAFETY: the field is an aligned i32 inside a live descriptor; the
    // kernel and other threads access it atomically.
    unsafe { AtomicU32::from_ptr(&raw mut (*pd).tid as *mut u32) }
}

/// `__tls_get_addr` argument: module id and offset.
#[repr(C)]
pub struct TlsIndex {
    pub module: usize,
    pub offset: usize,
}

/// General-dynamic TLS access. Static executables have one module (the
/// program), whose block is the static one; the linker usually relaxes such
/// accesses away, but objects built with -fPIC may still call this.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __tls_get_addr(ti: *const TlsIndex) -> *mut u8 {
    // SAFETY: ti comes from the compiler's GOT entries; the DTV is ours.
    unsafe { ((*current()).dtv[1] + (*ti).offset) as *mut u8 }
}

/// `gettid()`: the cached kernel thread id.
#[unsafe(no_mangle)]
pub extern "C" fn gettid() -> i32 {
    // SAFETY: the descriptor exists from startup on.
    unsafe { (*current()).tid }
}
