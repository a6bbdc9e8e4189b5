//! The user FPU state (Linux's arch/x86/kernel/fpu/{init,xstate,core,signal}.c).
//!
//! At boot `fpu__init_system` turns on FXSR/SSE and, when the CPU has
//! XSAVE, CR4.OSXSAVE with XCR0 = the user features the CPU supports among
//! x87, SSE, AVX and AVX-512 (Linux's XFEATURE_MASK_USER_SUPPORTED without
//! MPX, PKRU and AMX). Each task owns an `FpState`: the registers in XSAVE
//! standard format (or FXSAVE format without XSAVE), `xstate_size` bytes,
//! 64-byte aligned. The kernel itself is soft-float, so the registers always
//! hold the running task's state: they are saved and restored on context
//! switch, copied at fork, reset at exec, and written to / read from signal
//! frames in Linux's byte layout (signal.rs: `copy_fpstate_to_sigframe`,
//! `fpu__restore_sig`).

// Linux's names, double underscores included (fpu__restore_sig).
#![allow(non_snake_case)]

mod signal;

pub use signal::{
    copy_fpstate_to_sigframe, fpu__alloc_mathframe, fpu__get_fpstate_size, fpu__restore_sig,
};

use super::signal::rd32;
use crate::sync::Once;
use alloc::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use core::arch::x86_64::{__cpuid, __cpuid_count};
use core::cell::UnsafeCell;
use core::ptr::NonNull;

pub const XFEATURE_MASK_FP: u64 = 1 << 0;
pub const XFEATURE_MASK_SSE: u64 = 1 << 1;
pub const XFEATURE_MASK_YMM: u64 = 1 << 2;
pub const XFEATURE_MASK_OPMASK: u64 = 1 << 5;
pub const XFEATURE_MASK_ZMM_HI256: u64 = 1 << 6;
pub const XFEATURE_MASK_HI16_ZMM: u64 = 1 << 7;
pub const XFEATURE_MASK_FPSSE: u64 = XFEATURE_MASK_FP | XFEATURE_MASK_SSE;
pub const XFEATURE_MASK_AVX512: u64 =
    XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_HI256 | XFEATURE_MASK_HI16_ZMM;
/// The user features Forkline manages: Linux's XFEATURE_MASK_USER_SUPPORTED
/// minus MPX (bits 3-4: gone from Linux too), PKRU (bit 9: needs CR4.PKE and
/// the pkey syscalls) and AMX (bits 17-18: dynamic, needs arch_prctl
/// permission and XFD). Those stay off in XCR0.
const XFEATURE_MASK_USER_SUPPORTED: u64 =
    XFEATURE_MASK_FPSSE | XFEATURE_MASK_YMM | XFEATURE_MASK_AVX512;
/// Components 0..XFEATURE_MAX may be enabled (Hi16_ZMM is the last).
const XFEATURE_MAX: usize = 8;
const XFEATURE_NAMES: [&str; XFEATURE_MAX] = [
    "x87 floating point registers",
    "SSE registers",
    "AVX registers",
    "MPX bounds registers",
    "MPX CSR",
    "AVX-512 opmask",
    "AVX-512 Hi256",
    "AVX-512 ZMM_Hi256",
];

/// The legacy FXSAVE region, then the 64-byte XSAVE header.
const FXSAVE_SIZE: usize = 512;
const XSAVE_HDR_OFFSET: usize = 512;
const XSAVE_HDR_SIZE: usize = 64;
/// Offsets in the legacy region.
const FX_MXCSR: usize = 24;
const FX_MXCSR_MASK: usize = 28;
const MXCSR_DEFAULT: u32 = 0x1f80;
/// The init_fpstate image must fit here (x87..Hi16_ZMM is 2688 bytes).
const INIT_FPSTATE_MAX: usize = 4096;

/// What the kernel enabled (Linux's fpu_user_cfg, plus use_xsave()).
pub struct FpuCfg {
    /// XSAVE in use (CR4.OSXSAVE): XSAVE/XRSTOR, else FXSAVE/FXRSTOR.
    pub xsave: bool,
    /// XCR0, the features user state holds (FP|SSE without XSAVE).
    pub xfeatures: u64,
    /// Bytes of one state image (Linux's xstate_size / user_size).
    pub size: usize,
    /// Standard-format offset and size of each component.
    pub offsets: [u32; XFEATURE_MAX],
    pub sizes: [u32; XFEATURE_MAX],
    /// MXCSR bits the CPU implements (Linux's mxcsr_feature_mask).
    pub mxcsr_mask: u32,
}

