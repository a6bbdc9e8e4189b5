//! sys/stat.h: stat and friends, statx, chmod, mkdir, umask, mknod,
//! mkfifo, utimensat.
//!
//! `struct stat` is glibc's, per architecture (`arch::stat`: x86_64's is the
//! kernel's own, i386's glibc's time64 one, converted from statx).

use crate::arch::{self, nr};
use crate::errno::{EBADF, EINVAL, EOPNOTSUPP, set_errno};
use crate::sys::{ret, ret_int};
use crate::unistd::io::AT_FDCWD;
use crate::{c_char, c_int, c_uint, mode_t, timespec};

pub use arch::stat::stat;

pub const S_IFMT: mode_t = 0o170000;
pub const S_IFDIR: mode_t = 0o040000;
pub const S_IFLNK: mode_t = 0o120000;
pub const S_IFIFO: mode_t = 0o010000;
pub const AT_SYMLINK_NOFOLLOW: c_int = 0x100;
pub const AT_EMPTY_PATH: c_int = 0x1000;
pub const STATX_BASIC_STATS: c_uint = 0x7ff;

/// Linux's `struct statx_timestamp`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct statx_timestamp {
    pub tv_sec: i64,
    pub tv_nsec: u32,
    pub __reserved: i32,
}

/// Linux's `struct statx` (uapi linux/stat.h), the same for both ABIs.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct statx {
    pub stx_mask: u32,
    pub stx_blksize: u32,
    pub stx_attributes: u64,
    pub stx_nlink: u32,
    pub stx_uid: u32,
    pub stx_gid: u32,
    pub stx_mode: u16,
    pub __spare0: u16,
    pub stx_ino: u64,
    pub stx_size: u64,
    pub stx_blocks: u64,
    pub stx_attributes_mask: u64,
    pub stx_atime: statx_timestamp,
    pub stx_btime: statx_timestamp,
    pub stx_ctime: statx_timestamp,
    pub stx_mtime: statx_timestamp,
    pub stx_rdev_major: u32,
    pub stx_rdev_minor: u32,
    pub stx_dev_major: u32,
    pub stx_dev_minor: u32,
    pub __spare2: [u64; 14],
}

const _: () = assert!(core::mem::size_of::<statx>() == 256);

/// glibc's dev_t encoding of (major, minor), as `makedev`.
pub const fn makedev(major: u32, minor: u32) -> u64 {
    ((major as u64 & 0xffff_f000) << 32)
        | ((major as u64 & 0xfff) << 8)
        | ((minor as u64 & 0xffff_ff00) << 12)
        | (minor as u64 & 0xff)
}

/// `statx(dirfd, path, flags, mask, buf)` (GNU).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn statx(
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    mask: c_uint,
    buf: *mut statx,
) -> c_int {
    ret_int(syscall!(nr::STATX, dirfd, path, flags, mask, buf))
}

/// `fstatat(dirfd, path, st, flags)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstatat(
    dirfd: c_int,
    path: *const c_char,
    st: *mut stat,
    flags: c_int,
) -> c_int {
    // SAFETY: the caller's path and buffer.
    ret_int(unsafe { arch::stat::fstatat_raw(dirfd, path, st, flags) })
}

/// `stat(path, st)`: follows symbolic links.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stat(path: *const c_char, st: *mut stat) -> c_int {
    // SAFETY: as fstatat.
    unsafe { fstatat(AT_FDCWD, path, st, 0) }
}

/// `lstat(path, st)`: a symbolic link itself.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lstat(path: *const c_char, st: *mut stat) -> c_int {
    // SAFETY: as fstatat.
    unsafe { fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW) }
}

/// `fstat(fd, st)`: EBADF for a negative fd (which fstatat would read as
/// AT_FDCWD or another directory fd), else `fstatat(fd, "", AT_EMPTY_PATH)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstat(fd: c_int, st: *mut stat) -> c_int {
    if fd < 0 {
        set_errno(EBADF);
        return -1;
    }
    // SAFETY: as fstatat.
    unsafe { fstatat(fd, c"".as_ptr(), st, AT_EMPTY_PATH) }
}

