//! unistd.h (and stdio.h's rename) on files by name: truncate, readlink,
//! symlink, link, unlink, rmdir, rename (and their *at forms), chown,
//! access; sync, syncfs, fdatasync.

use crate::arch::{self, nr};
use crate::errno::{EINVAL, EISDIR, errno, set_errno};
use crate::stat::AT_SYMLINK_NOFOLLOW;
use crate::sys::{ret, ret_int};
use crate::unistd::io::AT_FDCWD;
use crate::{c_char, c_int, c_uint, gid_t, off_t, size_t, ssize_t, uid_t};

const AT_REMOVEDIR: c_int = 0x200;

/// `truncate(path, len)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn truncate(path: *const c_char, len: off_t) -> c_int {
    ret_int(crate::sys::syscall_off(
        arch::TRUNCATE_NR,
        [path as usize, 0, 0],
        1,
        len,
    ))
}

/// `ftruncate(fd, len)`.
#[unsafe(no_mangle)]
pub extern "C" fn ftruncate(fd: c_int, len: off_t) -> c_int {
    ret_int(crate::sys::syscall_off(
        arch::FTRUNCATE_NR,
        [fd as usize, 0, 0],
        1,
        len,
    ))
}

/// The large-file names: the same functions (off_t is 64-bit).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn truncate64(path: *const c_char, len: off_t) -> c_int {
    // SAFETY: as truncate.
    unsafe { truncate(path, len) }
}

#[unsafe(no_mangle)]
pub extern "C" fn ftruncate64(fd: c_int, len: off_t) -> c_int {
    ftruncate(fd, len)
}

/// `readlinkat(dirfd, path, buf, size)`: the link's text, not terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn readlinkat(
    dirfd: c_int,
    path: *const c_char,
    buf: *mut c_char,
    size: size_t,
) -> ssize_t {
    ret(syscall!(nr::READLINKAT, dirfd, path, buf, size))
}

/// `readlink(path, buf, size)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn readlink(path: *const c_char, buf: *mut c_char, size: size_t) -> ssize_t {
    // SAFETY: as readlinkat.
    unsafe { readlinkat(AT_FDCWD, path, buf, size) }
}

/// `symlinkat(target, dirfd, path)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn symlinkat(
    target: *const c_char,
    dirfd: c_int,
    path: *const c_char,
) -> c_int {
    ret_int(syscall!(nr::SYMLINKAT, target, dirfd, path))
}

/// `symlink(target, path)`: a link named path whose text is target.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn symlink(target: *const c_char, path: *const c_char) -> c_int {
    // SAFETY: as symlinkat.
    unsafe { symlinkat(target, AT_FDCWD, path) }
}

/// `linkat(olddirfd, old, newdirfd, new, flags)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn linkat(
    olddirfd: c_int,
    old: *const c_char,
    newdirfd: c_int,
    new: *const c_char,
    flags: c_int,
) -> c_int {
    ret_int(syscall!(nr::LINKAT, olddirfd, old, newdirfd, new, flags))
}

/// `link(old, new)`: a hard link; old is not followed if a symbolic link
/// (as Linux's link(2)).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn link(old: *const c_char, new: *const c_char) -> c_int {
    // SAFETY: as linkat.
    unsafe { linkat(AT_FDCWD, old, AT_FDCWD, new, 0) }
}

/// `fchownat(dirfd, path, uid, gid, flags)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fchownat(
    dirfd: c_int,
    path: *const c_char,
    uid: uid_t,
    gid: gid_t,
    flags: c_int,
) -> c_int {
    ret_int(syscall!(nr::FCHOWNAT, dirfd, path, uid, gid, flags))
}

/// `chown(path, uid, gid)`: follows symbolic links.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chown(path: *const c_char, uid: uid_t, gid: gid_t) -> c_int {
    // SAFETY: as fchownat.
    unsafe { fchownat(AT_FDCWD, path, uid, gid, 0) }
}

