//! The kernel's side of the vvar page: Linux's `update_vsyscall`, fed from a
//! small timekeeper that follows Linux's `struct timekeeper` field by field.
//!
//! Use: at boot, [`Timekeeper::new`] from the TSC frequency and the RTC;
//! then at every timer tick, under the kernel's timekeeping lock,
//! `tk.advance(rdtsc_ordered())` and `vvar.update_vsyscall(&tk)`. Ticks may
//! be late or missed: the readers' arithmetic never overflows, a late tick
//! only makes the coarse clocks coarser.

use crate::vvar::{CS_BASES, CS_HRES_COARSE, CS_RAW, KernelTimespec, VdsoClockMode, VvarPage};
use crate::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME,
    CLOCK_REALTIME_COARSE, CLOCK_TAI, NSEC_PER_SEC,
};
use core::sync::atomic::{Ordering, fence};

/// Linux's `clocks_calc_mult_shift`: the (mult, shift) pair converting a
/// counter at `from` Hz to `to` Hz (`to_ticks = (from_ticks * mult) >> shift`)
/// with the best precision that still cannot overflow 64 bits for
/// `maxsec` seconds of counting.
pub fn clocks_calc_mult_shift(from: u32, to: u32, maxsec: u32) -> (u32, u32) {
    if from == 0 {
        return (0, 0);
    }
    // Bits left for the multiplier once maxsec * from is accounted for.
    let mut sftacc: u32 = 32;
    let mut tmp = (maxsec as u64 * from as u64) >> 32;
    while tmp != 0 {
        tmp >>= 1;
        sftacc -= 1;
    }
    // The largest shift whose multiplier still fits in sftacc bits.
    let mut sft = 32;
    let mut mult = 0u64;
    while sft > 0 {
        mult = ((to as u64) << sft) + from as u64 / 2;
        mult /= from as u64;
        if mult >> sftacc == 0 {
            break;
        }
        sft -= 1;
    }
    (mult as u32, sft)
}

/// Linux's choice for the TSC (`clocksource_register_khz`): frequency in
/// kHz, 600 s of headroom.
pub fn tsc_mult_shift(tsc_khz: u32) -> (u32, u32) {
    clocks_calc_mult_shift(tsc_khz, 1_000_000, 600 * 1000)
}

/// What the vDSO needs from the kernel's timekeeping, named after Linux's
/// `struct timekeeper` (`tkr_mono`, `tkr_raw`, `xtime_*`, offsets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timekeeper {
    /// NONE makes every counter-based clock take the syscall.
    pub clock_mode: VdsoClockMode,
    /// Counter value at which the times below hold.
    pub cycle_last: u64,
    pub mask: u64,
    pub mult: u32,
    pub shift: u32,
    /// CLOCK_REALTIME at `cycle_last`: seconds, and nanoseconds << `shift`.
    pub xtime_sec: u64,
    pub xtime_nsec: u64,
    /// CLOCK_MONOTONIC - CLOCK_REALTIME, `tv_nsec` in [0, 1e9).
    pub wall_to_monotonic: KernelTimespec,
    /// CLOCK_BOOTTIME - CLOCK_MONOTONIC (time spent suspended).
    pub monotonic_to_boot: KernelTimespec,
    /// CLOCK_TAI - CLOCK_REALTIME, seconds.
    pub tai_offset: i64,
    /// CLOCK_MONOTONIC_RAW at `cycle_last`: seconds, and ns << `raw_shift`.
    pub raw_sec: u64,
    pub raw_nsec: u64,
    pub raw_mult: u32,
    pub raw_shift: u32,
    /// clock_getres of the counter clocks and of the coarse clocks, ns.
    pub hrtimer_res: u32,
    pub low_res_nsec: u32,
}

