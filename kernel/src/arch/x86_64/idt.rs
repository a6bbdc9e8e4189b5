//! The IDT: 32 exception vectors and 224 interrupt vectors (Linux's
//! arch/x86/kernel/idt.c). Vector assignments follow Linux's irq_vectors.h.

use super::entry;
use super::gdt::{IST_DB, IST_DF, IST_MCE, IST_NMI, KERNEL_CS};
use core::cell::UnsafeCell;

pub const FIRST_EXTERNAL_VECTOR: u8 = 0x20;
/// Legacy ISA IRQ n arrives on vector 0x30 + n (ISA_IRQ_VECTOR).
pub const ISA_IRQ_VECTOR_BASE: u8 = 0x30;
pub const IA32_SYSCALL_VECTOR: u8 = 0x80;
pub const LOCAL_TIMER_VECTOR: u8 = 0xec;
pub const ERROR_APIC_VECTOR: u8 = 0xfe;
pub const SPURIOUS_APIC_VECTOR: u8 = 0xff;

#[derive(Clone, Copy)]
#[repr(C)]
struct Gate {
    offset_low: u16,
    segment: u16,
    ist: u8,
    type_attr: u8,
    offset_mid: u16,
    offset_high: u32,
    reserved: u32,
}

const GATE_INTERRUPT: u8 = 0x8e; // present, DPL0, 64-bit interrupt gate

impl Gate {
    const EMPTY: Gate = Gate {
        offset_low: 0,
        segment: 0,
        ist: 0,
        type_attr: 0,
        offset_mid: 0,
        offset_high: 0,
        reserved: 0,
    };

    fn new(handler: u64, ist: u8, dpl: u8) -> Gate {
        Gate {
            offset_low: handler as u16,
            segment: KERNEL_CS,
            ist,
            type_attr: GATE_INTERRUPT | (dpl << 5),
            offset_mid: (handler >> 16) as u16,
            offset_high: (handler >> 32) as u32,
            reserved: 0,
        }
    }
}

struct Idt(UnsafeCell<[Gate; 256]>);
// SAFETY: written at boot (and for int 0x80 registration) with interrupts off.
unsafe impl Sync for Idt {}

static IDT: Idt = Idt(UnsafeCell::new([Gate::EMPTY; 256]));

/// Install a gate; `dpl` 3 lets user code raise it with `int`.
pub fn set_gate(vector: u8, handler: unsafe extern "C" fn(), ist: u8, dpl: u8) {
    // SAFETY: see `Idt`; a gate write is a plain 16-byte store.
    unsafe { (*IDT.0.get())[vector as usize] = Gate::new(handler as usize as u64, ist, dpl) };
}

/// trap_init: fill and load the IDT.
pub fn init() {
    use entry::*;
    let exceptions: [(u8, unsafe extern "C" fn(), u8, u8); 22] = [
        (0, asm_exc_divide_error, 0, 0),
        (1, asm_exc_debug, IST_DB, 0),
        (2, asm_exc_nmi, IST_NMI, 0),
        (3, asm_exc_int3, 0, 3), // int3 from user space is a breakpoint, not #GP
        (4, asm_exc_overflow, 0, 3),
        (5, asm_exc_bounds, 0, 0),
        (6, asm_exc_invalid_op, 0, 0),
        (7, asm_exc_device_not_available, 0, 0),
        (8, asm_exc_double_fault, IST_DF, 0),
        (9, asm_exc_coproc_segment_overrun, 0, 0),
        (10, asm_exc_invalid_tss, 0, 0),
        (11, asm_exc_segment_not_present, 0, 0),
        (12, asm_exc_stack_segment, 0, 0),
        (13, asm_exc_general_protection, 0, 0),
        (14, asm_exc_page_fault, 0, 0),
        (15, asm_exc_spurious_interrupt_bug, 0, 0),
        (16, asm_exc_coprocessor_error, 0, 0),
        (17, asm_exc_alignment_check, 0, 0),
        (18, asm_exc_machine_check, IST_MCE, 0),
        (19, asm_exc_simd_coprocessor_error, 0, 0),
        (20, asm_exc_virtualization_exception, 0, 0),
        (21, asm_exc_control_protection, 0, 0),
    ];
    for (v, h, ist, dpl) in exceptions {
        set_gate(v, h, ist, dpl);
    }
    // Reserved vectors 22..31 share the spurious stub: reported, never silent.
    for v in 22..32u8 {
        set_gate(v, asm_exc_spurious_interrupt_bug, 0, 0);
    }
    for v in FIRST_EXTERNAL_VECTOR as usize..256 {
        let stub =
            irq_entries_start as *const () as u64 + 16 * (v as u64 - FIRST_EXTERNAL_VECTOR as u64);
        // SAFETY: every stub in irq_entries_start is a valid entry point.
        let f: unsafe extern "C" fn() = unsafe { core::mem::transmute(stub as usize) };
        set_gate(v as u8, f, 0, 0);
    }
    // SAFETY: the table is fully populated and lives forever.
    unsafe {
        let ptr = x86::dtables::DescriptorTablePointer {
            limit: (256 * 16 - 1) as u16,
            base: IDT.0.get() as *const Gate,
        };
        x86::dtables::lidt(&ptr);
    }
}
