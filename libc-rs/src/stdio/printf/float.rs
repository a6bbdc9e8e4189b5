//! Floating-point conversions (%f %F %e %E %g %G %a %A) for double and the
//! x87 80-bit long double, digit-exact like glibc: the decimal expansion of
//! a binary float is finite, so we generate its exact digits with a big
//! integer (integer part by repeated division, fraction part by repeated
//! multiplication by ten) and round half to even on the exact value.
//!
//! Output is produced in two passes over a re-startable digit stream: the
//! first decides rounding (and where a carry stops), so the total length is
//! known for padding; the second emits. Nothing is allocated; any precision
//! works.

use super::Sink;
use super::format::{Spec, emit_number};

/// Limbs for a double (int part < 2^1024, fraction < 2^1078) and a long
/// double (< 2^16384, fraction < 2^16450).
const LIMBS_F64: usize = 36;
const LIMBS_LD: usize = 520;
/// Decimal digits of the largest integer part, rounded up to whole 9-digit
/// chunks (double: 309, long double: 4933).
const INT_DIGITS_F64: usize = 320;
const INT_DIGITS_LD: usize = 4941;

/// What kind of value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Finite,
    Inf,
    Nan,
}

/// A float taken apart: value = mant * 2^exp; plus its hex-float view.
pub struct Decoded {
    neg: bool,
    class: Class,
    mant: u64,
    exp: i32,
    long: bool,
    hex_lead: u32,
    hex_frac: u64,
    hex_digits: usize,
    hex_exp: i32,
}

impl Decoded {
    /// A double.
    pub fn from_f64(x: f64) -> Decoded {
        let bits = x.to_bits();
        let neg = bits >> 63 != 0;
        let e = ((bits >> 52) & 0x7ff) as i32;
        let m = bits & ((1 << 52) - 1);
        let mut d = Decoded {
            neg,
            class: Class::Finite,
            mant: 0,
            exp: 0,
            long: false,
            hex_lead: 0,
            hex_frac: m,
            hex_digits: 13,
            hex_exp: 0,
        };
        if e == 0x7ff {
            d.class = if m == 0 { Class::Inf } else { Class::Nan };
        } else if e == 0 {
            d.mant = m;
            d.exp = -1074;
            d.hex_exp = if m == 0 { 0 } else { -1022 };
        } else {
            d.mant = m | 1 << 52;
            d.exp = e - 1075;
            d.hex_lead = 1;
            d.hex_exp = e - 1023;
        }
        d
    }

    /// An x87 extended-precision long double (its ten bytes).
    pub fn from_long_double(b: [u8; 10]) -> Decoded {
        let m = u64::from_le_bytes(b[..8].try_into().unwrap());
        let se = u16::from_le_bytes([b[8], b[9]]);
        let neg = se >> 15 != 0;
        let e = (se & 0x7fff) as i32;
        let mut d = Decoded {
            neg,
            class: Class::Finite,
            mant: m,
            exp: 0,
            long: true,
            hex_lead: (m >> 60) as u32,
            hex_frac: m & ((1 << 60) - 1),
            hex_digits: 15,
            hex_exp: 0,
        };
        if e == 0x7fff {
            d.class = if m << 1 == 0 { Class::Inf } else { Class::Nan };
        } else if e == 0 {
            // Denormal: the exponent of the smallest normal, explicit bit 0.
            d.exp = 1 - 16383 - 63;
            d.hex_exp = if m == 0 { 0 } else { 1 - 16383 - 3 };
        } else {
            d.exp = e - 16383 - 63;
            d.hex_exp = e - 16383 - 3;
        }
        d
    }
}

/// A little-endian big unsigned integer with N 32-bit limbs.
#[derive(Clone)]
struct Big<const N: usize> {
    l: [u32; N],
    n: usize,
}

impl<const N: usize> Big<N> {
    /// m << shift.
    fn from_shifted(m: u64, shift: u32) -> Self {
        let mut b = Big { l: [0; N], n: 0 };
        let (q, r) = ((shift / 32) as usize, shift % 32);
        let wide = (m as u128) << r;
        for k in 0..3 {
            let limb = (wide >> (32 * k)) as u32;
            if q + k < N {
                b.l[q + k] = limb;
            }
        }
        b.n = (q + 3).min(N);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.n > 0 && self.l[self.n - 1] == 0 {
            self.n -= 1;
        }
    }

