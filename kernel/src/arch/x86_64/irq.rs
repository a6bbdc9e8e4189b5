//! Turning interrupts on and off on this CPU.

use core::arch::asm;

const X86_EFLAGS_IF: u64 = 1 << 9;

/// Are interrupts enabled on this CPU?
pub fn enabled() -> bool {
    let flags: u64;
    // SAFETY: reading RFLAGS has no side effects.
    unsafe { asm!("pushfq; pop {}", out(reg) flags, options(nomem, preserves_flags)) };
    flags & X86_EFLAGS_IF != 0
}

/// Disable interrupts; returns whether they were enabled (local_irq_save).
pub fn save_and_disable() -> bool {
    let was = enabled();
    // SAFETY: cli only masks maskable interrupts on this CPU.
    unsafe { asm!("cli", options(nomem, nostack)) };
    was
}

/// Undo `save_and_disable` (local_irq_restore).
pub fn restore(was_enabled: bool) {
    if was_enabled {
        enable();
    }
}

pub fn enable() {
    // SAFETY: the IDT and handlers are installed before the first enable.
    unsafe { asm!("sti", options(nomem, nostack)) };
}

pub fn disable() {
    // SAFETY: see save_and_disable.
    unsafe { asm!("cli", options(nomem, nostack)) };
}

/// Wait for the next interrupt with interrupts enabled (the idle loop's
/// `sti; hlt` pair cannot lose a wakeup: sti takes effect after hlt starts).
pub fn safe_halt() {
    // SAFETY: as above.
    unsafe { asm!("sti; hlt", options(nomem, nostack)) };
}

/// Stop this CPU for good.
pub fn halt_forever() -> ! {
    loop {
        // SAFETY: interrupts off, then halt: nothing runs after this.
        unsafe { asm!("cli; hlt", options(nomem, nostack)) };
    }
}

use super::entry::PtRegs;
use super::idt::{
    ERROR_APIC_VECTOR, ISA_IRQ_VECTOR_BASE, LOCAL_TIMER_VECTOR, SPURIOUS_APIC_VECTOR,
};
use core::sync::atomic::{AtomicU64, Ordering};

/// Interrupts seen per vector (for /proc/interrupts).
pub static IRQ_COUNT: [AtomicU64; 256] = [const { AtomicU64::new(0) }; 256];

/// Dispatch an external interrupt by vector (Linux's common_interrupt).
#[unsafe(no_mangle)]
extern "C" fn common_interrupt(regs: &mut PtRegs, vector: u64) {
    let v = vector as u8;
    IRQ_COUNT[v as usize].fetch_add(1, Ordering::Relaxed);
    match v {
        LOCAL_TIMER_VECTOR => {
            super::apic::ack_apic_irq();
            crate::time::tick(regs);
        }
        SPURIOUS_APIC_VECTOR => {} // no EOI for spurious interrupts
        ERROR_APIC_VECTOR => super::apic::ack_apic_irq(),
        v if (ISA_IRQ_VECTOR_BASE..ISA_IRQ_VECTOR_BASE + 16).contains(&v) => {
            super::apic::ack_apic_irq();
            if v - ISA_IRQ_VECTOR_BASE == 4 {
                crate::fs::tty::serial_interrupt();
            }
        }
        // The masked 8259s' spurious IRQ7/IRQ15, and anything unexpected.
        _ => {}
    }
}
