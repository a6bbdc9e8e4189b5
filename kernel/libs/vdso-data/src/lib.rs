//! The contract between Forkline's kernel and its two vDSOs.
//!
//! * [`vvar`]: the read-only page the kernel maps right below each vDSO image
//!   (Linux's `struct vdso_data`), with the reader side of its seqcount that
//!   the vDSO's time functions use.
//! * [`update`]: the writer side, called by the kernel's timer tick
//!   (Linux's `update_vsyscall`), and `clocks_calc_mult_shift`.
//! * [`image`]: what `vdso2c` tells the kernel about an image
//!   ([`VdsoImage`]) and the boot-time patching of its alternatives
//!   ([`patch_vsyscall`], [`apply_alternatives`]).
//!
//! The crate is `no_std` and allocation-free, and the paths the vDSO uses
//! cannot panic, so the same code runs in the kernel, in both vDSOs and in
//! host tests.
#![no_std]

#[cfg(test)]
extern crate std;

pub mod image;
pub mod update;
pub mod vvar;

pub use image::{
    Alternative, Feature, PageAligned, PatchError, VdsoImage, VsyscallMethod, apply_alternatives,
    patch_vsyscall,
};
pub use update::{Timekeeper, clocks_calc_mult_shift};
pub use vvar::{KernelTimespec, VdsoClockMode, VdsoData, VdsoTimestamp, VvarPage};

pub const NSEC_PER_SEC: u64 = 1_000_000_000;
pub const NSEC_PER_USEC: u32 = 1_000;

/// Clock ids, as in Linux's `include/uapi/linux/time.h`.
pub const CLOCK_REALTIME: i32 = 0;
pub const CLOCK_MONOTONIC: i32 = 1;
pub const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
pub const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
pub const CLOCK_MONOTONIC_RAW: i32 = 4;
pub const CLOCK_REALTIME_COARSE: i32 = 5;
pub const CLOCK_MONOTONIC_COARSE: i32 = 6;
pub const CLOCK_BOOTTIME: i32 = 7;
pub const CLOCK_REALTIME_ALARM: i32 = 8;
pub const CLOCK_BOOTTIME_ALARM: i32 = 9;
pub const CLOCK_TAI: i32 = 11;
pub const MAX_CLOCKS: u32 = 16;

/// `((a * mul) + b) >> shift` without losing the bits above 64 (Linux's
/// `mul_u64_u32_add_u64_shr`), so a late timer tick never wraps the clock.
#[inline(always)]
pub fn mul_u64_u32_add_u64_shr(a: u64, mul: u32, b: u64, shift: u32) -> u64 {
    let shift = shift & 63;
    #[cfg(target_pointer_width = "64")]
    {
        ((a as u128 * mul as u128 + b as u128) >> shift) as u64
    }
    #[cfg(not(target_pointer_width = "64"))]
    {
        mul_add_shr_32(a, mul, b, shift)
    }
}

/// The same with 32-bit arithmetic only: a 128-bit product would be a libgcc
/// call on i386. The usual case, a delta under 2^32 cycles whose product
/// and sum fit 64 bits, is one 32x32->64 multiply and an add (Linux's
/// fast path); otherwise two multiplies and the carries keep every bit.
#[cfg_attr(target_pointer_width = "64", allow(dead_code))]
#[inline(always)]
fn mul_add_shr_32(a: u64, mul: u32, b: u64, shift: u32) -> u64 {
    if a >> 32 == 0
        && let Some(sum) = (a as u32 as u64 * mul as u64).checked_add(b)
    {
        return sum >> shift;
    }
    let lo = (a & 0xffff_ffff) * mul as u64;
    let hi = (a >> 32) * mul as u64;
    let (low, c1) = lo.overflowing_add(hi << 32);
    let (low, c2) = low.overflowing_add(b);
    let high = (hi >> 32) + c1 as u64 + c2 as u64;
    if shift == 0 {
        low
    } else {
        (low >> shift) | (high << (64 - shift))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_add_shr_matches_u128() {
        let cases = [
            (0u64, 0u32, 0u64, 0u32),
            (1, 1, 1, 0),
            (u64::MAX, u32::MAX, u64::MAX, 32),
            (3_000_000_000 * 600, 5_592_405, 999_999_999 << 24, 24),
            (
                0x1234_5678_9abc_def0,
                0xdead_beef,
                0x0fed_cba9_8765_4321,
                31,
            ),
            (u64::MAX, 1, 1, 1),
            (0xffff_ffff, u32::MAX, 0, 5),
            (0xffff_ffff, u32::MAX, u64::MAX - 3, 7),
            (12_345, 6_700_000, 999_999_999 << 24, 24),
        ];
        for (a, m, b, s) in cases {
            let want = ((a as u128 * m as u128 + b as u128) >> s) as u64;
            assert_eq!(
                mul_add_shr_32(a, m, b, s),
                want,
                "{a:#x} * {m:#x} + {b:#x} >> {s}"
            );
            assert_eq!(mul_u64_u32_add_u64_shr(a, m, b, s), want);
        }
    }
}
