//! The `FILE` object: buffer, buffering mode, error/EOF state, a recursive
//! lock, and membership in the list of open streams (for fflush(NULL), exit
//! and fork).
//!
//! Buffering follows glibc: the mode is decided at first use; stderr is
//! unbuffered; a stream on a terminal is line buffered; anything else is
//! fully buffered with a buffer of the file's `st_blksize` (8192 if
//! unknown). Line-buffered output is flushed when a newline is written, and
//! reading a line-buffered or unbuffered input stream first flushes all
//! line-buffered output (so prompts appear).

use crate::errno::{EBADF, EINVAL, ENOMEM, set_errno};
use crate::lock::{Lock, RecLock};
use crate::stat::blksize;
use crate::stdlib::malloc::{free, malloc};
use crate::string::mem::memcpy;
use crate::unistd::io::{close, isatty, lseek, read, write};
use crate::{c_char, c_int, c_long, off_t, size_t};
use core::ptr::null_mut;

pub const _IOFBF: c_int = 0;
pub const _IOLBF: c_int = 1;
pub const _IONBF: c_int = 2;
pub const BUFSIZ: usize = 8192;
pub const EOF: c_int = -1;

pub const F_READ: u32 = 1;
pub const F_WRITE: u32 = 2;
pub const F_APPEND: u32 = 4;
pub const F_EOF: u32 = 8;
pub const F_ERR: u32 = 16;
/// The buffer was malloc'd by us (free it on close / setvbuf).
const F_OWNBUF: u32 = 32;
/// A static stream (stdin/stdout/stderr): never freed.
const F_STATIC: u32 = 64;

/// A stream. C sees it only through pointers.
#[repr(C)]
pub struct FILE {
    pub fd: c_int,
    pub flags: u32,
    /// _IOFBF, _IOLBF, _IONBF, or -1 while undecided.
    pub mode: c_int,
    pub buf: *mut u8,
    pub size: usize,
    /// Output: bytes pending in buf[..wpos].
    pub wpos: usize,
    /// Input: unread bytes are buf[rpos..rend].
    pub rpos: usize,
    pub rend: usize,
    /// Bytes pushed back by ungetc, read before the buffer (last in first).
    pub unget: [u8; 8],
    pub nunget: usize,
    /// The one-byte buffer of an unbuffered stream.
    pub one: u8,
    pub lock: RecLock,
    pub next: *mut FILE,
    pub prev: *mut FILE,
}

impl FILE {
    pub const fn new(fd: c_int, flags: u32, mode: c_int) -> FILE {
        FILE {
            fd,
            flags,
            mode,
            buf: null_mut(),
            size: 0,
            wpos: 0,
            rpos: 0,
            rend: 0,
            unget: [0; 8],
            nunget: 0,
            one: 0,
            lock: RecLock::new(),
            next: null_mut(),
            prev: null_mut(),
        }
    }
}

pub static mut STDIN: FILE = FILE::new(0, F_READ | F_STATIC, -1);
pub static mut STDOUT: FILE = FILE::new(1, F_WRITE | F_STATIC, -1);
pub static mut STDERR: FILE = FILE::new(2, F_WRITE | F_STATIC, _IONBF);

/// `stdin`, `stdout`, `stderr` as C sees them.
#[unsafe(no_mangle)]
pub static mut stdin: *mut FILE = &raw mut STDIN;
#[unsafe(no_mangle)]
pub static mut stdout: *mut FILE = &raw mut STDOUT;
#[unsafe(no_mangle)]
pub static mut stderr: *mut FILE = &raw mut STDERR;

/// The list of streams opened with fopen/fdopen (the three standard ones are
/// handled separately), and its lock.
static mut OPEN: *mut FILE = null_mut();
static LIST_LOCK: Lock = Lock::new();

