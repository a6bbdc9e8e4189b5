//! Memory management: memblock at boot, then the buddy page allocator,
//! the kernel heap (kmalloc) and the vmalloc area.

pub mod filemap;
pub mod memblock;
pub mod mmap;
pub mod page_alloc;
pub mod slab;
pub mod vmalloc;

use crate::arch::x86_64::boot::{BootParams, E820Type};
use crate::arch::x86_64::mm::{START_KERNEL_MAP, init::init_mem_mapping};
use core::sync::atomic::AtomicU32;
use memblock::Memblock;

/// How much exec randomises the address space (Linux's
/// randomize_va_space, /proc/sys/kernel/randomize_va_space): 0 none,
/// 1 stack, mmap base, vDSO, PIE; 2 (the default) also the heap.
/// `norandmaps` on the command line makes it 0.
pub static RANDOMIZE_VA_SPACE: AtomicU32 = AtomicU32::new(2);

unsafe extern "C" {
    static _text: u8;
    static _end: u8;
}

/// Physical [start, end) of the kernel image.
pub fn kernel_image_phys() -> (u64, u64) {
    // Linker-defined symbols: only their addresses are used.
    {
        let text = &raw const _text as u64 - START_KERNEL_MAP;
        let end = &raw const _end as u64 - START_KERNEL_MAP;
        // head.S's boot code and page tables precede _text physically.
        (text.min(0x20_0000), end)
    }
}

/// From the firmware's memory map to a working page allocator and heap.
pub fn mem_init(bp: &BootParams) {
    let mut mb = Memblock::new();
    for e in bp.e820().iter().filter(|e| e.kind == E820Type::Ram) {
        mb.add(e.addr, e.size);
    }
    mb.reserve(0, 0x10_0000); // BIOS data, EBDA, ROMs: keep the low 1 MiB out
    let (kstart, kend) = kernel_image_phys();
    mb.reserve(kstart, kend - kstart);
    if let Some((base, size)) = bp.initrd {
        mb.reserve(base, size);
    }
    init_mem_mapping(&mut mb);
    page_alloc::init(&mut mb);
}
