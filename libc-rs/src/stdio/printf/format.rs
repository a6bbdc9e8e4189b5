//! The printf format engine: parsing conversion specifications (flags,
//! width, precision, length modifier, conversion, POSIX positions) and
//! formatting integers, characters, strings and pointers exactly as glibc
//! does. Floating point is in float.rs.

use super::Sink;
use super::args::{Args, Kind, MAX_POS, Val};
use super::float;
use crate::arch::VaList;
use crate::errno::{EILSEQ, EINVAL, errno};

/// A length modifier.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Len {
    None,
    HH,
    H,
    L,
    LL,
    BigL,
    J,
    Z,
    T,
}

/// A width or precision: absent, literal, or from an argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Num {
    None,
    Lit(usize),
    Star(Option<usize>),
}

/// One parsed conversion specification.
#[derive(Clone, Copy, Debug)]
struct Parsed {
    arg: Option<usize>,
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: Num,
    prec: Num,
    len: Len,
    conv: u8,
    /// Index just past the specification.
    end: usize,
}

/// A specification with width and precision resolved.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub left: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub zero: bool,
    pub width: usize,
    pub prec: Option<usize>,
    pub len: Len,
    pub conv: u8,
}

/// Read a decimal number at `i`, saturating.
unsafe fn number(f: *const u8, i: &mut usize) -> usize {
    let mut n: usize = 0;
    // SAFETY: f is a C string; we stop at its first non-digit.
    unsafe {
        while (*f.add(*i)).is_ascii_digit() {
            n = n
                .saturating_mul(10)
                .saturating_add((*f.add(*i) - b'0') as usize);
            *i += 1;
        }
    }
    n
}

/// `n$` at `i`, if present (consumed).
unsafe fn position(f: *const u8, i: &mut usize) -> Option<usize> {
    let mut j = *i;
    // SAFETY: as number.
    unsafe {
        if !(*f.add(j)).is_ascii_digit() || *f.add(j) == b'0' {
            return None;
        }
        let n = number(f, &mut j);
        if *f.add(j) == b'$' {
            *i = j + 1;
            return Some(n);
        }
    }
    None
}

/// Parse the specification whose '%' is at `start`.
unsafe fn parse(f: *const u8, start: usize) -> Parsed {
    let mut i = start + 1;
    // SAFETY: f is a C string; every read is at or before its terminator.
    unsafe {
        let arg = position(f, &mut i);
        let mut p = Parsed {
            arg,
            left: false,
            plus: false,
            space: false,
            alt: false,
            zero: false,
            width: Num::None,
            prec: Num::None,
            len: Len::None,
            conv: 0,
            end: 0,
        };
        loop {
            match *f.add(i) {
                b'-' => p.left = true,
                b'+' => p.plus = true,
                b' ' => p.space = true,
                b'#' => p.alt = true,
                b'0' => p.zero = true,
                b'\'' | b'I' => {}
                _ => break,
            }
            i += 1;
        }
        if *f.add(i) == b'*' {
            i += 1;
            p.width = Num::Star(position(f, &mut i));
        } else if (*f.add(i)).is_ascii_digit() {
            p.width = Num::Lit(number(f, &mut i));
        }
        if *f.add(i) == b'.' {
            i += 1;
            if *f.add(i) == b'*' {
                i += 1;
                p.prec = Num::Star(position(f, &mut i));
            } else {
                p.prec = Num::Lit(number(f, &mut i));
            }
        }
        p.len = match *f.add(i) {
            b'h' if *f.add(i + 1) == b'h' => {
                i += 1;
                Len::HH
            }
            b'h' => Len::H,
            b'l' if *f.add(i + 1) == b'l' => {
                i += 1;
                Len::LL
            }
            b'l' => Len::L,
            b'q' => Len::LL,
            b'L' => Len::BigL,
            b'j' => Len::J,
            b'z' | b'Z' => Len::Z,
            b't' => Len::T,
            _ => {
                i -= 1;
                Len::None
            }
        };
        i += 1;
        p.conv = *f.add(i);
        p.end = if p.conv == 0 { i } else { i + 1 };
        p
    }
}

/// The kind of argument an integer conversion with `len` takes.
fn int_kind(len: Len) -> Kind {
    match len {
        Len::None | Len::HH | Len::H => Kind::Int,
        Len::L | Len::Z | Len::T => Kind::Long,
        Len::LL | Len::BigL | Len::J => Kind::I64,
    }
}

