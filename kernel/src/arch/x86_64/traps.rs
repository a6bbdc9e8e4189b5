//! Exception handlers (Linux's arch/x86/kernel/traps.c and mm/fault.c).
//!
//! A fault in kernel mode is a kernel bug: `die` prints an oops report
//! (vector, error code, RIP with its symbol, CR2, every register, a call
//! trace) and panics. Faults in user mode are turned into signals by
//! `user_fault` once processes exist.

use super::cpu;
use super::entry::PtRegs;
use crate::kallsyms;
use crate::printk::emergency_write as out;

/// Exception names and mnemonics, by vector.
pub const EXCEPTIONS: [(&str, &str); 32] = [
    ("#DE", "divide error"),
    ("#DB", "debug"),
    ("NMI", "non-maskable interrupt"),
    ("#BP", "int3"),
    ("#OF", "overflow"),
    ("#BR", "bounds"),
    ("#UD", "invalid opcode"),
    ("#NM", "device not available"),
    ("#DF", "double fault"),
    ("#MF", "coprocessor segment overrun"),
    ("#TS", "invalid TSS"),
    ("#NP", "segment not present"),
    ("#SS", "stack segment"),
    ("#GP", "general protection fault"),
    ("#PF", "page fault"),
    ("#SPURIOUS", "reserved vector"),
    ("#MF", "coprocessor error"),
    ("#AC", "alignment check"),
    ("#MC", "machine check"),
    ("#XM", "SIMD coprocessor error"),
    ("#VE", "virtualization exception"),
    ("#CP", "control protection"),
    ("#RSV", "reserved"),
    ("#RSV", "reserved"),
    ("#RSV", "reserved"),
    ("#RSV", "reserved"),
    ("#RSV", "reserved"),
    ("#RSV", "reserved"),
    ("#HV", "hypervisor injection"),
    ("#VC", "VMM communication"),
    ("#SX", "security exception"),
    ("#RSV", "reserved"),
];

/// Page-fault error code bits (X86_PF_*).
pub const X86_PF_PROT: u64 = 1 << 0;
pub const X86_PF_WRITE: u64 = 1 << 1;
pub const X86_PF_USER: u64 = 1 << 2;
pub const X86_PF_RSVD: u64 = 1 << 3;
pub const X86_PF_INSTR: u64 = 1 << 4;
const SI_KERNEL_CODE: i32 = 0x80;

/// Print the oops report for a fatal kernel-mode exception and panic.
pub fn die(regs: &PtRegs, vector: usize, error_code: u64, cr2: u64) -> ! {
    let (mnemonic, name) = EXCEPTIONS[vector & 31];
    out(format_args!("\n"));
    if vector == 14 {
        let what = if cr2 < 4096 {
            "kernel NULL pointer dereference"
        } else {
            "unable to handle page fault"
        };
        out(format_args!("BUG: {what}, address: {cr2:016x}\n"));
        out(format_args!(
            "#PF: {} {} access in {} mode\n",
            if error_code & X86_PF_USER != 0 {
                "user"
            } else {
                "supervisor"
            },
            if error_code & X86_PF_INSTR != 0 {
                "instruction fetch"
            } else if error_code & X86_PF_WRITE != 0 {
                "write"
            } else {
                "read"
            },
            if regs.user_mode() { "user" } else { "kernel" }
        ));
        out(format_args!(
            "#PF: error_code({error_code:#06x}) - {}\n",
            if error_code & X86_PF_RSVD != 0 {
                "reserved bit violation"
            } else if error_code & X86_PF_PROT != 0 {
                "permissions violation"
            } else {
                "not-present page"
            }
        ));
    }
    if vector == 8 && kallsyms::is_guard_page(cr2.max(regs.sp)) {
        out(format_args!(
            "BUG: kernel stack overflow (guard page hit near {:016x})\n",
            regs.sp
        ));
    }
    out(format_args!(
        "Oops: {mnemonic} {name} (vector {vector}), error code {error_code:#x} [#1]\n"
    ));
    show_regs(regs, cr2);
    crate::panic::panic_with_trace(format_args!("Fatal exception"), regs.bp)
}

