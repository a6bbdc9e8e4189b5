//! The thread descriptor (`struct pthread`): glibc's `tcbhead_t` first, so
//! the thread pointer, the TCB and the descriptor are one address, then the
//! per-thread state the C library keeps (errno, the cached tid).
//!
//! The initial thread's descriptor is set up by `tls::init` at startup;
//! threads (issue 5) will each get one from the same layout, mapped with
//! their static TLS block below it.

use crate::arch::tcb::{TcbHead, thread_self};

/// One thread's descriptor; its address is the thread pointer.
#[repr(C, align(64))]
pub struct Pthread {
    pub head: TcbHead,
    /// This thread's errno (`__errno_location` returns its address).
    pub errno: i32,
    /// The kernel's thread id, cached: written by the kernel through
    /// CLONE_CHILD_SETTID in a forked child, and refreshed by `_Fork`.
    pub tid: i32,
    /// The mapping holding the TLS block and this descriptor.
    pub map_base: usize,
    pub map_size: usize,
    /// Start of the static TLS block (just below the descriptor).
    pub tls_block: usize,
    /// A minimal DTV for `__tls_get_addr`: [generation, module 1 block].
    pub dtv: [usize; 2],
}

/// The calling thread's descriptor. Valid from startup stage 3 on.
#[inline(always)]
pub fn current() -> *mut Pthread {
    thread_self() as *mut Pthread
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
