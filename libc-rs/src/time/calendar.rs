//! The calendar: `struct tm` (glibc's layout), gmtime, localtime, mktime,
//! timegm, asctime, ctime, difftime, tzset. Proleptic Gregorian arithmetic
//! on 64-bit days, as glibc: years must fit `int` (EOVERFLOW otherwise).
//!
//! Time zones: there is no zone database. With TZ unset, empty, or not of
//! the form `NAME[+-]hh[:mm[:ss]]`, local time is UTC named "UTC" (glibc
//! with TZ unset and no /etc/localtime); `NAME[+-]hh[:mm[:ss]]` (no DST
//! part) is a fixed offset, as glibc parses it.

use crate::env::getenv;
use crate::errno::{EINVAL, EOVERFLOW, set_errno};
use crate::lock::Lock;
use crate::{c_char, c_int, c_long, time_t};
use core::ptr::null_mut;
use core::sync::atomic::{AtomicI64, Ordering::Relaxed};

/// `struct tm`, glibc's layout.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct tm {
    pub tm_sec: c_int,
    pub tm_min: c_int,
    pub tm_hour: c_int,
    pub tm_mday: c_int,
    pub tm_mon: c_int,
    pub tm_year: c_int,
    pub tm_wday: c_int,
    pub tm_yday: c_int,
    pub tm_isdst: c_int,
    pub tm_gmtoff: c_long,
    pub tm_zone: *const c_char,
}

impl tm {
    /// All fields zero, no zone.
    pub const fn zero() -> tm {
        tm {
            tm_sec: 0,
            tm_min: 0,
            tm_hour: 0,
            tm_mday: 0,
            tm_mon: 0,
            tm_year: 0,
            tm_wday: 0,
            tm_yday: 0,
            tm_isdst: 0,
            tm_gmtoff: 0,
            tm_zone: core::ptr::null(),
        }
    }
}

const DAY: i64 = 86400;
static GMT: &[u8] = b"GMT\0";
static UTC: &[u8] = b"UTC\0";

/// Days from 1970-01-01 to `y`-`m`-`d` (m 1..=12), proleptic Gregorian.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468
}

/// The date of day `z` since 1970-01-01: (year, month 1..=12, day 1..=31).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

/// Broken-down time of `t + off` seconds (i128: no overflow), or None when
/// the year doesn't fit `int`. Zone fields are left to the caller.
fn breakdown(t: i128, out: &mut tm) -> bool {
    let days = t.div_euclid(DAY as i128);
    let secs = t.rem_euclid(DAY as i128) as i64;
    // Years beyond int are far inside i64 days; anything larger overflows.
    if days.unsigned_abs() > (1u128 << 40) {
        return false;
    }
    let days = days as i64;
    let (y, m, d) = civil_from_days(days);
    let Ok(year) = c_int::try_from(y - 1900) else {
        return false;
    };
    *out = tm {
        tm_sec: (secs % 60) as c_int,
        tm_min: (secs / 60 % 60) as c_int,
        tm_hour: (secs / 3600) as c_int,
        tm_mday: d as c_int,
        tm_mon: (m - 1) as c_int,
        tm_year: year,
        tm_wday: (days + 4).rem_euclid(7) as c_int,
        tm_yday: (days - days_from_civil(y, 1, 1)) as c_int,
        tm_isdst: 0,
        tm_gmtoff: 0,
        tm_zone: core::ptr::null(),
    };
    true
}

/// The local zone: its offset east of UTC in seconds and its name.
#[derive(Clone, Copy)]
pub struct Zone {
    pub off: i64,
    pub name: *const c_char,
}

/// The last TZ name parsed (NUL-terminated), and the lock guarding it.
static mut ZONE_NAME: [u8; 32] = [0; 32];
static ZONE_LOCK: Lock = Lock::new();

