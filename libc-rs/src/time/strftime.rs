//! strftime in the C locale, with glibc's conversions, flags (`_ - 0 ^ #`),
//! field widths and E/O modifiers (no eras or alternative digits in the C
//! locale). Numbers use C `int` arithmetic, wrapping as glibc's does.

use super::calendar::{DAYS, MONTHS, decimal, local_zone, make_time, tm, tzname, tzset};
use crate::string::mem::strlen;
use crate::{c_char, size_t};

/// The output: bytes beyond the buffer are counted, not written.
struct Out<'a> {
    b: &'a mut [u8],
    n: usize,
}

impl Out<'_> {
    /// Append `k` copies of `c`.
    fn fill(&mut self, c: u8, k: usize) {
        let end = self.b.len().min(self.n.saturating_add(k));
        if self.n < end {
            self.b[self.n..end].fill(c);
        }
        self.n = self.n.saturating_add(k);
    }

    /// Append `s`, lower- or upper-cased on request.
    fn text(&mut self, s: &[u8], low: bool, up: bool) {
        for &c in s {
            let c = if low {
                c.to_ascii_lowercase()
            } else if up {
                c.to_ascii_uppercase()
            } else {
                c
            };
            if let Some(x) = self.b.get_mut(self.n) {
                *x = c;
            }
            self.n += 1;
        }
    }
}

/// One conversion's flags: glibc's `pad`, `width`, case changes.
struct Conv {
    pad: u8,
    width: i32,
    low: bool,
    up: bool,
}

impl Conv {
    /// Pad to the field width (zeros for the `0` flag, else spaces), before
    /// a piece of `n` bytes (glibc's `add`).
    fn pad_for(&self, o: &mut Out, n: usize) {
        let delta = self.width as i64 - n as i64;
        if delta > 0 {
            let c = if self.pad == b'0' { b'0' } else { b' ' };
            o.fill(c, delta as usize);
        }
    }

    /// A string piece, padded and case-changed (glibc's `cpy`).
    fn cpy(&self, o: &mut Out, s: &[u8]) {
        self.pad_for(o, s.len());
        o.text(s, self.low, self.up);
    }

    /// A number at least `digits` wide, padded as glibc's `do_number`.
    fn number(&mut self, o: &mut Out, digits: i32, v: i64) {
        let mut d = [0u8; 24];
        let mut i = decimal(v, 1, &mut d);
        if self.pad != b'-' {
            let padding = digits as i64 - (d.len() - i) as i64;
            if padding > 0 {
                if self.pad == b'_' {
                    o.fill(b' ', padding as usize);
                    self.width = if self.width as i64 > padding {
                        self.width - padding as i32
                    } else {
                        0
                    };
                } else {
                    if v < 0 {
                        i += 1;
                        o.fill(b'-', 1);
                    }
                    o.fill(b'0', padding as usize);
                    self.width = 0;
                }
            }
        }
        self.cpy(o, &d[i..]);
    }

    /// DO_NUMBER: at least `d` digits (or the width), zero-padded.
    fn num(&mut self, o: &mut Out, d: i32, v: i32) {
        self.number(o, d.max(self.width), v as i64);
    }

    /// DO_NUMBER_SPACEPAD: space-padded unless the `0` or `-` flag.
    fn num_sp(&mut self, o: &mut Out, d: i32, v: i32) {
        if self.pad != b'0' && self.pad != b'-' {
            self.pad = b'_';
        }
        self.num(o, d, v);
    }
}

/// Is `y` a leap year (C `int` arithmetic)?
fn is_leap(y: i32) -> i32 {
    (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) as i32
}

/// Days since the Monday starting ISO week 1 of the year of (yday, wday);
/// negative before it.
fn iso_week_days(yday: i32, wday: i32) -> i32 {
    let big = (366 / 7 + 2) * 7;
    yday.wrapping_sub(yday.wrapping_sub(wday).wrapping_add(4 + big) % 7) + 4 - 1
}

