//! The C string functions (string.h, strings.h).

use crate::ctype::tolower_u8;
use crate::stdlib::malloc::malloc;
use crate::{c_char, c_int, size_t};
use core::ptr::null_mut;

pub use super::mem::strlen;

/// `strnlen(s, max)`: strlen, looking at no more than max bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strnlen(s: *const c_char, max: size_t) -> size_t {
    let mut n = 0;
    // SAFETY: up to max bytes or the terminator are readable.
    unsafe {
        while n < max && *s.add(n) != 0 {
            n += 1;
        }
    }
    n
}

/// `stpcpy(d, s)`: copy with the terminator; pointer to the copied NUL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stpcpy(d: *mut c_char, s: *const c_char) -> *mut c_char {
    // SAFETY: d has room for s (caller's contract).
    unsafe {
        let n = strlen(s);
        super::mem::memcpy(d as _, s as _, n + 1);
        d.add(n)
    }
}

/// `strcpy(d, s)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strcpy(d: *mut c_char, s: *const c_char) -> *mut c_char {
    // SAFETY: as stpcpy.
    unsafe { stpcpy(d, s) };
    d
}

/// `stpncpy(d, s, n)`: copy at most n bytes, pad with NULs; pointer to the
/// first NUL written (or d + n).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stpncpy(d: *mut c_char, s: *const c_char, n: size_t) -> *mut c_char {
    // SAFETY: n bytes writable at d; s readable up to n or its end.
    unsafe {
        let len = strnlen(s, n);
        super::mem::memcpy(d as _, s as _, len);
        super::mem::memset(d.add(len) as _, 0, n - len);
        d.add(len)
    }
}

/// `strncpy(d, s, n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strncpy(d: *mut c_char, s: *const c_char, n: size_t) -> *mut c_char {
    // SAFETY: as stpncpy.
    unsafe { stpncpy(d, s, n) };
    d
}

/// `strcat(d, s)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strcat(d: *mut c_char, s: *const c_char) -> *mut c_char {
    // SAFETY: d holds a string with room for s after it.
    unsafe { strcpy(d.add(strlen(d)), s) };
    d
}

/// `strncat(d, s, n)`: append at most n bytes of s, always terminate.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strncat(d: *mut c_char, s: *const c_char, n: size_t) -> *mut c_char {
    // SAFETY: as strcat, with room for min(n, strlen(s)) + 1 bytes.
    unsafe {
        let e = d.add(strlen(d));
        let len = strnlen(s, n);
        super::mem::memcpy(e as _, s as _, len);
        *e.add(len) = 0;
    }
    d
}

/// `strlcpy(d, s, size)` (BSD; glibc 2.38): returns strlen(s).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strlcpy(d: *mut c_char, s: *const c_char, size: size_t) -> size_t {
    // SAFETY: size bytes writable at d.
    unsafe {
        let len = strlen(s);
        if size != 0 {
            let n = len.min(size - 1);
            super::mem::memcpy(d as _, s as _, n);
            *d.add(n) = 0;
        }
        len
    }
}

/// `strlcat(d, s, size)` (BSD; glibc 2.38).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strlcat(d: *mut c_char, s: *const c_char, size: size_t) -> size_t {
    // SAFETY: size bytes at d.
    unsafe {
        let dl = strnlen(d, size);
        if dl == size {
            return size + strlen(s);
        }
        dl + strlcpy(d.add(dl), s, size - dl)
    }
}

/// `strcmp(a, b)`: compares as unsigned char; returns the difference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strcmp(a: *const c_char, b: *const c_char) -> c_int {
    let mut i = 0;
    // SAFETY: both are C strings.
    unsafe {
        loop {
            let (x, y) = (*a.add(i) as u8, *b.add(i) as u8);
            if x != y || x == 0 {
                return x as c_int - y as c_int;
            }
            i += 1;
        }
    }
}

/// `strncmp(a, b, n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strncmp(a: *const c_char, b: *const c_char, n: size_t) -> c_int {
    // SAFETY: both readable up to n bytes or their terminators.
    unsafe {
        for i in 0..n {
            let (x, y) = (*a.add(i) as u8, *b.add(i) as u8);
            if x != y || x == 0 {
                return x as c_int - y as c_int;
            }
        }
    }
    0
}

/// `strcoll(a, b)`: the C locale collates by byte value.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strcoll(a: *const c_char, b: *const c_char) -> c_int {
    // SAFETY: as strcmp.
    unsafe { strcmp(a, b) }
}

/// `strxfrm(d, s, n)`: in the C locale, a copy; returns strlen(s).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strxfrm(d: *mut c_char, s: *const c_char, n: size_t) -> size_t {
    // SAFETY: n bytes at d.
    unsafe {
        let len = strlen(s);
        if len < n {
            super::mem::memcpy(d as _, s as _, len + 1);
        }
        len
    }
}

/// `strcasecmp(a, b)`: compares lower-cased bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strcasecmp(a: *const c_char, b: *const c_char) -> c_int {
    // SAFETY: as strncasecmp.
    unsafe { strncasecmp(a, b, usize::MAX) }
}

/// `strncasecmp(a, b, n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strncasecmp(a: *const c_char, b: *const c_char, n: size_t) -> c_int {
    // SAFETY: C strings.
    unsafe {
        for i in 0..n {
            let (x, y) = (tolower_u8(*a.add(i) as u8), tolower_u8(*b.add(i) as u8));
            if x != y || x == 0 {
                return x as c_int - y as c_int;
            }
        }
    }
    0
}

/// `strchrnul(s, c)`: the first c, or the terminator.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strchrnul(s: *const c_char, c: c_int) -> *mut c_char {
    let mut p = s;
    // SAFETY: a C string.
    unsafe {
        while *p != 0 && *p as u8 != c as u8 {
            p = p.add(1);
        }
    }
    p as *mut c_char
}