/// `NAME[+-]hh[:mm[:ss]]` as glibc parses it: (name, offset east of UTC).
fn parse_tz(s: &[u8]) -> Option<(&[u8], i64)> {
    let (name, rest) = if s.first() == Some(&b'<') {
        let end = s.iter().position(|&c| c == b'>')?;
        (&s[1..end], &s[end + 1..])
    } else {
        let n = s.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        (&s[..n], &s[n..])
    };
    if name.len() < 3 || name.len() >= 31 {
        return None;
    }
    let (sign, mut rest) = match rest.first() {
        Some(b'-') => (1, &rest[1..]),
        Some(b'+') => (-1, &rest[1..]),
        _ => (-1, rest),
    };
    let mut parts = [0i64; 3];
    for (i, part) in parts.iter_mut().enumerate() {
        if i > 0 {
            match rest.split_first() {
                Some((b':', r)) => rest = r,
                _ => break,
            }
        }
        let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 5 {
            return None;
        }
        *part = rest[..n].iter().fold(0, |a, &c| a * 10 + (c - b'0') as i64);
        rest = &rest[n..];
    }
    if !rest.is_empty() {
        return None;
    }
    let secs = parts[0].min(24) * 3600 + parts[1].min(59) * 60 + parts[2].min(59);
    Some((name, sign * secs))
}

/// The local zone from TZ (see the module comment).
pub fn local_zone() -> Zone {
    let utc = Zone {
        off: 0,
        name: UTC.as_ptr() as *const c_char,
    };
    // SAFETY: getenv returns NULL or a C string that outlives this call.
    let tz = unsafe {
        let p = getenv(c"TZ".as_ptr());
        if p.is_null() {
            return utc;
        }
        core::slice::from_raw_parts(p as *const u8, crate::string::mem::strlen(p))
    };
    let Some((name, off)) = parse_tz(tz) else {
        return utc;
    };
    ZONE_LOCK.lock();
    // SAFETY: ZONE_NAME is only written under ZONE_LOCK, and only when the
    // name changes (so earlier tm_zone pointers keep their text).
    let p = unsafe {
        let buf = &mut *(&raw mut ZONE_NAME);
        if &buf[..name.len()] != name || buf[name.len()] != 0 {
            buf[..name.len()].copy_from_slice(name);
            buf[name.len()] = 0;
        }
        buf.as_ptr() as *const c_char
    };
    ZONE_LOCK.unlock();
    Zone { off, name: p }
}

/// `char *tzname[2]`: the local zone's names (standard, daylight).
#[unsafe(no_mangle)]
pub static mut tzname: [*mut c_char; 2] = [c"UTC".as_ptr() as *mut c_char; 2];

/// `tzset()`: read TZ into `tzname`.
#[unsafe(no_mangle)]
pub extern "C" fn tzset() {
    let z = local_zone();
    // SAFETY: plain pointer stores into tzname, as glibc does.
    unsafe { tzname = [z.name as *mut c_char; 2] };
}

/// gmtime/localtime's core: `t` in `zone` into `out`, or EOVERFLOW.
fn convert(t: time_t, zone: Option<Zone>, out: &mut tm) -> bool {
    let mut tmp = tm::zero();
    // As glibc: the UTC date must fit as well as the local one.
    let ok = breakdown(t as i128, &mut tmp)
        && breakdown(t as i128 + zone.map_or(0, |z| z.off) as i128, &mut tmp);
    if !ok {
        set_errno(EOVERFLOW);
        return false;
    }
    match zone {
        Some(z) => {
            tmp.tm_gmtoff = z.off as c_long;
            tmp.tm_zone = z.name;
        }
        None => tmp.tm_zone = GMT.as_ptr() as *const c_char,
    }
    *out = tmp;
    true
}

/// The buffer gmtime and localtime return.
static mut TM_BUF: tm = tm::zero();

/// `gmtime_r(t, out)`: UTC, zone "GMT"; NULL with EOVERFLOW.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gmtime_r(t: *const time_t, out: *mut tm) -> *mut tm {
    // SAFETY: the caller's pointers.
    unsafe {
        if convert(*t, None, &mut *out) {
            out
        } else {
            null_mut()
        }
    }
}

/// `gmtime(t)`: gmtime_r into a static buffer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gmtime(t: *const time_t) -> *mut tm {
    // SAFETY: the caller's t; TM_BUF is the documented shared buffer.
    unsafe { gmtime_r(t, &raw mut TM_BUF) }
}