/// Call `f` on every stream: the standard ones, then the open list.
/// The caller holds LIST_LOCK.
unsafe fn for_each(mut f: impl FnMut(*mut FILE)) {
    // SAFETY: the list is stable while LIST_LOCK is held.
    unsafe {
        f(&raw mut STDIN);
        f(&raw mut STDOUT);
        f(&raw mut STDERR);
        let mut p = OPEN;
        while !p.is_null() {
            let next = (*p).next;
            f(p);
            p = next;
        }
    }
}

/// Link a new stream into the open list.
pub unsafe fn link(f: *mut FILE) {
    LIST_LOCK.with(|| {
        // SAFETY: f is a fresh stream; the lock guards the list.
        unsafe {
            (*f).next = OPEN;
            if !OPEN.is_null() {
                (*OPEN).prev = f;
            }
            OPEN = f;
        }
    })
}

/// Unlink a stream from the open list.
unsafe fn unlink(f: *mut FILE) {
    LIST_LOCK.with(|| {
        // SAFETY: f is on the list; the lock guards it.
        unsafe {
            if !(*f).prev.is_null() {
                (*(*f).prev).next = (*f).next;
            } else if OPEN == f {
                OPEN = (*f).next;
            }
            if !(*f).next.is_null() {
                (*(*f).next).prev = (*f).prev;
            }
        }
    })
}

/// Decide the buffering mode and get a buffer, at first use.
pub unsafe fn setup(f: *mut FILE) {
    // SAFETY: the caller holds f's lock.
    unsafe {
        let f = &mut *f;
        if f.mode < 0 {
            f.mode = if isatty(f.fd) != 0 { _IOLBF } else { _IOFBF };
        }
        if f.buf.is_null() {
            if f.mode == _IONBF {
                f.buf = &raw mut f.one;
                f.size = 1;
            } else {
                let size = blksize(f.fd).filter(|&b| b > 0).unwrap_or(BUFSIZ);
                let b = malloc(size) as *mut u8;
                if b.is_null() {
                    f.mode = _IONBF;
                    f.buf = &raw mut f.one;
                    f.size = 1;
                } else {
                    f.buf = b;
                    f.size = size;
                    f.flags |= F_OWNBUF;
                }
            }
        }
    }
}

/// Write all of `data` to the fd; sets the error flag on failure.
unsafe fn write_all(f: &mut FILE, mut data: &[u8]) -> bool {
    while !data.is_empty() {
        // SAFETY: data is a valid slice.
        let n = unsafe { write(f.fd, data.as_ptr() as _, data.len()) };
        if n < 0 {
            if crate::errno::errno() == crate::errno::EINTR {
                continue;
            }
            f.flags |= F_ERR;
            return false;
        }
        data = &data[n as usize..];
    }
    true
}

/// Write out pending output. Returns false (error flag set) on failure.
pub unsafe fn flush_locked(f: *mut FILE) -> bool {
    // SAFETY: the caller holds f's lock.
    unsafe {
        let f = &mut *f;
        if f.wpos == 0 {
            return true;
        }
        let pending = core::slice::from_raw_parts(f.buf, f.wpos);
        f.wpos = 0;
        write_all(f, pending)
    }
}

/// Leave read mode: give unread input back to the file (seek back), as
/// glibc's fflush on an input stream does.
unsafe fn drop_input(f: &mut FILE) {
    let unread = (f.rend - f.rpos + f.nunget) as off_t;
    if unread > 0 {
        lseek(f.fd, -unread, 1);
    }
    f.rpos = 0;
    f.rend = 0;
    f.nunget = 0;
}

/// Append `data` to the stream (the core of fwrite, fputs, printf…).
/// Returns false on error.
pub unsafe fn write_locked(f: *mut FILE, data: &[u8]) -> bool {
    // SAFETY: the caller holds f's lock; buffers are ours.
    unsafe {
        let fr = &mut *f;
        if fr.flags & F_WRITE == 0 {
            fr.flags |= F_ERR;
            set_errno(EBADF);
            return false;
        }
        if fr.rend != 0 || fr.nunget != 0 {
            drop_input(fr);
        }
        setup(f);
        let fr = &mut *f;
        if fr.mode == _IONBF {
            return write_all(fr, data);
        }
        if fr.wpos + data.len() > fr.size {
            if !flush_locked(f) {
                return false;
            }
            if data.len() >= fr.size {
                return write_all(fr, data);
            }
        }
        memcpy(fr.buf.add(fr.wpos) as _, data.as_ptr() as _, data.len());
        fr.wpos += data.len();
        if fr.mode == _IOLBF && data.contains(&b'\n') {
            return flush_locked(f);
        }
        true
    }
}