/// The large-file names: the same functions.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stat64(path: *const c_char, st: *mut stat) -> c_int {
    // SAFETY: as stat.
    unsafe { stat(path, st) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn lstat64(path: *const c_char, st: *mut stat) -> c_int {
    // SAFETY: as lstat.
    unsafe { lstat(path, st) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstat64(fd: c_int, st: *mut stat) -> c_int {
    // SAFETY: as fstat.
    unsafe { fstat(fd, st) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn fstatat64(
    dirfd: c_int,
    path: *const c_char,
    st: *mut stat,
    flags: c_int,
) -> c_int {
    // SAFETY: as fstatat.
    unsafe { fstatat(dirfd, path, st, flags) }
}

/// `chmod(path, mode)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chmod(path: *const c_char, mode: mode_t) -> c_int {
    ret_int(syscall!(nr::FCHMODAT, AT_FDCWD, path, mode))
}

/// `fchmod(fd, mode)`.
#[unsafe(no_mangle)]
pub extern "C" fn fchmod(fd: c_int, mode: mode_t) -> c_int {
    ret_int(syscall!(nr::FCHMOD, fd, mode))
}

/// `fchmodat(dirfd, path, mode, flags)`: the system call has no flags; with
/// AT_SYMLINK_NOFOLLOW a symbolic link cannot change mode (EOPNOTSUPP, as
/// glibc says), anything else is changed as by chmod.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fchmodat(
    dirfd: c_int,
    path: *const c_char,
    mode: mode_t,
    flags: c_int,
) -> c_int {
    if flags & !AT_SYMLINK_NOFOLLOW != 0 {
        set_errno(EINVAL);
        return -1;
    }
    if flags != 0 {
        let mut st = stat::default();
        // SAFETY: the caller's path; st is ours.
        if unsafe { fstatat(dirfd, path, &mut st, flags) } < 0 {
            return -1;
        }
        if st.st_mode & S_IFMT == S_IFLNK {
            set_errno(EOPNOTSUPP);
            return -1;
        }
    }
    ret_int(syscall!(nr::FCHMODAT, dirfd, path, mode))
}

/// `mkdir(path, mode)`, `mkdirat(dirfd, path, mode)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mkdir(path: *const c_char, mode: mode_t) -> c_int {
    ret_int(syscall!(nr::MKDIRAT, AT_FDCWD, path, mode))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn mkdirat(dirfd: c_int, path: *const c_char, mode: mode_t) -> c_int {
    ret_int(syscall!(nr::MKDIRAT, dirfd, path, mode))
}

/// `umask(mask)`: the previous mask (cannot fail).
#[unsafe(no_mangle)]
pub extern "C" fn umask(mask: mode_t) -> mode_t {
    syscall!(nr::UMASK, mask & 0o777) as mode_t
}

/// `mknodat(dirfd, path, mode, dev)`: the kernel takes a 32-bit device
/// number; one that does not fit is EINVAL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mknodat(
    dirfd: c_int,
    path: *const c_char,
    mode: mode_t,
    dev: u64,
) -> c_int {
    if dev as u32 as u64 != dev {
        set_errno(EINVAL);
        return -1;
    }
    ret_int(syscall!(nr::MKNODAT, dirfd, path, mode, dev as u32))
}

/// `mknod(path, mode, dev)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mknod(path: *const c_char, mode: mode_t, dev: u64) -> c_int {
    // SAFETY: as mknodat.
    unsafe { mknodat(AT_FDCWD, path, mode, dev) }
}

/// `mkfifo(path, mode)`, `mkfifoat(dirfd, path, mode)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mkfifo(path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: as mknodat.
    unsafe { mknodat(AT_FDCWD, path, mode | S_IFIFO, 0) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn mkfifoat(dirfd: c_int, path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: as mknodat.
    unsafe { mknodat(dirfd, path, mode | S_IFIFO, 0) }
}

/// `utimensat(dirfd, path, times, flags)`: times has 64-bit seconds on both
/// architectures (i386: utimensat_time64, the old call if the kernel lacks
/// it, EOVERFLOW when a time does not fit it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn utimensat(
    dirfd: c_int,
    path: *const c_char,
    times: *const timespec,
    flags: c_int,
) -> c_int {
    // SAFETY: the caller's arguments.
    ret_int(unsafe { arch::utimensat(dirfd, path, times, flags) })
}

/// `futimens(fd, times)`: the file open as fd (EBADF for a negative one,
/// which utimensat would read as AT_FDCWD).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn futimens(fd: c_int, times: *const timespec) -> c_int {
    if fd < 0 {
        set_errno(EBADF);
        return -1;
    }
    // SAFETY: as utimensat.
    unsafe { utimensat(fd, core::ptr::null(), times, 0) }
}

/// The `st_blksize` of an open file (stdio and opendir size their buffers
/// by it), or None.
pub fn blksize(fd: c_int) -> Option<usize> {
    let mut st = stat::default();
    // SAFETY: st is ours.
    if ret(unsafe { arch::stat::fstatat_raw(fd, c"".as_ptr(), &mut st, AT_EMPTY_PATH) }) < 0 {
        return None;
    }
    Some(st.st_blksize as usize)
}
