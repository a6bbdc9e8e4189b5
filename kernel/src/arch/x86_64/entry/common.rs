//! The C half of syscall entry (Linux's arch/x86/entry/common.c): decode
//! the registers of each entry method, count the entry, dispatch through
//! the syscall table, and do the work due before returning to user mode.

use super::ptrace::PtRegs;
use crate::arch::x86_64::{gdt, irq};
use crate::syscall::{self, Abi};
use core::sync::atomic::{AtomicU64, Ordering};

/// How a syscall entered the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum EntryMethod {
    /// 64-bit `syscall` (entry_SYSCALL_64).
    Syscall64 = 0,
    /// `int $0x80` (entry_INT80_compat).
    Int80 = 1,
    /// `sysenter` from the vDSO (entry_SYSENTER_compat).
    Sysenter = 2,
    /// compat `syscall` from the vDSO (entry_SYSCALL_compat).
    Syscall32 = 3,
}

pub const ENTRY_METHODS: [(&str, EntryMethod); 4] = [
    ("syscall64", EntryMethod::Syscall64),
    ("int80", EntryMethod::Int80),
    ("sysenter", EntryMethod::Sysenter),
    ("syscall32", EntryMethod::Syscall32),
];

/// Entries per method since boot (/proc/forkline/entries).
pub static ENTRY_COUNT: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];

/// How the syscall being handled now came in (one CPU, and a syscall is
/// not preempted, so the last entry is the current one).
static CURRENT_METHOD: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

fn count(m: EntryMethod) {
    ENTRY_COUNT[m as usize].fetch_add(1, Ordering::Relaxed);
    CURRENT_METHOD.store(m as usize, Ordering::Relaxed);
}

/// The entry method of the syscall in progress, as /proc/forkline/entries names it.
pub fn current_entry_method() -> &'static str {
    ENTRY_METHODS[CURRENT_METHOD.load(Ordering::Relaxed) % 4].0
}

/// The highest user address sysretq may return to (Linux's check keeps
/// non-canonical addresses away from sysret's #GP-in-ring-0 erratum).
const SYSRET_MAX_RIP: u64 = 0x0000_7fff_ffff_f000;
const X86_EFLAGS_TF: u64 = 1 << 8;
const X86_EFLAGS_RF: u64 = 1 << 16;

/// 64-bit syscall; returns whether sysretq may be used to return.
#[unsafe(no_mangle)]
extern "C" fn do_syscall_64(regs: &mut PtRegs, nr: i64) -> bool {
    irq::enable();
    count(EntryMethod::Syscall64);
    let args = [regs.di, regs.si, regs.dx, regs.r10, regs.r8, regs.r9];
    regs.ax = syscall::dispatch(Abi::X64, nr, args, regs) as u64;
    syscall_exit_to_user_mode(regs);
    regs.cx == regs.ip
        && regs.r11 == regs.flags
        && regs.cs == gdt::USER_CS as u64
        && regs.ss == gdt::USER_DS as u64
        && regs.ip < SYSRET_MAX_RIP
        && regs.flags & (X86_EFLAGS_TF | X86_EFLAGS_RF) == 0
}

/// The i386 argument registers, zero-extended.
fn compat_args(regs: &PtRegs) -> [u64; 6] {
    [regs.bx, regs.cx, regs.dx, regs.si, regs.di, regs.bp].map(|r| r & 0xffff_ffff)
}

fn do_syscall_32(regs: &mut PtRegs) {
    let nr = (regs.orig_ax & 0xffff_ffff) as i32 as i64;
    let ret = syscall::dispatch(Abi::I386, nr, compat_args(regs), regs);
    regs.ax = ret as u64 & 0xffff_ffff;
}

/// `int $0x80`.
#[unsafe(no_mangle)]
extern "C" fn do_int80_syscall_32(regs: &mut PtRegs) {
    irq::enable();
    count(EntryMethod::Int80);
    do_syscall_32(regs);
    syscall_exit_to_user_mode(regs);
}

/// `sysenter` (sysenter = true) or compat `syscall` through
/// __kernel_vsyscall; returns whether sysexit/sysretl may be used.
#[unsafe(no_mangle)]
extern "C" fn do_fast_syscall_32(regs: &mut PtRegs, sysenter: bool) -> bool {
    irq::enable();
    count(if sysenter {
        EntryMethod::Sysenter
    } else {
        EntryMethod::Syscall32
    });
    // Return to the vDSO's landing pad, after the fallback `int $0x80`.
    let landing_pad = crate::arch::x86_64::vdso::int80_landing_pad();
    regs.ip = landing_pad;
    // Argument 6 (user ebp) was pushed by __kernel_vsyscall at 0(%esp).
    match crate::uaccess::get_user::<u32>(regs.sp as usize) {
        Ok(bp) => regs.bp = bp as u64,
        Err(_) => {
            regs.ax = (-14i64) as u64 & 0xffff_ffff; // -EFAULT
            syscall_exit_to_user_mode(regs);
            return false;
        }
    }
    do_syscall_32(regs);
    syscall_exit_to_user_mode(regs);
    landing_pad != 0
        && regs.ip == landing_pad
        && regs.cs == gdt::USER32_CS as u64
        && regs.ss == gdt::USER_DS as u64
        && regs.flags & (X86_EFLAGS_TF | X86_EFLAGS_RF) == 0
}

/// Work before any return to user mode (Linux's exit_to_user_mode_loop):
/// reschedule when asked, deliver signals; ends with interrupts off.
pub fn syscall_exit_to_user_mode(regs: &mut PtRegs) {
    loop {
        irq::disable();
        let cur = crate::sched::current();
        if cur.test_tif(crate::process::task::TIF_NEED_RESCHED) {
            irq::enable();
            crate::sched::schedule();
            continue;
        }
        if cur.signal_pending() {
            irq::enable();
            crate::process::signal::do_signal(regs);
            continue;
        }
        break;
    }
}

/// From common_exit (interrupt or exception returning to user mode).
#[unsafe(no_mangle)]
extern "C" fn irqentry_exit_to_user_mode(regs: &mut PtRegs) {
    syscall_exit_to_user_mode(regs);
}
