//! The 8254 PIT, used only as a known-frequency reference to calibrate the
//! TSC (Linux's pit_calibrate_tsc), and the 8259 PICs, which we mask: the
//! local APIC timer and the IOAPIC do the real work.

use x86::io::{inb, outb};

pub const PIT_TICK_RATE: u64 = 1_193_182;

/// Busy-wait `ms` milliseconds on PIT channel 2 (gate via port 0x61),
/// returning the TSC cycles that elapsed.
pub fn measure_tsc_cycles(ms: u64) -> u64 {
    let latch = PIT_TICK_RATE * ms / 1000;
    // SAFETY: channel 2 and port 0x61 (speaker gate) are ours at boot.
    unsafe {
        // Gate high, speaker off.
        outb(0x61, (inb(0x61) & !0x02) | 0x01);
        // Channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count).
        outb(0x43, 0xb0);
        outb(0x42, (latch & 0xff) as u8);
        outb(0x42, (latch >> 8) as u8);
        let start = super::cpu::rdtsc();
        // OUT2 (bit 5 of port 0x61) goes high when the count expires.
        while inb(0x61) & 0x20 == 0 {
            core::hint::spin_loop();
        }
        super::cpu::rdtsc() - start
    }
}

/// Remap the 8259s to vectors 0x20..0x2f (away from exceptions) and mask
/// every line; anything they still raise is counted as spurious.
pub fn disable_legacy_pic() {
    // SAFETY: standard 8259 initialisation sequence on ports 0x20/0x21/0xa0/0xa1.
    unsafe {
        outb(0x20, 0x11);
        outb(0xa0, 0x11);
        outb(0x21, 0x20);
        outb(0xa1, 0x28);
        outb(0x21, 0x04);
        outb(0xa1, 0x02);
        outb(0x21, 0x01);
        outb(0xa1, 0x01);
        outb(0x21, 0xff);
        outb(0xa1, 0xff);
    }
}
