//! The scanf family: sscanf, vsscanf, scanf, vscanf, fscanf, vfscanf (the
//! variadic ones are assembly shims over their v* twins, as printf's). C's
//! directives with glibc's choices: numbers are collected as glibc does and
//! converted by strtol/strtoul/strtod; the result is the number of
//! assignments, or EOF when input ends before any.

use super::file::{FILE, stdin};
use super::ops::{fgetc_unlocked, ungetc};
use crate::arch::{RawVaList, VaList};
use crate::ctype::isspace_u8;
use crate::stdlib::strtod::{F32, F64, Format, f64_to_x87, parse};
use crate::{c_char, c_int};

/// Where characters come from, with one character of lookahead.
trait Input {
    /// The next character without taking it; None at the end.
    fn peek(&mut self) -> Option<u8>;
    /// Take the peeked character.
    fn bump(&mut self);
}

/// A C string.
struct StrIn(*const u8);

impl Input for StrIn {
    fn peek(&mut self) -> Option<u8> {
        // SAFETY: the pointer stays within the caller's C string.
        match unsafe { *self.0 } {
            0 => None,
            c => Some(c),
        }
    }
    fn bump(&mut self) {
        // SAFETY: only after peek saw a non-NUL byte.
        self.0 = unsafe { self.0.add(1) };
    }
}

/// A locked stream; the lookahead is pushed back at the end.
struct FileIn {
    f: *mut FILE,
    ahead: Option<c_int>,
}

impl Input for FileIn {
    fn peek(&mut self) -> Option<u8> {
        // SAFETY: the stream is locked by vfscanf.
        let c = *self
            .ahead
            .get_or_insert_with(|| unsafe { fgetc_unlocked(self.f) });
        (c >= 0).then_some(c as u8)
    }
    fn bump(&mut self) {
        self.ahead = None;
    }
}

/// Length modifiers.
#[derive(Clone, Copy, PartialEq)]
enum Size {
    Char,
    Short,
    Int,
    Long,
    LongLong,
}

/// A counting reader over an input, with a field width.
struct Reader<'a> {
    input: &'a mut dyn Input,
    count: usize,
}

impl Reader<'_> {
    /// The next character if the width allows.
    fn peek(&mut self, width: usize) -> Option<u8> {
        if width == 0 { None } else { self.input.peek() }
    }

    /// Take the peeked character into `buf`, using one of `width`.
    fn take(&mut self, buf: &mut Field, width: &mut usize) {
        if let Some(c) = self.input.peek() {
            buf.push(c);
        }
        self.input.bump();
        self.count += 1;
        *width -= 1;
    }

    /// Skip white space; false at the end of input.
    fn skip_space(&mut self) -> bool {
        while let Some(c) = self.input.peek() {
            if !isspace_u8(c) {
                return true;
            }
            self.input.bump();
            self.count += 1;
        }
        false
    }
}

/// The characters of one numeric field (long ones are cut, counted whole).
struct Field {
    buf: [u8; 512],
    len: usize,
}

impl Field {
    /// An empty field.
    fn new() -> Self {
        Field {
            buf: [0; 512],
            len: 0,
        }
    }
    /// Append a character (kept while it fits, leaving room for a NUL).
    fn push(&mut self, c: u8) {
        if self.len < self.buf.len() - 1 {
            self.buf[self.len] = c;
        }
        self.len += 1;
    }
    /// What was kept.
    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len.min(self.buf.len() - 1)]
    }
    /// The last character.
    fn last(&self) -> Option<u8> {
        self.bytes().last().copied()
    }
}

/// Why scanning stopped early.
enum Stop {
    /// The input ended (EOF if nothing was assigned).
    Input,
    /// A character did not match.
    Matching,
}

/// Collect an integer field as glibc: sign, a 0x prefix for base 16 (base 0
/// decides), digits. Returns the base used, or None if no digits were
/// taken.
fn collect_int(r: &mut Reader, mut width: usize, mut base: u32, f: &mut Field) -> Option<u32> {
    if matches!(r.peek(width), Some(b'+' | b'-')) {
        r.take(f, &mut width);
    }
    if (base == 0 || base == 16) && r.peek(width) == Some(b'0') {
        r.take(f, &mut width);
        if r.peek(width).is_some_and(|c| c | 0x20 == b'x') {
            r.take(f, &mut width);
            base = 16;
        } else if base == 0 {
            base = 8;
        }
    } else if base == 0 {
        base = 10;
    }
    while r
        .peek(width)
        .is_some_and(|c| (c as char).to_digit(base).is_some())
    {
        r.take(f, &mut width);
    }
    let sign_only = f.len == 1 && matches!(f.last(), Some(b'+' | b'-'));
    (f.len > 0 && !sign_only).then_some(base)
}

