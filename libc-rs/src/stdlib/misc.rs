//! abs/labs/llabs, div, rand/srand/random/srandom (glibc's additive
//! generator, so sequences match), abort.

use crate::lock::Lock;
use crate::signal::{SIG_DFL, SIGABRT, raise, sigaction_raw, sigprocmask_all_unblock};
use crate::{c_char, c_int, c_long, c_longlong, c_uint};

/// `abs(n)`.
#[unsafe(no_mangle)]
pub extern "C" fn abs(n: c_int) -> c_int {
    n.wrapping_abs()
}

/// `labs(n)`.
#[unsafe(no_mangle)]
pub extern "C" fn labs(n: c_long) -> c_long {
    n.wrapping_abs()
}

/// `llabs(n)`.
#[unsafe(no_mangle)]
pub extern "C" fn llabs(n: c_longlong) -> c_longlong {
    n.wrapping_abs()
}

#[repr(C)]
pub struct div_t {
    quot: c_int,
    rem: c_int,
}

#[repr(C)]
pub struct ldiv_t {
    quot: c_long,
    rem: c_long,
}

#[repr(C)]
pub struct lldiv_t {
    quot: c_longlong,
    rem: c_longlong,
}

/// `div(a, b)`.
#[unsafe(no_mangle)]
pub extern "C" fn div(a: c_int, b: c_int) -> div_t {
    div_t {
        quot: a / b,
        rem: a % b,
    }
}

/// `ldiv(a, b)`.
#[unsafe(no_mangle)]
pub extern "C" fn ldiv(a: c_long, b: c_long) -> ldiv_t {
    ldiv_t {
        quot: a / b,
        rem: a % b,
    }
}

/// `lldiv(a, b)`.
#[unsafe(no_mangle)]
pub extern "C" fn lldiv(a: c_longlong, b: c_longlong) -> lldiv_t {
    lldiv_t {
        quot: a / b,
        rem: a % b,
    }
}

/// glibc's TYPE_3 generator: r[i] = r[i-3] + r[i-31] (mod 2^32), output
/// r[i] >> 1, seeded by a Park-Miller sequence and run 310 steps.
struct Random {
    r: [u32; 34],
    /// Index of r[i-31] and r[i-3] in the ring of 31 + 3 history.
    f: usize,
    b: usize,
    seeded: bool,
}

static mut RANDOM: Random = Random {
    r: [0; 34],
    f: 3,
    b: 0,
    seeded: false,
};
static RANDOM_LOCK: Lock = Lock::new();

impl Random {
    fn seed(&mut self, seed: u32) {
        let mut s = [0i32; 31];
        s[0] = if seed == 0 { 1 } else { seed as i32 };
        for i in 1..31 {
            // Schrage's method for 16807 * s mod (2^31 - 1), as glibc does.
            let (hi, lo) = (s[i - 1] / 127773, s[i - 1] % 127773);
            let mut w = 16807 * lo - 2836 * hi;
            if w < 0 {
                w += 2147483647;
            }
            s[i] = w;
        }
        for i in 0..31 {
            self.r[i] = s[i] as u32;
        }
        // The table as a ring of 31 words: front at 3, rear at 0.
        self.f = 3;
        self.b = 0;
        self.seeded = true;
        for _ in 0..310 {
            self.next();
        }
    }

    fn next(&mut self) -> u32 {
        self.r[self.f] = self.r[self.f].wrapping_add(self.r[self.b]);
        let out = self.r[self.f] >> 1;
        self.f = (self.f + 1) % 31;
        self.b = (self.b + 1) % 31;
        out
    }
}

/// `srandom(seed)` / `srand(seed)`.
#[unsafe(no_mangle)]
pub extern "C" fn srandom(seed: c_uint) {
    // SAFETY: the lock serialises access.
    RANDOM_LOCK.with(|| unsafe { (*(&raw mut RANDOM)).seed(seed) });
}

#[unsafe(no_mangle)]
pub extern "C" fn srand(seed: c_uint) {
    srandom(seed)
}

/// `random()` / `rand()`: 0..=RAND_MAX (2^31 - 1); seed 1 by default.
#[unsafe(no_mangle)]
pub extern "C" fn random() -> c_long {
    RANDOM_LOCK.with(|| {
        // SAFETY: the lock serialises access.
        let r = unsafe { &mut *(&raw mut RANDOM) };
        if !r.seeded {
            r.seed(1);
        }
        r.next() as c_long
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn rand() -> c_int {
    random() as c_int
}

/// `rand_r(seed)`: POSIX's reentrant generator (glibc's three-step LCG).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rand_r(seed: *mut c_uint) -> c_int {
    // SAFETY: caller's state word.
    unsafe {
        let mut next = *seed;
        next = next.wrapping_mul(1103515245).wrapping_add(12345);
        let mut result = (next / 65536) % 2048;
        next = next.wrapping_mul(1103515245).wrapping_add(12345);
        result = (result << 10) ^ ((next / 65536) % 1024);
        next = next.wrapping_mul(1103515245).wrapping_add(12345);
        result = (result << 10) ^ ((next / 65536) % 1024);
        *seed = next;
        result as c_int
    }
}

/// `abort()`: raise SIGABRT; if a handler returns or it is ignored, restore
/// the default action, unblock and raise again; never returns.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn abort() -> ! {
    raise(SIGABRT);
    sigaction_raw(SIGABRT, SIG_DFL);
    sigprocmask_all_unblock(SIGABRT);
    raise(SIGABRT);
    crate::unistd::_exit(127)
}

/// `__assert_fail` (assert.h): glibc's message on stderr, then abort.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __assert_fail(
    expr: *const c_char,
    file: *const c_char,
    line: c_uint,
    func: *const c_char,
) -> ! {
    use core::fmt::Write;
    // SAFETY: C strings from the assert macro; the program name is ours.
    unsafe {
        let cs = |p: *const c_char| core::ffi::CStr::from_ptr(p).to_str().unwrap_or("?");
        crate::stdio::file::fflush(core::ptr::null_mut());
        let mut w = crate::rust::Fd(2);
        let prog = crate::start::program_invocation_short_name;
        if !prog.is_null() {
            let _ = write!(w, "{}: ", cs(prog));
        }
        let _ = writeln!(
            w,
            "{}:{}: {}: Assertion `{}' failed.",
            cs(file),
            line,
            cs(func),
            cs(expr)
        );
        abort()
    }
}
