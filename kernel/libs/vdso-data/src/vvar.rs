//! The vvar page: Linux's `struct vdso_data`, written by the kernel at each
//! timer tick and mapped read-only into every process right below the vDSO.
//!
//! Placement: the page sits at `image_base + sym_vvar_start`, i.e. the vDSO
//! linker script's `vvar_start = . - VVAR_SIZE` (one page below the ELF
//! header). [`VvarPage`] starts at offset 0 of that page and is exactly one
//! page long. Both vDSOs (i386 and x86_64) read the same layout: every field
//! has the same offset under both ABIs, which the assertions below pin.
//!
//! Concurrency is Linux's: a sequence count per [`VdsoData`], odd while the
//! kernel writes. Readers (here) retry when it changed under them; the writer
//! side lives in [`crate::update`].

use crate::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME,
    CLOCK_REALTIME_COARSE, CLOCK_TAI, NSEC_PER_SEC, mul_u64_u32_add_u64_shr,
};
use core::cell::UnsafeCell;
use core::mem::{offset_of, size_of};
use core::sync::atomic::{AtomicU32, Ordering, fence};

/// Bytes of vvar area the kernel maps below each image (the linker script's
/// `vvar_start` is `-VVAR_SIZE`; vdso2c checks they agree).
pub const VVAR_SIZE: usize = 4096;

/// Entries of [`VdsoData::basetime`]: one per clock id up to `CLOCK_TAI`.
pub const VDSO_BASES: usize = CLOCK_TAI as usize + 1;
/// [`VvarPage::data`] index for the clocks driven by the adjusted counter.
pub const CS_HRES_COARSE: usize = 0;
/// [`VvarPage::data`] index for `CLOCK_MONOTONIC_RAW`.
pub const CS_RAW: usize = 1;
pub const CS_BASES: usize = 2;

/// Clock ids answered by reading the counter (Linux's `VDSO_HRES`).
pub const VDSO_HRES: u32 =
    1 << CLOCK_REALTIME | 1 << CLOCK_MONOTONIC | 1 << CLOCK_BOOTTIME | 1 << CLOCK_TAI;
/// Clock ids answered from the last tick alone (Linux's `VDSO_COARSE`).
pub const VDSO_COARSE: u32 = 1 << CLOCK_REALTIME_COARSE | 1 << CLOCK_MONOTONIC_COARSE;
/// Clock ids answered from the raw counter base (Linux's `VDSO_RAW`).
pub const VDSO_RAW: u32 = 1 << CLOCK_MONOTONIC_RAW;

/// Which counter the vDSO may read (Linux's `enum vdso_clock_mode`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VdsoClockMode {
    /// No trusted counter: every counter-based clock takes the syscall.
    #[default]
    None = 0,
    /// The TSC, read with `lfence; rdtsc`.
    Tsc = 1,
}

/// Linux's `struct __kernel_timespec`: the 64-bit `timespec` of both ABIs.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KernelTimespec {
    pub tv_sec: i64,
    pub tv_nsec: i64,
}

/// One field the kernel writes while user space reads it: every access is
/// volatile, and torn or stale values are caught by the seqcount.
#[repr(transparent)]
pub struct Shared<T: Copy>(UnsafeCell<T>);

// SAFETY: writers are serialised by the `unsafe` contract of the update
// functions; a reader racing a writer may see a torn value, which the
// seqcount makes it discard.
unsafe impl<T: Copy + Send> Sync for Shared<T> {}

impl<T: Copy> Shared<T> {
    /// A field holding `v`.
    pub const fn new(v: T) -> Self {
        Self(UnsafeCell::new(v))
    }

    /// The current value, read once.
    #[inline(always)]
    pub fn get(&self) -> T {
        // SAFETY: the cell is valid and aligned for T; volatile because the
        // kernel may change it at any moment behind this reference.
        unsafe { self.0.get().read_volatile() }
    }

    /// Store `v`; only the writer (crate::update) does this.
    #[inline(always)]
    pub(crate) fn set(&self, v: T) {
        // SAFETY: the cell is valid and aligned for T, and the update
        // functions' contract guarantees a single writer.
        unsafe { self.0.get().write_volatile(v) }
    }
}

/// A clock's value at the last tick (Linux's `struct vdso_timestamp`).
/// For counter-based clocks `nsec` is shifted left by [`VdsoData::shift`];
/// for the coarse clocks it is plain nanoseconds.
#[repr(C)]
pub struct VdsoTimestamp {
    pub sec: Shared<u64>,
    pub nsec: Shared<u64>,
}

