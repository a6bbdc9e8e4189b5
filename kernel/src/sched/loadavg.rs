//! Load averages (Linux's kernel/sched/loadavg.c): every LOAD_FREQ the
//! number of active tasks (running or waiting for the CPU) is folded into
//! three exponentially decaying averages over 1, 5 and 15 minutes, in
//! 11-bit fixed point, as /proc/loadavg and sysinfo(2) report them.

use core::sync::atomic::{AtomicU64, Ordering};

/// Bits of fraction in a load average.
pub const FSHIFT: u32 = 11;
/// 1.0 in fixed point.
pub const FIXED_1: u64 = 1 << FSHIFT;
/// Ticks between samples: 5 s, and one tick more so that the sample does
/// not beat with work that runs every few seconds (as Linux).
pub const LOAD_FREQ: u64 = 5 * crate::time::HZ + 1;
/// 1/exp(5 s / 1 min), 1/exp(5 s / 5 min), 1/exp(5 s / 15 min) in fixed point.
const EXP: [u64; 3] = [1884, 2014, 2037];

static AVENRUN: [AtomicU64; 3] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

// One step of the decay: load * e + active * (1 - e), rounded up while
// the load is rising so that it can reach the number of tasks (calc_load).
fn calc_load(load: u64, exp: u64, active: u64) -> u64 {
    let mut newload = load * exp + active * (FIXED_1 - exp);
    if active >= load {
        newload += FIXED_1 - 1;
    }
    newload / FIXED_1
}

/// From the tick: every LOAD_FREQ ticks fold in the tasks that are
/// running or runnable now (Linux's calc_global_load).
pub fn calc_global_load_tick(jiffies: u64, nr_active: u64) {
    if jiffies % LOAD_FREQ != 0 {
        return;
    }
    let active = nr_active * FIXED_1;
    for (avg, exp) in AVENRUN.iter().zip(EXP) {
        avg.store(
            calc_load(avg.load(Ordering::Relaxed), exp, active),
            Ordering::Relaxed,
        );
    }
}

/// The three averages in fixed point, plus `offset` (get_avenrun).
pub fn get_avenrun(offset: u64) -> [u64; 3] {
    core::array::from_fn(|i| AVENRUN[i].load(Ordering::Relaxed) + offset)
}

/// The averages as /proc/loadavg prints them: "0.42 0.17 0.06".
pub fn loadavg_text() -> alloc::string::String {
    // Half of the last printed digit, so that printing rounds (Linux).
    let a = get_avenrun(FIXED_1 / 200);
    let part = |x: u64| (x >> FSHIFT, ((x & (FIXED_1 - 1)) * 100) >> FSHIFT);
    let [(i0, f0), (i1, f1), (i2, f2)] = a.map(part);
    alloc::format!("{i0}.{f0:02} {i1}.{f1:02} {i2}.{f2:02}")
}
