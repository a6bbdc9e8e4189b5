//! Timekeeping: the periodic tick (HZ, jiffies), monotonic nanoseconds from
//! the TSC, and wall-clock time from the RTC read at boot.

pub mod itimer;
pub mod posix_timers;

use crate::arch::x86_64::entry::PtRegs;
use crate::arch::x86_64::{apic, cpu, pit, rtc, tsc, vdso::VVAR};
use crate::sync::SpinLock;
use core::sync::atomic::{AtomicU64, Ordering};
use vdso_data::{KernelTimespec, Timekeeper};

/// Timer interrupts per second (Debian's CONFIG_HZ).
pub const HZ: u64 = 250;

static JIFFIES: AtomicU64 = AtomicU64::new(0);
/// The clocks user space sees (CLOCK_REALTIME, MONOTONIC, …), advanced
/// every tick and published to the vvar page (Linux's timekeeper).
static TIMEKEEPER: SpinLock<Option<Timekeeper>> = SpinLock::new(None);
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
    let rt = ktime_get_real_ns();
    let realtime = KernelTimespec {
        tv_sec: (rt / 1_000_000_000) as i64,
        tv_nsec: (rt % 1_000_000_000) as i64,
    };
    let tk = Timekeeper::new(
        khz as u32,
        cpu::rdtsc(),
        realtime,
        (1_000_000_000 / HZ) as u32,
    );
    // SAFETY: the only writer; no process reads the vvar page yet.
    unsafe { VVAR.update_vsyscall(&tk) };
    *TIMEKEEPER.lock() = Some(tk);
    pit::disable_legacy_pic();
    apic::init_local_apic();
    apic::init_io_apic();
    let per_sec = apic::setup_apic_timer(HZ);
    crate::pr_info!("APIC timer: {} ticks/s, HZ={}", per_sec, HZ);
}

/// CLOCK_MONOTONIC now, in nanoseconds (the clock user space sees).
pub fn monotonic_ns() -> u64 {
    VVAR.clock_gettime(vdso_data::CLOCK_MONOTONIC, cpu::rdtsc)
        .map_or(ktime_get_ns(), |t| {
            t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
        })
}

/// The timer interrupt (Linux's tick_handle_periodic): jiffies, the
/// clocks in the vvar page, CPU-time accounting, expired sleeps, and the
/// scheduler's time slice.
pub fn tick(regs: &mut PtRegs) {
    let jiffies = JIFFIES.fetch_add(1, Ordering::Relaxed) + 1;
    if let Some(tk) = TIMEKEEPER.lock().as_mut() {
        tk.advance(cpu::rdtsc());
        // SAFETY: the tick is the only writer, under TIMEKEEPER's lock.
        unsafe { VVAR.update_vsyscall(tk) };
    }
    if crate::sched::has_current() {
        let cur = crate::sched::current();
        let user = regs.user_mode();
        crate::process::cputime::account_process_tick(cur, user);
        if cur.pid() != 0 {
            let task = crate::sched::current_arc();
            itimer::account_cpu_tick(&task, user);
            posix_timers::run_posix_cpu_timers(&task);
        }
        crate::sched::timer::run_timers(ktime_get_ns());
        crate::sched::scheduler_tick();
        // Active: the tasks waiting for the CPU, and the one on it.
        let active = crate::sched::nr_running() + (cur.pid() != 0) as usize;
        crate::sched::loadavg::calc_global_load_tick(jiffies, active as u64);
    }
}
