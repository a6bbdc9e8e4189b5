//! CPU identification (CPUID) and the features the kernel acts on.

use crate::sync::Once;
use core::arch::x86_64::{__cpuid, __cpuid_count};

/// What `identify_cpu` found (Linux's `struct cpuinfo_x86`, in part).
#[derive(Clone, Copy, Debug)]
pub struct CpuInfo {
    pub vendor_id: [u8; 12],
    pub family: u32,
    pub model: u32,
    pub stepping: u32,
    /// CPUID.1:EDX, the i386 AT_HWCAP.
    pub features_1_edx: u32,
    pub features_1_ecx: u32,
    pub features_7_ebx: u32,
    pub features_7_ecx: u32,
    pub ext_1_edx: u32,
    pub ext_1_ecx: u32,
    pub model_name: [u8; 48],
}

impl CpuInfo {
    pub fn has_nx(&self) -> bool {
        self.ext_1_edx & (1 << 20) != 0
    }
    pub fn has_gbpages(&self) -> bool {
        self.ext_1_edx & (1 << 26) != 0
    }
    pub fn has_rdrand(&self) -> bool {
        self.features_1_ecx & (1 << 30) != 0
    }
    pub fn vendor_str(&self) -> &str {
        core::str::from_utf8(&self.vendor_id).unwrap_or("?")
    }
    pub fn model_name(&self) -> &str {
        let end = self.model_name.iter().position(|&b| b == 0).unwrap_or(48);
        core::str::from_utf8(&self.model_name[..end])
            .unwrap_or("?")
            .trim()
    }
}

static BOOT_CPU: Once<CpuInfo> = Once::new();

/// Identify the boot CPU once; later calls return the same answer.
pub fn boot_cpu() -> &'static CpuInfo {
    BOOT_CPU.call_once(identify_cpu)
}

fn identify_cpu() -> CpuInfo {
    // CPUID exists on every x86_64 CPU; leaves are only queried up to the
    // maximum the CPU reports.
    {
        let l0 = __cpuid(0);
        let mut vendor_id = [0u8; 12];
        vendor_id[0..4].copy_from_slice(&l0.ebx.to_le_bytes());
        vendor_id[4..8].copy_from_slice(&l0.edx.to_le_bytes());
        vendor_id[8..12].copy_from_slice(&l0.ecx.to_le_bytes());
        let l1 = __cpuid(1);
        let base_family = (l1.eax >> 8) & 0xf;
        let family = if base_family == 0xf {
            base_family + ((l1.eax >> 20) & 0xff)
        } else {
            base_family
        };
        let mut model = (l1.eax >> 4) & 0xf;
        if base_family == 0x6 || base_family == 0xf {
            model += ((l1.eax >> 16) & 0xf) << 4;
        }
        let (l7, l7c) = if l0.eax >= 7 {
            let r = __cpuid_count(7, 0);
            (r.ebx, r.ecx)
        } else {
            (0, 0)
        };
        let max_ext = __cpuid(0x8000_0000).eax;
        let (ext_1_edx, ext_1_ecx) = if max_ext >= 0x8000_0001 {
            let e = __cpuid(0x8000_0001);
            (e.edx, e.ecx)
        } else {
            (0, 0)
        };
        let mut model_name = [0u8; 48];
        if max_ext >= 0x8000_0004 {
            for (i, leaf) in (0x8000_0002u32..=0x8000_0004).enumerate() {
                let r = __cpuid(leaf);
                for (j, w) in [r.eax, r.ebx, r.ecx, r.edx].iter().enumerate() {
                    model_name[i * 16 + j * 4..i * 16 + j * 4 + 4]
                        .copy_from_slice(&w.to_le_bytes());
                }
            }
        }
        CpuInfo {
            vendor_id,
            family,
            model,
            stepping: l1.eax & 0xf,
            features_1_edx: l1.edx,
            features_1_ecx: l1.ecx,
            features_7_ebx: l7,
            features_7_ecx: l7c,
            ext_1_edx,
            ext_1_ecx,
            model_name,
        }
    }
}

/// Read a model-specific register.
pub fn rdmsr(msr: u32) -> u64 {
    // SAFETY: callers pass architectural MSRs that exist on x86_64.
    unsafe { x86::msr::rdmsr(msr) }
}

/// Write a model-specific register.
///
/// # Safety
/// The caller must know the effect of the write on the running system.
pub unsafe fn wrmsr(msr: u32, value: u64) {
    // SAFETY: forwarded to the caller.
    unsafe { x86::msr::wrmsr(msr, value) }
}

pub const MSR_EFER: u32 = 0xc000_0080;
pub const MSR_STAR: u32 = 0xc000_0081;
pub const MSR_LSTAR: u32 = 0xc000_0082;
pub const MSR_CSTAR: u32 = 0xc000_0083;
pub const MSR_SYSCALL_MASK: u32 = 0xc000_0084;
pub const MSR_FS_BASE: u32 = 0xc000_0100;
pub const MSR_GS_BASE: u32 = 0xc000_0101;
pub const MSR_KERNEL_GS_BASE: u32 = 0xc000_0102;
pub const MSR_IA32_SYSENTER_CS: u32 = 0x174;
pub const MSR_IA32_SYSENTER_ESP: u32 = 0x175;
pub const MSR_IA32_SYSENTER_EIP: u32 = 0x176;
pub const MSR_IA32_APICBASE: u32 = 0x1b;

pub const EFER_SCE: u64 = 1 << 0;

/// Read the time-stamp counter.
#[inline]
pub fn rdtsc() -> u64 {
    // SAFETY: RDTSC is unprivileged-safe and side-effect free.
    unsafe { core::arch::x86_64::_rdtsc() }
}

pub fn read_cr2() -> u64 {
    // SAFETY: reading CR2 has no side effects.
    unsafe { x86::controlregs::cr2() as u64 }
}

pub fn read_cr3() -> u64 {
    // SAFETY: reading CR3 has no side effects.
    unsafe { x86::controlregs::cr3() }
}

pub fn read_cr0() -> u64 {
    // SAFETY: reading CR0 has no side effects.
    unsafe { x86::controlregs::cr0().bits() as u64 }
}

pub fn read_cr4() -> u64 {
    // SAFETY: reading CR4 has no side effects.
    unsafe { x86::controlregs::cr4().bits() as u64 }
}

/// 64 random bits from RDRAND, if the CPU has it and it delivers.
pub fn rdrand64() -> Option<u64> {
    if !boot_cpu().has_rdrand() {
        return None;
    }
    for _ in 0..10 {
        let mut v = 0u64;
        // SAFETY: RDRAND exists (checked above); it only writes `v`.
        if unsafe { core::arch::x86_64::_rdrand64_step(&mut v) } == 1 {
            return Some(v);
        }
    }
    None
}
