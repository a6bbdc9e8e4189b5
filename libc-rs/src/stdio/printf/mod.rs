//! The printf family. Every variadic entry point (printf, fprintf, sprintf,
//! snprintf, dprintf, asprintf) is an assembly shim over its v* twin here;
//! the twins feed the formatter in `format.rs` a [`Sink`].

mod args;
mod float;
mod format;

use super::file::{FILE, stdout, write_locked};
use crate::arch::{RawVaList, VaList};
use crate::errno::{ENOMEM, EOVERFLOW, set_errno};
use crate::stdlib::malloc::{free, malloc, realloc};
use crate::{c_char, c_int, size_t};

/// Where formatted output goes.
pub trait Sink {
    /// Take some bytes; false stops formatting with an output error.
    fn put(&mut self, s: &[u8]) -> bool;

    /// `n` copies of `c`.
    fn pad(&mut self, c: u8, mut n: usize) -> bool {
        let chunk = [c; 32];
        while n > 0 {
            let k = n.min(32);
            if !self.put(&chunk[..k]) {
                return false;
            }
            n -= k;
        }
        true
    }
}

/// Format `fmt` with `ap` into `sink`: the number of bytes produced, or -1
/// (errno EOVERFLOW past INT_MAX, EINVAL for a bad format, or the sink's).
pub unsafe fn format_to(sink: &mut dyn Sink, fmt: *const c_char, ap: VaList) -> c_int {
    // SAFETY: fmt is a C string and ap holds its arguments (C's contract).
    match unsafe { format::format(sink, fmt as *const u8, ap) } {
        Ok(n) if n <= c_int::MAX as usize => n as c_int,
        Ok(_) => {
            set_errno(EOVERFLOW);
            -1
        }
        Err(e) => {
            if e != 0 {
                set_errno(e);
            }
            -1
        }
    }
}

/// A locked stream.
struct FileSink(*mut FILE);

impl Sink for FileSink {
    fn put(&mut self, s: &[u8]) -> bool {
        // SAFETY: the stream is locked for the whole call (vfprintf).
        unsafe { write_locked(self.0, s) }
    }
}

/// A bounded buffer: keeps what fits (leaving room for the NUL), counts all.
struct BufSink {
    buf: *mut u8,
    cap: usize,
    len: usize,
}

impl Sink for BufSink {
    fn put(&mut self, s: &[u8]) -> bool {
        if self.len < self.cap {
            let k = s.len().min(self.cap - self.len);
            // SAFETY: buf has cap bytes (the caller's n - 1).
            unsafe { crate::string::mem::memcpy(self.buf.add(self.len) as _, s.as_ptr() as _, k) };
        }
        self.len += s.len();
        true
    }
}

/// A growing malloc'd buffer (asprintf).
struct HeapSink {
    buf: *mut u8,
    cap: usize,
    len: usize,
    failed: bool,
}

impl Sink for HeapSink {
    fn put(&mut self, s: &[u8]) -> bool {
        if self.len + s.len() + 1 > self.cap {
            let cap = (self.cap * 2).max(self.len + s.len() + 1).max(64);
            // SAFETY: our own buffer.
            let p = unsafe { realloc(self.buf as _, cap) } as *mut u8;
            if p.is_null() {
                self.failed = true;
                return false;
            }
            self.buf = p;
            self.cap = cap;
        }
        // SAFETY: room was made above.
        unsafe {
            crate::string::mem::memcpy(self.buf.add(self.len) as _, s.as_ptr() as _, s.len())
        };
        self.len += s.len();
        true
    }
}

/// A file descriptor, written through a small buffer (dprintf).
struct FdSink {
    fd: c_int,
    buf: [u8; 512],
    len: usize,
    ok: bool,
}

impl FdSink {
    fn flush(&mut self) -> bool {
        let mut done = 0;
        while done < self.len {
            // SAFETY: our own buffer.
            let n = unsafe {
                crate::unistd::io::write(self.fd, self.buf[done..].as_ptr() as _, self.len - done)
            };
            if n < 0 {
                self.ok = false;
                break;
            }
            done += n as usize;
        }
        self.len = 0;
        self.ok
    }
}

impl Sink for FdSink {
    fn put(&mut self, s: &[u8]) -> bool {
        for chunk in s.chunks(self.buf.len()) {
            if self.len + chunk.len() > self.buf.len() && !self.flush() {
                return false;
            }
            self.buf[self.len..self.len + chunk.len()].copy_from_slice(chunk);
            self.len += chunk.len();
        }
        true
    }
}

/// `vfprintf(f, fmt, ap)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vfprintf(f: *mut FILE, fmt: *const c_char, ap: RawVaList) -> c_int {
    // SAFETY: f is open; the lock is held while formatting so output from
    // several threads does not interleave within one call.
    unsafe {
        (*f).lock.lock();
        let r = format_to(&mut FileSink(f), fmt, VaList::from_raw(ap));
        (*f).lock.unlock();
        r
    }
}

/// `vprintf(fmt, ap)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vprintf(fmt: *const c_char, ap: RawVaList) -> c_int {
    // SAFETY: as vfprintf.
    unsafe { vfprintf(stdout, fmt, ap) }
}

/// `vsnprintf(buf, n, fmt, ap)`: writes at most n-1 bytes and a NUL (if
/// n > 0); returns the full length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vsnprintf(
    buf: *mut c_char,
    n: size_t,
    fmt: *const c_char,
    ap: RawVaList,
) -> c_int {
    let mut s = BufSink {
        buf: buf as *mut u8,
        cap: n.saturating_sub(1),
        len: 0,
    };
    // SAFETY: buf has n bytes.
    unsafe {
        let r = format_to(&mut s, fmt, VaList::from_raw(ap));
        if n > 0 {
            *buf.add(s.len.min(n - 1)) = 0;
        }
        r
    }
}

/// `vsprintf(buf, fmt, ap)`: unbounded.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vsprintf(buf: *mut c_char, fmt: *const c_char, ap: RawVaList) -> c_int {
    // SAFETY: the caller promises room (C's contract for sprintf).
    unsafe { vsnprintf(buf, isize::MAX as usize, fmt, ap) }
}

/// `vdprintf(fd, fmt, ap)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vdprintf(fd: c_int, fmt: *const c_char, ap: RawVaList) -> c_int {
    let mut s = FdSink {
        fd,
        buf: [0; 512],
        len: 0,
        ok: true,
    };
    // SAFETY: as vfprintf.
    let r = unsafe { format_to(&mut s, fmt, VaList::from_raw(ap)) };
    if !s.flush() { -1 } else { r }
}

/// `vasprintf(out, fmt, ap)`: a malloc'd string; -1 with ENOMEM on failure
/// (and *out is left unspecified, as glibc documents).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vasprintf(
    out: *mut *mut c_char,
    fmt: *const c_char,
    ap: RawVaList,
) -> c_int {
    let mut s = HeapSink {
        buf: core::ptr::null_mut(),
        cap: 0,
        len: 0,
        failed: false,
    };
    // SAFETY: our own buffer; out is the caller's.
    unsafe {
        let r = format_to(&mut s, fmt, VaList::from_raw(ap));
        if r < 0 || s.failed {
            free(s.buf as _);
            if s.failed {
                set_errno(ENOMEM);
            }
            return -1;
        }
        if s.buf.is_null() {
            s.buf = malloc(1) as *mut u8;
            if s.buf.is_null() {
                return -1;
            }
        }
        *s.buf.add(s.len) = 0;
        *out = s.buf as *mut c_char;
        r
    }
}
