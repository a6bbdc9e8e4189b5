//! Instructions both vDSOs use, identical in 32- and 64-bit code.

use core::arch::asm;
use vdso_data::image::X86_FEATURE_RDPID;

/// Linux's `__CPUNODE_SEG`: GDT_ENTRY_CPUNODE (15) as a user selector. The
/// kernel installs a data descriptor there per CPU whose limit is
/// `cpu | node << 12`.
pub const CPUNODE_SEG: u32 = 15 << 3 | 3;

/// The TSC, read after every earlier load has completed (Linux's
/// `rdtsc_ordered`, `lfence; rdtsc` form), so it cannot be sampled before
/// the seqcount read that guards it.
#[inline(always)]
pub fn rdtsc_ordered() -> u64 {
    let (lo, hi): (u32, u32);
    // SAFETY: lfence and rdtsc only read the time-stamp counter. The kernel
    // sets clock_mode TSC only where user-mode rdtsc works. Not `nomem`: the
    // compiler must not move the read across the seqcount loads.
    unsafe {
        asm!("lfence", "rdtsc", out("eax") lo, out("edx") hi, options(nostack, preserves_flags))
    };
    (hi as u64) << 32 | lo as u64
}

/// Linux's `vdso_read_cpunode`: `cpu | node << 12`, or None when the kernel
/// provides it neither way.
///
/// The site is `lsl` on CPUNODE_SEG (every CPU), padded to the length of
/// the RDPID replacement that the kernel patches in at boot where the CPU
/// has RDPID (an `.altinstructions` entry, feature X86_FEATURE_RDPID).
/// LSL leaves %eax untouched when the selector is not valid, so a %eax
/// still all ones means "no CPUNODE descriptor".
#[inline(always)]
pub fn read_cpunode() -> Option<u32> {
    let p: u32;
    // SAFETY: lsl reads only the descriptor table and rdpid only TSC_AUX;
    // neither touches memory Rust knows about. The pushed sections only
    // add table data for the kernel.
    unsafe {
        asm!(
            "661:",
            "lsll %ecx, %eax",
            "nop",
            "662:",
            ".pushsection .altinstr_replacement, \"ax\"",
            "663:",
            ".byte 0xf3, 0x0f, 0xc7, 0xf8", // rdpid %eax (%rax in 64-bit mode)
            "664:",
            ".popsection",
            ".pushsection .altinstructions, \"a\"",
            ".long 661b - .",
            ".long 663b - .",
            ".short {rdpid}",
            ".byte 662b - 661b, 664b - 663b",
            ".popsection",
            rdpid = const X86_FEATURE_RDPID,
            inout("eax") u32::MAX => p,
            in("ecx") CPUNODE_SEG,
            options(att_syntax, nomem, nostack),
        )
    };
    if p == u32::MAX { None } else { Some(p) }
}