/// Linux's `struct vdso_data`, one per clock source base.
#[repr(C)]
pub struct VdsoData {
    /// Odd while the kernel is writing.
    pub seq: AtomicU32,
    /// A [`VdsoClockMode`].
    pub clock_mode: Shared<u32>,
    /// Counter value at the last tick.
    pub cycle_last: Shared<u64>,
    /// Counter width mask (all ones for the TSC).
    pub mask: Shared<u64>,
    /// `ns = (cycles * mult) >> shift`.
    pub mult: Shared<u32>,
    pub shift: Shared<u32>,
    /// Indexed by clock id.
    pub basetime: [VdsoTimestamp; VDSO_BASES],
    pub tz_minuteswest: Shared<i32>,
    pub tz_dsttime: Shared<i32>,
    /// `clock_getres` of the counter-based clocks, in ns.
    pub hrtimer_res: Shared<u32>,
    /// `clock_getres` of the coarse clocks (the tick), in ns. Linux compiles
    /// this in as `LOW_RES_NSEC`; here the kernel states its own tick.
    pub low_res_nsec: Shared<u32>,
}

/// The whole vvar page as the kernel allocates it.
#[repr(C, align(4096))]
pub struct VvarPage {
    /// [`CS_HRES_COARSE`] and [`CS_RAW`].
    pub data: [VdsoData; CS_BASES],
}

// The layout is ABI: identical for the i386 and x86_64 vDSOs and the kernel.
const _: () = {
    assert!(size_of::<VdsoTimestamp>() == 16);
    assert!(offset_of!(VdsoData, clock_mode) == 4);
    assert!(offset_of!(VdsoData, cycle_last) == 8);
    assert!(offset_of!(VdsoData, mask) == 16);
    assert!(offset_of!(VdsoData, mult) == 24);
    assert!(offset_of!(VdsoData, shift) == 28);
    assert!(offset_of!(VdsoData, basetime) == 32);
    assert!(offset_of!(VdsoData, tz_minuteswest) == 224);
    assert!(offset_of!(VdsoData, hrtimer_res) == 232);
    assert!(offset_of!(VdsoData, low_res_nsec) == 236);
    assert!(size_of::<VdsoData>() == 240);
    assert!(size_of::<VvarPage>() == VVAR_SIZE);
};

impl VdsoTimestamp {
    /// A zero timestamp.
    const fn zero() -> Self {
        Self {
            sec: Shared::new(0),
            nsec: Shared::new(0),
        }
    }
}

impl VdsoData {
    /// All zero: clock mode NONE, sequence count even.
    const fn zero() -> Self {
        Self {
            seq: AtomicU32::new(0),
            clock_mode: Shared::new(VdsoClockMode::None as u32),
            cycle_last: Shared::new(0),
            mask: Shared::new(0),
            mult: Shared::new(0),
            shift: Shared::new(0),
            basetime: [const { VdsoTimestamp::zero() }; VDSO_BASES],
            tz_minuteswest: Shared::new(0),
            tz_dsttime: Shared::new(0),
            hrtimer_res: Shared::new(0),
            low_res_nsec: Shared::new(0),
        }
    }

    /// Linux's `vdso_read_begin`: wait out a writer, and order the data
    /// reads after the sequence read.
    #[inline(always)]
    pub fn read_begin(&self) -> u32 {
        loop {
            let seq = self.seq.load(Ordering::Acquire);
            if seq & 1 == 0 {
                return seq;
            }
            core::hint::spin_loop();
        }
    }

    /// Linux's `vdso_read_retry`: did a writer run since `read_begin`
    /// returned `start`? (The acquire fence keeps the data reads before it.)
    #[inline(always)]
    pub fn read_retry(&self, start: u32) -> bool {
        fence(Ordering::Acquire);
        self.seq.load(Ordering::Relaxed) != start
    }

    /// Linux's `do_hres`: base + counter delta for clock id `clock`, or None
    /// when no trusted counter is set (the caller then takes the syscall).
    #[inline(always)]
    fn do_hres(&self, clock: usize, read_cycles: &impl Fn() -> u64) -> Option<KernelTimespec> {
        let base = self.basetime.get(clock)?;
        loop {
            let seq = self.read_begin();
            if self.clock_mode.get() != VdsoClockMode::Tsc as u32 {
                return None;
            }
            let cycles = read_cycles();
            let last = self.cycle_last.get();
            // x86's vdso_calc_delta: a TSC read slightly behind the tick's
            // (another CPU's) counts as no time at all, never as negative.
            // Computed inside the loop, as Linux does, so that few values
            // stay live (i386 has few registers); a retry discards it.
            let delta = if cycles > last {
                (cycles - last) & self.mask.get()
            } else {
                0
            };
            let ns =
                mul_u64_u32_add_u64_shr(delta, self.mult.get(), base.nsec.get(), self.shift.get());
            let sec = base.sec.get();
            if self.read_retry(seq) {
                continue;
            }
            return Some(timespec(sec, ns));
        }
    }

