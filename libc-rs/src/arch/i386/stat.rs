//! i386's `struct stat`: glibc's time64 layout (`_FILE_OFFSET_BITS=64
//! _TIME_BITS=64`, glibc's `struct __stat64_t64`), since our off_t, ino_t
//! and time_t are 64-bit. No kernel structure matches it: as glibc 2.36 we
//! ask `statx` and convert, and fall back to `fstatat64` (32-bit times)
//! when the kernel has no statx.

use super::nr;
use crate::errno::ENOSYS;
use crate::stat::{STATX_BASIC_STATS, makedev, statx};
use crate::{c_char, c_int, c_long, c_ulong, mode_t, timespec};

const AT_NO_AUTOMOUNT: c_int = 0x800;

/// glibc's time64 `struct stat`: 108 bytes, 64-bit members 4-byte aligned.
#[repr(C, packed(4))]
#[derive(Clone, Copy, Default)]
pub struct stat {
    pub st_dev: u64,
    pub st_ino: u64,
    pub st_mode: mode_t,
    pub st_nlink: c_ulong,
    pub st_uid: u32,
    pub st_gid: u32,
    pub st_rdev: u64,
    pub st_size: i64,
    pub st_blksize: c_long,
    pub st_blocks: i64,
    pub st_atim: timespec,
    pub st_mtim: timespec,
    pub st_ctim: timespec,
}

const _: () = assert!(core::mem::size_of::<stat>() == 108);

/// The kernel's `struct stat64` of i386 processes (what fstatat64 fills).
#[repr(C, packed(4))]
#[derive(Clone, Copy)]
struct KernelStat64 {
    st_dev: u64,
    __pad0: [u8; 4],
    __st_ino: u32,
    st_mode: u32,
    st_nlink: u32,
    st_uid: u32,
    st_gid: u32,
    st_rdev: u64,
    __pad3: [u8; 4],
    st_size: i64,
    st_blksize: u32,
    st_blocks: u64,
    st_atime: u32,
    st_atime_nsec: u32,
    st_mtime: u32,
    st_mtime_nsec: u32,
    st_ctime: u32,
    st_ctime_nsec: u32,
    st_ino: u64,
}

const _: () = assert!(core::mem::size_of::<KernelStat64>() == 96);

/// `fstatat` as the kernel answers it: 0 or -errno (statx, else fstatat64).
pub unsafe fn fstatat_raw(dirfd: c_int, path: *const c_char, st: *mut stat, flags: c_int) -> isize {
    let mut x = core::mem::MaybeUninit::<statx>::zeroed();
    let r = crate::syscall!(
        nr::STATX,
        dirfd,
        path,
        flags | AT_NO_AUTOMOUNT,
        STATX_BASIC_STATS,
        x.as_mut_ptr()
    );
    if r != -(ENOSYS as isize) {
        if r == 0 {
            // SAFETY: the kernel filled x; st is the caller's output.
            unsafe { st.write_unaligned(from_statx(&x.assume_init())) };
        }
        return r;
    }
    let mut k = core::mem::MaybeUninit::<KernelStat64>::zeroed();
    let r = crate::syscall!(nr::FSTATAT64, dirfd, path, k.as_mut_ptr(), flags);
    if r == 0 {
        // SAFETY: the kernel filled k; st is the caller's output.
        unsafe { st.write_unaligned(from_stat64(&k.assume_init())) };
    }
    r
}

/// A timespec from 32-bit (signed) seconds and nanoseconds.
fn ts32(s: u32, ns: u32) -> timespec {
    timespec {
        tv_sec: s as i32 as i64,
        tv_nsec: ns as c_long,
        ..Default::default()
    }
}

/// A `struct stat` from fstatat64's answer.
fn from_stat64(k: &KernelStat64) -> stat {
    stat {
        st_dev: k.st_dev,
        st_ino: k.st_ino,
        st_mode: k.st_mode,
        st_nlink: k.st_nlink as c_ulong,
        st_uid: k.st_uid,
        st_gid: k.st_gid,
        st_rdev: k.st_rdev,
        st_size: k.st_size,
        st_blksize: k.st_blksize as c_long,
        st_blocks: k.st_blocks as i64,
        st_atim: ts32(k.st_atime, k.st_atime_nsec),
        st_mtim: ts32(k.st_mtime, k.st_mtime_nsec),
        st_ctim: ts32(k.st_ctime, k.st_ctime_nsec),
    }
}

/// A `struct stat` from statx's answer.
fn from_statx(x: &statx) -> stat {
    let ts = |t: &crate::stat::statx_timestamp| timespec {
        tv_sec: t.tv_sec,
        tv_nsec: t.tv_nsec as c_long,
        ..Default::default()
    };
    stat {
        st_dev: makedev(x.stx_dev_major, x.stx_dev_minor),
        st_ino: x.stx_ino,
        st_mode: x.stx_mode as mode_t,
        st_nlink: x.stx_nlink as c_ulong,
        st_uid: x.stx_uid,
        st_gid: x.stx_gid,
        st_rdev: makedev(x.stx_rdev_major, x.stx_rdev_minor),
        st_size: x.stx_size as i64,
        st_blksize: x.stx_blksize as c_long,
        st_blocks: x.stx_blocks as i64,
        st_atim: ts(&x.stx_atime),
        st_mtim: ts(&x.stx_mtime),
        st_ctim: ts(&x.stx_ctime),
    }
}