/// `lchown(path, uid, gid)`: a symbolic link itself.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lchown(path: *const c_char, uid: uid_t, gid: gid_t) -> c_int {
    // SAFETY: as fchownat.
    unsafe { fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW) }
}

/// `fchown(fd, uid, gid)` (the 32-bit-id call on i386).
#[unsafe(no_mangle)]
pub extern "C" fn fchown(fd: c_int, uid: uid_t, gid: gid_t) -> c_int {
    ret_int(syscall!(arch::FCHOWN_NR, fd, uid, gid))
}

/// `sync()`: cannot fail.
#[unsafe(no_mangle)]
pub extern "C" fn sync() {
    syscall!(nr::SYNC);
}

/// `syncfs(fd)`: the file system holding fd.
#[unsafe(no_mangle)]
pub extern "C" fn syncfs(fd: c_int) -> c_int {
    ret_int(syscall!(nr::SYNCFS, fd))
}

/// `fdatasync(fd)`: fd's data (fsync without the metadata).
#[unsafe(no_mangle)]
pub extern "C" fn fdatasync(fd: c_int) -> c_int {
    ret_int(syscall!(nr::FDATASYNC, fd))
}

/// `unlinkat(dirfd, path, flags)`: AT_REMOVEDIR removes a directory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn unlinkat(dirfd: c_int, path: *const c_char, flags: c_int) -> c_int {
    ret_int(syscall!(nr::UNLINKAT, dirfd, path, flags))
}

/// `unlink(path)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn unlink(path: *const c_char) -> c_int {
    // SAFETY: as unlinkat.
    unsafe { unlinkat(AT_FDCWD, path, 0) }
}

/// `rmdir(path)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rmdir(path: *const c_char) -> c_int {
    // SAFETY: as unlinkat.
    unsafe { unlinkat(AT_FDCWD, path, AT_REMOVEDIR) }
}

/// `renameat2(olddirfd, old, newdirfd, new, flags)` (GNU; RENAME_NOREPLACE…).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn renameat2(
    olddirfd: c_int,
    old: *const c_char,
    newdirfd: c_int,
    new: *const c_char,
    flags: c_uint,
) -> c_int {
    ret_int(syscall!(nr::RENAMEAT2, olddirfd, old, newdirfd, new, flags))
}

/// `renameat(olddirfd, old, newdirfd, new)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn renameat(
    olddirfd: c_int,
    old: *const c_char,
    newdirfd: c_int,
    new: *const c_char,
) -> c_int {
    ret_int(syscall!(nr::RENAMEAT, olddirfd, old, newdirfd, new))
}

/// `rename(old, new)` (stdio.h).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rename(old: *const c_char, new: *const c_char) -> c_int {
    // SAFETY: as renameat.
    unsafe { renameat(AT_FDCWD, old, AT_FDCWD, new) }
}

/// `remove(path)` (stdio.h): unlink, or rmdir for a directory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn remove(path: *const c_char) -> c_int {
    // SAFETY: as unlinkat.
    unsafe {
        let r = unlink(path);
        if r < 0 && errno() == EISDIR {
            return rmdir(path);
        }
        r
    }
}

/// `faccessat(dirfd, path, mode, flags)`: without flags the old call, with
/// them (AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH) faccessat2.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn faccessat(
    dirfd: c_int,
    path: *const c_char,
    mode: c_int,
    flags: c_int,
) -> c_int {
    if flags == 0 {
        return ret_int(syscall!(nr::FACCESSAT, dirfd, path, mode));
    }
    if flags & !(0x200 | AT_SYMLINK_NOFOLLOW | 0x1000) != 0 {
        set_errno(EINVAL);
        return -1;
    }
    ret_int(syscall!(nr::FACCESSAT2, dirfd, path, mode, flags))
}

/// `access(path, mode)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn access(path: *const c_char, mode: c_int) -> c_int {
    // SAFETY: as faccessat.
    unsafe { faccessat(AT_FDCWD, path, mode, 0) }
}
