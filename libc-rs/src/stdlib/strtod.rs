//! strtod, strtof, strtold, atof: glibc's syntax (space, sign, decimal with
//! exponent, hex floats, inf/infinity, nan and nan(chars) with glibc's
//! payload), correctly rounded; ERANGE on overflow (±HUGE_VAL) and when a
//! nonzero result is tiny (after rounding, as x86) and inexact.
//!
//! Decimal strings go through core's correctly rounded parser; hex floats
//! and the exactness check of tiny results are our own. strtold has
//! double's precision and range (its result is strtod's, widened exactly:
//! see `arch/*/strtold`).

use crate::c_char;
use crate::ctype::isspace_u8;
use crate::errno::{ERANGE, set_errno};
use core::ffi::{c_double, c_float};

/// An IEEE binary format: f64 or f32.
#[derive(Clone, Copy)]
pub struct Format {
    /// Stored mantissa bits (52, 23).
    mant: u32,
    /// Exponent of the least significant bit of the smallest subnormal.
    min_lsb: i64,
    /// The all-ones exponent field (2047, 255).
    exp_inf: u64,
}

pub const F64: Format = Format {
    mant: 52,
    min_lsb: -1074,
    exp_inf: 2047,
};
pub const F32: Format = Format {
    mant: 23,
    min_lsb: -149,
    exp_inf: 255,
};

impl Format {
    /// The bits of +infinity.
    fn inf(self) -> u64 {
        self.exp_inf << self.mant
    }

    /// The bits of the default quiet NaN.
    fn nan(self) -> u64 {
        self.inf() | 1 << (self.mant - 1)
    }

    /// The bits of the smallest normal number.
    fn min_normal(self) -> u64 {
        1 << self.mant
    }

    /// Bits of `s` as a positive decimal in this format (core's parser).
    fn parse_dec(self, s: &str) -> u64 {
        if self.mant == 52 {
            s.parse::<f64>().map_or(0, f64::to_bits)
        } else {
            s.parse::<f32>().map_or(0, |v| v.to_bits() as u64)
        }
    }
}

/// A parsed number: the bits of its magnitude, its sign, how many bytes it
/// took (0: no conversion) and whether ERANGE applies.
#[derive(Clone, Copy)]
pub struct Parsed {
    pub bits: u64,
    pub neg: bool,
    pub len: usize,
    pub erange: bool,
}

/// Byte `i` of `s`, 0 past its end.
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// Does `s[i..]` start with `word` (ASCII, any case)?
fn starts_nocase(s: &[u8], i: usize, word: &[u8]) -> bool {
    s.len() >= i + word.len() && s[i..i + word.len()].eq_ignore_ascii_case(word)
}

/// The value of a hex digit.
fn hex_digit(b: u8) -> Option<u64> {
    (b as char).to_digit(16).map(u64::from)
}

/// Parse the longest prefix of `s` that glibc's strtod accepts.
pub fn parse(s: &[u8], fmt: Format) -> Parsed {
    let mut i = 0;
    while isspace_u8(at(s, i)) {
        i += 1;
    }
    let neg = at(s, i) == b'-';
    if neg || at(s, i) == b'+' {
        i += 1;
    }
    let done = |bits, len, erange| Parsed {
        bits,
        neg,
        len,
        erange,
    };
    if starts_nocase(s, i, b"infinity") {
        return done(fmt.inf(), i + 8, false);
    }
    if starts_nocase(s, i, b"inf") {
        return done(fmt.inf(), i + 3, false);
    }
    if starts_nocase(s, i, b"nan") {
        let (bits, len, erange) = nan_payload(s, i + 3, fmt);
        return done(bits, len, erange);
    }
    if at(s, i) == b'0' && at(s, i + 1) | 0x20 == b'x' {
        if let Some(p) = parse_hex(s, i + 2, fmt) {
            return Parsed { neg, ..p };
        }
    }
    match parse_decimal(s, i, fmt) {
        Some(p) => Parsed { neg, ..p },
        None => Parsed {
            neg: false,
            ..done(0, 0, false)
        },
    }
}

/// After "nan": an optional "(chars)"; a number there is the payload, as
/// glibc (whose ERANGE from an overflowing one shows). Returns (bits, end,
/// erange).
fn nan_payload(s: &[u8], i: usize, fmt: Format) -> (u64, usize, bool) {
    if at(s, i) != b'(' {
        return (fmt.nan(), i, false);
    }
    let mut j = i + 1;
    while at(s, j).is_ascii_alphanumeric() || at(s, j) == b'_' {
        j += 1;
    }
    if at(s, j) != b')' {
        return (fmt.nan(), i, false);
    }
    let chars = &s[i + 1..j];
    let mask = (1u64 << (fmt.mant - 1)) - 1;
    let (payload, over) = parse_c_unsigned(chars).unwrap_or((0, false));
    (fmt.nan() | payload & mask, j + 1, over)
}

