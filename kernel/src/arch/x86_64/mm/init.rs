//! init_mem_mapping: the kernel's own page tables (Linux's init_top_pgt).
//!
//! Replaces head.S's early 1 GiB mappings with: the direct map of every
//! RAM range at PAGE_OFFSET (large pages, NX), the kernel image at
//! __START_KERNEL_map with per-section permissions (text R-X, rodata R--,
//! data/bss RW-), and a preallocated PDPT for the vmalloc area, so the
//! kernel half of the PML4 never changes after boot and user page tables
//! can share it by copying entries 256..511. Nothing is identity-mapped:
//! a NULL dereference in the kernel faults.

use super::pgtable::{PAGE_KERNEL, PAGE_KERNEL_RO, PAGE_KERNEL_RX, PageSize, PageTable, PteFlags};
use super::{PAGE_OFFSET, PAGE_SIZE, START_KERNEL_MAP, VMALLOC_START, load_cr3, phys_to_virt};
use crate::arch::x86_64::cpu::boot_cpu;
use crate::mm::memblock::Memblock;
use core::sync::atomic::{AtomicU64, Ordering};

static INIT_TOP_PGT: AtomicU64 = AtomicU64::new(0);

unsafe extern "C" {
    static _text: u8;
    static _etext: u8;
    static _erodata: u8;
    static _end: u8;
}

/// The kernel's page tables (the kernel half is shared by every process).
pub fn kernel_page_table() -> PageTable {
    // SAFETY: INIT_TOP_PGT is the root built by init_mem_mapping; the kernel
    // half is modified only for vmalloc/ioremap, under their own locks.
    unsafe { PageTable::from_root(INIT_TOP_PGT.load(Ordering::Relaxed)) }
}

/// Physical address of the kernel PML4, for copying its upper half.
pub fn init_top_pgt() -> u64 {
    INIT_TOP_PGT.load(Ordering::Relaxed)
}

pub fn init_mem_mapping(mb: &mut Memblock) {
    // The direct map covers RAM only, never MMIO holes.
    let ram: [(u64, u64); 128] = {
        let mut r = [(0, 0); 128];
        for (i, m) in mb.memory.iter().enumerate().take(128) {
            r[i] = (m.base, m.end);
        }
        r
    };
    let mut alloc = || {
        let pa = mb.alloc(PAGE_SIZE as u64, PAGE_SIZE as u64)?;
        // SAFETY: memblock allocations stay below 1 GiB, which head.S maps
        // at PAGE_OFFSET; the frame is freshly reserved for us.
        unsafe { core::ptr::write_bytes(phys_to_virt(pa) as *mut u8, 0, PAGE_SIZE) };
        Some(pa)
    };
    let root = alloc().expect("no memory for the kernel page tables");
    // SAFETY: `root` is a fresh, zeroed table owned by the kernel.
    let mut pt = unsafe { PageTable::from_root(root) };
    let gbpages = boot_cpu().has_gbpages();

    for &(base, end) in ram.iter().filter(|r| r.1 > r.0) {
        pt.map_range(
            PAGE_OFFSET + base,
            base,
            end - base,
            PAGE_KERNEL,
            gbpages,
            &mut alloc,
        )
        .expect("cannot build the direct map");
    }

    // The kernel image, section by section.
    // Linker-defined symbols: only their addresses are used.
    let (text, etext, erodata, end) = {
        (
            &raw const _text as u64,
            &raw const _etext as u64,
            &raw const _erodata as u64,
            (&raw const _end as u64).next_multiple_of(PAGE_SIZE as u64),
        )
    };
    for (start, stop, flags) in [
        (text, etext, PAGE_KERNEL_RX),
        (etext, erodata, PAGE_KERNEL_RO),
        (erodata, end, PAGE_KERNEL),
    ] {
        for va in (start..stop).step_by(PAGE_SIZE) {
            pt.map(
                va,
                va - START_KERNEL_MAP,
                PageSize::Size4K,
                flags,
                &mut alloc,
            )
            .expect("cannot map the kernel image");
        }
    }

    // Preallocate the vmalloc area's PDPT: PML4 entries never change later.
    // SAFETY: `root` is our table; entry 402 covers VMALLOC_START.
    unsafe {
        let pml4 = &mut *(phys_to_virt(root) as *mut [u64; 512]);
        let i = ((VMALLOC_START >> 39) & 0x1ff) as usize;
        let pdpt = alloc().expect("no memory for the vmalloc PDPT");
        pml4[i] = pdpt | (PteFlags::PRESENT | PteFlags::RW).bits();
    }

    INIT_TOP_PGT.store(root, Ordering::Relaxed);
    // SAFETY: the new tables map the kernel image, its stack (in .bss) and
    // all RAM at the same virtual addresses as head.S's tables did.
    unsafe {
        use x86::controlregs::{Cr4, cr4, cr4_write};
        cr4_write(cr4() | Cr4::CR4_ENABLE_GLOBAL_PAGES);
        load_cr3(root);
    }
    // Memory above the early 1 GiB is now reachable for later allocations.
    mb.limit = u64::MAX;
}
