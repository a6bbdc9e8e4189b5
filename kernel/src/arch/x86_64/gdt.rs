//! The GDT and TSS, laid out exactly as Linux's (arch/x86/include/asm/segment.h)
//! so that SYSRET and SYSEXIT land on the selectors user space expects:
//!
//! ```text
//!  1 0x08 KERNEL32_CS     4 0x23 USER32_CS    8 0x40 TSS (2 slots)
//!  2 0x10 KERNEL_CS       5 0x2b USER_DS     10 0x50 LDT (2 slots)
//!  3 0x18 KERNEL_DS       6 0x33 USER_CS     12-14 0x63.. TLS   15 0x7b CPUNODE
//! ```
//! STAR is built from these: SYSCALL loads CS=0x10/SS=0x18; SYSRETQ loads
//! CS=0x23+16=0x33, SS=0x23+8=0x2b; SYSRETL loads CS=0x23, SS=0x2b.

// Linux's segment.h is kept whole: the GDT layout is ABI, used or not.
#![allow(dead_code)]

use core::cell::UnsafeCell;

pub const GDT_ENTRY_KERNEL32_CS: usize = 1;
pub const GDT_ENTRY_KERNEL_CS: usize = 2;
pub const GDT_ENTRY_KERNEL_DS: usize = 3;
pub const GDT_ENTRY_DEFAULT_USER32_CS: usize = 4;
pub const GDT_ENTRY_DEFAULT_USER_DS: usize = 5;
pub const GDT_ENTRY_DEFAULT_USER_CS: usize = 6;
pub const GDT_ENTRY_TSS: usize = 8;
pub const GDT_ENTRY_LDT: usize = 10;
pub const GDT_ENTRY_TLS_MIN: usize = 12;
pub const GDT_ENTRY_TLS_MAX: usize = 14;
pub const GDT_ENTRY_TLS_ENTRIES: usize = 3;
pub const GDT_ENTRY_CPUNODE: usize = 15;
pub const GDT_ENTRIES: usize = 16;

pub const KERNEL32_CS: u16 = 0x08;
pub const KERNEL_CS: u16 = 0x10;
pub const KERNEL_DS: u16 = 0x18;
pub const USER32_CS: u16 = 0x23;
pub const USER_DS: u16 = 0x2b;
pub const USER_CS: u16 = 0x33;
pub const TSS_SEL: u16 = 0x40;

/// IST slots (1-based in the IDT, as Linux's IST_INDEX_* + 1).
pub const IST_DF: u8 = 1;
pub const IST_NMI: u8 = 2;
pub const IST_DB: u8 = 3;
pub const IST_MCE: u8 = 4;
const IST_STACK_SIZE: usize = 16 * 1024;

#[repr(C, packed)]
struct Tss {
    reserved0: u32,
    sp: [u64; 3],
    reserved1: u64,
    ist: [u64; 7],
    reserved2: u64,
    reserved3: u16,
    io_bitmap_base: u16,
}

#[repr(C, align(16))]
struct IstStacks([[u8; IST_STACK_SIZE]; 4]);

struct Descriptors {
    gdt: [u64; GDT_ENTRIES],
    tss: Tss,
}

struct Cell(UnsafeCell<Descriptors>);
// SAFETY: modified only by this CPU with interrupts disabled (boot, TLS
// reload on context switch).
unsafe impl Sync for Cell {}

const fn seg(flags: u64) -> u64 {
    // base 0, limit 0xfffff, G=1: `flags` holds type/S/DPL/P and L/D.
    0x000f_0000_0000_ffff | flags
}

static CPU0: Cell = Cell(UnsafeCell::new(Descriptors {
    gdt: [
        0,
        seg(0x00c0_9b00_0000_0000), // KERNEL32_CS: code, D=1
        seg(0x00a0_9b00_0000_0000), // KERNEL_CS:   code, L=1
        seg(0x00c0_9300_0000_0000), // KERNEL_DS
        seg(0x00c0_fb00_0000_0000), // USER32_CS: DPL3, D=1
        seg(0x00c0_f300_0000_0000), // USER_DS:   DPL3
        seg(0x00a0_fb00_0000_0000), // USER_CS:   DPL3, L=1
        0,
        0, // TSS low  (filled by init)
        0, // TSS high
        0,
        0, // LDT (none)
        0,
        0,
        0, // TLS slots (per task)
        0, // CPUNODE (filled by init)
    ],
    tss: Tss {
        reserved0: 0,
        sp: [0; 3],
        reserved1: 0,
        ist: [0; 7],
        reserved2: 0,
        reserved3: 0,
        io_bitmap_base: 104, // no I/O bitmap: every port access from ring 3 faults
    },
}));