/// Flush every line-buffered output stream (before reading a terminal).
unsafe fn flush_line_buffered() {
    LIST_LOCK.with(|| {
        // SAFETY: each stream is locked while flushed.
        unsafe {
            for_each(|g| {
                if (*g).mode == _IOLBF && (*g).wpos > 0 {
                    (*g).lock.lock();
                    flush_locked(g);
                    (*g).lock.unlock();
                }
            })
        }
    })
}

/// Make at least one input byte available; false at EOF or error (flags set).
pub unsafe fn fill_locked(f: *mut FILE) -> bool {
    // SAFETY: the caller holds f's lock.
    unsafe {
        let fr = &mut *f;
        if fr.nunget > 0 || fr.rpos < fr.rend {
            return true;
        }
        if fr.flags & F_READ == 0 {
            fr.flags |= F_ERR;
            set_errno(EBADF);
            return false;
        }
        if fr.wpos > 0 && !flush_locked(f) {
            return false;
        }
        setup(f);
        let fr = &mut *f;
        if fr.mode != _IOFBF {
            flush_line_buffered();
        }
        loop {
            let n = read(fr.fd, fr.buf as _, fr.size);
            if n < 0 && crate::errno::errno() == crate::errno::EINTR {
                continue;
            }
            if n <= 0 {
                fr.flags |= if n == 0 { F_EOF } else { F_ERR };
                fr.rpos = 0;
                fr.rend = 0;
                return false;
            }
            fr.rpos = 0;
            fr.rend = n as usize;
            return true;
        }
    }
}

/// Take one input byte (after fill_locked succeeded).
pub unsafe fn take_byte(f: *mut FILE) -> u8 {
    // SAFETY: the caller holds f's lock and checked availability.
    unsafe {
        let fr = &mut *f;
        if fr.nunget > 0 {
            fr.nunget -= 1;
            return fr.unget[fr.nunget];
        }
        let b = *fr.buf.add(fr.rpos);
        fr.rpos += 1;
        if fr.rpos == fr.rend {
            fr.rpos = 0;
            fr.rend = 0;
        }
        b
    }
}

/// Parse an fopen mode: open(2) flags and our stream flags.
unsafe fn parse_mode(mode: *const c_char) -> Option<(c_int, u32)> {
    // SAFETY: a C string.
    unsafe {
        let (mut oflags, mut flags) = match *mode as u8 {
            b'r' => (0, F_READ),
            b'w' => (0o1 | 0o100 | 0o1000, F_WRITE),
            b'a' => (0o1 | 0o100 | 0o2000, F_WRITE | F_APPEND),
            _ => return None,
        };
        let mut p = mode.add(1);
        while *p != 0 {
            match *p as u8 {
                b'+' => {
                    oflags = (oflags & !0o3) | 0o2;
                    flags |= F_READ | F_WRITE;
                }
                b'x' => oflags |= 0o200,
                b'e' => oflags |= 0o2000000,
                _ => {}
            }
            p = p.add(1);
        }
        Some((oflags, flags))
    }
}

/// A new heap stream on `fd`.
unsafe fn new_stream(fd: c_int, flags: u32) -> *mut FILE {
    // SAFETY: a fresh allocation, initialised before use.
    unsafe {
        let f = malloc(size_of::<FILE>()) as *mut FILE;
        if f.is_null() {
            set_errno(ENOMEM);
            return null_mut();
        }
        f.write(FILE::new(fd, flags, -1));
        link(f);
        f
    }
}

