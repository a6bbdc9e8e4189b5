//! Leaving QEMU: the isa-debug-exit device at port 0xf4 (which `cargo
//! xtask` always attaches) makes QEMU exit with `(value << 1) | 1`.

use x86::io::outl;

/// Orderly power-off: QEMU exits 1.
pub const EXIT_POWER_OFF: u32 = 0;
/// Kernel panic: QEMU exits 3.
pub const EXIT_PANIC: u32 = 1;

/// Exit QEMU; on a machine without the device, halt instead.
pub fn exit(value: u32) -> ! {
    // SAFETY: port 0xf4 is the debug-exit device under QEMU; elsewhere the
    // write goes nowhere and we halt below.
    unsafe { outl(0xf4, value) };
    // ACPI power-off on QEMU's PIIX4 (i440fx) for machines without it.
    // SAFETY: writing SLP_TYPa|SLP_EN to the PM1a control block.
    unsafe { x86::io::outw(0x604, 0x2000) };
    super::irq::halt_forever()
}
