//! dirent.h: opendir, fdopendir, readdir, closedir, rewinddir, telldir,
//! seekdir, dirfd, scandir, alphasort, over getdents64.
//!
//! As glibc, readdir hands out the kernel's records in place: a
//! `linux_dirent64` is laid out as `struct dirent` (d_ino, d_off, d_reclen,
//! d_type, d_name), on both architectures since our ino_t and off_t are
//! 64-bit.

use crate::arch::nr;
use crate::errno::{ENOENT, ENOMEM, ENOTDIR, errno, set_errno};
use crate::stat::{S_IFDIR, S_IFMT, fstat, stat};
use crate::stdlib::malloc::{free, malloc, realloc};
use crate::stdlib::sort::qsort;
use crate::string::mem::memcpy;
use crate::string::str::strcmp;
use crate::unistd::io::{close, lseek, open_mode};
use crate::{c_char, c_int, c_long, c_void, off_t};
use core::ptr::null_mut;

/// `struct dirent` (the kernel's `linux_dirent64` head, then the name).
#[repr(C)]
pub struct dirent {
    pub d_ino: u64,
    pub d_off: i64,
    pub d_reclen: u16,
    pub d_type: u8,
    pub d_name: [c_char; 256],
}

/// The size of a DIR's record buffer (glibc's minimum, 4 * BUFSIZ).
const BUF_SIZE: usize = 32768;

/// An open directory stream: its fd and a buffer of getdents64 records
/// (8-byte aligned, as the records are).
#[repr(C, align(8))]
pub struct DIR {
    fd: c_int,
    /// Next record in `buf`, and the end of the valid bytes.
    pos: usize,
    len: usize,
    /// The d_off of the last record returned (telldir's answer).
    filepos: off_t,
    buf: Buf,
}

/// The record buffer, aligned for the records' 64-bit members.
#[repr(C, align(8))]
struct Buf([u8; BUF_SIZE]);

const O_RDONLY_DIRECTORY_CLOEXEC: c_int = 0o200000 | 0o2000000 | 0o4000;

/// A stream over `fd` (which it will own), or NULL with ENOMEM.
fn new_dir(fd: c_int) -> *mut DIR {
    // SAFETY: a fresh allocation of DIR's size, malloc's 16-byte alignment.
    unsafe {
        let d = malloc(size_of::<DIR>()) as *mut DIR;
        if d.is_null() {
            set_errno(ENOMEM);
            return null_mut();
        }
        (*d).fd = fd;
        (*d).pos = 0;
        (*d).len = 0;
        (*d).filepos = 0;
        d
    }
}

/// `opendir(path)`: O_DIRECTORY makes the kernel say ENOTDIR.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendir(path: *const c_char) -> *mut DIR {
    // SAFETY: the caller's path.
    let fd = unsafe { open_mode(path, O_RDONLY_DIRECTORY_CLOEXEC, 0) };
    if fd < 0 {
        return null_mut();
    }
    let d = new_dir(fd);
    if d.is_null() {
        close(fd);
    }
    d
}

/// `fdopendir(fd)`: a stream over an open directory, which it then owns
/// (EBADF for a bad fd, ENOTDIR for another kind of file).
#[unsafe(no_mangle)]
pub extern "C" fn fdopendir(fd: c_int) -> *mut DIR {
    let mut st = stat::default();
    // SAFETY: st is ours.
    if unsafe { fstat(fd, &mut st) } < 0 {
        return null_mut();
    }
    if st.st_mode & S_IFMT != S_IFDIR {
        set_errno(ENOTDIR);
        return null_mut();
    }
    new_dir(fd)
}

/// `readdir(d)`: the next entry, or NULL at the end (errno unchanged) or on
/// an error (errno set). A directory removed while open reads as empty.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn readdir(d: *mut DIR) -> *mut dirent {
    // SAFETY: the caller's open stream.
    unsafe {
        let d = &mut *d;
        if d.pos >= d.len {
            let saved = errno();
            let n = syscall!(nr::GETDENTS64, d.fd, d.buf.0.as_mut_ptr(), BUF_SIZE);
            if n <= 0 {
                if n == -(ENOENT as isize) {
                    set_errno(saved);
                } else if n < 0 {
                    set_errno(-n as i32);
                }
                return null_mut();
            }
            d.pos = 0;
            d.len = n as usize;
        }
        let e = d.buf.0.as_mut_ptr().add(d.pos) as *mut dirent;
        d.pos += (*e).d_reclen as usize;
        d.filepos = (*e).d_off;
        e
    }
}