/// `fopen(path, mode)`: NULL with EINVAL for a bad mode, or open's errno.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fopen(path: *const c_char, mode: *const c_char) -> *mut FILE {
    // SAFETY: C strings from the caller.
    unsafe {
        let Some((oflags, flags)) = parse_mode(mode) else {
            set_errno(EINVAL);
            return null_mut();
        };
        let fd = crate::unistd::io::open_mode(path, oflags, 0o666);
        if fd < 0 {
            return null_mut();
        }
        let f = new_stream(fd, flags);
        if f.is_null() {
            close(fd);
        }
        f
    }
}

/// `fdopen(fd, mode)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fdopen(fd: c_int, mode: *const c_char) -> *mut FILE {
    // SAFETY: C string from the caller.
    unsafe {
        let Some((_, flags)) = parse_mode(mode) else {
            set_errno(EINVAL);
            return null_mut();
        };
        if syscall!(crate::arch::FCNTL_NR, fd, 1) < 0 {
            set_errno(EBADF);
            return null_mut();
        }
        if flags & F_APPEND != 0 {
            lseek(fd, 0, 2);
        }
        new_stream(fd, flags)
    }
}

/// `fclose(f)`: flush, close, free. EOF if the flush or the close failed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fclose(f: *mut FILE) -> c_int {
    // SAFETY: f is an open stream (caller's contract).
    unsafe {
        (*f).lock.lock();
        let ok = flush_locked(f);
        let closed = close((*f).fd) == 0;
        if (*f).flags & F_OWNBUF != 0 {
            free((*f).buf as _);
        }
        (*f).buf = null_mut();
        (*f).flags &= !F_OWNBUF;
        (*f).lock.unlock();
        if (*f).flags & F_STATIC == 0 {
            unlink(f);
            free(f as _);
        }
        if ok && closed { 0 } else { EOF }
    }
}

/// `fflush(f)`: NULL flushes every output stream. EOF with errno on error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fflush(f: *mut FILE) -> c_int {
    // SAFETY: f is an open stream or NULL.
    unsafe {
        if f.is_null() {
            let mut ok = true;
            LIST_LOCK.with(|| {
                for_each(|g| {
                    (*g).lock.lock();
                    ok &= flush_locked(g);
                    (*g).lock.unlock();
                })
            });
            return if ok { 0 } else { EOF };
        }
        (*f).lock.lock();
        let ok = flush_locked(f);
        if (*f).rend != 0 || (*f).nunget != 0 {
            drop_input(&mut *f);
        }
        (*f).lock.unlock();
        if ok { 0 } else { EOF }
    }
}

/// `setvbuf(f, buf, mode, size)`: before any I/O; EINVAL for a bad mode.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn setvbuf(
    f: *mut FILE,
    buf: *mut c_char,
    mode: c_int,
    size: size_t,
) -> c_int {
    if !(_IOFBF..=_IONBF).contains(&mode) {
        set_errno(EINVAL);
        return -1;
    }
    // SAFETY: f is an open stream; buf (if any) has size bytes.
    unsafe {
        let fr = &mut *f;
        fr.lock.lock();
        flush_locked(f);
        if fr.flags & F_OWNBUF != 0 {
            free(fr.buf as _);
            fr.flags &= !F_OWNBUF;
        }
        fr.buf = null_mut();
        fr.mode = mode;
        if mode != _IONBF && !buf.is_null() && size > 0 {
            fr.buf = buf as *mut u8;
            fr.size = size;
        }
        fr.lock.unlock();
    }
    0
}

/// `setbuf(f, buf)`: setvbuf with BUFSIZ, or unbuffered for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn setbuf(f: *mut FILE, buf: *mut c_char) {
    // SAFETY: as setvbuf.
    unsafe { setvbuf(f, buf, if buf.is_null() { _IONBF } else { _IOFBF }, BUFSIZ) };
}

/// `setlinebuf(f)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn setlinebuf(f: *mut FILE) {
    // SAFETY: as setvbuf.
    unsafe { setvbuf(f, null_mut(), _IOLBF, 0) };
}

/// `fileno(f)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fileno(f: *mut FILE) -> c_int {
    // SAFETY: an open stream.
    unsafe { (*f).fd }
}

