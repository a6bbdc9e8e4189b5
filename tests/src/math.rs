//! The comparison of `diff_math`'s output (libc-rs/tests/c/diff_math.c)
//! with glibc's: the correctly rounded functions bit for bit, the others
//! within a few ulps, errno and second results exactly.

/// The math functions whose result is exact (correctly rounded or exact by
/// definition): libc-rs must give glibc's bits.
const EXACT: [&str; 26] = [
    "sqrt",
    "fabs",
    "floor",
    "ceil",
    "trunc",
    "round",
    "rint",
    "nearbyint",
    "fmod",
    "remainder",
    "remquo",
    "copysign",
    "fmin",
    "fmax",
    "fdim",
    "fma",
    "frexp",
    "ldexp",
    "scalbn",
    "modf",
    "nextafter",
    "ilogb",
    "logb",
    "lround",
    "llround",
    "lrint",
];

/// How many ulps a non-exact function may differ from glibc: 1, except
/// where glibc documents larger errors of its own (cbrt up to 4 ulps on
/// x86; lgamma and tgamma up to 9 ulps, and lgamma near its zeros, where
/// both libraries lose relative accuracy).
fn ulps(name: &str) -> i64 {
    match name {
        "cbrt" => 4,
        "tgamma" => 10,
        "lgamma" => 16,
        _ => 1,
    }
}

/// One `diff_math` line against glibc's: `NAME d|f INDEX BITS ERRNO
/// [EXTRA…]`; errno and extras exact, the bits per [`EXACT`] and
/// [`ulps`] (any NaN matches any NaN; infinities and zeros exactly).
pub fn line_matches(ours: &str, theirs: &str) -> bool {
    if ours == theirs {
        return true;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (
        ours.split_whitespace().collect(),
        theirs.split_whitespace().collect(),
    );
    if a.len() < 5 || a.len() != b.len() || a[..3] != b[..3] || a[4..] != b[4..] {
        return false;
    }
    let bits = match a[1] {
        "d" => 64,
        "f" => 32,
        _ => return false,
    };
    let (Ok(x), Ok(y)) = (u64::from_str_radix(a[3], 16), u64::from_str_radix(b[3], 16)) else {
        return false;
    };
    let (exp_mask, mant_mask) = if bits == 64 {
        (0x7ffu64 << 52, (1u64 << 52) - 1)
    } else {
        (0xff << 23, (1 << 23) - 1)
    };
    let nan = |v: u64| v & exp_mask == exp_mask && v & mant_mask != 0;
    if nan(x) && nan(y) {
        return true;
    }
    let special = |v: u64| v & exp_mask == exp_mask || v << (65 - bits) == 0;
    if EXACT.contains(&a[0]) || special(x) || special(y) {
        return false;
    }
    // Distance in ulps along the number line (sign and magnitude).
    let key = |v: u64| {
        let mag = (v & (!0 >> (65 - bits))) as i64;
        if v >> (bits - 1) & 1 == 1 { -mag } else { mag }
    };
    (key(x) - key(y)).abs() <= ulps(a[0])
}

/// The pairs of lines (libc-rs's, glibc's) that do not match.
pub fn mismatches<'a>(ours: &[&'a str], theirs: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    ours.iter()
        .zip(theirs)
        .filter(|(x, y)| !line_matches(x, y))
        .map(|(x, y)| (*x, *y))
        .collect()
}
