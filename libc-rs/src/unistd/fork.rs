//! fork, as musl splits it: `_Fork` is the primitive (the syscall; the
//! kernel refreshes the child's cached thread id), `fork` wraps it with the
//! atfork protocol (handlers, C library locks).
//!
//! The syscall is glibc's choice: `clone(CLONE_CHILD_SETTID |
//! CLONE_CHILD_CLEARTID | SIGCHLD, 0, …, &self->tid)`, so the kernel path is
//! `sys_clone → do_fork` and the kernel writes the child's tid straight into
//! the child's thread descriptor.

use crate::arch;
use crate::atfork;
use crate::pid_t;
use crate::sys::ret_int;
use crate::thread::current;

const SIGCHLD: usize = 17;
const CLONE_CHILD_CLEARTID: usize = 0x0020_0000;
const CLONE_CHILD_SETTID: usize = 0x0100_0000;

/// `_Fork()`: fork without running atfork handlers or taking locks (POSIX
/// 2024; async-signal-safe). The child's cached tid is the kernel's
/// CLONE_CHILD_SETTID write, as in glibc: no extra system call.
#[unsafe(no_mangle)]
pub extern "C" fn _Fork() -> pid_t {
    let me = current();
    // SAFETY: the descriptor outlives the call; the kernel writes the child's
    // tid at that address in the child's copy of memory before the child
    // runs (CLONE_CHILD_SETTID).
    let r = arch::clone_for_fork(
        CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
        unsafe { &raw mut (*me).tid },
    );
    ret_int(r)
}

/// `fork()`: prepare handlers, stdio and malloc locks, `_Fork`, then unlock
/// (parent) or reset (child) and the parent/child handlers.
#[unsafe(no_mangle)]
pub extern "C" fn fork() -> pid_t {
    atfork::before();
    let r = _Fork();
    atfork::after(r == 0);
    r
}
