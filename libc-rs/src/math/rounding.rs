//! The math functions that answer an integer or an exponent: lround,
//! llround, lrint, llrint, ilogb, logb (and their float twins). An integer
//! result out of range (or from a NaN) is the type's minimum, what x86's
//! conversion instructions give and so glibc; none of them sets errno
//! except ilogb.

use crate::errno::{EDOM, set_errno};
use crate::{c_int, c_long};

/// `x` (already integral or infinite/NaN) as an integer of `bits` bits, or
/// that type's minimum when it does not fit.
fn to_int(x: f64, bits: u32) -> i64 {
    let lim = (1u64 << (bits - 1)) as f64;
    if x.is_nan() || x < -lim || x >= lim {
        i64::MIN >> (64 - bits)
    } else {
        x as i64
    }
}

const LONG_BITS: u32 = c_long::BITS;

/// `lround(x)`: x rounded half away from zero, as a long.
#[unsafe(no_mangle)]
pub extern "C" fn lround(x: f64) -> c_long {
    to_int(libm::round(x), LONG_BITS) as c_long
}

/// `lroundf(x)`: as lround.
#[unsafe(no_mangle)]
pub extern "C" fn lroundf(x: f32) -> c_long {
    to_int(libm::roundf(x) as f64, LONG_BITS) as c_long
}

/// `llround(x)`: x rounded half away from zero, as a long long.
#[unsafe(no_mangle)]
pub extern "C" fn llround(x: f64) -> i64 {
    to_int(libm::round(x), 64)
}

/// `llroundf(x)`: as llround.
#[unsafe(no_mangle)]
pub extern "C" fn llroundf(x: f32) -> i64 {
    to_int(libm::roundf(x) as f64, 64)
}

/// `lrint(x)`: x rounded half to even (the default mode), as a long.
#[unsafe(no_mangle)]
pub extern "C" fn lrint(x: f64) -> c_long {
    to_int(libm::rint(x), LONG_BITS) as c_long
}

/// `lrintf(x)`: as lrint.
#[unsafe(no_mangle)]
pub extern "C" fn lrintf(x: f32) -> c_long {
    to_int(libm::rintf(x) as f64, LONG_BITS) as c_long
}

/// `llrint(x)`: x rounded half to even, as a long long.
#[unsafe(no_mangle)]
pub extern "C" fn llrint(x: f64) -> i64 {
    to_int(libm::rint(x), 64)
}

/// `llrintf(x)`: as llrint.
#[unsafe(no_mangle)]
pub extern "C" fn llrintf(x: f32) -> i64 {
    to_int(libm::rintf(x) as f64, 64)
}

/// ilogb's answer and EDOM for 0, inf and NaN (FP_ILOGB0 = FP_ILOGBNAN =
/// INT_MIN, INT_MAX for inf).
fn ilogb_errno(r: c_int) -> c_int {
    if r == c_int::MIN || r == c_int::MAX {
        set_errno(EDOM);
    }
    r
}

/// `ilogb(x)`: the unbiased exponent of x; EDOM for 0, ±inf and NaN.
#[unsafe(no_mangle)]
pub extern "C" fn ilogb(x: f64) -> c_int {
    ilogb_errno(libm::ilogb(x))
}

/// `ilogbf(x)`: as ilogb.
#[unsafe(no_mangle)]
pub extern "C" fn ilogbf(x: f32) -> c_int {
    ilogb_errno(libm::ilogbf(x))
}

/// `logb(x)`: the exponent of x as a double; -inf for ±0, +inf for ±inf.
#[unsafe(no_mangle)]
pub extern "C" fn logb(x: f64) -> f64 {
    if !x.is_finite() {
        x * x
    } else if x == 0.0 {
        f64::NEG_INFINITY
    } else {
        libm::ilogb(x) as f64
    }
}

/// `logbf(x)`: as logb.
#[unsafe(no_mangle)]
pub extern "C" fn logbf(x: f32) -> f32 {
    if !x.is_finite() {
        x * x
    } else if x == 0.0 {
        f32::NEG_INFINITY
    } else {
        libm::ilogbf(x) as f32
    }
}
