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

/// Reset the machine as Linux's default reboot=... order tries: the
/// PIIX reset control register (0xcf9), then the keyboard controller's
/// reset line; if both fail, a triple fault (an empty IDT) always works.
pub fn reset() -> ! {
    // SAFETY: 0xcf9 is the chipset's reset control on i440fx/Q35: a hard
    // reset (bits 1 and 2); nothing else lives at that port.
    unsafe { x86::io::outb(0xcf9, 0x06) };
    // SAFETY: 0xfe to the 8042's command port pulses the CPU reset line.
    unsafe { x86::io::outb(0x64, 0xfe) };
    let empty = x86::dtables::DescriptorTablePointer::<u64> {
        limit: 0,
        base: core::ptr::null(),
    };
    // SAFETY: deliberately fatal: with no IDT the next interrupt triple faults.
    unsafe {
        x86::dtables::lidt(&empty);
        core::arch::asm!("int3", options(noreturn));
    }
}