static FPU_CFG: Once<FpuCfg> = Once::new();

/// The FPU configuration; fpu__init_system runs before any task exists.
pub fn cfg() -> &'static FpuCfg {
    FPU_CFG.get().expect("fpu__init_system has not run")
}

/// Linux's use_xsave().
pub fn use_xsave() -> bool {
    cfg().xsave
}

/// Linux's init_fpstate: every component in its init state (XSTATE_BV 0),
/// FCW 0x37f, MXCSR 0x1f80. Written once at boot, read-only after.
#[repr(C, align(64))]
struct InitFpstate(UnsafeCell<[u8; INIT_FPSTATE_MAX]>);

// SAFETY: written only by fpu__init_system on the boot CPU before any
// other reader exists; read-only afterwards.
unsafe impl Sync for InitFpstate {}

static INIT_FPSTATE: InitFpstate = InitFpstate(UnsafeCell::new([0; INIT_FPSTATE_MAX]));

/// The init image, `cfg().size` bytes.
fn init_fpstate() -> &'static [u8] {
    // SAFETY: read-only after fpu__init_system (see InitFpstate).
    unsafe { core::slice::from_raw_parts(INIT_FPSTATE.0.get().cast::<u8>(), cfg().size) }
}

/// Fill the legacy fields of an init image (Linux's fpstate_init_fxstate).
fn fpstate_init_fxstate(buf: &mut [u8]) {
    buf.fill(0);
    buf[0..2].copy_from_slice(&0x037fu16.to_le_bytes());
    buf[FX_MXCSR..FX_MXCSR + 4].copy_from_slice(&MXCSR_DEFAULT.to_le_bytes());
}

/// Boot-time FPU setup (Linux's fpu__init_system + fpu__init_cpu): x87 and
/// SSE on, XSAVE with the user features the CPU has, the state size, the
/// MXCSR mask and init_fpstate. Runs once, before any task.
pub fn fpu__init_system() {
    // SAFETY: CR0/CR4 changes that only enable the FPU for user code: the
    // kernel is soft-float and never touches these registers itself.
    unsafe {
        use x86::controlregs::{Cr0, Cr4, cr0, cr0_write, cr4, cr4_write};
        let mut c0 = cr0();
        c0.remove(Cr0::CR0_EMULATE_COPROCESSOR | Cr0::CR0_TASK_SWITCHED);
        c0.insert(Cr0::CR0_MONITOR_COPROCESSOR | Cr0::CR0_NUMERIC_ERROR);
        cr0_write(c0);
        let mut c4 = cr4();
        c4.insert(Cr4::CR4_ENABLE_SSE | Cr4::CR4_UNMASKED_SSE);
        cr4_write(c4);
        core::arch::asm!("fninit", options(nomem, nostack));
    }
    FPU_CFG.call_once(|| {
        let mut c = FpuCfg {
            xsave: false,
            xfeatures: XFEATURE_MASK_FPSSE,
            size: FXSAVE_SIZE,
            offsets: [0; XFEATURE_MAX],
            sizes: [0; XFEATURE_MAX],
            mxcsr_mask: mxcsr_feature_mask_init(),
        };
        c.offsets[1] = 160;
        c.sizes[0] = 160;
        c.sizes[1] = 256;
        fpu__init_system_xstate(&mut c);
        c
    });
    let c = cfg();
    // SAFETY: the boot CPU, before any task or other reader exists.
    let init =
        unsafe { core::slice::from_raw_parts_mut(INIT_FPSTATE.0.get().cast::<u8>(), c.size) };
    fpstate_init_fxstate(init);
    restore_fpregs(init.as_ptr(), c.xfeatures);
    if !c.xsave {
        crate::pr_info!("x86/fpu: x87 FPU will use FXSAVE");
    }
}

