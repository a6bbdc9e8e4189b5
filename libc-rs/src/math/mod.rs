//! math.h: the C99 functions over the `libm` crate (the Rust port of musl's
//! libm), with glibc's errno behaviour (`math_errhandling` is
//! `MATH_ERRNO | MATH_ERREXCEPT`); the rules are in [`errno`]. Each double
//! function has its float twin (`sqrtf` …); the `long double` ones are
//! inline functions in the header over the double ones (libc-rs's long
//! double has double's precision, as its strtold).

mod errno;
mod rounding;

use crate::c_int;
use core::sync::atomic::{AtomicI32, Ordering::Relaxed};
use errno::Rule::{Never, Std, StdUflow};
use errno::{Rule, check1, check2};

/// `signgam`: the sign of Γ(x) from the last lgamma/lgammaf (an `int`).
#[unsafe(no_mangle)]
pub static signgam: AtomicI32 = AtomicI32::new(0);

/// One-argument functions: `name, floatname, errno rule; what it promises`.
macro_rules! unary {
    ($($d:ident, $f:ident, $rule:expr; $doc:literal)*) => { $(
        #[doc = $doc]
        #[unsafe(no_mangle)]
        pub extern "C" fn $d(x: f64) -> f64 {
            check1(x, libm::$d(x), $rule)
        }
        #[doc = $doc]
        #[unsafe(no_mangle)]
        pub extern "C" fn $f(x: f32) -> f32 {
            check1(x, libm::$f(x), $rule)
        }
    )* };
}

/// Two-argument functions, as [`unary`].
macro_rules! binary {
    ($($d:ident, $f:ident, $rule:expr; $doc:literal)*) => { $(
        #[doc = $doc]
        #[unsafe(no_mangle)]
        pub extern "C" fn $d(x: f64, y: f64) -> f64 {
            check2(x, y, libm::$d(x, y), $rule)
        }
        #[doc = $doc]
        #[unsafe(no_mangle)]
        pub extern "C" fn $f(x: f32, y: f32) -> f32 {
            check2(x, y, libm::$f(x, y), $rule)
        }
    )* };
}

unary! {
    sqrt, sqrtf, Std; "√x correctly rounded; EDOM below -0."
    cbrt, cbrtf, Never; "The cube root."
    exp, expf, StdUflow; "e^x; ERANGE on overflow and on underflow to 0."
    exp2, exp2f, StdUflow; "2^x; ERANGE on overflow and on underflow to 0."
    exp10, exp10f, StdUflow; "10^x (GNU); ERANGE on overflow and on underflow to 0."
    expm1, expm1f, Std; "e^x - 1, exact near 0; ERANGE on overflow."
    log, logf, Std; "ln x; EDOM below 0, ERANGE (-inf) at ±0."
    log2, log2f, Std; "log₂ x; EDOM below 0, ERANGE (-inf) at ±0."
    log10, log10f, Std; "log₁₀ x; EDOM below 0, ERANGE (-inf) at ±0."
    log1p, log1pf, Std; "ln(1 + x); EDOM below -1, ERANGE (-inf) at -1."
    sin, sinf, Std; "sin x; EDOM for ±inf."
    cos, cosf, Std; "cos x; EDOM for ±inf."
    tan, tanf, Std; "tan x; EDOM for ±inf."
    asin, asinf, Std; "arcsin x; EDOM outside [-1, 1]."
    acos, acosf, Std; "arccos x; EDOM outside [-1, 1]."
    atan, atanf, Std; "arctan x."
    sinh, sinhf, Std; "sinh x; ERANGE on overflow."
    cosh, coshf, Std; "cosh x; ERANGE on overflow."
    tanh, tanhf, Std; "tanh x."
    asinh, asinhf, Std; "arsinh x."
    atanh, atanhf, Std; "artanh x; EDOM outside [-1, 1], ERANGE (±inf) at ±1."
    erf, erff, Std; "The error function."
    erfc, erfcf, StdUflow; "1 - erf(x); ERANGE on underflow to 0."
    tgamma, tgammaf, StdUflow; "Γ(x); EDOM at negative integers and -inf, ERANGE at ±0, on overflow and underflow to 0."
    floor, floorf, Never; "The largest integer not above x."
    ceil, ceilf, Never; "The smallest integer not below x."
    trunc, truncf, Never; "x rounded toward zero."
    round, roundf, Never; "x rounded to nearest, halves away from zero."
    rint, rintf, Never; "x rounded to nearest, halves to even (the default rounding mode)."
    fabs, fabsf, Never; "|x|."
}

