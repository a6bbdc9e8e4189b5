//! Kernel entry: the assembly stubs that save a `struct pt_regs` and call
//! Rust, and the `pt_regs` layout they share with Rust.

pub mod common;
pub mod ptrace;

core::arch::global_asm!(
    include_str!("calling.h.S"),
    include_str!("entry_64.S"),
    include_str!("entry_64_compat.S"),
    options(att_syntax)
);

pub use ptrace::PtRegs;

unsafe extern "C" {
    /// The first of the 224 external-interrupt stubs, 16 bytes apart.
    pub fn irq_entries_start();
    pub fn asm_exc_divide_error();
    pub fn asm_exc_debug();
    pub fn asm_exc_nmi();
    pub fn asm_exc_int3();
    pub fn asm_exc_overflow();
    pub fn asm_exc_bounds();
    pub fn asm_exc_invalid_op();
    pub fn asm_exc_device_not_available();
    pub fn asm_exc_double_fault();
    pub fn asm_exc_coproc_segment_overrun();
    pub fn asm_exc_invalid_tss();
    pub fn asm_exc_segment_not_present();
    pub fn asm_exc_stack_segment();
    pub fn asm_exc_general_protection();
    pub fn asm_exc_page_fault();
    pub fn asm_exc_spurious_interrupt_bug();
    pub fn asm_exc_coprocessor_error();
    pub fn asm_exc_alignment_check();
    pub fn asm_exc_machine_check();
    pub fn asm_exc_simd_coprocessor_error();
    pub fn asm_exc_virtualization_exception();
    pub fn asm_exc_control_protection();
}

unsafe extern "C" {
    pub fn entry_SYSCALL_64();
    pub fn entry_SYSCALL_compat();
    pub fn entry_SYSENTER_compat();
    pub fn entry_INT80_compat();
}