/// `chars` as a whole unsigned number in C's base-0 syntax (saturating, with
/// an overflow flag), or None if it is not one.
fn parse_c_unsigned(chars: &[u8]) -> Option<(u64, bool)> {
    let (digits, base) = match chars {
        [b'0', x, rest @ ..] if *x | 0x20 == b'x' && !rest.is_empty() => (rest, 16),
        [b'0', rest @ ..] if !rest.is_empty() => (rest, 8),
        _ => (chars, 10),
    };
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold((0u64, false), |(v, over), &b| {
        let d = (b as char).to_digit(base)?;
        Some(
            match v
                .checked_mul(base as u64)
                .and_then(|v| v.checked_add(d as u64))
            {
                Some(v) => (v, over),
                None => (u64::MAX, true),
            },
        )
    })
}

/// A decimal exponent after 'e'/'p' at `i`: (value, end), saturated; None
/// if no digit follows.
fn exponent(s: &[u8], mut i: usize) -> Option<(i64, usize)> {
    let neg = at(s, i) == b'-';
    if neg || at(s, i) == b'+' {
        i += 1;
    }
    if !at(s, i).is_ascii_digit() {
        return None;
    }
    let mut e: i64 = 0;
    while at(s, i).is_ascii_digit() {
        e = (e * 10 + (at(s, i) - b'0') as i64).min(1 << 40);
        i += 1;
    }
    Some((if neg { -e } else { e }, i))
}