/// The argument kind of conversion `p`, or None for %% and %m and unknowns.
fn arg_kind(p: &Parsed) -> Option<Kind> {
    Some(match p.conv {
        b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => int_kind(p.len),
        b'c' | b'C' => Kind::Int,
        b's' | b'S' | b'p' | b'n' => Kind::Ptr,
        b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => {
            if p.len == Len::BigL {
                Kind::LongDouble
            } else {
                Kind::F64
            }
        }
        _ => return None,
    })
}

/// Scan the whole format for positional argument kinds. Err(EINVAL) if a
/// position is out of range or a specification lacks one.
unsafe fn scan_positions(f: *const u8, kinds: &mut [Option<Kind>; MAX_POS]) -> Result<usize, i32> {
    let mut max = 0;
    let mut i = 0;
    let mut note = |pos: Option<usize>, k: Kind| -> Result<(), i32> {
        match pos {
            Some(n) if n <= MAX_POS => {
                kinds[n - 1] = Some(k);
                max = max.max(n);
                Ok(())
            }
            _ => Err(EINVAL),
        }
    };
    // SAFETY: f is a C string.
    unsafe {
        while *f.add(i) != 0 {
            if *f.add(i) != b'%' {
                i += 1;
                continue;
            }
            let p = parse(f, i);
            i = p.end;
            if p.conv == b'%' || p.conv == 0 {
                continue;
            }
            if let Num::Star(pos) = p.width {
                note(pos, Kind::Int)?;
            }
            if let Num::Star(pos) = p.prec {
                note(pos, Kind::Int)?;
            }
            if let Some(k) = arg_kind(&p) {
                note(p.arg, k)?;
            }
        }
    }
    Ok(max)
}

/// Output `body` (of `len` bytes) padded to the spec's width with spaces.
fn padded(
    s: &mut dyn Sink,
    spec: &Spec,
    len: usize,
    body: impl FnOnce(&mut dyn Sink) -> bool,
) -> Result<usize, i32> {
    let pad = spec.width.saturating_sub(len);
    let ok = (spec.left || s.pad(b' ', pad)) && body(s) && (!spec.left || s.pad(b' ', pad));
    if ok { Ok(len + pad) } else { Err(0) }
}

/// A number: [sign][prefix][zeros][digits], padded (zeros between prefix
/// and digits when the '0' flag applies).
pub fn emit_number(
    s: &mut dyn Sink,
    spec: &Spec,
    sign: &[u8],
    prefix: &[u8],
    zeros: usize,
    digits: &[u8],
    zero_pad: bool,
) -> Result<usize, i32> {
    let len = sign.len() + prefix.len() + zeros + digits.len();
    if zero_pad && !spec.left && spec.width > len {
        let extra = spec.width - len;
        let ok = s.put(sign) && s.put(prefix) && s.pad(b'0', zeros + extra) && s.put(digits);
        return if ok { Ok(spec.width) } else { Err(0) };
    }
    padded(s, spec, len, |s| {
        s.put(sign) && s.put(prefix) && s.pad(b'0', zeros) && s.put(digits)
    })
}