/// `localtime_r(t, out)`: in the TZ zone; NULL with EOVERFLOW.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn localtime_r(t: *const time_t, out: *mut tm) -> *mut tm {
    // SAFETY: the caller's pointers.
    unsafe {
        if convert(*t, Some(local_zone()), &mut *out) {
            out
        } else {
            null_mut()
        }
    }
}

/// `localtime(t)`: localtime_r into a static buffer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn localtime(t: *const time_t) -> *mut tm {
    tzset();
    // SAFETY: the caller's t; TM_BUF is the documented shared buffer.
    unsafe { localtime_r(t, &raw mut TM_BUF) }
}

/// mktime's offset from the last successful call (glibc's heuristic guess).
static GUESS: AtomicI64 = AtomicI64::new(0);

/// mktime/timegm's core: normalise `*v` read as time in `zone` (None:
/// UTC/GMT); -1 with EOVERFLOW (and `*v` untouched) when out of range.
pub fn make_time(v: &mut tm, zone: Option<Zone>) -> time_t {
    let off = zone.map_or(0, |z| z.off);
    let mon = v.tm_mon as i64;
    let year = v.tm_year as i64 + 1900 + mon.div_euclid(12);
    let days = days_from_civil(year, mon.rem_euclid(12) + 1, 1) + v.tm_mday as i64 - 1;
    let sec = v.tm_sec as i64;
    let base = days * DAY + v.tm_hour as i64 * 3600 + v.tm_min as i64 * 60 - off;
    // glibc finds the time with tm_sec clamped to 0..=59 first; asked for
    // DST (mktime only) in a zone without any, it takes the time as one hour
    // ahead; then it adds the rest of tm_sec. Each step must be in range.
    let mut tmp = tm::zero();
    let mut t = base + sec.clamp(0, 59);
    if zone.is_some() {
        // glibc's first guess is the local time shifted by the previous
        // call's offset; out of range, it leaves errno EOVERFLOW even when
        // mktime succeeds.
        convert(t + off + GUESS.load(Relaxed), zone, &mut tmp);
    }
    if !convert(t, zone, &mut tmp) {
        return -1;
    }
    if zone.is_some() && v.tm_isdst > 0 {
        // glibc first probes up to 447 weeks-ish steps (601,200 s) either
        // way for a DST time; a probe out of range leaves errno EOVERFLOW
        // even when mktime succeeds.
        convert(t - 447 * 601200, zone, &mut tmp);
        convert(t + 447 * 601200, zone, &mut tmp);
        t -= 3600;
        if !convert(t, zone, &mut tmp) {
            return -1;
        }
    }
    let guess = t - (base + off + sec.clamp(0, 59));
    t += sec - sec.clamp(0, 59);
    if !convert(t, zone, &mut tmp) {
        return -1;
    }
    if zone.is_some() {
        GUESS.store(guess, Relaxed);
    }
    *v = tmp;
    t
}

/// `mktime(v)`: local time to time_t, normalising `*v`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mktime(v: *mut tm) -> time_t {
    tzset();
    // SAFETY: the caller's structure.
    make_time(unsafe { &mut *v }, Some(local_zone()))
}

/// `timegm(v)`: UTC to time_t, normalising `*v` (zone "GMT").
#[unsafe(no_mangle)]
pub unsafe extern "C" fn timegm(v: *mut tm) -> time_t {
    // SAFETY: the caller's structure.
    make_time(unsafe { &mut *v }, None)
}

/// `difftime(a, b)`: a - b in seconds.
#[unsafe(no_mangle)]
pub extern "C" fn difftime(a: time_t, b: time_t) -> f64 {
    // Exact in i128, then one rounding, as glibc.
    (a as i128 - b as i128) as f64
}

pub static DAYS: [&[u8]; 7] = [
    b"Sunday",
    b"Monday",
    b"Tuesday",
    b"Wednesday",
    b"Thursday",
    b"Friday",
    b"Saturday",
];
pub static MONTHS: [&[u8]; 12] = [
    b"January",
    b"February",
    b"March",
    b"April",
    b"May",
    b"June",
    b"July",
    b"August",
    b"September",
    b"October",
    b"November",
    b"December",
];