    fn is_zero(&self) -> bool {
        self.n == 0
    }

    /// self = self * m.
    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for i in 0..self.n {
            let v = self.l[i] as u64 * m as u64 + carry;
            self.l[i] = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.l[self.n] = carry as u32;
            self.n += 1;
        }
    }

    /// self = self / d; returns the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for i in (0..self.n).rev() {
            let v = (rem << 32) | self.l[i] as u64;
            self.l[i] = (v / d as u64) as u32;
            rem = v % d as u64;
        }
        self.trim();
        rem as u32
    }

    /// Remove and return the bits at and above bit `s` (value < 16).
    fn take_above(&mut self, s: u32) -> u8 {
        let (q, r) = ((s / 32) as usize, s % 32);
        let mut d: u64 = 0;
        if q < self.n {
            d = (self.l[q] >> r) as u64;
            if q + 1 < self.n {
                d |= (self.l[q + 1] as u64) << (32 - r);
            }
            self.l[q] &= if r == 0 { 0 } else { (1u32 << r) - 1 };
            for i in q + 1..self.n {
                self.l[i] = 0;
            }
            self.n = q + 1;
            self.trim();
        }
        d as u8
    }
}

/// The exact decimal digits of a finite value: the integer part's digits,
/// then the fraction's, generated on demand.
#[derive(Clone)]
struct Stream<'a, const N: usize> {
    int: &'a [u8],
    at: usize,
    frac: Big<N>,
    bits: u32,
    pending: Option<u8>,
}

impl<const N: usize> Stream<'_, N> {
    fn next(&mut self) -> u8 {
        if let Some(d) = self.pending.take() {
            return d;
        }
        if self.at < self.int.len() {
            self.at += 1;
            return self.int[self.at - 1];
        }
        if self.frac.is_zero() {
            return 0;
        }
        self.frac.mul_small(10);
        self.frac.take_above(self.bits)
    }

    /// Is any digit after the ones taken nonzero?
    fn rest_nonzero(&self) -> bool {
        self.pending.is_some_and(|d| d != 0)
            || self.int[self.at..].iter().any(|&d| d != 0)
            || !self.frac.is_zero()
    }
}

/// Split mant * 2^exp into integer digits (written to `int`, returned
/// length) and the fraction (numerator, bits).
fn split<const N: usize>(
    mant: u64,
    exp: i32,
    int: &mut [u8],
    rev: &mut [u8],
) -> (usize, Big<N>, u32) {
    let (mut ip, frac, bits) = if exp >= 0 {
        (
            Big::<N>::from_shifted(mant, exp as u32),
            Big::<N> { l: [0; N], n: 0 },
            0,
        )
    } else {
        let s = (-exp) as u32;
        let ip = if s < 64 { mant >> s } else { 0 };
        let fr = if s < 64 {
            mant & ((1u64 << s) - 1)
        } else {
            mant
        };
        (
            Big::<N>::from_shifted(ip, 0),
            Big::<N>::from_shifted(fr, 0),
            s,
        )
    };
    // Integer part: nine digits at a time, least significant first.
    let mut n = 0;
    while !ip.is_zero() {
        let mut chunk = ip.div_small(1_000_000_000);
        for _ in 0..9 {
            rev[n] = (chunk % 10) as u8;
            chunk /= 10;
            n += 1;
        }
    }
    while n > 0 && rev[n - 1] == 0 {
        n -= 1;
    }
    for i in 0..n {
        int[i] = rev[n - 1 - i];
    }
    (n, frac, bits)
}

/// The rounding decision for keeping `k` digits of a stream.
struct Round {
    up: bool,
    /// Index of the last kept digit that is not 9 (where a carry stops).
    carry: Option<usize>,
    /// Index of the last nonzero kept digit after rounding (None: all zero,
    /// or all nines rounded up into a new leading 1).
    last_nz: Option<usize>,
}

fn round<const N: usize>(mut st: Stream<'_, N>, k: usize) -> Round {
    let (mut carry, mut last_nz, mut last) = (None, None, 0);
    for j in 0..k {
        let d = st.next();
        if d != 9 {
            carry = Some(j);
        }
        if d != 0 {
            last_nz = Some(j);
        }
        last = d;
    }
    let r = st.next();
    let up = r > 5 || (r == 5 && (st.rest_nonzero() || last & 1 == 1));
    if up {
        last_nz = carry;
    }
    Round { up, carry, last_nz }
}