/// Format an integer conversion (and %p).
fn int(s: &mut dyn Sink, spec: &Spec, raw: u64, pointer: bool) -> Result<usize, i32> {
    let conv = spec.conv;
    let signed = conv == b'd' || conv == b'i';
    // Truncate to the argument's real type.
    let (neg, mag) = if pointer {
        (false, raw)
    } else if signed {
        let v: i64 = match spec.len {
            Len::HH => raw as i8 as i64,
            Len::H => raw as i16 as i64,
            Len::None => raw as i32 as i64,
            Len::L | Len::Z | Len::T => raw as isize as i64,
            _ => raw as i64,
        };
        (v < 0, v.unsigned_abs())
    } else {
        let v: u64 = match spec.len {
            Len::HH => raw as u8 as u64,
            Len::H => raw as u16 as u64,
            Len::None => raw as u32 as u64,
            Len::L | Len::Z | Len::T => raw as usize as u64,
            _ => raw,
        };
        (false, v)
    };
    let (base, upper) = match conv {
        b'o' => (8, false),
        b'x' => (16, false),
        b'X' => (16, true),
        _ if pointer => (16, false),
        _ => (10, false),
    };
    let mut buf = [0u8; 24];
    let mut i = buf.len();
    let mut v = mag;
    while v != 0 {
        i -= 1;
        let d = (v % base) as u8;
        buf[i] = if d < 10 {
            b'0' + d
        } else if upper {
            b'A' + d - 10
        } else {
            b'a' + d - 10
        };
        v /= base;
    }
    let prec = spec.prec.unwrap_or(1);
    let mut digits = &buf[i..];
    if mag == 0 && prec == 0 && !(conv == b'o' && spec.alt) {
        digits = &[];
    }
    let mut zeros = prec.saturating_sub(digits.len());
    if conv == b'o' && spec.alt && zeros == 0 && digits.first() != Some(&b'0') {
        zeros = 1;
    }
    let prefix: &[u8] = if (spec.alt && mag != 0 && base == 16) || pointer {
        if upper { b"0X" } else { b"0x" }
    } else {
        b""
    };
    let sign: &[u8] = if neg {
        b"-"
    } else if (signed || pointer) && spec.plus {
        b"+"
    } else if (signed || pointer) && spec.space {
        b" "
    } else {
        b""
    };
    emit_number(
        s,
        spec,
        sign,
        prefix,
        zeros,
        digits,
        spec.zero && spec.prec.is_none(),
    )
}

/// Bytes of a C string, at most `max`.
unsafe fn c_bytes<'a>(p: *const u8, max: Option<usize>) -> &'a [u8] {
    let mut n = 0;
    // SAFETY: a C string, read no further than max.
    unsafe {
        while max.is_none_or(|m| n < m) && *p.add(n) != 0 {
            n += 1;
        }
        core::slice::from_raw_parts(p, n)
    }
}

/// %ls: wide characters, which the C locale can only encode below 0x80.
unsafe fn wide_str(s: &mut dyn Sink, spec: &Spec, p: *const u32) -> Result<usize, i32> {
    let mut n = 0;
    // SAFETY: a NUL-terminated wchar_t string.
    unsafe {
        while spec.prec.is_none_or(|m| n < m) && *p.add(n) != 0 {
            if *p.add(n) >= 0x80 {
                return Err(EILSEQ);
            }
            n += 1;
        }
        // SAFETY: the n characters checked above.
        padded(s, spec, n, |s| (0..n).all(|j| s.put(&[*p.add(j) as u8])))
    }
}

/// %n: store the count so far through a pointer of the length's type.
unsafe fn store_count(ptr: u64, len: Len, count: usize) {
    let p = ptr as usize;
    // SAFETY: the caller passed a pointer of the type the length names.
    unsafe {
        match len {
            Len::HH => *(p as *mut i8) = count as i8,
            Len::H => *(p as *mut i16) = count as i16,
            Len::L | Len::Z | Len::T => *(p as *mut isize) = count as isize,
            Len::LL | Len::J | Len::BigL => *(p as *mut i64) = count as i64,
            Len::None => *(p as *mut i32) = count as i32,
        }
    }
}

/// Resolve a width/precision number.
unsafe fn resolve(n: Num, args: &mut Args) -> Option<i64> {
    match n {
        Num::None => None,
        Num::Lit(v) => Some(v.min(i32::MAX as usize) as i64),
        // SAFETY: the format promises an int argument.
        Num::Star(pos) => Some(unsafe { args.int(pos, Kind::Int) } as i32 as i64),
    }
}