/// The register dump of an oops (Linux's __show_regs).
pub fn show_regs(regs: &PtRegs, cr2: u64) {
    out(format_args!("RIP: {:04x}:{:016x} ", regs.cs, regs.ip));
    kallsyms::print_symbol(regs.ip);
    out(format_args!(
        "\nRSP: {:04x}:{:016x} EFLAGS: {:08x}\n",
        regs.ss, regs.sp, regs.flags
    ));
    out(format_args!(
        "RAX: {:016x} RBX: {:016x} RCX: {:016x}\n",
        regs.ax, regs.bx, regs.cx
    ));
    out(format_args!(
        "RDX: {:016x} RSI: {:016x} RDI: {:016x}\n",
        regs.dx, regs.si, regs.di
    ));
    out(format_args!(
        "RBP: {:016x} R08: {:016x} R09: {:016x}\n",
        regs.bp, regs.r8, regs.r9
    ));
    out(format_args!(
        "R10: {:016x} R11: {:016x} R12: {:016x}\n",
        regs.r10, regs.r11, regs.r12
    ));
    out(format_args!(
        "R13: {:016x} R14: {:016x} R15: {:016x}\n",
        regs.r13, regs.r14, regs.r15
    ));
    out(format_args!(
        "FS:  {:016x} GS:  {:016x} KERNEL_GS: {:016x}\n",
        cpu::rdmsr(cpu::MSR_FS_BASE),
        cpu::rdmsr(cpu::MSR_GS_BASE),
        cpu::rdmsr(cpu::MSR_KERNEL_GS_BASE)
    ));
    out(format_args!(
        "CR0: {:016x} CR2: {:016x} CR3: {:016x} CR4: {:016x}\n",
        cpu::read_cr0(),
        cr2,
        cpu::read_cr3(),
        cpu::read_cr4()
    ));
}

/// The signal a user-mode exception raises (Linux's do_trap table).
fn trap_signal(vector: usize) -> (i32, i32) {
    use crate::process::signal::*;
    match vector {
        0 => (SIGFPE, FPE_INTDIV),
        // int3 is SI_KERNEL, as Linux's do_int3_user; #DB is a trace trap.
        3 => (SIGTRAP, SI_KERNEL),
        1 => (SIGTRAP, TRAP_BRKPT),
        6 => (SIGILL, ILL_ILLOPN),
        16 | 19 => (SIGFPE, 0),
        17 => (SIGBUS, BUS_ADRERR),
        11 | 12 => (SIGBUS, BUS_ADRERR),
        _ => (SIGSEGV, SI_KERNEL),
    }
}

/// Linux's show_signal_msg / do_trap message for a fault the task does
/// not handle: one line naming the process, the address and the code.
fn show_unhandled(regs: &PtRegs, vector: usize, sig: i32, error_code: u64, cr2: u64) {
    let me = crate::sched::current();
    let handler = me.sighand().action.lock()[sig as usize - 1].handler;
    if handler != crate::process::signal::SIG_DFL {
        return;
    }
    let comm = me.comm_str();
    if vector == 14 {
        crate::pr_info!(
            "{}[{}]: segfault at {:x} ip {:016x} sp {:016x} error {:x} in {}",
            comm,
            me.tgid,
            cr2,
            regs.ip,
            regs.sp,
            error_code,
            comm
        );
    } else {
        crate::pr_info!(
            "traps: {}[{}] trap {} ip:{:x} sp:{:x} error:{:x} in {}",
            comm,
            me.tgid,
            EXCEPTIONS[vector & 31].1,
            regs.ip,
            regs.sp,
            error_code,
            comm
        );
    }
}

/// A fault in user mode becomes a signal for the current thread.
fn user_fault(regs: &mut PtRegs, vector: usize, error_code: u64, cr2: u64) {
    let (sig, code) = trap_signal(vector);
    show_unhandled(regs, vector, sig, error_code, cr2);
    let addr = if matches!(vector, 14) { cr2 } else { regs.ip };
    crate::process::signal::force_sig_fault(sig, code, addr);
}