/// Buffers small writes to a sink.
struct Out<'a> {
    s: &'a mut dyn Sink,
    buf: [u8; 64],
    n: usize,
    ok: bool,
}

impl Out<'_> {
    fn byte(&mut self, b: u8) {
        if self.n == self.buf.len() {
            self.flush();
        }
        self.buf[self.n] = b;
        self.n += 1;
    }

    fn flush(&mut self) {
        self.ok &= self.s.put(&self.buf[..self.n]);
        self.n = 0;
    }
}

/// Emit `k` rounded digits from `st`, calling `sep(j)` before digit j for a
/// separator (the decimal point), limited to the first `limit` digits.
fn emit_digits<const N: usize>(
    out: &mut Out,
    mut st: Stream<'_, N>,
    k: usize,
    r: &Round,
    limit: usize,
    mut sep: impl FnMut(&mut Out, usize),
) {
    for j in 0..k.min(limit) {
        sep(out, j);
        let d = st.next();
        let d = if !r.up {
            d
        } else {
            match r.carry {
                Some(c) if j < c => d,
                Some(c) if j == c => d + 1,
                _ => 0,
            }
        };
        out.byte(b'0' + d);
    }
}

/// Exponent suffix: e+XX (at least two digits).
fn exp_text(upper: bool, x: i32, buf: &mut [u8; 8]) -> usize {
    buf[0] = if upper { b'E' } else { b'e' };
    buf[1] = if x < 0 { b'-' } else { b'+' };
    let mut v = x.unsigned_abs();
    let mut tmp = [0u8; 6];
    let mut n = 0;
    while v > 0 || n < 2 {
        tmp[n] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
    }
    for i in 0..n {
        buf[2 + i] = tmp[n - 1 - i];
    }
    2 + n
}

/// Run `f` with the digit stream of `d` (stack-sized for its type).
fn with_stream<R>(d: &Decoded, f: &mut dyn FnMut(&mut dyn Digits) -> R) -> R {
    if d.long {
        let (mut int, mut rev) = ([0u8; INT_DIGITS_LD], [0u8; INT_DIGITS_LD]);
        let (n, frac, bits) = split::<LIMBS_LD>(d.mant, d.exp, &mut int, &mut rev);
        f(&mut Stream {
            int: &int[..n],
            at: 0,
            frac,
            bits,
            pending: None,
        })
    } else {
        let (mut int, mut rev) = ([0u8; INT_DIGITS_F64], [0u8; INT_DIGITS_F64]);
        let (n, frac, bits) = split::<LIMBS_F64>(d.mant, d.exp, &mut int, &mut rev);
        f(&mut Stream {
            int: &int[..n],
            at: 0,
            frac,
            bits,
            pending: None,
        })
    }
}

/// The formats, over any stream size.
trait Digits {
    fn fixed(
        &self,
        s: &mut dyn Sink,
        spec: &Spec,
        sign: &[u8],
        prec: usize,
        strip: bool,
    ) -> Result<usize, i32>;
    fn sci(
        &self,
        s: &mut dyn Sink,
        spec: &Spec,
        sign: &[u8],
        prec: usize,
        strip: bool,
    ) -> Result<usize, i32>;
    /// Decimal exponent before and after rounding to `p` significant digits.
    fn exponents(&self, p: usize) -> (i32, i32);
}

impl<const N: usize> Stream<'_, N> {
    /// The stream from its first significant digit, and that digit's
    /// decimal exponent (0 for zero).
    fn significant(&self) -> (Self, i32) {
        let mut st = self.clone();
        if !self.int.is_empty() {
            return (st, self.int.len() as i32 - 1);
        }
        if self.frac.is_zero() {
            return (st, 0);
        }
        let mut x = -1;
        loop {
            let d = st.next();
            if d != 0 {
                st.pending = Some(d);
                return (st, x);
            }
            x -= 1;
        }
    }

    /// The %f stream: at least one integer digit (a leading 0).
    fn fixed_stream(&self) -> (Self, usize) {
        let mut st = self.clone();
        if self.int.is_empty() {
            st.pending = Some(0);
            (st, 1)
        } else {
            (st, self.int.len())
        }
    }
}