impl Timekeeper {
    /// A timekeeper started at counter value `cycles`, when the wall clock
    /// read `realtime`: monotonic and raw time start at 0 there, as Linux's
    /// do after boot. `tick_nsec` is the timer period.
    pub fn new(tsc_khz: u32, cycles: u64, realtime: KernelTimespec, tick_nsec: u32) -> Self {
        let (mult, shift) = tsc_mult_shift(tsc_khz);
        let realtime = normalise(realtime);
        let wall_to_monotonic = normalise(KernelTimespec {
            tv_sec: -realtime.tv_sec,
            tv_nsec: -realtime.tv_nsec,
        });
        Self {
            clock_mode: if tsc_khz != 0 {
                VdsoClockMode::Tsc
            } else {
                VdsoClockMode::None
            },
            cycle_last: cycles,
            mask: u64::MAX,
            mult,
            shift,
            xtime_sec: realtime.tv_sec as u64,
            xtime_nsec: (realtime.tv_nsec as u64) << shift,
            wall_to_monotonic,
            monotonic_to_boot: KernelTimespec::default(),
            tai_offset: 0,
            raw_sec: 0,
            raw_nsec: 0,
            raw_mult: mult,
            raw_shift: shift,
            hrtimer_res: 1,
            low_res_nsec: tick_nsec,
        }
    }

    /// Fold the time elapsed up to counter value `cycles` into the bases
    /// (Linux's `timekeeping_advance`, without NTP adjustment).
    pub fn advance(&mut self, cycles: u64) {
        let delta = if cycles > self.cycle_last {
            (cycles - self.cycle_last) & self.mask
        } else {
            0
        };
        (self.xtime_sec, self.xtime_nsec) = accumulate(
            self.xtime_sec,
            self.xtime_nsec,
            delta,
            self.mult,
            self.shift,
        );
        (self.raw_sec, self.raw_nsec) = accumulate(
            self.raw_sec,
            self.raw_nsec,
            delta,
            self.raw_mult,
            self.raw_shift,
        );
        self.cycle_last = cycles;
    }

    /// CLOCK_REALTIME as of `cycle_last`.
    pub fn realtime(&self) -> KernelTimespec {
        KernelTimespec {
            tv_sec: self.xtime_sec as i64,
            tv_nsec: (self.xtime_nsec >> self.shift) as i64,
        }
    }
}

/// Add `delta * mult` shifted nanoseconds to (sec, nsec << shift), carrying
/// whole seconds; exact for any delta.
fn accumulate(sec: u64, nsec: u64, delta: u64, mult: u32, shift: u32) -> (u64, u64) {
    let one_sec = (NSEC_PER_SEC as u128) << shift;
    let total = nsec as u128 + delta as u128 * mult as u128;
    (
        sec.wrapping_add((total / one_sec) as u64),
        (total % one_sec) as u64,
    )
}

/// `ts` with `tv_nsec` brought into [0, 1e9).
fn normalise(ts: KernelTimespec) -> KernelTimespec {
    let ns = NSEC_PER_SEC as i64;
    KernelTimespec {
        tv_sec: ts.tv_sec + ts.tv_nsec.div_euclid(ns),
        tv_nsec: ts.tv_nsec.rem_euclid(ns),
    }
}

/// `(sec, nsec)` plus `add` seconds and `add_ns` nanoseconds, where `nsec`
/// is shifted by `shift` (Linux's carry loops in `update_vdso_data`).
fn add_shifted(sec: u64, nsec: u64, add: KernelTimespec, shift: u32) -> (u64, u64) {
    let add = normalise(add);
    let one_sec = NSEC_PER_SEC << shift;
    let mut sec = sec.wrapping_add(add.tv_sec as u64);
    let mut nsec = nsec + ((add.tv_nsec as u64) << shift);
    while nsec >= one_sec {
        nsec -= one_sec;
        sec = sec.wrapping_add(1);
    }
    (sec, nsec)
}

