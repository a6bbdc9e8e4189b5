//! 4-level page tables: PML4 → PDPT → PD → PT, with 4 KiB, 2 MiB and
//! 1 GiB leaves. Tables live in physical frames reached through the direct
//! map; a caller-supplied allocator provides zeroed frames for new tables.

use super::{PAGE_SIZE, flush_tlb_one, phys_to_virt};
use bitflags::bitflags;

bitflags! {
    /// Page-table entry bits (Linux's _PAGE_*).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct PteFlags: u64 {
        const PRESENT = 1 << 0;
        const RW = 1 << 1;
        const USER = 1 << 2;
        const PWT = 1 << 3;
        const PCD = 1 << 4;
        const ACCESSED = 1 << 5;
        const DIRTY = 1 << 6;
        /// Large page (in a PD or PDPT entry).
        const PSE = 1 << 7;
        const GLOBAL = 1 << 8;
        /// Software bit: copy-on-write page (Linux keeps this in VMA
        /// flags; we mark the PTE too so the fault path can tell quickly).
        const COW = 1 << 9;
        const NX = 1 << 63;
    }
}

pub const PTE_ADDR_MASK: u64 = 0x000f_ffff_ffff_f000;

/// Kernel data: present, writable, global, not executable.
pub const PAGE_KERNEL: PteFlags = PteFlags::PRESENT
    .union(PteFlags::RW)
    .union(PteFlags::GLOBAL)
    .union(PteFlags::NX)
    .union(PteFlags::ACCESSED)
    .union(PteFlags::DIRTY);
pub const PAGE_KERNEL_RO: PteFlags = PAGE_KERNEL.difference(PteFlags::RW);
pub const PAGE_KERNEL_EXEC: PteFlags = PAGE_KERNEL.difference(PteFlags::NX);
pub const PAGE_KERNEL_RX: PteFlags = PAGE_KERNEL_EXEC.difference(PteFlags::RW);
pub const PAGE_KERNEL_IO: PteFlags = PAGE_KERNEL.union(PteFlags::PCD).union(PteFlags::PWT);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageSize {
    Size4K,
    Size2M,
    Size1G,
}

