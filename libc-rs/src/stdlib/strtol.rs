//! strtol, strtoul, strtoll, strtoull, strtoimax, strtoumax, atoi, atol,
//! atoll: glibc's parsing rules (leading space, sign, base 0 prefixes, a
//! lone "0x" parses as 0 with the end at 'x', ERANGE saturation, EINVAL and
//! no change to *endptr for a bad base).

use crate::ctype::isspace_u8;
use crate::errno::{EINVAL, ERANGE, set_errno};
use crate::{c_char, c_int, c_long, c_longlong, c_ulong, c_ulonglong};

/// The result of scanning: magnitude (saturated), sign, overflow, end.
struct Scan {
    neg: bool,
    value: u64,
    overflow: bool,
    end: *const c_char,
}

fn digit(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => (b - b'0') as u32,
        b'a'..=b'z' => (b - b'a' + 10) as u32,
        b'A'..=b'Z' => (b - b'A' + 10) as u32,
        _ => 99,
    }
}

/// Scan `s` in `base`, accumulating up to `limit`; None for a bad base.
unsafe fn scan(s: *const c_char, mut base: c_int, limit: u64) -> Option<Scan> {
    if base < 0 || base == 1 || base > 36 {
        return None;
    }
    // SAFETY: s is a C string; we never read past its terminator.
    unsafe {
        let at = |i: usize| *s.add(i) as u8;
        let mut i = 0;
        while isspace_u8(at(i)) {
            i += 1;
        }
        let neg = at(i) == b'-';
        if neg || at(i) == b'+' {
            i += 1;
        }
        if (base == 0 || base == 16)
            && at(i) == b'0'
            && at(i + 1) | 0x20 == b'x'
            && digit(at(i + 2)) < 16
        {
            i += 2;
            base = 16;
        } else if base == 0 {
            base = if at(i) == b'0' { 8 } else { 10 };
        }
        let start = i;
        let (mut value, mut overflow) = (0u64, false);
        while digit(at(i)) < base as u32 {
            let d = digit(at(i)) as u64;
            match value
                .checked_mul(base as u64)
                .and_then(|v| v.checked_add(d))
                .filter(|&v| v <= limit)
            {
                Some(v) => value = v,
                None => overflow = true,
            }
            i += 1;
        }
        let end = if i == start { s } else { s.add(i) };
        Some(Scan {
            neg,
            value,
            overflow,
            end,
        })
    }
}

/// Store the end pointer if asked for.
unsafe fn set_end(endp: *mut *mut c_char, end: *const c_char) {
    if !endp.is_null() {
        // SAFETY: caller's output pointer.
        unsafe { *endp = end as *mut c_char };
    }
}

/// Signed conversion to the range [min, max].
unsafe fn to_signed(
    s: *const c_char,
    endp: *mut *mut c_char,
    base: c_int,
    min: i64,
    max: i64,
) -> i64 {
    // SAFETY: caller passes a C string.
    let Some(r) = (unsafe { scan(s, base, u64::MAX) }) else {
        set_errno(EINVAL);
        return 0;
    };
    // SAFETY: as above.
    unsafe { set_end(endp, r.end) };
    let lim = if r.neg {
        min.unsigned_abs()
    } else {
        max as u64
    };
    if r.overflow || r.value > lim {
        set_errno(ERANGE);
        return if r.neg { min } else { max };
    }
    if r.neg {
        (r.value as i64).wrapping_neg()
    } else {
        r.value as i64
    }
}

/// Unsigned conversion to [0, max]; a minus sign negates modulo 2^N.
unsafe fn to_unsigned(s: *const c_char, endp: *mut *mut c_char, base: c_int, max: u64) -> u64 {
    // SAFETY: caller passes a C string.
    let Some(r) = (unsafe { scan(s, base, max) }) else {
        set_errno(EINVAL);
        return 0;
    };
    // SAFETY: as above.
    unsafe { set_end(endp, r.end) };
    if r.overflow {
        set_errno(ERANGE);
        return max;
    }
    if r.neg {
        r.value.wrapping_neg() & max
    } else {
        r.value
    }
}

/// `strtol(s, end, base)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtol(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_long {
    // SAFETY: C string from the caller.
    unsafe { to_signed(s, end, base, c_long::MIN as i64, c_long::MAX as i64) as c_long }
}

/// `strtoul(s, end, base)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtoul(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_ulong {
    // SAFETY: C string from the caller.
    unsafe { to_unsigned(s, end, base, c_ulong::MAX as u64) as c_ulong }
}

/// `strtoll(s, end, base)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtoll(
    s: *const c_char,
    end: *mut *mut c_char,
    base: c_int,
) -> c_longlong {
    // SAFETY: C string from the caller.
    unsafe { to_signed(s, end, base, i64::MIN, i64::MAX) }
}

/// `strtoull(s, end, base)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtoull(
    s: *const c_char,
    end: *mut *mut c_char,
    base: c_int,
) -> c_ulonglong {
    // SAFETY: C string from the caller.
    unsafe { to_unsigned(s, end, base, u64::MAX) }
}

/// `strtoimax` / `strtoumax`: intmax_t is 64-bit on both architectures.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtoimax(s: *const c_char, end: *mut *mut c_char, base: c_int) -> i64 {
    // SAFETY: as strtoll.
    unsafe { strtoll(s, end, base) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtoumax(s: *const c_char, end: *mut *mut c_char, base: c_int) -> u64 {
    // SAFETY: as strtoull.
    unsafe { strtoull(s, end, base) }
}

/// `atoi(s)`: strtol(s, NULL, 10) truncated to int.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn atoi(s: *const c_char) -> c_int {
    // SAFETY: as strtol.
    unsafe { strtol(s, core::ptr::null_mut(), 10) as c_int }
}

/// `atol(s)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn atol(s: *const c_char) -> c_long {
    // SAFETY: as strtol.
    unsafe { strtol(s, core::ptr::null_mut(), 10) }
}

/// `atoll(s)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn atoll(s: *const c_char) -> c_longlong {
    // SAFETY: as strtoll.
    unsafe { strtoll(s, core::ptr::null_mut(), 10) }
}