/// Collect a floating-point field as glibc does: sign, inf/infinity/nan,
/// hex prefix, digits, one point, an exponent with its sign.
fn collect_float(r: &mut Reader, mut width: usize, f: &mut Field) -> Result<(), Stop> {
    if matches!(r.peek(width), Some(b'+' | b'-')) {
        r.take(f, &mut width);
    }
    let word = |r: &mut Reader, f: &mut Field, width: &mut usize, w: &[u8]| {
        for &c in w {
            if r.peek(*width).map(|x| x | 0x20) != Some(c) {
                return false;
            }
            r.take(f, width);
        }
        true
    };
    match r.peek(width).map(|c| c | 0x20) {
        Some(b'n') => {
            return if word(r, f, &mut width, b"nan") {
                Ok(())
            } else {
                Err(Stop::Matching)
            };
        }
        Some(b'i') => {
            if !word(r, f, &mut width, b"inf") {
                return Err(Stop::Matching);
            }
            if r.peek(width).map(|c| c | 0x20) == Some(b'i') && !word(r, f, &mut width, b"inity") {
                return Err(Stop::Matching);
            }
            return Ok(());
        }
        _ => {}
    }
    let (mut hex, mut got_digit, mut got_dot, mut got_e) = (false, false, false, false);
    if r.peek(width) == Some(b'0') {
        r.take(f, &mut width);
        if r.peek(width).is_some_and(|c| c | 0x20 == b'x') {
            r.take(f, &mut width);
            hex = true;
        } else {
            got_digit = true;
        }
    }
    let exp_char = if hex { b'p' } else { b'e' };
    while let Some(c) = r.peek(width) {
        let digit = c.is_ascii_digit() || (hex && !got_e && c.is_ascii_hexdigit());
        let after_exp = f.last().is_some_and(|l| l | 0x20 == exp_char);
        if digit {
            got_digit = true;
        } else if !got_e && got_digit && c | 0x20 == exp_char {
            (got_e, got_dot) = (true, true);
        } else if c == b'.' && !got_dot {
            got_dot = true;
        } else if !(got_e && after_exp && (c == b'-' || c == b'+')) {
            break;
        }
        r.take(f, &mut width);
    }
    // A "0x" with nothing after it is no number (glibc).
    if hex && f.last().is_some_and(|c| c | 0x20 == b'x') {
        return Err(Stop::Matching);
    }
    Ok(())
}

/// Parse a `[...]` set at `fmt` (just after '['): (bitmap, invert, rest).
unsafe fn parse_set(mut fmt: *const u8) -> ([bool; 256], bool, *const u8) {
    let mut set = [false; 256];
    // SAFETY: fmt is within the caller's format string.
    unsafe {
        let invert = *fmt == b'^';
        if invert {
            fmt = fmt.add(1);
        }
        if *fmt == b']' {
            set[b']' as usize] = true;
            fmt = fmt.add(1);
        }
        while *fmt != 0 && *fmt != b']' {
            let c = *fmt;
            if *fmt.add(1) == b'-' && *fmt.add(2) != b']' && *fmt.add(2) != 0 {
                for x in c..=*fmt.add(2) {
                    set[x as usize] = true;
                }
                fmt = fmt.add(3);
            } else {
                set[c as usize] = true;
                fmt = fmt.add(1);
            }
        }
        if *fmt == b']' {
            fmt = fmt.add(1);
        }
        (set, invert, fmt)
    }
}

/// Copy up to `width` characters that `accept` takes to `out` (unless
/// null): how many.
unsafe fn copy_chars(
    r: &mut Reader,
    out: *mut u8,
    width: usize,
    accept: impl Fn(u8) -> bool,
) -> usize {
    let mut i = 0;
    while i < width {
        let Some(x) = r.input.peek().filter(|&x| accept(x)) else {
            break;
        };
        if !out.is_null() {
            // SAFETY: the caller's buffer has room for the field.
            unsafe { *out.add(i) = x };
        }
        r.input.bump();
        r.count += 1;
        i += 1;
    }
    i
}

