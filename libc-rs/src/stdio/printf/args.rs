//! Fetching printf arguments: in order from the va_list, or — when the
//! format uses POSIX positions (`%2$d`, `%*3$d`) — all at once after a scan
//! of the format that tells each position's type.

use crate::arch::VaList;

/// How an argument was passed (after default promotions).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// int and everything narrower.
    Int,
    /// long, size_t, ptrdiff_t.
    Long,
    /// long long, intmax_t.
    I64,
    /// Any pointer.
    Ptr,
    F64,
    LongDouble,
}

/// A fetched argument.
#[derive(Clone, Copy)]
pub enum Val {
    /// An integer or pointer, sign-extended from its passed width.
    I(u64),
    F(f64),
    L([u8; 10]),
}

/// The most positions we support (glibc allows more; musl 9).
pub const MAX_POS: usize = 128;

/// The argument supply for one printf call.
pub enum Args {
    Seq(VaList),
    Pos([Val; MAX_POS]),
}

/// Read one argument of `kind` from a va_list.
unsafe fn fetch(va: &mut VaList, kind: Kind) -> Val {
    // SAFETY: the format says an argument of this kind is next.
    unsafe {
        match kind {
            Kind::Int => Val::I(va.next_int() as i64 as u64),
            Kind::Long => Val::I(va.next_long() as i64 as u64),
            Kind::I64 => Val::I(va.next_i64() as u64),
            Kind::Ptr => Val::I(va.next_ptr::<u8>() as usize as u64),
            Kind::F64 => Val::F(va.next_f64()),
            Kind::LongDouble => Val::L(va.next_long_double()),
        }
    }
}

impl Args {
    /// Positional mode: fetch positions 1..=n whose kinds are in `kinds`
    /// (an unused gap is taken as an int, as C requires every position up to
    /// the highest to be used).
    pub unsafe fn positional(mut va: VaList, kinds: &[Option<Kind>]) -> Args {
        let mut vals = [Val::I(0); MAX_POS];
        for (i, k) in kinds.iter().enumerate() {
            // SAFETY: the caller scanned the format for these kinds.
            vals[i] = unsafe { fetch(&mut va, k.unwrap_or(Kind::Int)) };
        }
        Args::Pos(vals)
    }

    /// The argument at `pos` (1-based) or the next one.
    pub unsafe fn get(&mut self, pos: Option<usize>, kind: Kind) -> Val {
        match self {
            // SAFETY: the format promises the argument.
            Args::Seq(va) => unsafe { fetch(va, kind) },
            Args::Pos(vals) => vals[pos.unwrap_or(1).clamp(1, MAX_POS) - 1],
        }
    }

    /// An integer argument.
    pub unsafe fn int(&mut self, pos: Option<usize>, kind: Kind) -> u64 {
        // SAFETY: as get.
        match unsafe { self.get(pos, kind) } {
            Val::I(v) => v,
            Val::F(f) => f as u64,
            Val::L(_) => 0,
        }
    }
}
