//! File descriptors: read, write, close, lseek, pipe, dup, open, fcntl,
//! ioctl, isatty, pread, pwrite and friends.

use crate::arch::{self, VaList, nr};
use crate::sys::{ret, ret_int};
use crate::{c_char, c_int, c_ulong, c_void, mode_t, off_t, size_t, ssize_t};

pub const O_CREAT: c_int = 0o100;
pub const O_TMPFILE: c_int = 0o20200000;
pub const AT_FDCWD: c_int = -100;
const TCGETS: c_ulong = 0x5401;

/// `read(fd, buf, n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn read(fd: c_int, buf: *mut c_void, n: size_t) -> ssize_t {
    ret(syscall!(nr::READ, fd, buf, n))
}

/// `write(fd, buf, n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn write(fd: c_int, buf: *const c_void, n: size_t) -> ssize_t {
    ret(syscall!(nr::WRITE, fd, buf, n))
}

/// `close(fd)`.
#[unsafe(no_mangle)]
pub extern "C" fn close(fd: c_int) -> c_int {
    ret_int(syscall!(nr::CLOSE, fd))
}

/// `lseek(fd, off, whence)`: 64-bit offsets on both architectures (i386
/// uses _llseek).
#[unsafe(no_mangle)]
pub extern "C" fn lseek(fd: c_int, off: off_t, whence: c_int) -> off_t {
    arch::lseek(fd, off, whence)
}

/// `lseek64`: the same function.
#[unsafe(no_mangle)]
pub extern "C" fn lseek64(fd: c_int, off: off_t, whence: c_int) -> off_t {
    lseek(fd, off, whence)
}

/// `pipe(fds)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pipe(fds: *mut c_int) -> c_int {
    ret_int(syscall!(nr::PIPE2, fds, 0))
}

/// `pipe2(fds, flags)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pipe2(fds: *mut c_int, flags: c_int) -> c_int {
    ret_int(syscall!(nr::PIPE2, fds, flags))
}

/// `dup(fd)`.
#[unsafe(no_mangle)]
pub extern "C" fn dup(fd: c_int) -> c_int {
    ret_int(syscall!(nr::DUP, fd))
}

/// `dup2(old, new)`: dup2(fd, fd) checks fd and returns it.
#[unsafe(no_mangle)]
pub extern "C" fn dup2(old: c_int, new: c_int) -> c_int {
    if old == new {
        let r = syscall!(arch::FCNTL_NR, old, 1 /* F_GETFD */);
        return if r < 0 { ret_int(r) } else { old };
    }
    ret_int(syscall!(nr::DUP3, old, new, 0))
}

/// `dup3(old, new, flags)`.
#[unsafe(no_mangle)]
pub extern "C" fn dup3(old: c_int, new: c_int, flags: c_int) -> c_int {
    ret_int(syscall!(nr::DUP3, old, new, flags))
}

/// The mode argument exists only with O_CREAT or O_TMPFILE.
unsafe fn mode_arg(flags: c_int, ap: arch::RawVaList) -> mode_t {
    if flags & O_CREAT != 0 || flags & O_TMPFILE == O_TMPFILE {
        // SAFETY: the caller passed a mode (open's contract).
        unsafe { VaList::from_raw(ap).next_int() as mode_t }
    } else {
        0
    }
}

/// Flags every open gets: O_LARGEFILE on i386 (off_t is 64-bit).
const OPEN_FLAGS: c_int = arch::O_LARGEFILE;

/// `open(path, flags, ...)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vopen(
    path: *const c_char,
    flags: c_int,
    ap: arch::RawVaList,
) -> c_int {
    // SAFETY: the shim's va_list.
    let mode = unsafe { mode_arg(flags, ap) };
    ret_int(syscall!(
        nr::OPENAT,
        AT_FDCWD,
        path,
        flags | OPEN_FLAGS,
        mode
    ))
}

/// `openat(dirfd, path, flags, ...)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vopenat(
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    ap: arch::RawVaList,
) -> c_int {
    // SAFETY: the shim's va_list.
    let mode = unsafe { mode_arg(flags, ap) };
    ret_int(syscall!(nr::OPENAT, dirfd, path, flags | OPEN_FLAGS, mode))
}

/// open with an explicit mode (Rust callers, fopen).
pub unsafe fn open_mode(path: *const c_char, flags: c_int, mode: mode_t) -> c_int {
    ret_int(syscall!(
        nr::OPENAT,
        AT_FDCWD,
        path,
        flags | OPEN_FLAGS,
        mode
    ))
}

/// `creat(path, mode)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn creat(path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: caller's path.
    unsafe {
        open_mode(path, 0o1101 /* O_WRONLY|O_CREAT|O_TRUNC */, mode)
    }
}

/// `fcntl(fd, cmd, ...)`: the third argument is read as a long (int and
/// pointer arguments both fit).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vfcntl(fd: c_int, cmd: c_int, ap: arch::RawVaList) -> c_int {
    // SAFETY: reading one more word than an argument-less command passed is
    // harmless on x86 (a register or a caller stack slot).
    let arg = unsafe { VaList::from_raw(ap).next_long() };
    ret_int(syscall!(arch::FCNTL_NR, fd, cmd, arg))
}

/// `ioctl(fd, request, ...)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vioctl(fd: c_int, req: c_ulong, ap: arch::RawVaList) -> c_int {
    // SAFETY: as fcntl.
    let arg = unsafe { VaList::from_raw(ap).next_long() };
    ret_int(syscall!(nr::IOCTL, fd, req, arg))
}

/// `isatty(fd)`: 1 if TCGETS works; else 0 with errno (ENOTTY, EBADF).
#[unsafe(no_mangle)]
pub extern "C" fn isatty(fd: c_int) -> c_int {
    let mut termios = [0u8; 64];
    (ret(syscall!(nr::IOCTL, fd, TCGETS, termios.as_mut_ptr())) == 0) as c_int
}

/// `fsync(fd)`.
#[unsafe(no_mangle)]
pub extern "C" fn fsync(fd: c_int) -> c_int {
    ret_int(syscall!(nr::FSYNC, fd))
}

/// `pread(fd, buf, n, off)`: read at a position, the file offset unchanged.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pread(fd: c_int, buf: *mut c_void, n: size_t, off: off_t) -> ssize_t {
    ret(crate::sys::syscall_off(
        nr::PREAD64,
        [fd as usize, buf as usize, n],
        3,
        off,
    ))
}

/// `pwrite(fd, buf, n, off)`: write at a position.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pwrite(fd: c_int, buf: *const c_void, n: size_t, off: off_t) -> ssize_t {
    ret(crate::sys::syscall_off(
        nr::PWRITE64,
        [fd as usize, buf as usize, n],
        3,
        off,
    ))
}

/// `pread64`: pread (off_t is 64-bit).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pread64(fd: c_int, buf: *mut c_void, n: size_t, off: off_t) -> ssize_t {
    // SAFETY: as pread.
    unsafe { pread(fd, buf, n, off) }
}

/// `pwrite64`: pwrite.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pwrite64(fd: c_int, buf: *const c_void, n: size_t, off: off_t) -> ssize_t {
    // SAFETY: as pwrite.
    unsafe { pwrite(fd, buf, n, off) }
}

/// `flock(fd, op)`: LOCK_SH, LOCK_EX or LOCK_UN, with LOCK_NB failing with
/// EWOULDBLOCK instead of waiting.
#[unsafe(no_mangle)]
pub extern "C" fn flock(fd: c_int, op: c_int) -> c_int {
    ret_int(syscall!(nr::FLOCK, fd, op))
}