/// Store an integer through the next pointer, as `size` says.
unsafe fn store_int(ap: &mut VaList, size: Size, v: u64) {
    // SAFETY: the format promises a pointer of this type.
    unsafe {
        match size {
            Size::Char => *ap.next_ptr::<u8>() = v as u8,
            Size::Short => *ap.next_ptr::<u16>() = v as u16,
            Size::Int => *ap.next_ptr::<u32>() = v as u32,
            Size::Long => *ap.next_ptr::<usize>() = v as usize,
            Size::LongLong => *ap.next_ptr::<u64>() = v,
        }
    }
}

/// Run `fmt` over `input`: the assignments made, or EOF.
unsafe fn scan(input: &mut dyn Input, fmt: *const c_char, mut ap: VaList) -> c_int {
    let mut r = Reader { input, count: 0 };
    let mut done: c_int = 0;
    let mut p = fmt as *const u8;
    // SAFETY: fmt is a C string and ap holds the pointers it asks for.
    let stop = unsafe {
        loop {
            let c = *p;
            if c == 0 {
                break None;
            }
            p = p.add(1);
            if isspace_u8(c) {
                r.skip_space();
                continue;
            }
            if c != b'%' || *p == b'%' {
                if c == b'%' {
                    p = p.add(1);
                    r.skip_space();
                }
                match r.input.peek() {
                    None => break Some(Stop::Input),
                    Some(x) if x == c => {
                        r.input.bump();
                        r.count += 1;
                    }
                    Some(_) => break Some(Stop::Matching),
                }
                continue;
            }
            let suppress = *p == b'*';
            if suppress {
                p = p.add(1);
            }
            let mut width = 0usize;
            let mut has_width = false;
            while (*p).is_ascii_digit() {
                width = width
                    .saturating_mul(10)
                    .saturating_add((*p - b'0') as usize);
                has_width = true;
                p = p.add(1);
            }
            let mut size = Size::Int;
            let mut long_double = false;
            loop {
                match *p {
                    b'h' if size == Size::Short => size = Size::Char,
                    b'h' => size = Size::Short,
                    b'l' if size == Size::Long => size = Size::LongLong,
                    b'l' => size = Size::Long,
                    b'L' | b'q' => {
                        size = Size::LongLong;
                        long_double = true;
                    }
                    b'j' => size = Size::LongLong,
                    b'z' | b't' => size = Size::Long,
                    _ => break,
                }
                p = p.add(1);
            }
            let conv = *p;
            if conv == 0 {
                break Some(Stop::Matching);
            }
            p = p.add(1);
            if !has_width || width == 0 {
                width = if conv == b'c' { 1 } else { usize::MAX };
            }
            if conv == b'n' {
                if !suppress {
                    store_int(&mut ap, size, r.count as u64);
                }
                continue;
            }
            if conv != b'[' && conv != b'c' && !r.skip_space() {
                break Some(Stop::Input);
            }
            if r.input.peek().is_none() {
                break Some(Stop::Input);
            }
            match conv {
                b'c' => {
                    let out = if suppress {
                        core::ptr::null_mut()
                    } else {
                        ap.next_ptr::<u8>()
                    };
                    copy_chars(&mut r, out, width, |_| true);
                }
                b's' | b'[' => {
                    let (set, invert) = if conv == b'[' {
                        let (set, invert, rest) = parse_set(p);
                        p = rest;
                        (set, invert)
                    } else {
                        ([false; 256], false)
                    };
                    let accept = |x: u8| {
                        if conv == b's' {
                            !isspace_u8(x)
                        } else {
                            set[x as usize] != invert
                        }
                    };
                    let out = if suppress {
                        core::ptr::null_mut()
                    } else {
                        ap.next_ptr::<u8>()
                    };
                    let i = copy_chars(&mut r, out, width, accept);
                    if i == 0 {
                        break Some(Stop::Matching);
                    }
                    if !out.is_null() {
                        *out.add(i) = 0;
                    }
                }
                b'd' | b'i' | b'u' | b'o' | b'x' | b'X' | b'p' => {
                    let base = match conv {
                        b'd' | b'u' => 10,
                        b'i' => 0,
                        b'o' => 8,
                        _ => 16,
                    };
                    let mut f = Field::new();
                    if conv == b'p' && r.input.peek() == Some(b'(') {
                        // glibc's "(nil)" for a null pointer.
                        let mut w = width;
                        for &x in b"(nil)" {
                            if r.peek(w) != Some(x) {
                                break;
                            }
                            r.take(&mut f, &mut w);
                        }
                        if f.bytes() != b"(nil)" {
                            break Some(Stop::Matching);
                        }
                        if !suppress {
                            store_int(&mut ap, Size::Long, 0);
                            done += 1;
                        }
                        continue;
                    }
                    let Some(base) = collect_int(&mut r, width, base, &mut f) else {
                        break Some(Stop::Matching);
                    };
                    let v = field_int(&f, base, conv, size);
                    if !suppress {
                        let size = if conv == b'p' { Size::Long } else { size };
                        store_int(&mut ap, size, v);
                    }
                }
                b'a' | b'A' | b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                    let mut f = Field::new();
                    if let Err(e) = collect_float(&mut r, width, &mut f) {
                        break Some(e);
                    }
                    let fmt: Format = if size == Size::Int { F32 } else { F64 };
                    let v = parse(f.bytes(), fmt);
                    if v.len == 0 {
                        break Some(Stop::Matching);
                    }
                    if !suppress {
                        let sign = if v.neg { 1u64 << 63 } else { 0 };
                        if size == Size::Int {
                            *ap.next_ptr::<u32>() = v.bits as u32 | (sign >> 32) as u32;
                        } else if long_double {
                            *ap.next_ptr::<[u8; 10]>() = f64_to_x87(f64::from_bits(v.bits | sign));
                        } else {
                            *ap.next_ptr::<u64>() = v.bits | sign;
                        }
                    }
                }
                _ => break Some(Stop::Matching),
            }
            if !suppress && conv != b'n' {
                done += 1;
            }
        }
    };
    match stop {
        Some(Stop::Input) if done == 0 => -1,
        _ => done,
    }
}