/// Linux's mxcsr_feature_mask_init: the MXCSR_MASK FXSAVE reports (0 means
/// the architectural default 0xffbf).
fn mxcsr_feature_mask_init() -> u32 {
    #[repr(C, align(16))]
    struct Fx([u8; FXSAVE_SIZE]);
    let mut fx = Fx([0; FXSAVE_SIZE]);
    // SAFETY: a 512-byte, 16-byte aligned buffer; FXSR is enabled.
    unsafe { core::arch::asm!("fxsave64 [{}]", in(reg) fx.0.as_mut_ptr(), options(nostack)) };
    match rd32(&fx.0, FX_MXCSR_MASK) {
        0 => 0x0000_ffbf,
        m => m,
    }
}

/// Enable XSAVE if the CPU has it (Linux's fpu__init_system_xstate): XCR0 =
/// supported user features; AVX needs CPUID AVX, AVX-512's three components
/// are enabled together with CPUID AVX512F or not at all. The size comes
/// from CPUID.(0xD,0).EBX once XCR0 is set.
fn fpu__init_system_xstate(c: &mut FpuCfg) {
    let l1 = __cpuid(1);
    if l1.ecx & (1 << 26) == 0 || __cpuid(0).eax < 0xd {
        return;
    }
    let d = __cpuid_count(0xd, 0);
    let mut mask = (d.eax as u64 | (d.edx as u64) << 32) & XFEATURE_MASK_USER_SUPPORTED;
    if mask & XFEATURE_MASK_FPSSE != XFEATURE_MASK_FPSSE {
        crate::pr_err!("x86/fpu: FP/SSE not present amongst the CPU's xstate features: {mask:#x}");
        return;
    }
    if l1.ecx & (1 << 28) == 0 {
        mask &= !(XFEATURE_MASK_YMM | XFEATURE_MASK_AVX512);
    }
    let avx512f = __cpuid_count(7, 0).ebx & (1 << 16) != 0;
    if mask & XFEATURE_MASK_AVX512 != XFEATURE_MASK_AVX512
        || !avx512f
        || mask & XFEATURE_MASK_YMM == 0
    {
        mask &= !XFEATURE_MASK_AVX512;
    }
    for i in 2..XFEATURE_MAX {
        if mask & (1 << i) != 0 {
            let l = __cpuid_count(0xd, i as u32);
            c.offsets[i] = l.ebx;
            c.sizes[i] = l.eax;
        }
    }
    // SAFETY: CPUID says XSAVE exists; XCR0 gets only bits CPUID.(0xD,0)
    // reports, with x87 and SSE always set, as XSETBV requires.
    unsafe {
        use x86::controlregs::{Cr4, Xcr0, cr4, cr4_write, xcr0_write};
        cr4_write(cr4() | Cr4::CR4_ENABLE_OS_XSAVE);
        xcr0_write(Xcr0::from_bits_truncate(mask));
    }
    let size = __cpuid_count(0xd, 0).ebx as usize;
    // x87..Hi16_ZMM end at byte 2688 in the standard format.
    assert!(
        (FXSAVE_SIZE + XSAVE_HDR_SIZE..=INIT_FPSTATE_MAX).contains(&size),
        "x86/fpu: CPUID reports an xstate size of {size} bytes"
    );
    for (i, name) in XFEATURE_NAMES.iter().enumerate() {
        if mask & (1 << i) != 0 {
            crate::pr_info!(
                "x86/fpu: Supporting XSAVE feature {:#05x}: '{}'",
                1u64 << i,
                name
            );
        }
    }
    for i in 2..XFEATURE_MAX {
        if mask & (1 << i) != 0 {
            crate::pr_info!(
                "x86/fpu: xstate_offset[{i}]: {:4}, xstate_sizes[{i}]: {:4}",
                c.offsets[i],
                c.sizes[i]
            );
        }
    }
    crate::pr_info!(
        "x86/fpu: Enabled xstate features {mask:#x}, context size is {size} bytes, using 'standard' format."
    );
    c.xsave = true;
    c.xfeatures = mask;
    c.size = size;
}