/// The hex float after "0x" at `i`, or None when no hex digit follows (then
/// only the "0" converts).
fn parse_hex(s: &[u8], mut i: usize, fmt: Format) -> Option<Parsed> {
    let (mut mant, mut e2, mut sticky, mut any) = (0u64, 0i64, false, false);
    let mut dot = false;
    loop {
        let b = at(s, i);
        if b == b'.' && !dot {
            dot = true;
        } else if let Some(d) = hex_digit(b) {
            any = true;
            if mant >> 60 == 0 {
                mant = mant << 4 | d;
                if dot {
                    e2 -= 4;
                }
            } else {
                sticky |= d != 0;
                if !dot {
                    e2 += 4;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if at(s, i) | 0x20 == b'p' {
        if let Some((e, end)) = exponent(s, i + 1) {
            e2 += e;
            i = end;
        }
    }
    let (bits, erange) = round_binary(mant, e2, sticky, fmt);
    Some(Parsed {
        bits,
        neg: false,
        len: i,
        erange,
    })
}

/// `mant` shifted right by `sh` (≥ 0), rounded to nearest even with the
/// `sticky` bits below: (result, inexact).
fn shift_round(mant: u64, sh: i64, sticky: bool) -> (u64, bool) {
    if sh <= 0 {
        return (mant << -sh, sticky);
    }
    if sh > 64 {
        return (0, mant != 0 || sticky);
    }
    let kept = if sh == 64 { 0 } else { mant >> sh };
    let rem = mant & (u64::MAX >> (64 - sh));
    let half = 1u64 << (sh - 1);
    let up = rem > half || (rem == half && (sticky || kept & 1 == 1));
    (kept + up as u64, rem != 0 || sticky)
}

/// The bits of mant × 2^e2 (plus a sticky fraction), rounded to nearest
/// even: (bits, erange).
fn round_binary(mant: u64, e2: i64, sticky: bool, fmt: Format) -> (u64, bool) {
    if mant == 0 {
        return (0, false);
    }
    let p = fmt.mant as i64;
    let top = 63 - mant.leading_zeros() as i64 + e2; // exponent of the leading bit
    let min_top = fmt.min_lsb + p; // the smallest normal's exponent
    if top > min_top + fmt.exp_inf as i64 - 2 {
        return (fmt.inf(), true);
    }
    let lsb = (top - p).max(fmt.min_lsb);
    let (m, inexact) = shift_round(mant, lsb - e2, sticky);
    let bits = (((lsb - fmt.min_lsb) as u64) << p) + m;
    if bits >= fmt.inf() {
        return (fmt.inf(), true);
    }
    // Tiny after rounding: below the smallest normal even when rounded to
    // full precision with an unbounded exponent.
    let tiny = top < min_top
        && !(top == min_top - 1 && shift_round(mant, top - p - e2, sticky).0 >> (p + 1) != 0);
    (bits, tiny && inexact)
}

/// A decimal at `i`: digits with at most one '.', at least one digit, then
/// an optional exponent.
fn parse_decimal(s: &[u8], start: usize, fmt: Format) -> Option<Parsed> {
    let mut i = start;
    let mut digits = 0;
    let mut dot = false;
    while at(s, i).is_ascii_digit() || (at(s, i) == b'.' && !dot) {
        if at(s, i) == b'.' {
            dot = true;
        } else {
            digits += 1;
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let mant_end = i;
    let mut exp = 0;
    if at(s, i) | 0x20 == b'e' {
        if let Some((e, end)) = exponent(s, i + 1) {
            exp = e;
            i = end;
        }
    }
    // core's syntax is ours without the sign (it saturates long exponents).
    let bits = core::str::from_utf8(&s[start..i]).map_or(0, |t| fmt.parse_dec(t));
    let erange = if bits >= fmt.inf() {
        true
    } else if bits <= fmt.min_normal() {
        tiny_inexact(&s[start..mant_end], exp, bits, fmt)
    } else {
        false
    };
    Some(Parsed {
        bits,
        neg: false,
        len: i,
        erange,
    })
}

/// For a result `bits` at or below the smallest normal: is the decimal
/// `mant` × 10^`exp` tiny (after rounding) and not exactly `bits`?
fn tiny_inexact(mant: &[u8], exp: i64, bits: u64, fmt: Format) -> bool {
    let Some(d) = Decimal::new(mant, exp) else {
        return false; // zero
    };
    if bits == 0 {
        return true;
    }
    if bits < fmt.min_normal() {
        // Tiny; inexact unless exactly bits × 2^min_lsb.
        return d.cmp_dyadic(bits, fmt.min_lsb) != core::cmp::Ordering::Equal;
    }
    // The smallest normal: tiny if below its rounding threshold at full
    // precision, 2^min − 2^(min_lsb − 2) (inexact then too).
    let threshold = (1u64 << (fmt.mant + 2)) - 1;
    d.cmp_dyadic(threshold, fmt.min_lsb - 2) == core::cmp::Ordering::Less
}

/// A positive decimal: significant digits (truncated, with a sticky flag)
/// and the power of ten of the last kept digit.
struct Decimal<'a> {
    /// From the first to the last nonzero digit, '.' included.
    digits: &'a [u8],
    /// How many of its digits are kept.
    count: usize,
    pow10: i64,
    sticky: bool,
}

/// Significant digits kept for exactness checks: enough for any subnormal.
const KEPT: usize = 1200;

impl<'a> Decimal<'a> {
    /// From mantissa text (digits and one '.') and exponent; None if zero.
    fn new(mant: &'a [u8], exp: i64) -> Option<Self> {
        let dot = mant.iter().position(|&b| b == b'.').unwrap_or(mant.len());
        let first = mant.iter().position(|&b| b.is_ascii_digit() && b != b'0')?;
        let last = mant
            .iter()
            .rposition(|&b| b.is_ascii_digit() && b != b'0')?;
        let digits = &mant[first..=last];
        let count = digits.iter().filter(|b| b.is_ascii_digit()).count();
        // Power of ten of the last significant digit.
        let pos = if last < dot {
            (dot - last - 1) as i64
        } else {
            -((last - dot) as i64)
        };
        let kept = count.min(KEPT);
        Some(Decimal {
            digits,
            count: kept,
            pow10: exp.saturating_add(pos + (count - kept) as i64),
            sticky: count > kept,
        })
    }

    /// Compare this value with m × 2^e2 (m > 0).
    fn cmp_dyadic(&self, m: u64, e2: i64) -> core::cmp::Ordering {
        use core::cmp::Ordering::*;
        // Orders of magnitude decide first when far apart.
        let top10 = self.pow10 + self.count as i64; // value < 10^top10
        let top2 = e2 + 64; // m × 2^e2 < 2^top2
        const LOG2_10: f64 = 3.321928;
        if (top10 as f64) * LOG2_10 < (e2 as f64) - 2.0 {
            return Less;
        }
        if ((top10 - 1) as f64) * LOG2_10 > (top2 as f64) + 2.0 {
            return Greater;
        }
        // D × 10^p vs m × 2^e2, as integers: D × 5^p × 2^(p−e2) vs m, with
        // negative powers moved across.
        let mut lhs = Big::default();
        let mut n = 0;
        for &b in self.digits {
            if b.is_ascii_digit() && n < self.count {
                lhs.mul_add(10, (b - b'0') as u32);
                n += 1;
            }
        }
        let mut rhs = Big::default();
        rhs.mul_add(1 << 16, (m >> 48) as u32);
        rhs.mul_add(1 << 16, (m >> 32 & 0xffff) as u32);
        rhs.mul_add(1 << 16, (m >> 16 & 0xffff) as u32);
        rhs.mul_add(1 << 16, (m & 0xffff) as u32);
        let p = self.pow10;
        let (five_l, five_r) = if p >= 0 { (p, 0) } else { (0, -p) };
        let twos = p - e2;
        let (two_l, two_r) = if twos >= 0 { (twos, 0) } else { (0, -twos) };
        if !(lhs.pow(5, five_l) && rhs.pow(5, five_r) && lhs.pow(2, two_l) && rhs.pow(2, two_r)) {
            // Out of range: cannot happen for the inputs we are given.
            return Less;
        }
        match lhs.cmp(&rhs) {
            Equal if self.sticky => Greater,
            o => o,
        }
    }
}

/// A fixed-size unsigned big integer (little-endian 32-bit limbs).
struct Big {
    limbs: [u32; 400],
    len: usize,
}

impl Default for Big {
    fn default() -> Self {
        Big {
            limbs: [0; 400],
            len: 0,
        }
    }
}

impl Big {
    /// self = self × k + add; false on overflow.
    fn mul_add(&mut self, k: u32, add: u32) -> bool {
        let mut carry = add as u64;
        for l in &mut self.limbs[..self.len] {
            let v = *l as u64 * k as u64 + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            if self.len == self.limbs.len() {
                return false;
            }
            self.limbs[self.len] = carry as u32;
            self.len += 1;
        }
        true
    }

    /// self ×= base^n for base 2 or 5; false on overflow.
    fn pow(&mut self, base: u32, mut n: i64) -> bool {
        let step: (u32, i64) = if base == 2 {
            (1 << 31, 31)
        } else {
            (1_220_703_125, 13)
        };
        while n > 0 {
            let k = n.min(step.1);
            let f = if k == step.1 {
                step.0
            } else {
                base.pow(k as u32)
            };
            if !self.mul_add(f, 0) {
                return false;
            }
            n -= k;
        }
        true
    }

    /// Compare magnitudes.
    fn cmp(&self, o: &Big) -> core::cmp::Ordering {
        self.len.cmp(&o.len).then_with(|| {
            self.limbs[..self.len]
                .iter()
                .rev()
                .cmp(o.limbs[..o.len].iter().rev())
        })
    }
}

/// The length of a C string.
unsafe fn c_slice<'a>(s: *const c_char) -> &'a [u8] {
    // SAFETY: s is a NUL-terminated string (the caller's contract).
    unsafe {
        let n = crate::string::mem::strlen(s);
        core::slice::from_raw_parts(s as *const u8, n)
    }
}

/// Parse the C string `s` in `fmt`, storing the end in `endp` and ERANGE.
unsafe fn convert(s: *const c_char, endp: *mut *mut c_char, fmt: Format) -> (u64, bool) {
    // SAFETY: s is the caller's C string, endp its optional output.
    let p = parse(unsafe { c_slice(s) }, fmt);
    if !endp.is_null() {
        // SAFETY: as above; p.len is within the string.
        unsafe { *endp = s.add(p.len) as *mut c_char };
    }
    if p.erange {
        set_errno(ERANGE);
    }
    (p.bits, p.neg)
}

/// `strtod(s, end)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtod(s: *const c_char, end: *mut *mut c_char) -> c_double {
    // SAFETY: the caller's C string and output.
    let (bits, neg) = unsafe { convert(s, end, F64) };
    let v = f64::from_bits(bits);
    if neg { -v } else { v }
}

/// `strtof(s, end)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn strtof(s: *const c_char, end: *mut *mut c_char) -> c_float {
    // SAFETY: the caller's C string and output.
    let (bits, neg) = unsafe { convert(s, end, F32) };
    let v = f32::from_bits(bits as u32);
    if neg { -v } else { v }
}

/// `atof(s)`: strtod(s, NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn atof(s: *const c_char) -> c_double {
    // SAFETY: the caller's C string.
    unsafe { strtod(s, core::ptr::null_mut()) }
}

/// An f64 as the 10 bytes of an x87 80-bit extended value (exact).
pub fn f64_to_x87(v: f64) -> [u8; 10] {
    let bits = v.to_bits();
    let sign = ((bits >> 63) as u16) << 15;
    let exp = (bits >> 52 & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (e, m) = match exp {
        0 if frac == 0 => (0, 0),
        0 => {
            // Subnormal double: normal in the wider exponent range.
            let lz = frac.leading_zeros();
            (15372 - lz as i32, frac << lz)
        }
        0x7ff => (0x7fff, 1 << 63 | frac << 11),
        _ => (exp - 1023 + 16383, 1 << 63 | frac << 11),
    };
    let mut out = [0u8; 10];
    out[..8].copy_from_slice(&m.to_le_bytes());
    out[8..].copy_from_slice(&(sign | e as u16).to_le_bytes());
    out
}