impl VvarPage {
    /// Publish `tk` to user space (Linux's `update_vsyscall`). Call it from
    /// the timer tick, after [`Timekeeper::advance`].
    ///
    /// # Safety
    /// One writer at a time: callers serialise all the update functions
    /// (e.g. under the timekeeping lock). Readers need no lock.
    pub unsafe fn update_vsyscall(&self, tk: &Timekeeper) {
        self.write_begin();
        let hres = &self.data[CS_HRES_COARSE];
        let raw = &self.data[CS_RAW];
        let base = |clock: i32| &hres.basetime[clock as usize];
        hres.clock_mode.set(tk.clock_mode as u32);
        raw.clock_mode.set(tk.clock_mode as u32);

        // CLOCK_REALTIME (also what time() reads) and the coarse clocks are
        // kept even without a trusted counter.
        base(CLOCK_REALTIME).sec.set(tk.xtime_sec);
        base(CLOCK_REALTIME).nsec.set(tk.xtime_nsec);
        base(CLOCK_REALTIME_COARSE).sec.set(tk.xtime_sec);
        base(CLOCK_REALTIME_COARSE)
            .nsec
            .set(tk.xtime_nsec >> tk.shift);
        let (sec, nsec) = add_shifted(
            tk.xtime_sec,
            tk.xtime_nsec >> tk.shift,
            tk.wall_to_monotonic,
            0,
        );
        base(CLOCK_MONOTONIC_COARSE).sec.set(sec);
        base(CLOCK_MONOTONIC_COARSE).nsec.set(nsec);
        hres.hrtimer_res.set(tk.hrtimer_res);
        hres.low_res_nsec.set(tk.low_res_nsec);

        if tk.clock_mode != VdsoClockMode::None {
            for (vd, mult, shift) in [(hres, tk.mult, tk.shift), (raw, tk.raw_mult, tk.raw_shift)] {
                vd.cycle_last.set(tk.cycle_last);
                vd.mask.set(tk.mask);
                vd.mult.set(mult);
                vd.shift.set(shift);
            }
            let (sec, nsec) =
                add_shifted(tk.xtime_sec, tk.xtime_nsec, tk.wall_to_monotonic, tk.shift);
            base(CLOCK_MONOTONIC).sec.set(sec);
            base(CLOCK_MONOTONIC).nsec.set(nsec);
            let (sec, nsec) = add_shifted(sec, nsec, tk.monotonic_to_boot, tk.shift);
            base(CLOCK_BOOTTIME).sec.set(sec);
            base(CLOCK_BOOTTIME).nsec.set(nsec);
            base(CLOCK_TAI)
                .sec
                .set(tk.xtime_sec.wrapping_add(tk.tai_offset as u64));
            base(CLOCK_TAI).nsec.set(tk.xtime_nsec);
            let raw_base = &raw.basetime[CLOCK_MONOTONIC_RAW as usize];
            raw_base.sec.set(tk.raw_sec);
            raw_base.nsec.set(tk.raw_nsec);
        }
        self.write_end();
    }

    /// Publish the timezone settimeofday() set (Linux's
    /// `update_vsyscall_tz`); read without the seqcount, as in Linux.
    ///
    /// # Safety
    /// Same single-writer rule as [`update_vsyscall`](Self::update_vsyscall).
    pub unsafe fn update_vsyscall_tz(&self, minuteswest: i32, dsttime: i32) {
        let hres = &self.data[CS_HRES_COARSE];
        hres.tz_minuteswest.set(minuteswest);
        hres.tz_dsttime.set(dsttime);
    }

    /// Linux's `vdso_write_begin`: make every sequence count odd before any
    /// data store becomes visible.
    fn write_begin(&self) {
        for vd in &self.data[..CS_BASES] {
            let seq = vd.seq.load(Ordering::Relaxed);
            vd.seq.store(seq.wrapping_add(1), Ordering::Relaxed);
        }
        fence(Ordering::Release);
    }

