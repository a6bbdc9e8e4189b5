//! Process identity and state: _exit, getpid, getppid, the uid/gid getters,
//! getcwd, chdir, the generic syscall(), prctl, sysconf.

use crate::arch::{self, VaList, nr};
use crate::errno::{EINVAL, ERANGE, set_errno};
use crate::stdlib::malloc::malloc;
use crate::sys::{ret, ret_int};
use crate::{c_char, c_int, c_long, c_uint, gid_t, pid_t, size_t, uid_t};

/// `_exit(status)`: exit_group, never returns.
#[unsafe(no_mangle)]
pub extern "C" fn _exit(status: c_int) -> ! {
    loop {
        syscall!(nr::EXIT_GROUP, status);
        syscall!(nr::EXIT, status);
    }
}

/// `getpid()`: always asks the kernel (glibc stopped caching the pid, which
/// goes stale after a raw clone).
#[unsafe(no_mangle)]
pub extern "C" fn getpid() -> pid_t {
    syscall!(nr::GETPID) as pid_t
}

/// `getppid()`.
#[unsafe(no_mangle)]
pub extern "C" fn getppid() -> pid_t {
    syscall!(nr::GETPPID) as pid_t
}

/// `getuid()` (and below `geteuid`, `getgid`, `getegid`; the 32-bit-id
/// syscalls on i386).
#[unsafe(no_mangle)]
pub extern "C" fn getuid() -> uid_t {
    syscall!(arch::GETUID_NR) as uid_t
}

#[unsafe(no_mangle)]
pub extern "C" fn geteuid() -> uid_t {
    syscall!(arch::GETEUID_NR) as uid_t
}

#[unsafe(no_mangle)]
pub extern "C" fn getgid() -> gid_t {
    syscall!(arch::GETGID_NR) as gid_t
}

#[unsafe(no_mangle)]
pub extern "C" fn getegid() -> gid_t {
    syscall!(arch::GETEGID_NR) as gid_t
}

/// `getpgid(pid)`: pid's process group (0: the caller's).
#[unsafe(no_mangle)]
pub extern "C" fn getpgid(pid: pid_t) -> pid_t {
    ret_int(syscall!(nr::GETPGID, pid))
}

/// `setpgid(pid, pgid)`: move pid (0: the caller) into group pgid.
#[unsafe(no_mangle)]
pub extern "C" fn setpgid(pid: pid_t, pgid: pid_t) -> c_int {
    ret_int(syscall!(nr::SETPGID, pid, pgid))
}

/// `getpgrp()`: the caller's process group.
#[unsafe(no_mangle)]
pub extern "C" fn getpgrp() -> pid_t {
    getpgid(0)
}

/// `setsid()`: a new session led by the caller.
#[unsafe(no_mangle)]
pub extern "C" fn setsid() -> pid_t {
    ret_int(syscall!(nr::SETSID))
}

/// `getsid(pid)`: the session of pid (0: the caller).
#[unsafe(no_mangle)]
pub extern "C" fn getsid(pid: pid_t) -> pid_t {
    ret_int(syscall!(nr::GETSID, pid))
}

/// `getcwd(buf, size)`: with buf NULL, a malloc'd buffer (size 0: as big as
/// needed), as glibc does; ERANGE when it does not fit, EINVAL for size 0
/// with a buffer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getcwd(buf: *mut c_char, size: size_t) -> *mut c_char {
    let mut tmp = [0 as c_char; 4096];
    // SAFETY: tmp or the caller's buffer of `size` bytes.
    unsafe {
        if buf.is_null() {
            let r = syscall!(nr::GETCWD, tmp.as_mut_ptr(), tmp.len());
            if ret(r) < 0 {
                return core::ptr::null_mut();
            }
            let n = r as usize;
            if size != 0 && n > size {
                set_errno(ERANGE);
                return core::ptr::null_mut();
            }
            let p = malloc(if size != 0 { size } else { n }) as *mut c_char;
            if !p.is_null() {
                crate::string::mem::memcpy(p as _, tmp.as_ptr() as _, n);
            }
            return p;
        }
        if size == 0 {
            set_errno(EINVAL);
            return core::ptr::null_mut();
        }
        if ret(syscall!(nr::GETCWD, buf, size)) < 0 {
            return core::ptr::null_mut();
        }
        buf
    }
}