impl<const N: usize> Digits for Stream<'_, N> {
    fn fixed(
        &self,
        s: &mut dyn Sink,
        spec: &Spec,
        sign: &[u8],
        prec: usize,
        strip: bool,
    ) -> Result<usize, i32> {
        let (st, n_int) = self.fixed_stream();
        let k = n_int + prec;
        let r = round(st.clone(), k);
        let new_one = r.up && r.carry.is_none();
        let frac = if strip {
            r.last_nz.map_or(0, |j| (j + 1).saturating_sub(n_int))
        } else {
            prec
        };
        let dot = frac > 0 || spec.alt;
        let body = n_int + new_one as usize + dot as usize + frac;
        let total = sign.len() + body;
        let zero_pad = spec.zero && !spec.left && spec.width > total;
        let pad = spec.width.saturating_sub(total);
        let mut out = Out {
            s,
            buf: [0; 64],
            n: 0,
            ok: true,
        };
        if !spec.left && !zero_pad {
            out.flush();
            out.ok &= out.s.pad(b' ', pad);
        }
        for &b in sign {
            out.byte(b);
        }
        if zero_pad {
            out.flush();
            out.ok &= out.s.pad(b'0', pad);
        }
        if new_one {
            out.byte(b'1');
        }
        emit_digits(&mut out, st, k, &r, n_int + frac, |o, j| {
            if j == n_int {
                o.byte(b'.');
            }
        });
        if dot && frac == 0 {
            out.byte(b'.');
        }
        out.flush();
        if spec.left {
            out.ok &= out.s.pad(b' ', pad);
        }
        if out.ok { Ok(total + pad) } else { Err(0) }
    }

    fn sci(
        &self,
        s: &mut dyn Sink,
        spec: &Spec,
        sign: &[u8],
        prec: usize,
        strip: bool,
    ) -> Result<usize, i32> {
        let (st, mut x) = self.significant();
        let k = prec + 1;
        let r = round(st.clone(), k);
        if r.up && r.carry.is_none() {
            x += 1;
        }
        let frac = if strip { r.last_nz.unwrap_or(0) } else { prec };
        let dot = frac > 0 || spec.alt;
        let mut e = [0u8; 8];
        let elen = exp_text(spec.conv.is_ascii_uppercase(), x, &mut e);
        let total = sign.len() + 1 + dot as usize + frac + elen;
        let zero_pad = spec.zero && !spec.left && spec.width > total;
        let pad = spec.width.saturating_sub(total);
        let mut out = Out {
            s,
            buf: [0; 64],
            n: 0,
            ok: true,
        };
        if !spec.left && !zero_pad {
            out.ok &= out.s.pad(b' ', pad);
        }
        for &b in sign {
            out.byte(b);
        }
        if zero_pad {
            out.flush();
            out.ok &= out.s.pad(b'0', pad);
        }
        if r.up && r.carry.is_none() {
            // All nines rounded up: 1.000…, one more in the exponent.
            out.byte(b'1');
            if dot {
                out.byte(b'.');
            }
            out.flush();
            out.ok &= out.s.pad(b'0', frac);
        } else {
            emit_digits(&mut out, st, k, &r, 1 + frac, |o, j| {
                if j == 1 {
                    o.byte(b'.');
                }
            });
            if dot && frac == 0 {
                out.byte(b'.');
            }
        }
        for &b in &e[..elen] {
            out.byte(b);
        }
        out.flush();
        if spec.left {
            out.ok &= out.s.pad(b' ', pad);
        }
        if out.ok { Ok(total + pad) } else { Err(0) }
    }

    fn exponents(&self, p: usize) -> (i32, i32) {
        let (st, x) = self.significant();
        let r = round(st, p);
        (x, x + (r.up && r.carry.is_none()) as i32)
    }
}