    /// Linux's `vdso_write_end`: even again, after every data store.
    fn write_end(&self) {
        for vd in &self.data[..CS_BASES] {
            let seq = vd.seq.load(Ordering::Relaxed);
            vd.seq.store(seq.wrapping_add(1), Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CLOCK_PROCESS_CPUTIME_ID, NSEC_PER_SEC};

    const KHZ: u32 = 2_500_000; // a 2.5 GHz TSC
    const T0: KernelTimespec = KernelTimespec {
        tv_sec: 1_700_000_000,
        tv_nsec: 123_456_789,
    };

    /// The page after one update at cycles0 with realtime T0.
    fn page_at(cycles0: u64) -> (VvarPage, Timekeeper) {
        let page = VvarPage::new();
        let tk = Timekeeper::new(KHZ, cycles0, T0, 4_000_000);
        // SAFETY: single-threaded test, the only writer.
        unsafe { page.update_vsyscall(&tk) };
        (page, tk)
    }

    /// `t` in nanoseconds.
    fn ns(t: KernelTimespec) -> i128 {
        t.tv_sec as i128 * NSEC_PER_SEC as i128 + t.tv_nsec as i128
    }

    /// `t` is `want` ns within `tolerance` ns (mult/shift rounding costs
    /// up to 1 ppm of the time counted since the tick).
    fn assert_near(t: KernelTimespec, want: i128, tolerance: i128) {
        assert!((0..NSEC_PER_SEC as i64).contains(&t.tv_nsec), "{t:?}");
        assert!((ns(t) - want).abs() <= tolerance, "{t:?} is not {want} ns");
    }

    #[test]
    fn mult_shift_like_linux() {
        // Linux picks mult/shift so that 600 s of counting fits in 64 bits.
        for khz in [1_000_000u32, 2_500_000, 3_999_999, 4_294_967] {
            let (mult, shift) = tsc_mult_shift(khz);
            let cycles_600s = 600 * khz as u64 * 1000;
            assert!(cycles_600s.checked_mul(mult as u64).is_some(), "{khz} kHz");
            // One second of cycles converts to one second, within 1 ppm.
            let ns = ((khz as u128 * 1000 * mult as u128) >> shift) as i128;
            assert!((ns - NSEC_PER_SEC as i128).abs() < 1_000, "{khz} kHz: {ns}");
        }
        // A few values Linux computes (clocks_calc_mult_shift(&m, &s, khz, 1000000, 600000)).
        assert_eq!(
            clocks_calc_mult_shift(1_000_000, 1_000_000, 600_000),
            (1 << 23, 23)
        );
        assert_eq!(clocks_calc_mult_shift(0, 1_000_000, 600_000), (0, 0));
    }

    #[test]
    fn hres_clocks_follow_the_counter() {
        let c0 = 1_000_000_000_000u64;
        let (page, _) = page_at(c0);
        let at = |cycles: u64, clock| page.clock_gettime(clock, || cycles).unwrap();
        assert_eq!(at(c0, CLOCK_REALTIME), T0);
        assert_eq!(at(c0, CLOCK_MONOTONIC), KernelTimespec::default());
        assert_eq!(at(c0, CLOCK_BOOTTIME), KernelTimespec::default());
        assert_eq!(at(c0, CLOCK_TAI), T0);
        assert_eq!(at(c0, CLOCK_MONOTONIC_RAW), KernelTimespec::default());
        // 1.5 s later by the TSC.
        let later = c0 + 3 * KHZ as u64 * 500;
        // mult/shift quantise the TSC period: allow 1 ppm.
        assert_near(at(later, CLOCK_MONOTONIC), 1_500_000_000, 1_500);
        assert_near(at(later, CLOCK_REALTIME), ns(T0) + 1_500_000_000, 1_500);
        // A TSC behind the tick's never goes backwards.
        assert_eq!(at(c0 - 5, CLOCK_REALTIME), T0);
        // Coarse clocks ignore the counter.
        assert_eq!(at(later, CLOCK_REALTIME_COARSE), T0);
        assert_eq!(at(later, CLOCK_MONOTONIC_COARSE), KernelTimespec::default());
        // Clocks the vDSO does not serve.
        for clock in [CLOCK_PROCESS_CPUTIME_ID, 8, 12, 31, 32, -1, -6, i32::MIN] {
            assert_eq!(page.clock_gettime(clock, || later), None, "clock {clock}");
        }
        assert_eq!(page.time(), T0.tv_sec);
    }

    #[test]
    fn advance_matches_reading_between_ticks() {
        let c0 = 42u64;
        let (page, mut tk) = page_at(c0);
        let c1 = c0 + 7 * KHZ as u64 * 1000 + 12_345;
        let before = page.clock_gettime(CLOCK_MONOTONIC, || c1).unwrap();
        tk.advance(c1);
        // SAFETY: single-threaded test, the only writer.
        unsafe { page.update_vsyscall(&tk) };
        let after = page.clock_gettime(CLOCK_MONOTONIC, || c1).unwrap();
        assert_eq!(before, after);
        assert_eq!(
            page.clock_gettime(CLOCK_MONOTONIC_COARSE, || 0).unwrap(),
            after
        );
        assert_eq!(page.time(), T0.tv_sec + 7);
        // A tick missed for an hour: still exact, no overflow.
        let c2 = c1 + 3600 * KHZ as u64 * 1000;
        let t = page.clock_gettime(CLOCK_MONOTONIC, || c2).unwrap();
        assert_near(t, ns(after) + 3600 * NSEC_PER_SEC as i128, 3_600_000);
    }

    #[test]
    fn clock_mode_none_and_offsets() {
        let page = VvarPage::new();
        assert_eq!(page.clock_gettime(CLOCK_REALTIME, || 1), None);
        let mut tk = Timekeeper::new(KHZ, 0, T0, 4_000_000);
        tk.monotonic_to_boot = KernelTimespec {
            tv_sec: 10,
            tv_nsec: 900_000_000,
        };
        tk.tai_offset = 37;
        // SAFETY: single-threaded test, the only writer.
        unsafe {
            page.update_vsyscall(&tk);
            page.update_vsyscall_tz(-60, 1);
        }
        let boot = page.clock_gettime(CLOCK_BOOTTIME, || 0).unwrap();
        assert_eq!(
            boot,
            KernelTimespec {
                tv_sec: 10,
                tv_nsec: 900_000_000
            }
        );
        let tai = page.clock_gettime(CLOCK_TAI, || 0).unwrap();
        assert_eq!(tai.tv_sec, T0.tv_sec + 37);
        assert_eq!(page.timezone(), (-60, 1));
        let res = |c| page.clock_getres(c).map(|t| t.tv_nsec);
        assert_eq!(
            (res(CLOCK_MONOTONIC), res(CLOCK_MONOTONIC_RAW)),
            (Some(1), Some(1))
        );
        assert_eq!(
            (res(CLOCK_REALTIME_COARSE), res(CLOCK_PROCESS_CPUTIME_ID)),
            (Some(4_000_000), None)
        );
        // Without a trusted counter: counter clocks fall back, coarse and
        // time() still answer.
        tk.clock_mode = VdsoClockMode::None;
        // SAFETY: single-threaded test, the only writer.
        unsafe { page.update_vsyscall(&tk) };
        assert_eq!(page.clock_gettime(CLOCK_MONOTONIC, || 0), None);
        assert_eq!(page.clock_gettime(CLOCK_MONOTONIC_RAW, || 0), None);
        assert_eq!(page.clock_gettime(CLOCK_REALTIME_COARSE, || 0), Some(T0));
        assert_eq!(page.time(), T0.tv_sec);
    }

    #[test]
    fn readers_never_see_a_torn_update() {
        let (page, mut tk) = page_at(0);
        assert_eq!(page.data[0].seq.load(Ordering::Relaxed) % 2, 0);
        let page = std::sync::Arc::new(page);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (page, stop) = (page.clone(), stop.clone());
            std::thread::spawn(move || {
                let (mut reads, mut last) = (0u64, KernelTimespec::default());
                while !stop.load(Ordering::Relaxed) {
                    // A torn read (new seconds, old nanoseconds or the
                    // reverse) would jump and come back.
                    let m = page.clock_gettime(CLOCK_MONOTONIC_COARSE, || 0).unwrap();
                    assert!((0..NSEC_PER_SEC as i64).contains(&m.tv_nsec));
                    assert!(
                        (m.tv_sec, m.tv_nsec) >= (last.tv_sec, last.tv_nsec),
                        "{m:?} < {last:?}"
                    );
                    last = m;
                    reads += 1;
                }
                reads
            })
        };
        for i in 1..20_000u64 {
            tk.advance(i * KHZ as u64 * 1000 / 7);
            // SAFETY: this thread is the only writer.
            unsafe { page.update_vsyscall(&tk) };
        }
        stop.store(true, Ordering::Relaxed);
        assert!(reader.join().unwrap() > 0);
    }
}