/// The value of an integer field: strtol's rules in the width glibc uses
/// (long, or long long for ll/j/L on i386), sign-extended.
fn field_int(f: &Field, base: u32, conv: u8, size: Size) -> u64 {
    let s = f.bytes();
    let neg = s.first() == Some(&b'-');
    let mut digits = if matches!(s.first(), Some(b'+' | b'-')) {
        &s[1..]
    } else {
        s
    };
    if base == 16 && digits.len() >= 2 && digits[0] == b'0' && digits[1] | 0x20 == b'x' {
        digits = &digits[2..];
    }
    let (mut v, mut over) = (0u64, false);
    for &c in digits {
        let d = (c as char).to_digit(base).unwrap_or(0) as u64;
        match v.checked_mul(base as u64).and_then(|v| v.checked_add(d)) {
            Some(n) => v = n,
            None => over = true,
        }
    }
    let wide = size == Size::LongLong || usize::BITS == 64;
    let signed = conv == b'd' || conv == b'i';
    if signed {
        let (min, max) = if wide {
            (i64::MIN, i64::MAX)
        } else {
            (i32::MIN as i64, i32::MAX as i64)
        };
        let lim = if neg { min.unsigned_abs() } else { max as u64 };
        if over || v > lim {
            return (if neg { min } else { max }) as u64;
        }
        return if neg { v.wrapping_neg() } else { v };
    }
    let max = if wide { u64::MAX } else { u32::MAX as u64 };
    if over || v > max {
        return max;
    }
    if neg { v.wrapping_neg() & max } else { v }
}

/// `vsscanf(s, fmt, ap)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vsscanf(s: *const c_char, fmt: *const c_char, ap: RawVaList) -> c_int {
    // SAFETY: the caller's string, format and arguments.
    unsafe { scan(&mut StrIn(s as *const u8), fmt, VaList::from_raw(ap)) }
}

/// `vfscanf(f, fmt, ap)`: the stream is locked while scanning; the one
/// character looked at past the last field is pushed back.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vfscanf(f: *mut FILE, fmt: *const c_char, ap: RawVaList) -> c_int {
    let mut input = FileIn { f, ahead: None };
    // SAFETY: an open stream; format and arguments from the caller.
    unsafe {
        (*f).lock.lock();
        let r = scan(&mut input, fmt, VaList::from_raw(ap));
        (*f).lock.unlock();
        if let Some(c @ 0..) = input.ahead {
            ungetc(c, f);
        }
        r
    }
}

/// `vscanf(fmt, ap)`: from stdin.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vscanf(fmt: *const c_char, ap: RawVaList) -> c_int {
    // SAFETY: as vfscanf.
    unsafe { vfscanf(stdin, fmt, ap) }
}
