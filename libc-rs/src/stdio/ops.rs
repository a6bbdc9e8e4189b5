//! Character, line and block I/O on streams: fputc/putc/putchar, fputs,
//! puts, fwrite, fgetc/getc/getchar, ungetc, fgets, fread, getline,
//! getdelim, perror (and the *_unlocked variants).

use super::file::{
    EOF, F_EOF, F_ERR, FILE, fill_locked, stderr, stdin, stdout, take_byte, write_locked,
};
use crate::errno::{EINVAL, ENOMEM, errno, set_errno};
use crate::stdlib::malloc::realloc;
use crate::string::str::strlen;
use crate::{c_char, c_int, size_t, ssize_t};

/// Run `f` with the stream locked.
unsafe fn locked<R>(s: *mut FILE, f: impl FnOnce() -> R) -> R {
    // SAFETY: s is an open stream.
    unsafe {
        (*s).lock.lock();
        let r = f();
        (*s).lock.unlock();
        r
    }
}

/// `fputc_unlocked(c, f)`: c as unsigned char, or EOF on error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fputc_unlocked(c: c_int, f: *mut FILE) -> c_int {
    let b = c as u8;
    // SAFETY: the caller holds the lock (or owns the stream).
    if unsafe { write_locked(f, core::slice::from_ref(&b)) } {
        b as c_int
    } else {
        EOF
    }
}

