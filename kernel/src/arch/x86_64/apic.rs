//! The local APIC (periodic timer at HZ, EOI, spurious vector) and the
//! IOAPIC (routing ISA IRQs, e.g. the serial port's IRQ 4).

use super::cpu::{MSR_IA32_APICBASE, rdmsr, rdtsc};
use super::idt::{
    ERROR_APIC_VECTOR, ISA_IRQ_VECTOR_BASE, LOCAL_TIMER_VECTOR, SPURIOUS_APIC_VECTOR,
};
use crate::mm::vmalloc::ioremap;
use core::sync::atomic::{AtomicU64, Ordering};

const APIC_ID: usize = 0x20;
const APIC_TPR: usize = 0x80;
const APIC_EOI: usize = 0xb0;
const APIC_SPIV: usize = 0xf0;
const APIC_ESR: usize = 0x280;
const APIC_LVTT: usize = 0x320;
const APIC_LVT0: usize = 0x350;
const APIC_LVT1: usize = 0x360;
const APIC_LVTERR: usize = 0x370;
const APIC_TMICT: usize = 0x380;
const APIC_TMCCT: usize = 0x390;
const APIC_TDCR: usize = 0x3e0;
const APIC_LVT_MASKED: u32 = 1 << 16;
const APIC_LVT_TIMER_PERIODIC: u32 = 1 << 17;
const APIC_SPIV_APIC_ENABLED: u32 = 1 << 8;
const APIC_TDR_DIV_16: u32 = 0x3;

const IO_APIC_DEFAULT_PHYS_BASE: u64 = 0xfec0_0000;

static LAPIC: AtomicU64 = AtomicU64::new(0);
static IOAPIC: AtomicU64 = AtomicU64::new(0);

fn apic_read(reg: usize) -> u32 {
    // SAFETY: LAPIC is the ioremapped register page; reg is a valid offset.
    unsafe {
        core::ptr::read_volatile((LAPIC.load(Ordering::Relaxed) as usize + reg) as *const u32)
    }
}

fn apic_write(reg: usize, v: u32) {
    // SAFETY: as apic_read.
    unsafe {
        core::ptr::write_volatile(
            (LAPIC.load(Ordering::Relaxed) as usize + reg) as *mut u32,
            v,
        )
    }
}

/// Signal end of interrupt to the local APIC.
pub fn ack_apic_irq() {
    apic_write(APIC_EOI, 0);
}

/// Enable the local APIC: spurious vector, LINTs masked, error vector.
pub fn init_local_apic() {
    let base = rdmsr(MSR_IA32_APICBASE) & 0xffff_f000;
    LAPIC.store(ioremap(base, 4096), Ordering::Relaxed);
    apic_write(APIC_TPR, 0);
    apic_write(APIC_LVT0, APIC_LVT_MASKED);
    apic_write(APIC_LVT1, APIC_LVT_MASKED);
    apic_write(APIC_LVTERR, ERROR_APIC_VECTOR as u32);
    apic_write(APIC_ESR, 0);
    apic_write(
        APIC_SPIV,
        APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR as u32,
    );
    ack_apic_irq();
}

pub fn apic_id() -> u32 {
    apic_read(APIC_ID) >> 24
}

/// Calibrate the APIC timer against the TSC over `ms`, then start it
/// periodic at `hz`. Returns APIC timer ticks per second.
pub fn setup_apic_timer(hz: u64) -> u64 {
    apic_write(APIC_TDCR, APIC_TDR_DIV_16);
    apic_write(APIC_LVTT, APIC_LVT_MASKED);
    apic_write(APIC_TMICT, u32::MAX);
    let khz = super::tsc::tsc_khz();
    let start = rdtsc();
    while rdtsc() - start < khz * 10 {
        core::hint::spin_loop();
    }
    let ticks_per_10ms = (u32::MAX - apic_read(APIC_TMCCT)) as u64;
    let per_sec = ticks_per_10ms * 100;
    apic_write(
        APIC_LVTT,
        APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR as u32,
    );
    apic_write(APIC_TMICT, (per_sec / hz).max(1) as u32);
    per_sec
}

fn ioapic_write(reg: u32, v: u32) {
    let base = IOAPIC.load(Ordering::Relaxed) as usize;
    // SAFETY: IOREGSEL at +0, IOWIN at +0x10 of the ioremapped IOAPIC.
    unsafe {
        core::ptr::write_volatile(base as *mut u32, reg);
        core::ptr::write_volatile((base + 0x10) as *mut u32, v);
    }
}

/// Map the IOAPIC and mask all 24 pins.
pub fn init_io_apic() {
    IOAPIC.store(ioremap(IO_APIC_DEFAULT_PHYS_BASE, 4096), Ordering::Relaxed);
    for pin in 0..24 {
        ioapic_write(0x10 + 2 * pin, APIC_LVT_MASKED);
        ioapic_write(0x11 + 2 * pin, 0);
    }
}

/// Route ISA IRQ `irq` (edge, active high) to this CPU at ISA_IRQ_VECTOR(irq).
pub fn enable_isa_irq(irq: u32) {
    let vector = ISA_IRQ_VECTOR_BASE as u32 + irq;
    ioapic_write(0x11 + 2 * irq, apic_id() << 24);
    ioapic_write(0x10 + 2 * irq, vector);
}
