//! `struct pt_regs`: the registers of an interrupted context, in the order
//! entry code pushes them (Linux's arch/x86/include/asm/ptrace.h, x86_64).

/// Saved registers at the top of a kernel stack.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct PtRegs {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub bp: u64,
    pub bx: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub ax: u64,
    pub cx: u64,
    pub dx: u64,
    pub si: u64,
    pub di: u64,
    /// Syscall number on syscall entry; -1 for interrupts and exceptions.
    pub orig_ax: u64,
    pub ip: u64,
    pub cs: u64,
    pub flags: u64,
    pub sp: u64,
    pub ss: u64,
}

const _: () = assert!(core::mem::size_of::<PtRegs>() == 21 * 8);

impl PtRegs {
    /// Did this context run in ring 3?
    pub fn user_mode(&self) -> bool {
        self.cs & 3 == 3
    }

    /// Was it a 32-bit (compatibility-mode) user context?
    pub fn compat_mode(&self) -> bool {
        self.cs == super::super::gdt::USER32_CS as u64
    }
}
