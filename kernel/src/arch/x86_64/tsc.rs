//! The TSC as the kernel's clock: calibrated against the PIT at boot,
//! converted to nanoseconds with a 32.32 fixed-point multiplier.

use super::{cpu, pit};
use core::sync::atomic::{AtomicU64, Ordering};

/// TSC at kernel entry: time zero for ktime.
static BOOT_TSC: AtomicU64 = AtomicU64::new(0);
static TSC_KHZ: AtomicU64 = AtomicU64::new(0);
/// ns = cycles * MULT >> 32.
static MULT: AtomicU64 = AtomicU64::new(0);

/// Remember the TSC at the first instruction of Rust.
pub fn mark_boot() {
    BOOT_TSC.store(cpu::rdtsc(), Ordering::Relaxed);
}

pub fn boot_tsc() -> u64 {
    BOOT_TSC.load(Ordering::Relaxed)
}

/// Measure the TSC frequency over 3 × 10 ms of PIT time, keeping the
/// smallest (least disturbed) reading.
pub fn tsc_init() -> u64 {
    let cycles = (0..3)
        .map(|_| pit::measure_tsc_cycles(10))
        .min()
        .unwrap_or(0)
        .max(1);
    let khz = cycles / 10;
    TSC_KHZ.store(khz, Ordering::Relaxed);
    MULT.store(
        ((1_000_000u128 << 32) / khz as u128) as u64,
        Ordering::Relaxed,
    );
    khz
}

pub fn tsc_khz() -> u64 {
    TSC_KHZ.load(Ordering::Relaxed)
}

/// Convert TSC cycles to nanoseconds (0 before calibration).
#[inline]
pub fn cycles_to_ns(cycles: u64) -> u64 {
    ((cycles as u128 * MULT.load(Ordering::Relaxed) as u128) >> 32) as u64
}

/// Nanoseconds since kernel entry.
#[inline]
pub fn ns_since_boot() -> u64 {
    cycles_to_ns(cpu::rdtsc().wrapping_sub(boot_tsc()))
}
