//! The auxiliary vector: kept from startup, served by `getauxval`.

use crate::errno::{ENOENT, set_errno};

pub const AT_NULL: usize = 0;
pub const AT_IGNORE: usize = 1;
pub const AT_PHDR: usize = 3;
pub const AT_PHENT: usize = 4;
pub const AT_PHNUM: usize = 5;
pub const AT_PAGESZ: usize = 6;
pub const AT_BASE: usize = 7;
pub const AT_ENTRY: usize = 9;
pub const AT_UID: usize = 11;
pub const AT_EUID: usize = 12;
pub const AT_GID: usize = 13;
pub const AT_EGID: usize = 14;
pub const AT_HWCAP: usize = 16;
pub const AT_CLKTCK: usize = 17;
pub const AT_SECURE: usize = 23;
pub const AT_RANDOM: usize = 25;
pub const AT_EXECFN: usize = 31;
pub const AT_SYSINFO: usize = 32;
pub const AT_SYSINFO_EHDR: usize = 33;

/// Where the kernel put auxv (pairs of type, value ending in AT_NULL).
static mut AUXV: *const usize = core::ptr::null();

/// Startup stage 2: remember where auxv is.
pub fn init(auxv: *const usize) {
    // SAFETY: single-threaded startup.
    unsafe { AUXV = auxv };
}

/// The value of entry `ty`, if the kernel gave one.
pub fn get(ty: usize) -> Option<usize> {
    // SAFETY: AUXV points into the initial stack, which lives forever, and
    // ends with AT_NULL.
    unsafe {
        let mut p = AUXV;
        if p.is_null() {
            return None;
        }
        while *p != AT_NULL {
            if *p == ty {
                return Some(*p.add(1));
            }
            p = p.add(2);
        }
    }
    None
}

/// The start of auxv (for programs that dump it).
pub fn raw() -> *const usize {
    // SAFETY: read-only after startup.
    unsafe { AUXV }
}

/// `getauxval(type)`: the value, or 0 with errno ENOENT when absent (glibc
/// 2.19+ behaviour).
#[unsafe(no_mangle)]
pub extern "C" fn getauxval(ty: usize) -> usize {
    match get(ty) {
        Some(v) => v,
        None => {
            set_errno(ENOENT);
            0
        }
    }
}
