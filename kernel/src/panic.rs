//! Kernel panic: print what happened and where, then stop (ending QEMU
//! with a failing status, so tests and `cargo xtask run` see it).

use crate::arch::x86_64::{irq, qemu};
use crate::kallsyms;
use crate::printk::emergency_write as out;
use core::sync::atomic::{AtomicBool, Ordering};

static PANICKING: AtomicBool = AtomicBool::new(false);

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let bp: u64;
    // SAFETY: reading the frame pointer register has no side effects.
    unsafe { core::arch::asm!("mov {}, rbp", out(reg) bp) };
    match info.location() {
        Some(l) => panic_with_trace(
            format_args!(
                "{} at {}:{}:{}",
                info.message(),
                l.file(),
                l.line(),
                l.column()
            ),
            bp,
        ),
        None => panic_with_trace(format_args!("{}", info.message()), bp),
    }
}

/// Report `why` with a call trace starting from frame pointer `bp`, then
/// halt (Linux's panic()).
pub fn panic_with_trace(why: core::fmt::Arguments, bp: u64) -> ! {
    irq::disable();
    if PANICKING.swap(true, Ordering::SeqCst) {
        out(format_args!("\nKernel panic while panicking: {why}\n"));
        qemu::exit(qemu::EXIT_PANIC);
    }
    out(format_args!("\nKernel panic - not syncing: {why}\n"));
    out(format_args!("Call Trace:\n"));
    let (mut last, mut repeats) = (0, 0);
    kallsyms::backtrace(bp, |addr| {
        if addr == last {
            repeats += 1;
            return;
        }
        if repeats > 0 {
            out(format_args!(
                "  ... previous frame repeated {repeats} more times\n"
            ));
            repeats = 0;
        }
        last = addr;
        out(format_args!("  [<{addr:016x}>] "));
        kallsyms::print_return_address(addr);
        out(format_args!("\n"));
    });
    if repeats > 0 {
        out(format_args!(
            "  ... previous frame repeated {repeats} more times\n"
        ));
    }
    out(format_args!("---[ end Kernel panic - not syncing ]---\n"));
    qemu::exit(qemu::EXIT_PANIC)
}
