//! sys/mman.h: mmap, munmap, mprotect, mremap, madvise, msync.

use crate::arch::{self, VaList};
use crate::errno::{EINVAL, ENOMEM, set_errno};
use crate::sys::{raw6, ret, ret_int};
use crate::{c_int, c_void, off_t, size_t};

pub const PROT_READ: c_int = 1;
pub const PROT_WRITE: c_int = 2;
pub const MAP_PRIVATE: c_int = 2;
pub const MAP_ANONYMOUS: c_int = 0x20;
pub const MAP_FAILED: *mut c_void = !0usize as *mut c_void;

/// The unit of mmap's offset argument: bytes on x86_64 (mmap), pages on
/// i386 (mmap2).
const OFFSET_UNIT: off_t = if arch::MMAP_NR == arch::nr::MMAP {
    1
} else {
    4096
};

/// `mmap(addr, len, prot, flags, fd, off)`: MAP_FAILED with errno on failure
/// (EINVAL for an unaligned offset, ENOMEM for sizes above PTRDIFF_MAX).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mmap(
    addr: *mut c_void,
    len: size_t,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    off: off_t,
) -> *mut c_void {
    if off & 4095 != 0 {
        set_errno(EINVAL);
        return MAP_FAILED;
    }
    if len > isize::MAX as usize {
        set_errno(ENOMEM);
        return MAP_FAILED;
    }
    let r = raw6(
        arch::MMAP_NR,
        addr as usize,
        len,
        prot as usize,
        flags as usize,
        fd as usize,
        (off / OFFSET_UNIT) as usize,
    );
    ret(r) as *mut c_void
}

/// `munmap(addr, len)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn munmap(addr: *mut c_void, len: size_t) -> c_int {
    ret_int(syscall!(arch::nr::MUNMAP, addr, len))
}

/// `mprotect(addr, len, prot)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mprotect(addr: *mut c_void, len: size_t, prot: c_int) -> c_int {
    ret_int(syscall!(arch::nr::MPROTECT, addr, len, prot))
}

/// `madvise(addr, len, advice)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn madvise(addr: *mut c_void, len: size_t, advice: c_int) -> c_int {
    ret_int(syscall!(arch::nr::MADVISE, addr, len, advice))
}

/// `msync(addr, len, flags)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn msync(addr: *mut c_void, len: size_t, flags: c_int) -> c_int {
    ret_int(syscall!(arch::nr::MSYNC, addr, len, flags))
}

/// mremap with all five arguments (Rust callers).
pub unsafe fn mremap_raw(
    old: *mut c_void,
    old_len: size_t,
    new_len: size_t,
    flags: c_int,
    new: *mut c_void,
) -> *mut c_void {
    ret(syscall!(
        arch::nr::MREMAP,
        old,
        old_len,
        new_len,
        flags,
        new
    )) as *mut c_void
}

/// `mremap(old, old_len, new_len, flags, ...)`: the new address is read only
/// with MREMAP_FIXED (2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vmremap(
    old: *mut c_void,
    old_len: size_t,
    new_len: size_t,
    flags: c_int,
    ap: arch::RawVaList,
) -> *mut c_void {
    // SAFETY: the shim's va_list; the fifth argument exists with MREMAP_FIXED.
    unsafe {
        let new = if flags & 2 != 0 {
            VaList::from_raw(ap).next_ptr()
        } else {
            core::ptr::null_mut()
        };
        mremap_raw(old, old_len, new_len, flags, new)
    }
}