binary! {
    hypot, hypotf, Std; "√(x² + y²) without undue overflow; ERANGE on overflow."
    pow, powf, StdUflow; "x^y; EDOM for a negative x and non-integer y, ERANGE at poles, on overflow and underflow to 0."
    atan2, atan2f, StdUflow; "The angle of (x, y); ERANGE on underflow to 0."
    fmod, fmodf, Std; "x - n·y with n = trunc(x/y), exact; EDOM for y = 0 or infinite x."
    remainder, remainderf, Std; "x - n·y with n = x/y rounded to even, exact; EDOM for y = 0 or infinite x."
    copysign, copysignf, Never; "|x| with y's sign."
    fdim, fdimf, Std; "x - y when x > y, else +0; ERANGE on overflow."
    nextafter, nextafterf, Rule::NextAfter; "The next representable value after x toward y; ERANGE for an infinite, subnormal or zero result from finite x ≠ 0."
}

/// `nearbyint(x)`: rint without the inexact exception (we raise none).
#[unsafe(no_mangle)]
pub extern "C" fn nearbyint(x: f64) -> f64 {
    libm::rint(x)
}

/// `nearbyintf(x)`: as nearbyint.
#[unsafe(no_mangle)]
pub extern "C" fn nearbyintf(x: f32) -> f32 {
    libm::rintf(x)
}

/// `fma(x, y, z)`: x·y + z rounded once; no errno (as glibc).
#[unsafe(no_mangle)]
pub extern "C" fn fma(x: f64, y: f64, z: f64) -> f64 {
    libm::fma(x, y, z)
}

/// `fmaf(x, y, z)`: as fma.
#[unsafe(no_mangle)]
pub extern "C" fn fmaf(x: f32, y: f32, z: f32) -> f32 {
    libm::fmaf(x, y, z)
}

/// `frexp(x, e)`: x = m·2^e with 0.5 ≤ |m| < 1 (m = x and e = 0 for 0, inf, NaN).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn frexp(x: f64, e: *mut c_int) -> f64 {
    let (m, k) = libm::frexp(x);
    // SAFETY: e is the caller's int.
    unsafe { *e = k };
    m
}

/// `frexpf(x, e)`: as frexp.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn frexpf(x: f32, e: *mut c_int) -> f32 {
    let (m, k) = libm::frexpf(x);
    // SAFETY: e is the caller's int.
    unsafe { *e = k };
    m
}

/// `modf(x, ip)`: the fractional part, the integral part in *ip (same signs).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn modf(x: f64, ip: *mut f64) -> f64 {
    let (f, i) = libm::modf(x);
    // SAFETY: ip is the caller's double.
    unsafe { *ip = i };
    f
}

/// `modff(x, ip)`: as modf.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn modff(x: f32, ip: *mut f32) -> f32 {
    let (f, i) = libm::modff(x);
    // SAFETY: ip is the caller's float.
    unsafe { *ip = i };
    f
}

/// `remquo(x, y, q)`: remainder(x, y), with the low bits and sign of the
/// quotient in *q; no errno (as glibc).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn remquo(x: f64, y: f64, q: *mut c_int) -> f64 {
    let (r, n) = libm::remquo(x, y);
    // SAFETY: q is the caller's int.
    unsafe { *q = n };
    r
}

/// `remquof(x, y, q)`: as remquo.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn remquof(x: f32, y: f32, q: *mut c_int) -> f32 {
    let (r, n) = libm::remquof(x, y);
    // SAFETY: q is the caller's int.
    unsafe { *q = n };
    r
}

