//! start_kernel: from a booted CPU to the first program (Linux's
//! init/main.c), in the same order: architecture setup, memory, traps,
//! time, then rest_init.

use crate::arch::x86_64::boot::BootParams;
use crate::arch::x86_64::{self as arch, cpu, irq, qemu, tsc};
use crate::mm::{page_alloc, slab};
use crate::params::Params;
use crate::{pr_info, pr_notice};
use core::sync::atomic::{AtomicU64, Ordering};

/// TSC when the banner went out (instructions since power-on under
/// `-icount shift=0`, where the TSC counts guest nanoseconds).
static BANNER_TSC: AtomicU64 = AtomicU64::new(0);

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The first line on the console (Linux's linux_banner).
pub fn print_banner() {
    BANNER_TSC.store(cpu::rdtsc(), Ordering::Relaxed);
    crate::printk::console_write(
        concat!(
            "Forkline version ",
            env!("CARGO_PKG_VERSION"),
            " (",
            env!("FORKLINE_RUSTC"),
            ") #",
            env!("FORKLINE_GIT"),
            " x86_64\n"
        )
        .as_bytes(),
    );
}

// Unmangled, so `break start_kernel` works in gdb as it does for Linux.
#[unsafe(no_mangle)]
pub fn start_kernel(bp: &'static BootParams) -> ! {
    arch::setup_arch(bp);
    let params = Params::new(bp.cmdline());
    pr_notice!("Command line: {}", bp.cmdline());
    params.apply_early();
    print_memory_map(bp);
    crate::mm::mem_init(bp);
    pr_info!(
        "Memory: {}K/{}K available, kernel image {}K",
        page_alloc::nr_free_pages() * 4,
        total_ram_kib(bp),
        {
            let (s, e) = crate::mm::kernel_image_phys();
            (e - s) / 1024
        }
    );
    crate::time::time_init();
    irq::enable();
    let ready = tsc::ns_since_boot();
    pr_info!(
        "Boot took {}.{:03} ms from kernel entry; banner at TSC {} (guest instructions since power-on under -icount shift=0)",
        ready / 1_000_000,
        (ready / 1000) % 1000,
        BANNER_TSC.load(Ordering::Relaxed)
    );
    let _ = slab::bytes_in_use();
    if let Some(list) = params.cmdline.get("ktest") {
        crate::ktest::run(list);
    }
    rest_init(&params, bp)
}

fn total_ram_kib(bp: &BootParams) -> u64 {
    use crate::arch::x86_64::boot::E820Type;
    bp.e820()
        .iter()
        .filter(|e| e.kind == E820Type::Ram)
        .map(|e| e.size / 1024)
        .sum()
}

/// The firmware's memory map, as Linux prints it.
fn print_memory_map(bp: &BootParams) {
    pr_info!("BIOS-provided physical RAM map:");
    for e in bp.e820() {
        pr_info!(
            "BIOS-e820: [mem {:#018x}-{:#018x}] {}",
            e.addr,
            e.addr + e.size - 1,
            e.kind.name()
        );
    }
    match bp.initrd {
        Some((base, size)) => pr_info!("RAMDISK: [mem {:#010x}-{:#010x}]", base, base + size - 1),
        None => pr_info!("RAMDISK: none"),
    }
}

/// Start the first program. Without one there is nothing to do: say why
/// and power off rather than hang.
fn rest_init(_params: &Params, bp: &BootParams) -> ! {
    if bp.initrd.is_none() {
        crate::pr_emerg!(
            "Kernel: no initramfs: nothing to run (boot with `cargo xtask run`, or pass -initrd)"
        );
    } else {
        crate::pr_emerg!(
            "Kernel: no working init found (user space is not available in this kernel yet)"
        );
    }
    power_off()
}

/// Orderly power-off (Linux's kernel_power_off).
pub fn power_off() -> ! {
    crate::printk::console_write(b"reboot: Power down\n");
    qemu::exit(qemu::EXIT_POWER_OFF)
}