/// Save the live registers to `buf` (Linux's os_xsave / fxsave). Plain
/// XSAVE, not XSAVEOPT: it always writes every component, so an image is
/// complete (no stale components behind a clear XSTATE_BV bit) and the
/// buffer may be edited freely; under -icount both are one instruction.
fn save_fpregs(buf: *mut u8, mask: u64) {
    if use_xsave() {
        // SAFETY: buf is a 64-byte aligned image of cfg().size bytes; XSAVE
        // is enabled and only writes components in mask ∩ XCR0.
        unsafe {
            core::arch::asm!("xsave64 [{}]", in(reg) buf, in("eax") mask as u32,
                in("edx") (mask >> 32) as u32, options(nostack))
        };
    } else {
        // SAFETY: buf is 16-byte aligned with 512 bytes; FXSR is enabled.
        unsafe { core::arch::asm!("fxsave64 [{}]", in(reg) buf, options(nostack)) };
    }
}

/// Load the registers from `buf` (Linux's os_xrstor / fxrstor). The image
/// must be one the kernel wrote or validated: XSTATE_BV ⊆ XCR0, header
/// bytes 8..63 zero, MXCSR within mxcsr_mask, so XRSTOR cannot fault.
fn restore_fpregs(buf: *const u8, mask: u64) {
    if use_xsave() {
        // SAFETY: buf is a 64-byte aligned, valid image (see above).
        unsafe {
            core::arch::asm!("xrstor64 [{}]", in(reg) buf, in("eax") mask as u32,
                in("edx") (mask >> 32) as u32, options(nostack, readonly))
        };
    } else {
        // SAFETY: buf is a 16-byte aligned image with a valid MXCSR.
        unsafe { core::arch::asm!("fxrstor64 [{}]", in(reg) buf, options(nostack, readonly)) };
    }
}

/// One task's user FPU registers (Linux's struct fpstate, its regs):
/// `cfg().size` bytes, 64-byte aligned, XSAVE standard format.
pub struct FpState {
    buf: NonNull<u8>,
}

// SAFETY: FpState owns its buffer exclusively, like a Box<[u8]>.
unsafe impl Send for FpState {}
// SAFETY: shared references only read the buffer.
unsafe impl Sync for FpState {}

impl FpState {
    /// The allocation of one image: cfg().size bytes, 64-byte aligned.
    fn layout() -> Layout {
        Layout::from_size_align(cfg().size, 64).expect("xstate size")
    }

    /// A state in Linux's init state (fpstate_init_user).
    pub fn new() -> FpState {
        let layout = FpState::layout();
        // SAFETY: the layout has a non-zero size.
        let p = unsafe { alloc(layout) };
        let Some(buf) = NonNull::new(p) else {
            handle_alloc_error(layout)
        };
        let mut s = FpState { buf };
        s.bytes_mut().copy_from_slice(init_fpstate());
        s
    }

    /// The image, read-only.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: buf holds cfg().size initialised bytes we own.
        unsafe { core::slice::from_raw_parts(self.buf.as_ptr(), cfg().size) }
    }

    /// The image, to edit; restore() then loads it, so it must stay valid.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as bytes(), exclusively borrowed.
        unsafe { core::slice::from_raw_parts_mut(self.buf.as_ptr(), cfg().size) }
    }

    /// Save the live registers here (Linux's save_fpregs_to_fpstate).
    pub fn save(&mut self) {
        save_fpregs(self.buf.as_ptr(), cfg().xfeatures);
    }

    /// Make this state live (Linux's restore_fpregs_from_fpstate).
    pub fn restore(&self) {
        restore_fpregs(self.buf.as_ptr(), cfg().xfeatures);
    }

    /// Back to the init state, live at once (Linux's fpu_flush_thread at exec).
    pub fn reset(&mut self) {
        self.bytes_mut().copy_from_slice(init_fpstate());
        self.restore();
    }
}

impl Default for FpState {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for FpState {
    fn drop(&mut self) {
        // SAFETY: allocated in new() with this layout.
        unsafe { dealloc(self.buf.as_ptr(), FpState::layout()) };
    }
}

/// Give the signal handler (or a bad sigreturn) the init state in the
/// registers (Linux's fpu__clear_user_states).
pub fn fpu__clear_user_states() {
    restore_fpregs(init_fpstate().as_ptr(), cfg().xfeatures);
}

/// The features user space may use, for /proc/cpuinfo: XCR0.
pub fn user_xfeatures() -> u64 {
    cfg().xfeatures
}