/// Format everything; Ok(bytes produced) or Err(errno, 0 for a sink error).
pub unsafe fn format(s: &mut dyn Sink, f: *const u8, ap: VaList) -> Result<usize, i32> {
    let saved_errno = errno();
    let mut total = 0usize;
    let mut i = 0;
    // SAFETY: f is a C string; arguments follow the format (C's contract).
    unsafe {
        let mut args = Args::Seq(ap);
        let mut first_spec = true;
        loop {
            let lit = i;
            while *f.add(i) != 0 && *f.add(i) != b'%' {
                i += 1;
            }
            if i > lit {
                if !s.put(core::slice::from_raw_parts(f.add(lit), i - lit)) {
                    return Err(0);
                }
                total += i - lit;
            }
            if *f.add(i) == 0 {
                return Ok(total);
            }
            let p = parse(f, i);
            if first_spec && p.arg.is_some() {
                let mut kinds = [None; MAX_POS];
                let n = scan_positions(f, &mut kinds)?;
                args = Args::positional(ap, &kinds[..n]);
            }
            first_spec = false;
            let mut spec = Spec {
                left: p.left,
                plus: p.plus,
                space: p.space,
                alt: p.alt,
                zero: p.zero,
                width: 0,
                prec: None,
                len: p.len,
                conv: p.conv,
            };
            if let Some(w) = resolve(p.width, &mut args) {
                if w < 0 {
                    spec.left = true;
                }
                spec.width = w.unsigned_abs() as usize;
            }
            if let Some(pr) = resolve(p.prec, &mut args) {
                spec.prec = if pr < 0 { None } else { Some(pr as usize) };
            }
            let n = match p.conv {
                b'%' => {
                    if !s.put(b"%") {
                        return Err(0);
                    }
                    1
                }
                b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {
                    int(s, &spec, args.int(p.arg, int_kind(p.len)), false)?
                }
                b'p' => {
                    let v = args.int(p.arg, Kind::Ptr);
                    if v == 0 {
                        spec.prec = Some(spec.prec.map_or(5, |x| x.max(5)));
                        padded(s, &spec, 5, |s| s.put(b"(nil)"))?
                    } else {
                        int(s, &spec, v, true)?
                    }
                }
                b'c' | b'C' => {
                    let c = args.int(p.arg, Kind::Int) as u32;
                    if p.len == Len::L || p.conv == b'C' {
                        if c >= 0x80 {
                            return Err(EILSEQ);
                        }
                    }
                    let b = [c as u8];
                    padded(s, &spec, 1, |s| s.put(&b))?
                }
                b's' | b'S' => {
                    let ptr = args.int(p.arg, Kind::Ptr) as usize;
                    if ptr == 0 {
                        let txt: &[u8] = if spec.prec.is_none_or(|m| m >= 6) {
                            b"(null)"
                        } else {
                            b""
                        };
                        padded(s, &spec, txt.len(), |s| s.put(txt))?
                    } else if p.len == Len::L || p.conv == b'S' {
                        wide_str(s, &spec, ptr as *const u32)?
                    } else {
                        let b = c_bytes(ptr as *const u8, spec.prec);
                        padded(s, &spec, b.len(), |s| s.put(b))?
                    }
                }
                b'm' => {
                    let name = crate::string::messages::ERRNO_NAMES
                        .get(saved_errno as usize)
                        .filter(|n| !n.is_empty());
                    match (spec.alt, name) {
                        // %#m: the errno's name, or its number (glibc 2.35+).
                        (true, Some(n)) => {
                            let b = c_bytes(n.as_ptr(), spec.prec);
                            padded(s, &spec, b.len(), |s| s.put(b))?
                        }
                        (true, None) => {
                            let num = Spec {
                                conv: b'd',
                                alt: false,
                                len: Len::None,
                                ..spec
                            };
                            int(s, &num, saved_errno as i64 as u64, false)?
                        }
                        _ => {
                            let m = crate::string::strerror::strerror(saved_errno) as *const u8;
                            let b = c_bytes(m, spec.prec);
                            padded(s, &spec, b.len(), |s| s.put(b))?
                        }
                    }
                }
                b'n' => {
                    store_count(args.int(p.arg, Kind::Ptr), p.len, total);
                    0
                }
                b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => {
                    let v = if p.len == Len::BigL {
                        match args.get(p.arg, Kind::LongDouble) {
                            Val::L(b) => float::Decoded::from_long_double(b),
                            _ => float::Decoded::from_f64(0.0),
                        }
                    } else {
                        match args.get(p.arg, Kind::F64) {
                            Val::F(x) => float::Decoded::from_f64(x),
                            _ => float::Decoded::from_f64(0.0),
                        }
                    };
                    float::format(s, &spec, &v)?
                }
                _ => {
                    // Not a conversion: glibc prints the specification as is.
                    let text = core::slice::from_raw_parts(f.add(i), p.end - i);
                    if !s.put(text) {
                        return Err(0);
                    }
                    text.len()
                }
            };
            total += n;
            i = p.end;
        }
    }
}