/// `chdir(path)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chdir(path: *const c_char) -> c_int {
    ret_int(syscall!(nr::CHDIR, path))
}

/// `syscall(n, ...)`: six long arguments are passed on (extra ones are
/// harmless); errors become errno and -1.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vsyscall(n: c_long, ap: arch::RawVaList) -> c_long {
    // SAFETY: the shim's va_list; reading six words is safe on x86.
    unsafe {
        let mut va = VaList::from_raw(ap);
        let a: [usize; 6] = core::array::from_fn(|_| va.next_long() as usize);
        ret(crate::sys::raw6(
            n as usize, a[0], a[1], a[2], a[3], a[4], a[5],
        ))
    }
}

/// `prctl(option, ...)`: four unsigned long arguments follow.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vprctl(option: c_int, ap: arch::RawVaList) -> c_int {
    // SAFETY: as syscall.
    unsafe {
        let mut va = VaList::from_raw(ap);
        let a: [usize; 4] = core::array::from_fn(|_| va.next_long() as usize);
        ret_int(syscall!(nr::PRCTL, option, a[0], a[1], a[2], a[3]))
    }
}

pub const _SC_CLK_TCK: c_int = 2;
pub const _SC_OPEN_MAX: c_int = 4;
pub const _SC_PAGESIZE: c_int = 30;
pub const _SC_NPROCESSORS_CONF: c_int = 83;
pub const _SC_NPROCESSORS_ONLN: c_int = 84;
pub const _SC_THREAD_DESTRUCTOR_ITERATIONS: c_int = 73;
pub const _SC_THREAD_KEYS_MAX: c_int = 74;
pub const _SC_THREAD_STACK_MIN: c_int = 75;

/// `sysconf(name)`: the values we know; EINVAL otherwise.
#[unsafe(no_mangle)]
pub extern "C" fn sysconf(name: c_int) -> c_long {
    match name {
        _SC_CLK_TCK => crate::auxv::get(crate::auxv::AT_CLKTCK).unwrap_or(100) as c_long,
        _SC_OPEN_MAX => 1024,
        _SC_PAGESIZE => getpagesize() as c_long,
        _SC_NPROCESSORS_ONLN | _SC_NPROCESSORS_CONF => {
            crate::pthread::sched::online_cpus() as c_long
        }
        _SC_THREAD_DESTRUCTOR_ITERATIONS => {
            crate::pthread::key::PTHREAD_DESTRUCTOR_ITERATIONS as c_long
        }
        _SC_THREAD_KEYS_MAX => crate::pthread::key::PTHREAD_KEYS_MAX as c_long,
        _SC_THREAD_STACK_MIN => crate::pthread::attr::PTHREAD_STACK_MIN as c_long,
        _ => {
            set_errno(EINVAL);
            -1
        }
    }
}

/// `getpagesize()`: AT_PAGESZ.
#[unsafe(no_mangle)]
pub extern "C" fn getpagesize() -> c_int {
    crate::auxv::get(crate::auxv::AT_PAGESZ).unwrap_or(4096) as c_int
}

/// `alarm(seconds)`: SIGALRM after that many seconds (0 cancels); returns
/// the seconds that were left of the previous alarm.
#[unsafe(no_mangle)]
pub extern "C" fn alarm(seconds: c_uint) -> c_uint {
    syscall!(nr::ALARM, seconds) as c_uint
}

/// `pause()`: sleep until a signal is handled; always -1 with EINTR.
#[unsafe(no_mangle)]
pub extern "C" fn pause() -> c_int {
    ret_int(syscall!(nr::PAUSE))
}