/// A name from `names`, abbreviated to 3 letters on request; "?" out of range.
fn name(names: &[&'static [u8]], i: i32, abbr: bool) -> &'static [u8] {
    match usize::try_from(i).ok().and_then(|i| names.get(i)) {
        Some(n) if abbr => &n[..3],
        Some(n) => n,
        None => b"?",
    }
}

/// Format `f` (no NUL) into `o`; `upcase` from an enclosing `%^` subformat.
fn format(o: &mut Out, f: &[u8], t: &tm, upcase: bool) {
    let mut i = 0;
    while i < f.len() {
        if f[i] != b'%' {
            o.text(&f[i..i + 1], false, false);
            i += 1;
            continue;
        }
        let mut c = Conv {
            pad: 0,
            width: -1,
            low: false,
            up: upcase,
        };
        let mut change = false;
        i += 1;
        while let Some(&ch) = f.get(i) {
            match ch {
                b'_' | b'-' | b'0' => c.pad = ch,
                b'^' => c.up = true,
                b'#' => change = true,
                _ => break,
            }
            i += 1;
        }
        if f.get(i).is_some_and(|ch| ch.is_ascii_digit()) {
            c.width = 0;
            while let Some(&ch) = f.get(i).filter(|ch| ch.is_ascii_digit()) {
                c.width = c
                    .width
                    .saturating_mul(10)
                    .saturating_add((ch - b'0') as i32);
                i += 1;
            }
        }
        let modifier = match f.get(i) {
            Some(&m @ (b'E' | b'O')) => {
                i += 1;
                m
            }
            _ => 0,
        };
        let conv = f.get(i).copied().unwrap_or(0);
        let year = t.tm_year.wrapping_add(1900);
        let hour12 = match t.tm_hour {
            h if h > 12 => h - 12,
            0 => 12,
            h => h,
        };
        let upper_on_change = |c: &mut Conv| {
            if change {
                c.up = true;
                c.low = false;
            }
        };
        let lower_on_change = |c: &mut Conv| {
            if change {
                c.up = false;
                c.low = true;
            }
        };
        // A subformat, or None when the conversion was handled (Some(b"")
        // is a bad format).
        // The plain numbers: (minimum digits, value, space-padded).
        let number = match (conv, modifier) {
            (b'd', 0 | b'O') => Some((2, t.tm_mday, false)),
            (b'e', 0 | b'O') => Some((2, t.tm_mday, true)),
            (b'H', 0 | b'O') => Some((2, t.tm_hour, false)),
            (b'I', 0 | b'O') => Some((2, hour12, false)),
            (b'k', 0 | b'O') => Some((2, t.tm_hour, true)),
            (b'l', 0 | b'O') => Some((2, hour12, true)),
            (b'j', 0 | b'O') => Some((3, t.tm_yday.wrapping_add(1), false)),
            (b'M', 0 | b'O') => Some((2, t.tm_min, false)),
            (b'm', 0 | b'O') => Some((2, t.tm_mon.wrapping_add(1), false)),
            (b'S', 0 | b'O') => Some((2, t.tm_sec, false)),
            (b'w', 0 | b'O') => Some((1, t.tm_wday, false)),
            _ => None,
        };
        let sub: Option<&[u8]> = match (conv, modifier) {
            _ if number.is_some() => {
                let (d, v, spacepad) = number.unwrap_or_default();
                if spacepad {
                    c.num_sp(o, d, v);
                } else {
                    c.num(o, d, v);
                }
                None
            }
            (b'%', 0) => {
                c.pad_for(o, 1);
                o.text(b"%", false, false);
                None
            }
            (b'a' | b'A', 0) => {
                upper_on_change(&mut c);
                c.cpy(o, name(&DAYS, t.tm_wday, conv == b'a'));
                None
            }
            (b'b' | b'h' | b'B', 0 | b'O') => {
                upper_on_change(&mut c);
                c.cpy(o, name(&MONTHS, t.tm_mon, conv != b'B'));
                None
            }
            (b'c', 0 | b'E') => Some(b"%a %b %e %H:%M:%S %Y"),
            (b'C', _) => {
                c.num(o, 1, year / 100 - (year % 100 < 0) as i32);
                None
            }
            (b'x', 0 | b'E') | (b'D', 0) => Some(b"%m/%d/%y"),
            (b'F', 0) => Some(b"%Y-%m-%d"),
            (b'n', _) => {
                c.pad_for(o, 1);
                o.text(b"\n", false, false);
                None
            }
            (b't', _) => {
                c.pad_for(o, 1);
                o.text(b"\t", false, false);
                None
            }
            (b'p' | b'P', _) => {
                if conv == b'P' {
                    c.low = true;
                }
                lower_on_change(&mut c);
                c.cpy(o, if t.tm_hour > 11 { b"PM" } else { b"AM" });
                None
            }
            (b'R', _) => Some(b"%H:%M"),
            (b'r', _) => Some(b"%I:%M:%S %p"),
            (b's', _) => {
                let mut copy = *t;
                tzset();
                let v = make_time(&mut copy, Some(local_zone()));
                c.number(o, 1, v);
                None
            }
            (b'X', 0 | b'E') => Some(b"%H:%M:%S"),
            (b'T', _) => Some(b"%H:%M:%S"),
            (b'u', _) => {
                c.num(o, 1, (t.tm_wday.wrapping_sub(1).wrapping_add(7)) % 7 + 1);
                None
            }
            (b'U', 0 | b'O') => {
                let v = t.tm_yday.wrapping_sub(t.tm_wday).wrapping_add(7) / 7;
                c.num(o, 2, v);
                None
            }
            (b'W', 0 | b'O') => {
                let w = (t.tm_wday.wrapping_sub(1).wrapping_add(7)) % 7;
                c.num(o, 2, t.tm_yday.wrapping_sub(w).wrapping_add(7) / 7);
                None
            }
            (b'V' | b'g' | b'G', 0 | b'O') => {
                let mut y = year;
                let mut days = iso_week_days(t.tm_yday, t.tm_wday);
                if days < 0 {
                    y = y.wrapping_sub(1);
                    days = iso_week_days(t.tm_yday.wrapping_add(365 + is_leap(y)), t.tm_wday);
                } else {
                    let d = iso_week_days(t.tm_yday.wrapping_sub(365 + is_leap(y)), t.tm_wday);
                    if d >= 0 {
                        y = y.wrapping_add(1);
                        days = d;
                    }
                }
                match conv {
                    b'g' => c.num(o, 2, (y % 100 + 100) % 100),
                    b'G' => c.num(o, 1, y),
                    _ => c.num(o, 2, days / 7 + 1),
                }
                None
            }
            (b'y', 0 | b'E' | b'O') => {
                c.num(o, 2, (t.tm_year % 100 + 100) % 100);
                None
            }
            (b'Y', 0 | b'E') => {
                c.num(o, 1, year);
                None
            }
            (b'Z', _) => {
                lower_on_change(&mut c);
                c.cpy(o, zone_name(t));
                None
            }
            (b'z', _) => {
                if t.tm_isdst >= 0 {
                    let mut diff = t.tm_gmtoff as i32;
                    c.pad_for(o, 1);
                    o.text(if diff < 0 { b"-" } else { b"+" }, false, false);
                    diff = diff.wrapping_abs() / 60;
                    c.num(o, 4, (diff / 60) * 100 + diff % 60);
                }
                None
            }
            _ => Some(b""),
        };
        match sub {
            None => {}
            Some(b"") => {
                if b"bBh".contains(&conv) {
                    upper_on_change(&mut c);
                }
                // Unknown: copy the conversion text from its '%' (at the end
                // of the format, up to the last character).
                let end = i.min(f.len() - 1);
                let start = f[..=end].iter().rposition(|&ch| ch == b'%').unwrap_or(0);
                c.cpy(o, &f[start..=end]);
            }
            Some(s) => {
                let mut probe = Out { b: &mut [], n: 0 };
                format(&mut probe, s, t, c.up);
                c.pad_for(o, probe.n);
                let start = o.n;
                format(o, s, t, c.up);
                if c.up {
                    let end = o.n.min(o.b.len());
                    if start < end {
                        o.b[start..end].make_ascii_uppercase();
                    }
                }
            }
        }
        i += 1;
    }
}

/// %Z's text: tm_zone, else tzname for tm_isdst 0/1, "?" above, "" below.
fn zone_name(t: &tm) -> &[u8] {
    let mut z = t.tm_zone;
    // SAFETY: tm_zone is NULL or a C string; tzname holds C strings.
    unsafe {
        if (z.is_null() || *z == 0) && t.tm_isdst >= 0 {
            tzset();
            z = match t.tm_isdst {
                0 | 1 => tzname[t.tm_isdst as usize],
                _ => c"?".as_ptr(),
            };
        }
        if z.is_null() {
            return b"";
        }
        core::slice::from_raw_parts(z as *const u8, strlen(z))
    }
}

/// `strftime(s, max, fmt, t)`: the length written, or 0 (contents
/// unspecified) when the text and its NUL don't fit in `max` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strftime(
    s: *mut c_char,
    max: size_t,
    fmt: *const c_char,
    t: *const tm,
) -> size_t {
    // SAFETY: the caller's buffer of `max` bytes, C string and structure.
    unsafe {
        let f = core::slice::from_raw_parts(fmt as *const u8, strlen(fmt));
        let cap = max.min(isize::MAX as usize);
        let buf: &mut [u8] = if cap == 0 {
            &mut []
        } else {
            core::slice::from_raw_parts_mut(s as *mut u8, cap)
        };
        let mut o = Out { b: buf, n: 0 };
        format(&mut o, f, &*t, false);
        if o.n >= cap {
            return 0;
        }
        o.b[o.n] = 0;
        o.n
    }
}