/// %a / %A: hexadecimal mantissa, binary exponent, glibc's digits.
fn hex(s: &mut dyn Sink, spec: &Spec, d: &Decoded, sign: &[u8]) -> Result<usize, i32> {
    let upper = spec.conv == b'A';
    let nd = d.hex_digits;
    let (mut lead, mut frac, mut exp) = (d.hex_lead, d.hex_frac, d.hex_exp);
    let digits = match spec.prec {
        Some(p) if p < nd => {
            let drop = 4 * (nd - p) as u32;
            let next = ((frac >> (drop - 4)) & 0xf) as u32;
            let more = next & 7 != 0 || frac & ((1u64 << (drop - 4)) - 1) != 0;
            frac >>= drop;
            let last = if p > 0 { frac as u32 } else { lead };
            if next >= 8 && (last & 1 == 1 || more) {
                frac += 1;
                if p == 0 || frac >> (4 * p) != 0 {
                    frac = 0;
                    lead += 1;
                    if lead == 16 {
                        lead = 1;
                        exp += 4;
                    }
                }
            }
            p
        }
        Some(p) => p,
        None => {
            let mut n = nd;
            while n > 0 && frac & 0xf == 0 {
                frac >>= 4;
                n -= 1;
            }
            n
        }
    };
    // Digits of frac: the first min(digits, nd) nibbles (frac holds them
    // right-aligned), then zeros.
    let shown = digits.min(nd);
    let mut buf = [0u8; 24];
    let hexd = |v: u32| -> u8 {
        let c = b"0123456789abcdef"[v as usize];
        if upper { c.to_ascii_uppercase() } else { c }
    };
    for i in 0..shown {
        buf[i] = hexd(((frac >> (4 * (shown - 1 - i))) & 0xf) as u32);
    }
    let mut e = [0u8; 8];
    let mut elen = exp_text(false, exp, &mut e);
    e[0] = if upper { b'P' } else { b'p' };
    if e[2] == b'0' && elen > 3 {
        // Binary exponents have no minimum width.
        e.copy_within(3..elen, 2);
        elen -= 1;
    }
    let mut body = [0u8; 48];
    let mut n = 0;
    body[n] = hexd(lead);
    n += 1;
    if digits > 0 || spec.alt {
        body[n] = b'.';
        n += 1;
    }
    body[n..n + shown].copy_from_slice(&buf[..shown]);
    n += shown;
    let trailing = digits - shown;
    let prefix: &[u8] = if upper { b"0X" } else { b"0x" };
    let total = sign.len() + 2 + n + trailing + elen;
    let zero_pad = spec.zero && !spec.left && spec.width > total;
    let pad = spec.width.saturating_sub(total);
    let ok = (spec.left || zero_pad || s.pad(b' ', pad))
        && s.put(sign)
        && s.put(prefix)
        && (!zero_pad || s.pad(b'0', pad))
        && s.put(&body[..n])
        && s.pad(b'0', trailing)
        && s.put(&e[..elen])
        && (!spec.left || s.pad(b' ', pad));
    if ok { Ok(total + pad) } else { Err(0) }
}

/// Format a float conversion.
pub fn format(s: &mut dyn Sink, spec: &Spec, d: &Decoded) -> Result<usize, i32> {
    let sign: &[u8] = if d.neg {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    let upper = spec.conv.is_ascii_uppercase();
    if d.class != Class::Finite {
        let txt: &[u8] = match (d.class == Class::Inf, upper) {
            (true, false) => b"inf",
            (true, true) => b"INF",
            (false, false) => b"nan",
            (false, true) => b"NAN",
        };
        let plain = Spec {
            zero: false,
            ..*spec
        };
        return emit_number(s, &plain, sign, b"", 0, txt, false);
    }
    if spec.conv == b'a' || spec.conv == b'A' {
        return hex(s, spec, d, sign);
    }
    with_stream(d, &mut |st: &mut dyn Digits| match spec.conv {
        b'f' | b'F' => st.fixed(s, spec, sign, spec.prec.unwrap_or(6), false),
        b'e' | b'E' => st.sci(s, spec, sign, spec.prec.unwrap_or(6), false),
        _ => {
            let p = spec.prec.unwrap_or(6).max(1);
            let (x0, x) = st.exponents(p);
            if x0 == p as i32 - 1 && x == p as i32 {
                // glibc picks the style from the unrounded exponent: %.0f
                // would have p + 1 digits, so it prints exponential with
                // precision 0 ("1.e+06" for %#g of 999999.9).
                st.sci(s, spec, sign, 0, !spec.alt)
            } else if (p as i64) > x as i64 && x >= -4 {
                st.fixed(s, spec, sign, (p as i64 - 1 - x as i64) as usize, !spec.alt)
            } else {
                st.sci(s, spec, sign, p - 1, !spec.alt)
            }
        }
    })
}
