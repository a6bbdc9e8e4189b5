//! start_kernel: from a booted CPU to the first program (Linux's
//! init/main.c), in the same order: architecture setup, memory, traps,
//! time, then rest_init.

use crate::arch::x86_64::boot::BootParams;
use crate::arch::x86_64::{self as arch, cpu, irq, qemu, tsc};
use crate::mm::{page_alloc, slab};
use crate::params::Params;
use crate::{pr_info, pr_notice};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

/// TSC when the banner went out (instructions since power-on under
/// `-icount shift=0`, where the TSC counts guest nanoseconds).
static BANNER_TSC: AtomicU64 = AtomicU64::new(0);

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
    crate::params::set_trace(bp.cmdline());
    crate::params::save_command_line(bp.cmdline());
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

/// What kernel_init runs: init= and the words after `--`.
struct InitCommand {
    path: Option<Vec<u8>>,
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
}

static INIT_COMMAND: crate::sync::Once<InitCommand> = crate::sync::Once::new();

/// The rest of boot (Linux's rest_init): the root filesystem from the
/// initramfs, the vDSOs, syscall entry, the idle task (pid 0), and
/// kernel_init as pid 1, which execs the first program.
fn rest_init(params: &Params, bp: &BootParams) -> ! {
    use crate::arch::x86_64::{apic, mm::phys_to_virt, serial, syscall_init, vdso};
    let initrd = bp.initrd.map(|(base, size)| {
        // SAFETY: memblock reserved the initramfs; it is direct-mapped RAM
        // that nothing else uses.
        unsafe { core::slice::from_raw_parts(phys_to_virt(base) as *const u8, size as usize) }
    });
    crate::process::set_max_threads();
    crate::fs::mount_root(initrd);
    if let Some((base, size)) = bp.initrd {
        // Its files now live in the RAM filesystem (Linux's free_initrd_mem).
        let pages = crate::mm::page_alloc::free_reserved_area(base, base + size);
        pr_info!("Freeing initrd memory: {}K", pages * 4);
    }
    if bp.initrd.is_none() {
        pr_notice!("initramfs: none given (boot with `cargo xtask run`, or pass -initrd)");
    }
    let seed_hw = crate::random::rand_initialize();
    pr_info!(
        "random: crng seeded from {}",
        if seed_hw {
            "RDRAND and the TSC"
        } else {
            "the TSC"
        }
    );
    vdso::init_vdso(params.cmdline.get("vdso32"));
    syscall_init();
    apic::enable_isa_irq(4);
    serial::enable_rx_interrupt();
    // Linux's envp_init, plus what the command line adds.
    let handoff = params.for_init(&["HOME=/", "TERM=linux"]);
    let bytes = |v: Vec<alloc::string::String>| v.into_iter().map(|s| s.into_bytes()).collect();
    let (args, env) = (bytes(handoff.args), bytes(handoff.env));
    INIT_COMMAND.call_once(|| InitCommand {
        path: params
            .cmdline
            .get("init")
            .or(params.cmdline.get("rdinit"))
            .map(|p| p.as_bytes().to_vec()),
        args,
        env,
    });
    let idle = alloc::sync::Arc::new(crate::process::task::Task::new(
        0,
        0,
        crate::arch::x86_64::process::ThreadStruct::new(),
        None,
        alloc::sync::Arc::new(crate::process::signal::SigHand::new()),
        alloc::sync::Arc::new(crate::process::signal::SignalStruct::new(
            0,
            0,
            crate::process::signal::default_rlimits(),
        )),
        *b"swapper/0\0\0\0\0\0\0\0",
    ));
    crate::sched::sched_init(idle);
    if let Err(e) = crate::process::fork::kernel_thread(kernel_init, 0, b"init") {
        panic!("cannot create the init process: {e}");
    }
    crate::sched::cpu_idle()
}

/// pid 1 in the kernel: open the console as fds 0, 1, 2, then exec the
/// first program (Linux's kernel_init → run_init_process). Returning
/// means the exec succeeded: ret_from_fork continues into user mode.
fn kernel_init(_: usize) {
    let me = crate::sched::current();
    let files = me.files();
    match me.fs().lookup(b"/dev/console", true) {
        Ok(inode) => {
            let console =
                crate::fs::File::open(inode, crate::fs::file::O_RDWR, b"/dev/console".to_vec());
            for fd in 0..3 {
                files.install(fd, console.clone(), false);
            }
        }
        Err(e) => crate::pr_warn!("Warning: unable to open an initial console: {e}"),
    }
    crate::fs::tty::set_foreground(1);
    let cmd = INIT_COMMAND.get().expect("init command");
    let candidates: Vec<Vec<u8>> = match &cmd.path {
        Some(p) => alloc::vec![p.clone()],
        None => [
            b"/sbin/init".as_slice(),
            b"/etc/init",
            b"/bin/init",
            b"/bin/sh",
            b"/init",
        ]
        .iter()
        .map(|p| p.to_vec())
        .collect(),
    };
    for path in &candidates {
        let mut argv = alloc::vec![path.clone()];
        argv.extend(cmd.args.iter().cloned());
        // SAFETY: kernel_init runs on its own kernel stack; its pt_regs
        // become the new program's user registers.
        let regs = unsafe { &mut *me.pt_regs() };
        match crate::fs::exec::do_execve(path, argv, cmd.env.clone(), regs) {
            Ok(()) => {
                me.flags
                    .fetch_and(!crate::process::task::PF_KTHREAD, Ordering::Relaxed);
                return;
            }
            Err(e) if cmd.path.is_some() => {
                crate::pr_emerg!(
                    "Requested init {} failed ({})",
                    alloc::string::String::from_utf8_lossy(path),
                    e
                );
            }
            Err(_) => {}
        }
    }
    if cmd.path.is_none() {
        crate::pr_emerg!(
            "Kernel: no working init found. Try passing init= option to the kernel (e.g. `cargo xtask run --init PROG`)."
        );
    }
    power_off()
}

/// Orderly power-off (Linux's kernel_power_off).
pub fn power_off() -> ! {
    crate::printk::console_write(b"reboot: Power down\n");
    qemu::exit(qemu::EXIT_POWER_OFF)
}

/// Stop the machine without powering it off (Linux's kernel_halt).
pub fn halt() -> ! {
    crate::printk::console_write(b"reboot: System halted\n");
    crate::arch::x86_64::irq::halt_forever()
}

/// Reset the machine (Linux's kernel_restart); under `cargo xtask`,
/// QEMU's -no-reboot turns the reset into QEMU exiting with status 0.
pub fn restart(cmd: Option<&[u8]>) -> ! {
    match cmd {
        Some(c) => crate::pr_emerg!(
            "reboot: Restarting system with command '{}'",
            alloc::string::String::from_utf8_lossy(c)
        ),
        None => crate::printk::console_write(b"reboot: Restarting system\n"),
    }
    qemu::reset()
}