impl PageSize {
    pub const fn bytes(self) -> u64 {
        match self {
            PageSize::Size4K => 4096,
            PageSize::Size2M => 2 << 20,
            PageSize::Size1G => 1 << 30,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapError {
    /// No frame for an intermediate table.
    NoMemory,
    /// Something is already mapped there.
    AlreadyMapped,
    /// A large page covers the address; it must be split first.
    HugeInTheWay,
}

/// A frame source for new tables; returns the physical address of a zeroed
/// 4 KiB frame.
pub type TableAlloc<'a> = &'a mut dyn FnMut() -> Option<u64>;

fn index(va: u64, level: usize) -> usize {
    ((va >> (12 + 9 * level)) & 0x1ff) as usize
}

/// The 512 entries of the table at physical address `pa`.
///
/// # Safety
/// `pa` must be a page-table frame owned by the caller's address space.
unsafe fn table<'a>(pa: u64) -> &'a mut [u64; 512] {
    // SAFETY: page-table frames are direct-mapped RAM owned by the caller.
    unsafe { &mut *(phys_to_virt(pa) as *mut [u64; 512]) }
}

// The walk of for_each_pte below the table at `table_pa` of `level`
// (3: PML4 … 0: PT) that maps from `base`. Large pages are not leaves here.
fn walk_ptes(
    table_pa: u64,
    level: usize,
    base: u64,
    start: u64,
    end: u64,
    f: &mut dyn FnMut(u64, &mut u64),
) {
    let span = 1u64 << (12 + 9 * level);
    let first = ((start.max(base) - base) / span) as usize;
    let last = (((end - 1).min(base + 512 * span - 1) - base) / span) as usize;
    // SAFETY: table_pa is a table in this hierarchy.
    let t = unsafe { table(table_pa) };
    for (i, e) in t.iter_mut().enumerate().take(last + 1).skip(first) {
        if *e & PteFlags::PRESENT.bits() == 0 {
            continue;
        }
        let va = base + i as u64 * span;
        if level == 0 {
            f(va, e);
        } else if *e & PteFlags::PSE.bits() == 0 {
            walk_ptes(*e & PTE_ADDR_MASK, level - 1, va, start, end, f);
        }
    }
}

/// A page-table hierarchy identified by its PML4's physical address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageTable {
    pub pml4: u64,
}

impl PageTable {
    /// # Safety
    /// `pml4` must be a page-table root that this owner may modify.
    pub unsafe fn from_root(pml4: u64) -> PageTable {
        PageTable { pml4 }
    }

    /// Walk to the entry that maps `va` at `size`, creating tables on the
    /// way. Intermediate entries get `upper` (USER for user space).
    fn walk_create(
        &mut self,
        va: u64,
        size: PageSize,
        upper: PteFlags,
        alloc: TableAlloc,
    ) -> Result<*mut u64, MapError> {
        let leaf_level = match size {
            PageSize::Size4K => 0,
            PageSize::Size2M => 1,
            PageSize::Size1G => 2,
        };
        let mut table_pa = self.pml4;
        for level in (leaf_level + 1..=3).rev() {
            // SAFETY: table_pa is a table in this hierarchy.
            let t = unsafe { table(table_pa) };
            let e = &mut t[index(va, level)];
            if *e & PteFlags::PRESENT.bits() == 0 {
                let new = alloc().ok_or(MapError::NoMemory)?;
                *e = new | upper.bits();
            } else if *e & PteFlags::PSE.bits() != 0 {
                return Err(MapError::HugeInTheWay);
            } else if upper.contains(PteFlags::USER) {
                *e |= PteFlags::USER.bits();
            }
            table_pa = *e & PTE_ADDR_MASK;
        }
        // SAFETY: as above; the pointer stays valid while the table lives.
        Ok(unsafe { &mut table(table_pa)[index(va, leaf_level)] as *mut u64 })
    }

    /// Map `va` → `pa` with `flags` (PSE is added for large pages).
    pub fn map(
        &mut self,
        va: u64,
        pa: u64,
        size: PageSize,
        flags: PteFlags,
        alloc: TableAlloc,
    ) -> Result<(), MapError> {
        let upper = PteFlags::PRESENT | PteFlags::RW | (flags & PteFlags::USER);
        let e = self.walk_create(va, size, upper, alloc)?;
        // SAFETY: `e` points into a live table of this hierarchy.
        unsafe {
            if *e & PteFlags::PRESENT.bits() != 0 {
                return Err(MapError::AlreadyMapped);
            }
            let pse = if size == PageSize::Size4K {
                PteFlags::empty()
            } else {
                PteFlags::PSE
            };
            *e = pa | (flags | pse).bits();
        }
        Ok(())
    }

    /// Visit every present 4 KiB leaf entry of [start, end) in address
    /// order, skipping whole tables that are absent, so that a sparse range
    /// costs what is mapped in it, not its size (the walk of Linux's
    /// zap_pte_range and copy_pte_range). `f` gets the address and the
    /// entry, which it may change.
    pub fn for_each_pte(&self, start: u64, end: u64, f: &mut dyn FnMut(u64, &mut u64)) {
        if start < end {
            walk_ptes(self.pml4, 3, 0, start, end, f);
        }
    }

    /// Find the leaf entry for `va`: (pointer to it, its page size).
    pub fn lookup(&self, va: u64) -> Option<(*mut u64, PageSize)> {
        let mut table_pa = self.pml4;
        for level in (0..=3).rev() {
            // SAFETY: table_pa is a table in this hierarchy.
            let e = unsafe { &mut table(table_pa)[index(va, level)] };
            if *e & PteFlags::PRESENT.bits() == 0 {
                return None;
            }
            let size = match level {
                0 => return Some((e as *mut u64, PageSize::Size4K)),
                1 => PageSize::Size2M,
                2 => PageSize::Size1G,
                _ => PageSize::Size4K,
            };
            if level != 3 && *e & PteFlags::PSE.bits() != 0 {
                return Some((e as *mut u64, size));
            }
            table_pa = *e & PTE_ADDR_MASK;
        }
        None
    }

    /// The physical address and flags `va` translates to.
    pub fn translate(&self, va: u64) -> Option<(u64, PteFlags)> {
        let (e, size) = self.lookup(va)?;
        // SAFETY: lookup returns a pointer into a live table.
        let e = unsafe { *e };
        let base = e & PTE_ADDR_MASK & !(size.bytes() - 1);
        Some((
            base + (va & (size.bytes() - 1)),
            PteFlags::from_bits_retain(e & !PTE_ADDR_MASK),
        ))
    }

    /// Remove the 4 KiB mapping of `va`; returns what it mapped.
    pub fn unmap(&mut self, va: u64) -> Option<(u64, PteFlags)> {
        let (e, size) = self.lookup(va)?;
        if size != PageSize::Size4K {
            return None;
        }
        // SAFETY: lookup returns a pointer into a live table.
        let old = unsafe { core::ptr::replace(e, 0) };
        flush_tlb_one(va);
        Some((
            old & PTE_ADDR_MASK,
            PteFlags::from_bits_retain(old & !PTE_ADDR_MASK),
        ))
    }

    /// Map [va, va+len) → [pa, pa+len) using the largest pages alignment
    /// allows (1 GiB only when `gbpages`).
    pub fn map_range(
        &mut self,
        va: u64,
        pa: u64,
        len: u64,
        flags: PteFlags,
        gbpages: bool,
        alloc: TableAlloc,
    ) -> Result<(), MapError> {
        let mut off = 0;
        while off < len {
            let (v, p, left) = (va + off, pa + off, len - off);
            let fits = |s: PageSize| v % s.bytes() == 0 && p % s.bytes() == 0 && left >= s.bytes();
            let size = if gbpages && fits(PageSize::Size1G) {
                PageSize::Size1G
            } else if fits(PageSize::Size2M) {
                PageSize::Size2M
            } else {
                PageSize::Size4K
            };
            self.map(v, p, size, flags, alloc)?;
            off += size.bytes();
        }
        Ok(())
    }
}

const _: () = assert!(PAGE_SIZE == 4096);