/// `fputc(c, f)`, `putc(c, f)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fputc(c: c_int, f: *mut FILE) -> c_int {
    // SAFETY: an open stream.
    unsafe { locked(f, || fputc_unlocked(c, f)) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn putc(c: c_int, f: *mut FILE) -> c_int {
    // SAFETY: as fputc.
    unsafe { fputc(c, f) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn putc_unlocked(c: c_int, f: *mut FILE) -> c_int {
    // SAFETY: as fputc_unlocked.
    unsafe { fputc_unlocked(c, f) }
}

/// `putchar(c)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn putchar(c: c_int) -> c_int {
    // SAFETY: stdout is always open.
    unsafe { fputc(c, stdout) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn putchar_unlocked(c: c_int) -> c_int {
    // SAFETY: stdout is always open.
    unsafe { fputc_unlocked(c, stdout) }
}

/// `fputs(s, f)`: a non-negative number, or EOF.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fputs(s: *const c_char, f: *mut FILE) -> c_int {
    // SAFETY: s is a C string; f an open stream.
    unsafe {
        let bytes = core::slice::from_raw_parts(s as *const u8, strlen(s));
        if locked(f, || write_locked(f, bytes)) {
            1
        } else {
            EOF
        }
    }
}

/// `puts(s)`: s and a newline on stdout.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn puts(s: *const c_char) -> c_int {
    // SAFETY: as fputs.
    unsafe {
        let f = stdout;
        let bytes = core::slice::from_raw_parts(s as *const u8, strlen(s));
        if locked(f, || write_locked(f, bytes) && write_locked(f, b"\n")) {
            1
        } else {
            EOF
        }
    }
}

/// `fwrite(p, size, n, f)`: the number of whole items written.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fwrite(p: *const u8, size: size_t, n: size_t, f: *mut FILE) -> size_t {
    let Some(total) = size.checked_mul(n) else {
        return 0;
    };
    if total == 0 {
        return 0;
    }
    // SAFETY: p has total bytes; f is open.
    unsafe {
        let data = core::slice::from_raw_parts(p, total);
        if locked(f, || write_locked(f, data)) {
            n
        } else {
            0
        }
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn fwrite_unlocked(
    p: *const u8,
    size: size_t,
    n: size_t,
    f: *mut FILE,
) -> size_t {
    // SAFETY: as fwrite (the recursive lock makes nesting harmless).
    unsafe { fwrite(p, size, n, f) }
}

/// `fgetc_unlocked(f)`: the next byte, or EOF (with the EOF or error flag).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fgetc_unlocked(f: *mut FILE) -> c_int {
    // SAFETY: the caller holds the lock.
    unsafe {
        if fill_locked(f) {
            take_byte(f) as c_int
        } else {
            EOF
        }
    }
}

/// `fgetc(f)`, `getc(f)`, `getchar()`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fgetc(f: *mut FILE) -> c_int {
    // SAFETY: an open stream.
    unsafe { locked(f, || fgetc_unlocked(f)) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn getc(f: *mut FILE) -> c_int {
    // SAFETY: as fgetc.
    unsafe { fgetc(f) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn getc_unlocked(f: *mut FILE) -> c_int {
    // SAFETY: as fgetc_unlocked.
    unsafe { fgetc_unlocked(f) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn getchar() -> c_int {
    // SAFETY: stdin is always open.
    unsafe { fgetc(stdin) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn getchar_unlocked() -> c_int {
    // SAFETY: stdin is always open.
    unsafe { fgetc_unlocked(stdin) }
}

/// `ungetc(c, f)`: push back one byte (up to 8 in a row); clears EOF.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ungetc(c: c_int, f: *mut FILE) -> c_int {
    if c == EOF {
        return EOF;
    }
    // SAFETY: an open stream.
    unsafe {
        locked(f, || {
            let fr = &mut *f;
            if fr.nunget == fr.unget.len() {
                return EOF;
            }
            fr.unget[fr.nunget] = c as u8;
            fr.nunget += 1;
            fr.flags &= !F_EOF;
            c as u8 as c_int
        })
    }
}

/// `fgets(s, n, f)`: up to n-1 bytes through a newline; NULL at EOF with
/// nothing read, or on error.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fgets(s: *mut c_char, n: c_int, f: *mut FILE) -> *mut c_char {
    if n <= 0 {
        set_errno(EINVAL);
        return core::ptr::null_mut();
    }
    // SAFETY: s has n bytes; f is open.
    unsafe {
        locked(f, || {
            let mut i = 0;
            while i + 1 < n as usize {
                if !fill_locked(f) {
                    if i == 0 || (*f).flags & F_ERR != 0 {
                        return core::ptr::null_mut();
                    }
                    break;
                }
                let b = take_byte(f);
                *s.add(i) = b as c_char;
                i += 1;
                if b == b'\n' {
                    break;
                }
            }
            *s.add(i) = 0;
            s
        })
    }
}

/// `fread(p, size, n, f)`: the number of whole items read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fread(p: *mut u8, size: size_t, n: size_t, f: *mut FILE) -> size_t {
    let Some(total) = size.checked_mul(n) else {
        return 0;
    };
    if total == 0 {
        return 0;
    }
    // SAFETY: p has total bytes; f is open.
    unsafe {
        locked(f, || {
            let mut got = 0;
            while got < total {
                if !fill_locked(f) {
                    break;
                }
                let fr = &mut *f;
                if fr.nunget > 0 {
                    *p.add(got) = take_byte(f);
                    got += 1;
                    continue;
                }
                let k = (fr.rend - fr.rpos).min(total - got);
                crate::string::mem::memcpy(p.add(got) as _, fr.buf.add(fr.rpos) as _, k);
                fr.rpos += k;
                if fr.rpos == fr.rend {
                    fr.rpos = 0;
                    fr.rend = 0;
                }
                got += k;
            }
            got / size
        })
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn fread_unlocked(
    p: *mut u8,
    size: size_t,
    n: size_t,
    f: *mut FILE,
) -> size_t {
    // SAFETY: as fread.
    unsafe { fread(p, size, n, f) }
}

/// `getdelim(line, cap, delim, f)`: read through delim into a malloc'd,
/// growing buffer; the length, or -1 at EOF/error (EINVAL for bad args).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getdelim(
    line: *mut *mut c_char,
    cap: *mut size_t,
    delim: c_int,
    f: *mut FILE,
) -> ssize_t {
    if line.is_null() || cap.is_null() {
        set_errno(EINVAL);
        return -1;
    }
    // SAFETY: the caller's buffer pointer and capacity.
    unsafe {
        locked(f, || {
            if (*line).is_null() {
                *cap = 0;
            }
            let mut n = 0usize;
            loop {
                if !fill_locked(f) {
                    if n == 0 || (*f).flags & F_ERR != 0 {
                        return -1;
                    }
                    break;
                }
                let b = take_byte(f);
                if n + 2 > *cap {
                    let newcap = (*cap * 2).max(120).max(n + 2);
                    let p = realloc(*line as _, newcap) as *mut c_char;
                    if p.is_null() {
                        (*f).flags |= F_ERR;
                        set_errno(ENOMEM);
                        return -1;
                    }
                    *line = p;
                    *cap = newcap;
                }
                *(*line).add(n) = b as c_char;
                n += 1;
                if b as c_int == delim {
                    break;
                }
            }
            *(*line).add(n) = 0;
            n as ssize_t
        })
    }
}

/// `getline(line, cap, f)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getline(
    line: *mut *mut c_char,
    cap: *mut size_t,
    f: *mut FILE,
) -> ssize_t {
    // SAFETY: as getdelim.
    unsafe { getdelim(line, cap, b'\n' as c_int, f) }
}

/// `perror(s)`: "s: message\n" on stderr (just the message for NULL or "").
#[unsafe(no_mangle)]
pub unsafe extern "C" fn perror(s: *const c_char) {
    let e = errno();
    let msg = crate::string::strerror::strerror(e);
    // SAFETY: C strings; stderr is always open.
    unsafe {
        let f = stderr;
        locked(f, || {
            if !s.is_null() && *s != 0 {
                write_locked(f, core::slice::from_raw_parts(s as *const u8, strlen(s)));
                write_locked(f, b": ");
            }
            write_locked(
                f,
                core::slice::from_raw_parts(msg as *const u8, strlen(msg)),
            );
            write_locked(f, b"\n");
        });
    }
    set_errno(e);
}