fn trap(regs: &mut PtRegs, vector: usize, error_code: u64) {
    if regs.user_mode() {
        super::irq::enable();
    }
    // A double fault is often a page fault that could not be delivered
    // (e.g. on an overflowed stack): CR2 still names the address.
    let cr2 = if vector == 8 { cpu::read_cr2() } else { 0 };
    if regs.user_mode() {
        user_fault(regs, vector, error_code, cr2);
    } else {
        die(regs, vector, error_code, cr2);
    }
}

macro_rules! exception_handlers {
    ($($name:ident => $vector:expr),* $(,)?) => {$(
        #[unsafe(no_mangle)]
        extern "C" fn $name(regs: &mut PtRegs, error_code: u64) {
            trap(regs, $vector, error_code);
        }
    )*};
}

exception_handlers! {
    exc_divide_error => 0,
    exc_debug => 1,
    exc_nmi => 2,
    exc_int3 => 3,
    exc_overflow => 4,
    exc_bounds => 5,
    exc_invalid_op => 6,
    exc_device_not_available => 7,
    exc_double_fault => 8,
    exc_coproc_segment_overrun => 9,
    exc_invalid_tss => 10,
    exc_segment_not_present => 11,
    exc_stack_segment => 12,
    exc_general_protection => 13,
    exc_spurious_interrupt_bug => 15,
    exc_coprocessor_error => 16,
    exc_alignment_check => 17,
    exc_machine_check => 18,
    exc_simd_coprocessor_error => 19,
    exc_virtualization_exception => 20,
    exc_control_protection => 21,
}

/// #PF (Linux's exc_page_fault → do_user_addr_fault): a user address is
/// looked up in the current address space and filled in on demand; a bad
/// one is SIGSEGV for user code and EFAULT (via the exception table) for
/// the kernel's user-memory accessors. Anything else is a kernel bug.
#[unsafe(no_mangle)]
extern "C" fn exc_page_fault(regs: &mut PtRegs, error_code: u64) {
    let cr2 = cpu::read_cr2();
    let user_addr = cr2 < super::mm::TASK_SIZE_MAX;
    let mm = if user_addr && crate::sched::has_current() {
        crate::sched::current().mm()
    } else {
        None
    };
    if regs.user_mode() {
        super::irq::enable();
    }
    if let Some(mm) = mm {
        if error_code & X86_PF_RSVD == 0 {
            let write = error_code & X86_PF_WRITE != 0;
            let exec = error_code & X86_PF_INSTR != 0;
            match mm.handle_mm_fault(cr2, write, exec) {
                Ok(()) => {
                    // Every page is in memory: all faults are minor.
                    let me = crate::sched::current();
                    me.min_flt
                        .fetch_add(1, core::sync::atomic::Ordering::Relaxed);
                    return;
                }
                Err(crate::mm::mmap::FaultError::Bus) if regs.user_mode() => {
                    use crate::process::signal::{BUS_ADRERR, SIGBUS};
                    show_unhandled(regs, 14, SIGBUS, error_code, cr2);
                    crate::process::signal::force_sig_fault(SIGBUS, BUS_ADRERR, cr2);
                    return;
                }
                Err(e) if regs.user_mode() => {
                    use crate::process::signal::{SEGV_ACCERR, SEGV_MAPERR, SIGSEGV};
                    if e == crate::mm::mmap::FaultError::Oom {
                        // Linux's OOM path ends in SIGKILL for a victim; the
                        // task that could not get a page is ours.
                        let me = crate::sched::current();
                        crate::pr_err!(
                            "Out of memory: Killed process {} ({})",
                            me.tgid,
                            me.comm_str()
                        );
                        crate::process::signal::force_sig_fault(
                            crate::process::signal::SIGKILL,
                            SI_KERNEL_CODE,
                            cr2,
                        );
                        return;
                    }
                    show_unhandled(regs, 14, SIGSEGV, error_code, cr2);
                    let code = if e == crate::mm::mmap::FaultError::Access {
                        SEGV_ACCERR
                    } else {
                        SEGV_MAPERR
                    };
                    crate::process::signal::force_sig_fault(SIGSEGV, code, cr2);
                    return;
                }
                Err(_) => {}
            }
        }
    }
    if regs.user_mode() {
        user_fault(regs, 14, error_code, cr2);
        return;
    }
    if super::uaccess::fixup_exception(regs) {
        return;
    }
    die(regs, 14, error_code, cr2);
}