    /// Linux's `do_coarse`: the clock as of the last tick, no counter read.
    #[inline(always)]
    fn do_coarse(&self, clock: usize) -> Option<KernelTimespec> {
        let base = self.basetime.get(clock)?;
        loop {
            let seq = self.read_begin();
            let (sec, nsec) = (base.sec.get(), base.nsec.get());
            if !self.read_retry(seq) {
                return Some(timespec(sec, nsec));
            }
        }
    }
}

/// `sec + ns` as a normalised timespec. `ns` is at most a few seconds, so
/// subtracting (Linux's `__iter_div_u64_rem`) beats a 64-bit division,
/// which is a libgcc call on i386. As in Linux, the value is hidden from
/// the optimiser, which would otherwise turn the loop back into a division.
#[inline(always)]
fn timespec(mut sec: u64, mut ns: u64) -> KernelTimespec {
    while ns >= NSEC_PER_SEC {
        ns = core::hint::black_box(ns - NSEC_PER_SEC);
        sec += 1;
    }
    KernelTimespec {
        tv_sec: sec as i64,
        tv_nsec: ns as i64,
    }
}

impl Default for VvarPage {
    fn default() -> Self {
        Self::new()
    }
}

impl VvarPage {
    /// An all-zero page: clock mode NONE, so every clock takes the syscall
    /// until the first [`update_vsyscall`](VvarPage::update_vsyscall).
    pub const fn new() -> Self {
        Self {
            data: [const { VdsoData::zero() }; CS_BASES],
        }
    }

    /// `clock_gettime`'s fast path: the time, or None when the syscall must
    /// answer (a clock the vDSO does not handle, or no trusted counter).
    /// `read_cycles` reads the counter (ordered `rdtsc` in the vDSO).
    #[inline(always)]
    pub fn clock_gettime(
        &self,
        clock: i32,
        read_cycles: impl Fn() -> u64,
    ) -> Option<KernelTimespec> {
        // Negative (dynamic/CPU-time) and out-of-range ids have no bit.
        let msk = 1u32.checked_shl(clock as u32)?;
        let vd = if msk & VDSO_HRES != 0 {
            &self.data[CS_HRES_COARSE]
        } else if msk & VDSO_RAW != 0 {
            &self.data[CS_RAW]
        } else if msk & VDSO_COARSE != 0 {
            return self.data[CS_HRES_COARSE].do_coarse(clock as usize);
        } else {
            return None;
        };
        vd.do_hres(clock as usize, &read_cycles)
    }

    /// `clock_getres`'s fast path, as Linux's `__cvdso_clock_getres_common`.
    #[inline(always)]
    pub fn clock_getres(&self, clock: i32) -> Option<KernelTimespec> {
        let msk = 1u32.checked_shl(clock as u32)?;
        let ns = if msk & (VDSO_HRES | VDSO_RAW) != 0 {
            self.data[CS_HRES_COARSE].hrtimer_res.get()
        } else if msk & VDSO_COARSE != 0 {
            self.data[CS_HRES_COARSE].low_res_nsec.get()
        } else {
            return None;
        };
        Some(KernelTimespec {
            tv_sec: 0,
            tv_nsec: ns as i64,
        })
    }

    /// `time()`: CLOCK_REALTIME's seconds at the last tick.
    #[inline(always)]
    pub fn time(&self) -> i64 {
        let vd = &self.data[CS_HRES_COARSE];
        loop {
            // Linux reads the u64 without the seqcount; on i386 that read is
            // two loads, so it is taken under the seqcount here.
            let seq = vd.read_begin();
            let sec = vd.basetime[CLOCK_REALTIME as usize].sec.get();
            if !vd.read_retry(seq) {
                return sec as i64;
            }
        }
    }

    /// `gettimeofday`'s timezone: (minutes west of Greenwich, DST type).
    #[inline(always)]
    pub fn timezone(&self) -> (i32, i32) {
        let vd = &self.data[CS_HRES_COARSE];
        (vd.tz_minuteswest.get(), vd.tz_dsttime.get())
    }
}
