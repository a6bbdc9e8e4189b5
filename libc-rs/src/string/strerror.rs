//! `strerror`, `strerror_r`, `strerror_l`, `perror` support, `strsignal`:
//! glibc's texts (see messages.rs), including "Unknown error N".

use super::messages::{ERRNO_MESSAGES, SIGNAL_MESSAGES};
use crate::{c_char, c_int, size_t};

/// A message buffer for the numbered ("Unknown error 1234") cases.
struct Buf([u8; 40]);

static mut ERR_BUF: Buf = Buf([0; 40]);
static mut SIG_BUF: Buf = Buf([0; 40]);

/// Write `prefix` and `n` (decimal, possibly negative) into `b`, NUL-terminated.
fn numbered(b: &mut Buf, prefix: &[u8], n: c_int) -> *mut c_char {
    let mut out = [0u8; 16];
    let mut i = out.len();
    let mut v = (n as i64).unsigned_abs();
    loop {
        i -= 1;
        out[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        out[i] = b'-';
    }
    let digits = &out[i..];
    b.0[..prefix.len()].copy_from_slice(prefix);
    b.0[prefix.len()..prefix.len() + digits.len()].copy_from_slice(digits);
    b.0[prefix.len() + digits.len()] = 0;
    b.0.as_mut_ptr() as *mut c_char
}

/// The fixed message for `e` (NUL-terminated), if Linux defines it.
pub fn message(e: c_int) -> Option<&'static str> {
    ERRNO_MESSAGES
        .get(e as usize)
        .copied()
        .filter(|m| !m.is_empty())
}

/// The message without its NUL, for Rust callers.
pub fn message_text(e: c_int) -> Option<&'static str> {
    message(e).map(|m| &m[..m.len() - 1])
}

/// A static message as a C string (the tables carry the NUL).
fn c_static(m: &'static str) -> *mut c_char {
    m.as_ptr() as *mut c_char
}

/// `strerror(e)`: "Unknown error N" for numbers Linux does not use.
#[unsafe(no_mangle)]
pub extern "C" fn strerror(e: c_int) -> *mut c_char {
    // SAFETY: as in glibc, the text for an unknown number may be overwritten
    // by the next such call; known messages are static.
    unsafe {
        match message(e) {
            Some(m) => c_static(m),
            None => numbered(&mut *(&raw mut ERR_BUF), b"Unknown error ", e),
        }
    }
}

/// `strerror_l(e, locale)`: only the C locale exists.
#[unsafe(no_mangle)]
pub extern "C" fn strerror_l(e: c_int, _loc: *mut u8) -> *mut c_char {
    strerror(e)
}

/// The XSI `strerror_r`: copy into buf; ERANGE if it does not fit, EINVAL
/// for unknown numbers (the text is still written).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __xpg_strerror_r(e: c_int, buf: *mut c_char, len: size_t) -> c_int {
    let mut tmp = Buf([0; 40]);
    let (p, r) = match message(e) {
        Some(m) => (c_static(m), 0),
        None => (
            numbered(&mut tmp, b"Unknown error ", e),
            crate::errno::EINVAL,
        ),
    };
    // SAFETY: buf has len bytes.
    unsafe {
        let n = super::str::strlen(p);
        if n >= len {
            if len > 0 {
                super::mem::memcpy(buf as _, p as _, len - 1);
                *buf.add(len - 1) = 0;
            }
            return crate::errno::ERANGE;
        }
        super::mem::memcpy(buf as _, p as _, n + 1);
    }
    r
}

/// `strsignal(sig)`: glibc's names; real-time signals are numbered from
/// SIGRTMIN (34).
#[unsafe(no_mangle)]
pub extern "C" fn strsignal(sig: c_int) -> *mut c_char {
    // SAFETY: as strerror.
    unsafe {
        let b = &mut *(&raw mut SIG_BUF);
        match sig {
            1..=31 => c_static(SIGNAL_MESSAGES[sig as usize]),
            34..=64 => numbered(b, b"Real-time signal ", sig - 34),
            _ => numbered(b, b"Unknown signal ", sig),
        }
    }
}
