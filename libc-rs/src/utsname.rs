//! sys/utsname.h and the host name: uname, gethostname, sethostname.

use crate::arch::nr;
use crate::errno::{ENAMETOOLONG, set_errno};
use crate::string::mem::{memcpy, strlen};
use crate::sys::ret_int;
use crate::{c_char, c_int, size_t};

/// `struct utsname`: Linux's `new_utsname`, six fields of 65 bytes, which
/// uname(2) fills on both ABIs.
#[repr(C)]
pub struct utsname {
    pub sysname: [c_char; 65],
    pub nodename: [c_char; 65],
    pub release: [c_char; 65],
    pub version: [c_char; 65],
    pub machine: [c_char; 65],
    pub domainname: [c_char; 65],
}

/// `uname(buf)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn uname(buf: *mut utsname) -> c_int {
    ret_int(syscall!(nr::UNAME, buf))
}

/// `gethostname(name, len)`: uname's nodename, as glibc: copies at most
/// len bytes and fails with ENAMETOOLONG when the name (with its NUL) is
/// longer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gethostname(name: *mut c_char, len: size_t) -> c_int {
    let mut u = core::mem::MaybeUninit::<utsname>::uninit();
    // SAFETY: u is ours, filled by the kernel on success; name is the
    // caller's buffer of len bytes.
    unsafe {
        if uname(u.as_mut_ptr()) < 0 {
            return -1;
        }
        let node = (*u.as_ptr()).nodename.as_ptr();
        let n = strlen(node) + 1;
        memcpy(name as _, node as _, n.min(len));
        if n > len {
            set_errno(ENAMETOOLONG);
            return -1;
        }
    }
    0
}

/// `sethostname(name, len)`: needs CAP_SYS_ADMIN (EPERM otherwise).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sethostname(name: *const c_char, len: size_t) -> c_int {
    ret_int(syscall!(nr::SETHOSTNAME, name, len))
}