/// `readdir64`: readdir (ino_t and off_t are 64-bit).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn readdir64(d: *mut DIR) -> *mut dirent {
    // SAFETY: as readdir.
    unsafe { readdir(d) }
}

/// `closedir(d)`: close its fd and free it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn closedir(d: *mut DIR) -> c_int {
    // SAFETY: the caller's open stream, which ends here.
    unsafe {
        let r = close((*d).fd);
        free(d as *mut c_void);
        r
    }
}

/// `dirfd(d)`: the stream's file descriptor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dirfd(d: *mut DIR) -> c_int {
    // SAFETY: the caller's open stream.
    unsafe { (*d).fd }
}

/// `seekdir(d, pos)`: go back to where telldir said (or 0, the start).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seekdir(d: *mut DIR, pos: c_long) {
    // SAFETY: the caller's open stream.
    unsafe {
        let d = &mut *d;
        lseek(d.fd, pos as off_t, 0 /* SEEK_SET */);
        d.pos = 0;
        d.len = 0;
        d.filepos = pos as off_t;
    }
}

/// `rewinddir(d)`: back to the first entry.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rewinddir(d: *mut DIR) {
    // SAFETY: as seekdir.
    unsafe { seekdir(d, 0) }
}

/// `telldir(d)`: the position after the last entry read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn telldir(d: *mut DIR) -> c_long {
    // SAFETY: the caller's open stream.
    unsafe { (*d).filepos as c_long }
}

/// `alphasort(a, b)`: order of the names (strcoll in the C locale).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn alphasort(a: *mut *const dirent, b: *mut *const dirent) -> c_int {
    // SAFETY: two entries of scandir's list.
    unsafe { strcmp((**a).d_name.as_ptr(), (**b).d_name.as_ptr()) }
}

type Filter = Option<unsafe extern "C" fn(*const dirent) -> c_int>;
type Compar = Option<unsafe extern "C" fn(*mut *const dirent, *mut *const dirent) -> c_int>;

/// `scandir(path, list, filter, compar)`: the entries filter accepts (all
/// with NULL), malloc'd one by one into a malloc'd array sorted by compar;
/// the count, or -1 with everything freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scandir(
    path: *const c_char,
    list: *mut *mut *mut dirent,
    filter: Filter,
    compar: Compar,
) -> c_int {
    // SAFETY: the caller's path and output; entries and array are ours.
    unsafe {
        let d = opendir(path);
        if d.is_null() {
            return -1;
        }
        let (mut v, mut n, mut cap) = (null_mut::<*mut dirent>(), 0usize, 0usize);
        let saved = errno();
        set_errno(0);
        let failed = loop {
            let e = readdir(d);
            if e.is_null() {
                break errno() != 0;
            }
            if let Some(f) = filter
                && f(e) == 0
            {
                continue;
            }
            if n == cap {
                cap = if cap == 0 { 16 } else { cap * 2 };
                let nv = realloc(v as *mut c_void, cap * size_of::<*mut dirent>());
                if nv.is_null() {
                    break true;
                }
                v = nv as *mut *mut dirent;
            }
            let len = (*e).d_reclen as usize;
            let copy = malloc(len) as *mut dirent;
            if copy.is_null() {
                break true;
            }
            memcpy(copy as *mut c_void, e as *const c_void, len);
            *v.add(n) = copy;
            n += 1;
        };
        closedir(d);
        if failed {
            let e = if errno() == 0 { ENOMEM } else { errno() };
            for i in 0..n {
                free(*v.add(i) as *mut c_void);
            }
            free(v as *mut c_void);
            set_errno(e);
            return -1;
        }
        set_errno(saved);
        if let Some(c) = compar
            && n > 1
        {
            // SAFETY: both comparators take pointers to array elements.
            let c: unsafe extern "C" fn(*const c_void, *const c_void) -> c_int =
                core::mem::transmute(c);
            qsort(v as *mut c_void, n, size_of::<*mut dirent>(), c);
        }
        *list = v;
        n as c_int
    }
}