/// `ldexp(x, n)`: x·2^n; ERANGE on overflow and underflow to 0.
#[unsafe(no_mangle)]
pub extern "C" fn ldexp(x: f64, n: c_int) -> f64 {
    check1(x, libm::scalbn(x, n), StdUflow)
}

/// `ldexpf(x, n)`: as ldexp.
#[unsafe(no_mangle)]
pub extern "C" fn ldexpf(x: f32, n: c_int) -> f32 {
    check1(x, libm::scalbnf(x, n), StdUflow)
}

/// `scalbn(x, n)`: as ldexp (FLT_RADIX is 2).
#[unsafe(no_mangle)]
pub extern "C" fn scalbn(x: f64, n: c_int) -> f64 {
    ldexp(x, n)
}

/// `scalbnf(x, n)`: as ldexpf.
#[unsafe(no_mangle)]
pub extern "C" fn scalbnf(x: f32, n: c_int) -> f32 {
    ldexpf(x, n)
}

/// `lgamma(x)`: ln|Γ(x)|, the sign of Γ(x) in `signgam`; ERANGE at poles and on overflow.
#[unsafe(no_mangle)]
pub extern "C" fn lgamma(x: f64) -> f64 {
    let (y, s) = libm::lgamma_r(x);
    signgam.store(s, Relaxed);
    check1(x, y, Std)
}

/// `lgammaf(x)`: as lgamma.
#[unsafe(no_mangle)]
pub extern "C" fn lgammaf(x: f32) -> f32 {
    let (y, s) = libm::lgammaf_r(x);
    signgam.store(s, Relaxed);
    check1(x, y, Std)
}

/// `lgamma_r(x, sign)`: lgamma with the sign in *sign instead of signgam.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lgamma_r(x: f64, sign: *mut c_int) -> f64 {
    let (y, s) = libm::lgamma_r(x);
    // SAFETY: sign is the caller's int.
    unsafe { *sign = s };
    check1(x, y, Std)
}

/// `lgammaf_r(x, sign)`: as lgamma_r.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lgammaf_r(x: f32, sign: *mut c_int) -> f32 {
    let (y, s) = libm::lgammaf_r(x);
    // SAFETY: sign is the caller's int.
    unsafe { *sign = s };
    check1(x, y, Std)
}

/// `acosh(x)`: arcosh x; EDOM below 1 (libm answers some x < -1 with a
/// number).
#[unsafe(no_mangle)]
pub extern "C" fn acosh(x: f64) -> f64 {
    check1(x, if x < 1.0 { f64::NAN } else { libm::acosh(x) }, Std)
}

/// `acoshf(x)`: as acosh.
#[unsafe(no_mangle)]
pub extern "C" fn acoshf(x: f32) -> f32 {
    check1(x, if x < 1.0 { f32::NAN } else { libm::acoshf(x) }, Std)
}

/// Of two equal arguments (+0 and -0) glibc's fmin/fmax answer the second
/// on x86_64 (SSE's minsd/maxsd) and the first on i386; otherwise libm's
/// `answer`.
fn equal_or<T: PartialEq>(x: T, y: T, answer: T) -> T {
    match (x == y, cfg!(target_arch = "x86_64")) {
        (true, true) => y,
        (true, false) => x,
        _ => answer,
    }
}

/// `fmin(x, y)`: the smaller of x and y; a NaN only if both are.
#[unsafe(no_mangle)]
pub extern "C" fn fmin(x: f64, y: f64) -> f64 {
    equal_or(x, y, libm::fmin(x, y))
}

/// `fminf(x, y)`: as fmin.
#[unsafe(no_mangle)]
pub extern "C" fn fminf(x: f32, y: f32) -> f32 {
    equal_or(x, y, libm::fminf(x, y))
}

/// `fmax(x, y)`: the larger of x and y; a NaN only if both are.
#[unsafe(no_mangle)]
pub extern "C" fn fmax(x: f64, y: f64) -> f64 {
    equal_or(x, y, libm::fmax(x, y))
}

/// `fmaxf(x, y)`: as fmax.
#[unsafe(no_mangle)]
pub extern "C" fn fmaxf(x: f32, y: f32) -> f32 {
    equal_or(x, y, libm::fmaxf(x, y))
}