/// `feof(f)`, `ferror(f)`, `clearerr(f)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn feof(f: *mut FILE) -> c_int {
    // SAFETY: an open stream.
    unsafe { ((*f).flags & F_EOF != 0) as c_int }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn ferror(f: *mut FILE) -> c_int {
    // SAFETY: an open stream.
    unsafe { ((*f).flags & F_ERR != 0) as c_int }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn clearerr(f: *mut FILE) {
    // SAFETY: an open stream.
    unsafe { (*f).flags &= !(F_EOF | F_ERR) };
}

/// `fseeko(f, off, whence)`: flush or drop buffers, seek, clear EOF.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fseeko(f: *mut FILE, off: off_t, whence: c_int) -> c_int {
    // SAFETY: an open stream.
    unsafe {
        let fr = &mut *f;
        fr.lock.lock();
        let mut off = off;
        if whence == 1 {
            // Relative to the logical position, not the fd's.
            off -= (fr.rend - fr.rpos + fr.nunget) as off_t;
        }
        let ok = flush_locked(f);
        fr.rpos = 0;
        fr.rend = 0;
        fr.nunget = 0;
        let r = if ok { lseek(fr.fd, off, whence) } else { -1 };
        if r >= 0 {
            fr.flags &= !F_EOF;
        }
        fr.lock.unlock();
        if r < 0 { -1 } else { 0 }
    }
}

/// `fseek(f, off, whence)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fseek(f: *mut FILE, off: c_long, whence: c_int) -> c_int {
    // SAFETY: as fseeko.
    unsafe { fseeko(f, off as off_t, whence) }
}

/// `ftello(f)`: the fd's position adjusted for buffered data.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ftello(f: *mut FILE) -> off_t {
    // SAFETY: an open stream.
    unsafe {
        let fr = &mut *f;
        fr.lock.lock();
        let pos = lseek(fr.fd, 0, 1);
        let r = if pos < 0 {
            -1
        } else {
            pos - (fr.rend - fr.rpos + fr.nunget) as off_t + fr.wpos as off_t
        };
        fr.lock.unlock();
        r
    }
}

/// `ftell(f)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ftell(f: *mut FILE) -> c_long {
    // SAFETY: as ftello.
    unsafe { ftello(f) as c_long }
}

/// `rewind(f)`: seek to 0 and clear the error flag.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rewind(f: *mut FILE) {
    // SAFETY: as fseeko.
    unsafe {
        fseeko(f, 0, 0);
        (*f).flags &= !F_ERR;
    }
}

/// `flockfile`, `ftrylockfile`, `funlockfile`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn flockfile(f: *mut FILE) {
    // SAFETY: an open stream.
    unsafe { (*f).lock.lock() }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn ftrylockfile(f: *mut FILE) -> c_int {
    // SAFETY: an open stream.
    unsafe { if (*f).lock.try_lock() { 0 } else { 1 } }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn funlockfile(f: *mut FILE) {
    // SAFETY: an open stream.
    unsafe { (*f).lock.unlock() }
}

/// exit: flush every stream (glibc's _IO_cleanup).
pub fn flush_all_at_exit() {
    // SAFETY: NULL means all streams.
    unsafe { fflush(null_mut()) };
}

/// fork, before the syscall: the list lock, then every stream's lock.
pub fn lock_all() {
    LIST_LOCK.lock();
    // SAFETY: the list is stable while its lock is held.
    unsafe { for_each(|f| (*f).lock.lock()) };
}

/// fork, in the parent afterwards.
pub fn unlock_all() {
    // SAFETY: we hold every lock since lock_all.
    unsafe { for_each(|f| (*f).lock.unlock()) };
    LIST_LOCK.unlock();
}

/// fork, in the child: the locks' owner was the parent's thread.
pub fn reset_locks_in_child() {
    // SAFETY: only this thread exists in the child.
    unsafe { for_each(|f| (*f).lock.reset()) };
    LIST_LOCK.reset();
}