/// `strchr(s, c)`: the first c (the terminator counts for c == 0), or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strchr(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: as strchrnul.
    unsafe {
        let p = strchrnul(s, c);
        if *p as u8 == c as u8 { p } else { null_mut() }
    }
}

/// `strrchr(s, c)`: the last c, or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strrchr(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: a C string; memrchr over it and its terminator.
    unsafe { super::mem::memrchr(s as _, c, strlen(s) + 1) as *mut c_char }
}

/// `index`/`rindex`: the BSD names of strchr/strrchr.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn index(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: as strchr.
    unsafe { strchr(s, c) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn rindex(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: as strrchr.
    unsafe { strrchr(s, c) }
}

/// A 256-bit set of the bytes of `set`.
unsafe fn byteset(set: *const c_char) -> [u32; 8] {
    let mut m = [0u32; 8];
    let mut p = set as *const u8;
    // SAFETY: a C string.
    unsafe {
        while *p != 0 {
            m[(*p >> 5) as usize] |= 1 << (*p & 31);
            p = p.add(1);
        }
    }
    m
}

fn in_set(m: &[u32; 8], b: u8) -> bool {
    m[(b >> 5) as usize] & (1 << (b & 31)) != 0
}

/// `strspn(s, accept)`: length of the prefix made of accept's bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strspn(s: *const c_char, accept: *const c_char) -> size_t {
    // SAFETY: C strings.
    unsafe {
        let m = byteset(accept);
        let mut n = 0;
        while *s.add(n) != 0 && in_set(&m, *s.add(n) as u8) {
            n += 1;
        }
        n
    }
}

/// `strcspn(s, reject)`: length of the prefix free of reject's bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strcspn(s: *const c_char, reject: *const c_char) -> size_t {
    // SAFETY: C strings.
    unsafe {
        let m = byteset(reject);
        let mut n = 0;
        while *s.add(n) != 0 && !in_set(&m, *s.add(n) as u8) {
            n += 1;
        }
        n
    }
}

/// `strpbrk(s, accept)`: the first byte of s in accept, or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strpbrk(s: *const c_char, accept: *const c_char) -> *mut c_char {
    // SAFETY: C strings.
    unsafe {
        let p = s.add(strcspn(s, accept));
        if *p != 0 {
            p as *mut c_char
        } else {
            null_mut()
        }
    }
}

/// `strstr(hay, needle)`: the first occurrence, or NULL; an empty needle
/// matches at hay. Two-way-free but linear enough for our uses: a first-byte
/// scan then a compare.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strstr(hay: *const c_char, needle: *const c_char) -> *mut c_char {
    // SAFETY: C strings.
    unsafe {
        let n = strlen(needle);
        if n == 0 {
            return hay as *mut c_char;
        }
        let mut p = hay;
        loop {
            p = strchr(p, *needle as c_int);
            if p.is_null() {
                return null_mut();
            }
            if strncmp(p, needle, n) == 0 {
                return p as *mut c_char;
            }
            p = p.add(1);
        }
    }
}

/// `strcasestr(hay, needle)`: strstr ignoring case.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strcasestr(hay: *const c_char, needle: *const c_char) -> *mut c_char {
    // SAFETY: C strings.
    unsafe {
        let n = strlen(needle);
        let mut p = hay;
        loop {
            if strncasecmp(p, needle, n) == 0 {
                return p as *mut c_char;
            }
            if *p == 0 {
                return null_mut();
            }
            p = p.add(1);
        }
    }
}

/// `strtok_r(s, delim, save)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtok_r(
    s: *mut c_char,
    delim: *const c_char,
    save: *mut *mut c_char,
) -> *mut c_char {
    // SAFETY: s (or *save) is a writable C string.
    unsafe {
        let mut p = if s.is_null() { *save } else { s };
        if p.is_null() {
            return null_mut();
        }
        p = p.add(strspn(p, delim));
        if *p == 0 {
            *save = p;
            return null_mut();
        }
        let end = p.add(strcspn(p, delim));
        if *end != 0 {
            *end = 0;
            *save = end.add(1);
        } else {
            *save = end;
        }
        p
    }
}

/// `strtok(s, delim)`: strtok_r with a hidden, process-wide save pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtok(s: *mut c_char, delim: *const c_char) -> *mut c_char {
    static mut SAVE: *mut c_char = null_mut();
    // SAFETY: strtok is documented as not thread-safe.
    unsafe { strtok_r(s, delim, &raw mut SAVE) }
}

/// `strsep(sp, delim)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strsep(sp: *mut *mut c_char, delim: *const c_char) -> *mut c_char {
    // SAFETY: *sp is a writable C string or NULL.
    unsafe {
        let s = *sp;
        if s.is_null() {
            return null_mut();
        }
        let e = s.add(strcspn(s, delim));
        if *e != 0 {
            *e = 0;
            *sp = e.add(1);
        } else {
            *sp = null_mut();
        }
        s
    }
}

/// `strndup(s, n)`: a malloc'd copy of at most n bytes; NULL with ENOMEM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strndup(s: *const c_char, n: size_t) -> *mut c_char {
    // SAFETY: s readable up to n or its end; the copy is ours.
    unsafe {
        let len = strnlen(s, n);
        let d = malloc(len + 1) as *mut c_char;
        if !d.is_null() {
            super::mem::memcpy(d as _, s as _, len);
            *d.add(len) = 0;
        }
        d
    }
}

/// `strdup(s)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strdup(s: *const c_char) -> *mut c_char {
    // SAFETY: as strndup.
    unsafe { strndup(s, usize::MAX) }
}