static mut IST_STACKS: IstStacks = IstStacks([[0; IST_STACK_SIZE]; 4]);

/// Load the GDT, the segment registers and the TSS on this CPU.
pub fn init() {
    let d = CPU0.0.get();
    // SAFETY: boot time, one CPU, interrupts off. The descriptors we load
    // describe the same flat segments head.S used, so the running code and
    // stack stay valid across the reloads.
    unsafe {
        let stacks = &raw mut IST_STACKS;
        for (i, slot) in [IST_DF, IST_NMI, IST_DB, IST_MCE].iter().enumerate() {
            let top = (&raw mut (*stacks).0[i]) as u64 + IST_STACK_SIZE as u64;
            (*d).tss.ist[*slot as usize - 1] = top;
        }
        let base = (&raw const (*d).tss) as u64;
        let limit = core::mem::size_of::<Tss>() as u64 - 1;
        (*d).gdt[GDT_ENTRY_TSS] = (limit & 0xffff)
            | ((base & 0xff_ffff) << 16)
            | (0x89 << 40) // present, available 64-bit TSS
            | (((limit >> 16) & 0xf) << 48)
            | (((base >> 24) & 0xff) << 56);
        (*d).gdt[GDT_ENTRY_TSS + 1] = base >> 32;
        (*d).gdt[GDT_ENTRY_CPUNODE] = cpunode_descriptor(0, 0);

        let ptr = x86::dtables::DescriptorTablePointer {
            limit: (GDT_ENTRIES * 8 - 1) as u16,
            base: (&raw const (*d).gdt) as *const u64,
        };
        x86::dtables::lgdt(&ptr);
        core::arch::asm!(
            "push {cs}",
            "lea rax, [rip + 2f]",
            "push rax",
            "retfq",
            "2:",
            "mov ds, {ds:x}",
            "mov es, {ds:x}",
            "mov ss, {ds:x}",
            cs = in(reg) KERNEL_CS as u64,
            ds = in(reg) KERNEL_DS as u64,
            out("rax") _,
        );
        core::arch::asm!("ltr {0:x}", in(reg) TSS_SEL);
    }
}

/// Linux's CPUNODE segment: a DPL-3 read-only data descriptor whose limit
/// encodes `cpu | node << 12`, read from user space with `lsl` (vgetcpu).
fn cpunode_descriptor(cpu: u64, node: u64) -> u64 {
    let v = cpu | (node << 12);
    (v & 0xffff)
        | (0x5u64 << 40)
        | (1 << 44)
        | (3 << 45)
        | (1 << 47)
        | (((v >> 16) & 0xf) << 48)
        | (1 << 54)
}

/// The stack SYSENTER starts on: entry_SYSENTER_compat leaves it at once
/// for the task's kernel stack, so it only needs to be valid memory.
pub fn sysenter_stack_top() -> u64 {
    (&raw const IST_STACKS) as u64 + core::mem::size_of::<IstStacks>() as u64
}

/// The stack the CPU switches to when an interrupt arrives from ring 3.
pub fn set_tss_rsp0(top: u64) {
    // SAFETY: a plain store into this CPU's TSS; read by hardware only on
    // the next privilege change.
    unsafe { core::ptr::write_unaligned(&raw mut (*CPU0.0.get()).tss.sp[0], top) };
}

/// Install a task's three TLS descriptors (set_thread_area) into the GDT.
pub fn load_tls(tls: &[u64; GDT_ENTRY_TLS_ENTRIES]) {
    // SAFETY: the TLS slots belong to the running task; called with
    // interrupts disabled during context switch or set_thread_area.
    unsafe {
        let gdt = &raw mut (*CPU0.0.get()).gdt;
        for (i, d) in tls.iter().enumerate() {
            (*gdt)[GDT_ENTRY_TLS_MIN + i] = *d;
        }
    }
}
