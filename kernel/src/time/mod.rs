//! Timekeeping: the periodic tick (HZ, jiffies), monotonic nanoseconds from
//! the TSC, and wall-clock time from the RTC read at boot.

use crate::arch::x86_64::entry::PtRegs;
use crate::arch::x86_64::{apic, pit, rtc, tsc};
use core::sync::atomic::{AtomicU64, Ordering};

/// Timer interrupts per second (Debian's CONFIG_HZ).
pub const HZ: u64 = 250;

static JIFFIES: AtomicU64 = AtomicU64::new(0);
/// Wall-clock nanoseconds at ktime 0.
static BOOT_REALTIME_NS: AtomicU64 = AtomicU64::new(0);

/// Nanoseconds since boot (CLOCK_MONOTONIC).
pub fn ktime_get_ns() -> u64 {
    tsc::ns_since_boot()
}

/// Nanoseconds since the epoch (CLOCK_REALTIME).
pub fn ktime_get_real_ns() -> u64 {
    BOOT_REALTIME_NS.load(Ordering::Relaxed) + ktime_get_ns()
}

pub fn jiffies() -> u64 {
    JIFFIES.load(Ordering::Relaxed)
}

/// time_init: calibrate the TSC, read the RTC, start the periodic tick.
/// Interrupts are enabled by the caller afterwards.
pub fn time_init() {
    let khz = tsc::tsc_init();
    crate::pr_info!(
        "tsc: Detected {}.{:03} MHz processor",
        khz / 1000,
        khz % 1000
    );
    let now = rtc::read_persistent_clock();
    BOOT_REALTIME_NS.store(
        (now * 1_000_000_000).saturating_sub(ktime_get_ns()),
        Ordering::Relaxed,
    );
    pit::disable_legacy_pic();
    apic::init_local_apic();
    apic::init_io_apic();
    let per_sec = apic::setup_apic_timer(HZ);
    crate::pr_info!("APIC timer: {} ticks/s, HZ={}", per_sec, HZ);
}

/// The timer interrupt (Linux's tick_handle_periodic).
pub fn tick(_regs: &mut PtRegs) {
    JIFFIES.fetch_add(1, Ordering::Relaxed);
}
