//! x86_64 address-space layout (as Linux's Documentation/arch/x86/x86_64/mm.rst)
//! and the page-table code.
//!
//! ```text
//! 0000000000000000 - 00007fffffffefff  user space (TASK_SIZE_MAX)
//! ffff888000000000 - ffffc87fffffffff  direct map of all physical memory
//! ffffc90000000000 - ffffe8ffffffffff  vmalloc/ioremap (kernel stacks, MMIO)
//! ffffffff80000000 - ffffffffffffffff  kernel image (__START_KERNEL_map)
//! ```

pub mod init;
pub mod pgtable;

pub const PAGE_SIZE: usize = 4096;
pub const PAGE_OFFSET: u64 = 0xffff_8880_0000_0000;
pub const VMALLOC_START: u64 = 0xffff_c900_0000_0000;
pub const VMALLOC_END: u64 = 0xffff_e8ff_ffff_ffff;
pub const START_KERNEL_MAP: u64 = 0xffff_ffff_8000_0000;
/// The highest user address + 1 for 64-bit processes (minus a guard page).
pub const TASK_SIZE_MAX: u64 = 0x0000_7fff_ffff_f000;

/// The kernel virtual address of physical address `pa` (direct map).
#[inline]
pub fn phys_to_virt(pa: u64) -> u64 {
    pa + PAGE_OFFSET
}

/// The physical address behind a direct-map or kernel-image address.
#[inline]
pub fn virt_to_phys(va: u64) -> u64 {
    if va >= START_KERNEL_MAP {
        va - START_KERNEL_MAP
    } else {
        va - PAGE_OFFSET
    }
}

/// Flush one page's translation from this CPU's TLB.
#[inline]
pub fn flush_tlb_one(va: u64) {
    // SAFETY: invlpg only drops a cached translation.
    unsafe { x86::tlb::flush(va as usize) };
}

/// Flush every translation, global ones included (toggle CR4.PGE).
pub fn flush_tlb_all() {
    // SAFETY: toggling PGE flushes the TLB and changes nothing else.
    unsafe {
        use x86::controlregs::{Cr4, cr4, cr4_write};
        let c4 = cr4();
        cr4_write(c4 - Cr4::CR4_ENABLE_GLOBAL_PAGES);
        cr4_write(c4);
    }
}

/// Switch this CPU to the page tables rooted at physical `pml4`.
///
/// # Safety
/// The new tables must map the kernel exactly as the current ones do.
pub unsafe fn load_cr3(pml4: u64) {
    // SAFETY: forwarded to the caller.
    unsafe { x86::controlregs::cr3_write(pml4) };
}
