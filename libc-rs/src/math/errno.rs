//! glibc's errno rules for the math functions (its wrappers and the
//! checks inside its implementations), on the arguments and the result.

use crate::errno::{EDOM, ERANGE, set_errno};

/// Which errno rule a function follows.
#[derive(Clone, Copy)]
pub enum Rule {
    /// Never sets errno.
    Never,
    /// EDOM for a NaN from non-NaN arguments; ERANGE for an infinity from
    /// finite arguments (a pole or an overflow).
    Std,
    /// `Std`, and ERANGE for a zero from finite non-zero arguments (an
    /// underflow).
    StdUflow,
    /// nextafter: ERANGE for an infinite, subnormal or zero result from a
    /// finite non-zero x that moved.
    NextAfter,
}

/// The classification the rules need, for f64 and f32.
pub trait Float: Copy + PartialEq {
    fn is_nan(self) -> bool;
    fn is_finite(self) -> bool;
    fn is_zero(self) -> bool;
    fn is_subnormal(self) -> bool;
}

macro_rules! float {
    ($t:ty) => {
        impl Float for $t {
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            fn is_zero(self) -> bool {
                self == 0.0
            }
            fn is_subnormal(self) -> bool {
                <$t>::is_subnormal(self)
            }
        }
    };
}
float!(f64);
float!(f32);

/// Apply `rule` to the arguments `args` and the result `y`; returns `y`.
fn check<T: Float>(args: &[T], y: T, rule: Rule) -> T {
    let no_nan = args.iter().all(|a| !a.is_nan());
    let finite = args.iter().all(|a| a.is_finite());
    let e = match rule {
        Rule::Never => 0,
        _ if y.is_nan() && no_nan => EDOM,
        Rule::NextAfter => {
            let x = args[0];
            let moved = x != args[1];
            let tiny = y.is_zero() || y.is_subnormal();
            if moved && finite && !x.is_zero() && (!y.is_finite() || tiny) {
                ERANGE
            } else {
                0
            }
        }
        _ if !y.is_finite() && !y.is_nan() && finite => ERANGE,
        Rule::StdUflow if y.is_zero() && finite && args.iter().all(|a| !a.is_zero()) => ERANGE,
        _ => 0,
    };
    if e != 0 {
        set_errno(e);
    }
    y
}

/// [`check`] for one argument.
pub fn check1<T: Float>(x: T, y: T, rule: Rule) -> T {
    check(&[x], y, rule)
}

/// [`check`] for two arguments.
pub fn check2<T: Float>(x: T, y: T, r: T, rule: Rule) -> T {
    check(&[x, y], r, rule)
}
