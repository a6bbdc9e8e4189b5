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

/// A rounding function and its float twin answering an integer of `$bits` bits.
macro_rules! to_integer {
    ($($d:ident, $f:ident, $round:ident, $roundf:ident, $t:ty; $doc:literal)*) => { $(
        #[doc = $doc]
        #[unsafe(no_mangle)]
        pub extern "C" fn $d(x: f64) -> $t {
            to_int(libm::$round(x), <$t>::BITS) as $t
        }
        #[doc = $doc]
        #[unsafe(no_mangle)]
        pub extern "C" fn $f(x: f32) -> $t {
            to_int(libm::$roundf(x) as f64, <$t>::BITS) as $t
        }
    )* };
}

to_integer! {
    lround, lroundf, round, roundf, c_long; "x rounded half away from zero, as a long."
    llround, llroundf, round, roundf, i64; "x rounded half away from zero, as a long long."
    lrint, lrintf, rint, rintf, c_long; "x rounded half to even (the default mode), as a long."
    llrint, llrintf, rint, rintf, i64; "x rounded half to even, as a long long."
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
