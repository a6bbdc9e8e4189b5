//! x86_64: boot, descriptors, traps, interrupts, timers, page tables.
//!
//! This directory and `mm/` are where the kernel touches hardware; the rest
//! of the kernel calls the safe functions exported here.

pub mod apic;
pub mod boot;
pub mod cpu;
pub mod entry;
pub mod fpu;
pub mod gdt;
pub mod idt;
pub mod irq;
pub mod mm;
pub mod percpu;
pub mod pit;
pub mod process;
pub mod qemu;
pub mod rtc;
pub mod serial;
pub mod signal;
pub mod tls;
pub mod traps;
pub mod tsc;
pub mod uaccess;
pub mod vdso;

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
    fpu::fpu__init_system();
}

/// Point the syscall MSRs at our entry code (Linux's syscall_init) and
/// install the `int $0x80` gate. STAR's selector bases make SYSCALL load
/// KERNEL_CS/KERNEL_DS and SYSRET load USER32_CS or USER_CS with USER_DS.
pub fn syscall_init() {
    use cpu::*;
    let star = ((gdt::USER32_CS as u64 - 3) << 48) | ((gdt::KERNEL_CS as u64) << 32);
    const X86_EFLAGS_TF: u64 = 1 << 8;
    const X86_EFLAGS_IF: u64 = 1 << 9;
    const X86_EFLAGS_DF: u64 = 1 << 10;
    const X86_EFLAGS_IOPL: u64 = 3 << 12;
    const X86_EFLAGS_NT: u64 = 1 << 14;
    const X86_EFLAGS_AC: u64 = 1 << 18;
    // SAFETY: the entry points are valid kernel code; these MSRs only take
    // effect when user code executes SYSCALL or SYSENTER.
    unsafe {
        wrmsr(MSR_STAR, star);
        wrmsr(MSR_LSTAR, entry::entry_SYSCALL_64 as *const () as u64);
        wrmsr(MSR_CSTAR, entry::entry_SYSCALL_compat as *const () as u64);
        wrmsr(
            MSR_SYSCALL_MASK,
            X86_EFLAGS_TF
                | X86_EFLAGS_DF
                | X86_EFLAGS_IF
                | X86_EFLAGS_IOPL
                | X86_EFLAGS_AC
                | X86_EFLAGS_NT,
        );
        wrmsr(MSR_IA32_SYSENTER_CS, gdt::KERNEL_CS as u64);
        wrmsr(MSR_IA32_SYSENTER_ESP, gdt::sysenter_stack_top());
        wrmsr(
            MSR_IA32_SYSENTER_EIP,
            entry::entry_SYSENTER_compat as *const () as u64,
        );
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    }
    idt::set_gate(idt::IA32_SYSCALL_VECTOR, entry::entry_INT80_compat, 0, 3);
}
