//! x86_64: boot, descriptors, traps, interrupts, timers, page tables.
//!
//! This directory and `mm/` are where the kernel touches hardware; the rest
//! of the kernel calls the safe functions exported here.

pub mod apic;
pub mod boot;
pub mod cpu;
pub mod entry;
pub mod gdt;
pub mod idt;
pub mod irq;
pub mod mm;
pub mod percpu;
pub mod pit;
pub mod qemu;
pub mod rtc;
pub mod serial;
pub mod traps;
pub mod tsc;

use crate::sync::Once;
use boot::BootParams;

static BOOT_PARAMS: Once<BootParams> = Once::new();

/// Called by head.S in 64-bit mode with the PVH start_info address (Linux's
/// x86_64_start_kernel): banner first, then hand over to start_kernel.
#[unsafe(no_mangle)]
extern "C" fn x86_64_start_kernel(start_info: u64) -> ! {
    tsc::mark_boot();
    serial::init();
    crate::init::print_banner();
    let bp = BOOT_PARAMS.call_once(|| {
        let mut bp = BootParams {
            e820: [boot::E820Entry {
                addr: 0,
                size: 0,
                kind: boot::E820Type::Reserved,
            }; boot::E820_MAX],
            e820_entries: 0,
            cmdline: [0; boot::COMMAND_LINE_SIZE],
            cmdline_len: 0,
            initrd: None,
            rsdp: 0,
        };
        if !boot::pvh::parse(start_info, &mut bp) {
            crate::pr_emerg!("Not booted through PVH (bad hvm_start_info magic); halting");
            irq::halt_forever();
        }
        bp
    });
    crate::init::start_kernel(bp)
}

/// setup_arch: descriptors and traps first (so faults get reported), then
/// CPU features.
pub fn setup_arch(_bp: &BootParams) {
    percpu::init();
    gdt::init();
    idt::init();
    let c = cpu::boot_cpu();
    crate::pr_info!(
        "CPU: {} {} (family {:#x}, model {:#x}, stepping {:#x})",
        c.vendor_str(),
        c.model_name(),
        c.family,
        c.model,
        c.stepping
    );
    cpu::fpu_init();
}
