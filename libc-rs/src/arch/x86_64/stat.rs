//! x86_64's `struct stat`: glibc's is the kernel's own, filled by
//! `newfstatat` (fstat too, as glibc 2.36: `fstatat(fd, "", AT_EMPTY_PATH)`).

use super::nr;
use crate::{c_char, c_int, c_long, c_ulong, mode_t, timespec};

/// glibc's (and the kernel's) `struct stat`, 144 bytes.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct stat {
    pub st_dev: u64,
    pub st_ino: u64,
    pub st_nlink: c_ulong,
    pub st_mode: mode_t,
    pub st_uid: u32,
    pub st_gid: u32,
    pub __pad0: c_int,
    pub st_rdev: u64,
    pub st_size: i64,
    pub st_blksize: c_long,
    pub st_blocks: i64,
    pub st_atim: timespec,
    pub st_mtim: timespec,
    pub st_ctim: timespec,
    pub __glibc_reserved: [c_long; 3],
}

const _: () = assert!(core::mem::size_of::<stat>() == 144);

/// `fstatat` as the kernel answers it: 0 or -errno.
pub unsafe fn fstatat_raw(dirfd: c_int, path: *const c_char, st: *mut stat, flags: c_int) -> isize {
    crate::syscall!(nr::NEWFSTATAT, dirfd, path, st, flags)
}
