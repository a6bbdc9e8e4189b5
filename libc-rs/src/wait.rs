//! sys/wait.h: wait, waitpid, wait4 (the W* macros are in the header).

use crate::arch::nr;
use crate::sys::ret_int;
use crate::{c_int, c_void, pid_t};

/// `wait4(pid, status, options, rusage)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wait4(
    pid: pid_t,
    status: *mut c_int,
    options: c_int,
    rusage: *mut c_void,
) -> pid_t {
    ret_int(syscall!(nr::WAIT4, pid, status, options, rusage))
}

/// `waitpid(pid, status, options)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn waitpid(pid: pid_t, status: *mut c_int, options: c_int) -> pid_t {
    // SAFETY: same contract.
    unsafe { wait4(pid, status, options, core::ptr::null_mut()) }
}

/// `wait(status)`: any child.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wait(status: *mut c_int) -> pid_t {
    // SAFETY: same contract.
    unsafe { wait4(-1, status, 0, core::ptr::null_mut()) }
}