/// `v` in decimal with at least `min` digits (and a '-'), at the end of
/// `d`; returns where it starts.
pub fn decimal(v: i64, min: usize, d: &mut [u8; 24]) -> usize {
    let mut i = d.len();
    let mut u = v.unsigned_abs();
    while u != 0 || d.len() - i < min.max(1) {
        i -= 1;
        d[i] = b'0' + (u % 10) as u8;
        u /= 10;
    }
    if v < 0 {
        i -= 1;
        d[i] = b'-';
    }
    i
}

/// A bounded byte writer that counts what didn't fit.
struct Buf<'a> {
    b: &'a mut [u8],
    n: usize,
}

impl Buf<'_> {
    /// Append bytes.
    fn put(&mut self, s: &[u8]) {
        for &c in s {
            if let Some(x) = self.b.get_mut(self.n) {
                *x = c;
            }
            self.n += 1;
        }
    }

    /// Append `v` as printf's `%<width>.<prec>d`.
    fn int(&mut self, v: i64, width: usize, prec: usize) {
        let mut d = [0u8; 24];
        let i = decimal(v, prec, &mut d);
        for _ in d.len() - i..width {
            self.put(b" ");
        }
        self.put(&d[i..]);
    }
}

/// asctime's format into `out` (NUL-terminated); false (EOVERFLOW) when the
/// text and its NUL don't fit.
fn asctime_into(v: &tm, out: &mut [u8]) -> bool {
    if v.tm_year > c_int::MAX - 1900 {
        set_errno(EOVERFLOW);
        return false;
    }
    let name = |names: &[&'static [u8]], i: c_int| match names.get(i as usize) {
        Some(n) if i >= 0 => &n[..3],
        _ => b"???",
    };
    let cap = out.len() - 1;
    let mut b = Buf {
        b: &mut out[..cap],
        n: 0,
    };
    b.put(name(&DAYS, v.tm_wday));
    b.put(b" ");
    b.put(name(&MONTHS, v.tm_mon));
    b.int(v.tm_mday as i64, 3, 1);
    b.put(b" ");
    b.int(v.tm_hour as i64, 0, 2);
    b.put(b":");
    b.int(v.tm_min as i64, 0, 2);
    b.put(b":");
    b.int(v.tm_sec as i64, 0, 2);
    b.put(b" ");
    b.int(v.tm_year as i64 + 1900, 0, 1);
    b.put(b"\n");
    let n = b.n;
    if n >= out.len() {
        set_errno(EOVERFLOW);
        return false;
    }
    out[n] = 0;
    true
}

/// `asctime_r(v, buf)`: "Sun Sep 16 01:03:52 1973\n" into 26 bytes; NULL
/// with EOVERFLOW when it doesn't fit, EINVAL for a NULL `v`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn asctime_r(v: *const tm, buf: *mut c_char) -> *mut c_char {
    if v.is_null() {
        set_errno(EINVAL);
        return null_mut();
    }
    // SAFETY: the caller's structure and 26-byte buffer.
    let ok = unsafe { asctime_into(&*v, core::slice::from_raw_parts_mut(buf as *mut u8, 26)) };
    if ok { buf } else { null_mut() }
}

/// asctime's static buffer: room for every int field (as glibc's).
static mut ASC_BUF: [u8; 114] = [0; 114];

/// `asctime(v)`: into a static buffer large enough for any field values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn asctime(v: *const tm) -> *mut c_char {
    if v.is_null() {
        set_errno(EINVAL);
        return null_mut();
    }
    // SAFETY: the caller's structure; ASC_BUF is the documented shared buffer.
    unsafe {
        let buf = &mut *(&raw mut ASC_BUF);
        if asctime_into(&*v, buf) {
            buf.as_mut_ptr() as *mut c_char
        } else {
            null_mut()
        }
    }
}

/// `ctime(t)`: asctime(localtime(t)).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ctime(t: *const time_t) -> *mut c_char {
    // SAFETY: the caller's t.
    unsafe { asctime(localtime(t)) }
}

/// `ctime_r(t, buf)`: asctime_r(localtime_r(t)).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ctime_r(t: *const time_t, buf: *mut c_char) -> *mut c_char {
    let mut v = tm::zero();
    // SAFETY: the caller's t and buffer.
    unsafe { asctime_r(localtime_r(t, &mut v), buf) }
}
