//! Address spaces: Linux's mm_struct and vm_area_struct.
//!
//! An `MmStruct` owns a page-table root (the user half; the kernel half is
//! copied from init_top_pgt) and an ordered set of VMAs. Pages appear on
//! demand in `handle_mm_fault`; `dup_mmap` shares private writable pages
//! read-only between parent and child (copy-on-write) with per-frame
//! reference counts; `exit_mmap` (on drop) frees every user page and
//! page-table page.

use super::filemap::{self, AddressSpace};
use super::page_alloc::{self, alloc_zeroed_user_page as alloc_zeroed_page, free_pages, page_ref};
use crate::arch::x86_64::mm::init::init_top_pgt;
use crate::arch::x86_64::mm::pgtable::{PTE_ADDR_MASK, PageSize, PageTable, PteFlags};
use crate::arch::x86_64::mm::{PAGE_SIZE, flush_tlb_all, flush_tlb_one, phys_to_virt};
use crate::errno::Errno;
use crate::fs::File;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use bitflags::bitflags;
use core::sync::atomic::Ordering;

const PAGE: u64 = PAGE_SIZE as u64;

bitflags! {
    /// VMA flags (Linux's VM_*).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct VmFlags: u32 {
        const READ = 0x1;
        const WRITE = 0x2;
        const EXEC = 0x4;
        const SHARED = 0x8;
        const MAYREAD = 0x10;
        const MAYWRITE = 0x20;
        const MAYEXEC = 0x40;
        const GROWSDOWN = 0x100;
        /// Special mapping (vDSO, vvar): frames belong to the kernel.
        const PFNMAP = 0x400;
    }
}

impl VmFlags {
    /// From PROT_READ/WRITE/EXEC bits.
    pub fn from_prot(prot: u32) -> VmFlags {
        let mut f = VmFlags::MAYREAD | VmFlags::MAYWRITE | VmFlags::MAYEXEC;
        if prot & 1 != 0 {
            f |= VmFlags::READ;
        }
        if prot & 2 != 0 {
            f |= VmFlags::WRITE;
        }
        if prot & 4 != 0 {
            f |= VmFlags::EXEC;
        }
        f
    }
}

/// What fills a VMA's pages.
#[derive(Clone)]
pub enum Backing {
    /// Zero-filled anonymous memory.
    Anon,
    /// A mapping of a regular file: page at `start + k` is file page
    /// `(offset + k) / 4096`. Shared mappings map the page cache's frames;
    /// private ones map them read-only and copy on the first write. Bytes
    /// from `file_end` on read as zeros (an ELF segment's partial last
    /// page before its bss: a private copy); u64::MAX for mmap.
    File {
        file: Arc<File>,
        offset: u64,
        file_end: u64,
    },
    /// Fixed kernel frames (vDSO image, vvar page), one per page.
    Special { frames: Arc<[u64]> },
    /// Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): one page per
    /// offset, shared by every mapping of the object (Linux's shmem).
    Shmem { obj: Arc<Shmem>, offset: u64 },
}

/// The pages of a shared anonymous mapping, by page index.
pub struct Shmem {
    pages: SpinLock<BTreeMap<u64, u64>>,
}

impl Shmem {
    pub fn new() -> Arc<Shmem> {
        Arc::new(Shmem {
            pages: SpinLock::new(BTreeMap::new()),
        })
    }

    /// The frame for page `idx`, allocated zeroed on first use. Each
    /// mapping of it holds a page reference.
    fn get_page(&self, idx: u64) -> Option<u64> {
        let mut p = self.pages.lock();
        if let Some(&pa) = p.get(&idx) {
            page_ref(pa).fetch_add(1, Ordering::AcqRel);
            return Some(pa);
        }
        let pa = filemap::alloc_file_page()?;
        // One reference for the object, one for the mapping.
        page_ref(pa).store(2, Ordering::Release);
        p.insert(idx, pa);
        Some(pa)
    }
}

impl Drop for Shmem {
    fn drop(&mut self) {
        for (_, pa) in core::mem::take(&mut *self.pages.get_mut()) {
            filemap::put_file_page(pa);
        }
    }
}

#[derive(Clone)]
pub struct Vma {
    pub start: u64,
    pub end: u64,
    pub flags: VmFlags,
    pub backing: Backing,
    /// For /proc/PID/maps: "[heap]", "[stack]", "[vdso]", "[vvar]", or a path.
    pub name: Option<Arc<str>>,
}

impl Vma {
    /// PTE flags for a page of this VMA (write access only if `writable`).
    fn pte_flags(&self, writable: bool) -> PteFlags {
        let mut f = PteFlags::PRESENT | PteFlags::USER | PteFlags::ACCESSED;
        if writable && self.flags.contains(VmFlags::WRITE) {
            f |= PteFlags::RW | PteFlags::DIRTY;
        }
        if !self.flags.contains(VmFlags::EXEC) && crate::arch::x86_64::cpu::boot_cpu().has_nx() {
            f |= PteFlags::NX;
        }
        f
    }

    /// Split off the part of this VMA from `at` on; `self` keeps [start, at).
    fn split_off(&mut self, at: u64) -> Vma {
        let mut tail = self.clone();
        tail.start = at;
        if let Backing::File { offset, .. } | Backing::Shmem { offset, .. } = &mut tail.backing {
            *offset += at - self.start;
        }
        if let Backing::Special { frames } = &mut tail.backing {
            let skip = ((at - self.start) / PAGE) as usize;
            *frames = frames[skip..].into();
        }
        if let Backing::Special { frames } = &mut self.backing {
            let keep = ((at - self.start) / PAGE) as usize;
            *frames = frames[..keep].into();
        }
        self.end = at;
        tail
    }
}

/// Where a process's memory regions are (Linux's mm_struct fields).
#[derive(Clone, Copy, Debug, Default)]
pub struct MmLayout {
    pub start_code: u64,
    pub end_code: u64,
    pub start_data: u64,
    pub end_data: u64,
    pub start_brk: u64,
    pub brk: u64,
    pub start_stack: u64,
    pub arg_start: u64,
    pub arg_end: u64,
    pub env_start: u64,
    pub env_end: u64,
    /// Top-down mmap placement starts below this.
    pub mmap_base: u64,
    /// Highest user address + 1 (4 GiB - 8 KiB for 32-bit processes).
    pub task_size: u64,
    pub vdso_base: u64,
}

pub struct MmInner {
    pub vmas: BTreeMap<u64, Vma>,
    pub layout: MmLayout,
}

pub struct MmStruct {
    pgd: u64,
    pub inner: SpinLock<MmInner>,
}

/// Why a user access faulted (becomes SIGSEGV with this si_code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultError {
    /// No mapping there (SEGV_MAPERR).
    NoVma,
    /// Mapped, but not with that access (SEGV_ACCERR).
    Access,
    /// Out of memory while filling the page.
    Oom,
    /// A file page wholly past the end of the file (SIGBUS).
    Bus,
}

/// A frame for a table page; page-table pages are not reference counted.
fn table_alloc() -> Option<u64> {
    alloc_zeroed_page()
}

impl MmStruct {
    /// An empty address space whose kernel half is the kernel's.
    pub fn new(task_size: u64) -> Result<MmStruct, Errno> {
        let pgd = alloc_zeroed_page().ok_or(Errno::ENOMEM)?;
        // SAFETY: both roots are direct-mapped page-table frames; the
        // kernel half (entries 256..512) never changes after boot.
        unsafe {
            let dst = &mut *(phys_to_virt(pgd) as *mut [u64; 512]);
            let src = &*(phys_to_virt(init_top_pgt()) as *const [u64; 512]);
            dst[256..].copy_from_slice(&src[256..]);
        }
        Ok(MmStruct {
            pgd,
            inner: SpinLock::new(MmInner {
                vmas: BTreeMap::new(),
                layout: MmLayout {
                    task_size,
                    ..MmLayout::default()
                },
            }),
        })
    }

    /// Physical address of the PML4, for CR3.
    pub fn pgd(&self) -> u64 {
        self.pgd
    }

    fn page_table(&self) -> PageTable {
        // SAFETY: this mm owns its root; callers hold `inner`'s lock.
        unsafe { PageTable::from_root(self.pgd) }
    }

    /// Is this the address space the CPU is using?
    fn is_active(&self) -> bool {
        crate::arch::x86_64::cpu::read_cr3() & PTE_ADDR_MASK == self.pgd
    }

    fn flush(&self, va: u64) {
        if self.is_active() {
            flush_tlb_one(va);
        }
    }

    pub fn layout(&self) -> MmLayout {
        self.inner.lock().layout
    }

    pub fn set_layout(&self, f: impl FnOnce(&mut MmLayout)) {
        f(&mut self.inner.lock().layout)
    }

    /// Add a VMA over [start, end), replacing whatever was there
    /// (MAP_FIXED semantics). Addresses must be page-aligned.
    pub fn map_region(
        &self,
        start: u64,
        end: u64,
        flags: VmFlags,
        backing: Backing,
        name: Option<Arc<str>>,
    ) -> Result<(), Errno> {
        if start % PAGE != 0 || end % PAGE != 0 || start >= end {
            return Err(Errno::EINVAL);
        }
        let mut inner = self.inner.lock();
        if end > inner.layout.task_size {
            return Err(Errno::ENOMEM);
        }
        self.unmap_locked(&mut inner, start, end);
        if let Backing::File { file, .. } = &backing {
            file.inode.mapping().inspect(|m| m.set_mapped());
        }
        inner.vmas.insert(
            start,
            Vma {
                start,
                end,
                flags,
                backing,
                name,
            },
        );
        Ok(())
    }

    /// Find a free range of `len` bytes, top-down below mmap_base (or at
    /// `hint` if that is free), as Linux's get_unmapped_area.
    pub fn get_unmapped_area(&self, hint: u64, len: u64) -> Result<u64, Errno> {
        let inner = self.inner.lock();
        let task_size = inner.layout.task_size;
        if len == 0 || len > task_size {
            return Err(Errno::ENOMEM);
        }
        let free = |s: u64, e: u64| {
            s >= PAGE * 16
                && e <= task_size
                && inner
                    .vmas
                    .range(..e)
                    .next_back()
                    .is_none_or(|(_, v)| v.end <= s)
        };
        if hint != 0 {
            let h = hint & !(PAGE - 1);
            if h.checked_add(len).is_some_and(|e| free(h, e)) {
                return Ok(h);
            }
        }
        let mut top = inner.layout.mmap_base.min(task_size);
        for (_, v) in inner.vmas.range(..top).rev() {
            if v.end <= top && top - v.end >= len {
                break;
            }
            top = top.min(v.start);
        }
        let start = top.checked_sub(len).ok_or(Errno::ENOMEM)?;
        if free(start, start + len) {
            return Ok(start);
        }
        // Bottom-up from the lowest allowed address as a last resort.
        let mut s = PAGE * 16;
        for (_, v) in inner.vmas.iter() {
            if v.start >= s + len {
                break;
            }
            s = s.max(v.end);
        }
        if free(s, s + len) {
            Ok(s)
        } else {
            Err(Errno::ENOMEM)
        }
    }

    /// munmap: remove [start, end), splitting VMAs at the edges.
    pub fn unmap(&self, start: u64, end: u64) {
        let mut inner = self.inner.lock();
        self.unmap_locked(&mut inner, start, end);
    }

    fn split_at(inner: &mut MmInner, at: u64) {
        let Some((&s, _)) = inner.vmas.range(..at).next_back() else {
            return;
        };
        let v = inner.vmas.get_mut(&s).unwrap();
        if v.start < at && at < v.end {
            let tail = v.split_off(at);
            inner.vmas.insert(at, tail);
        }
    }

    fn unmap_locked(&self, inner: &mut MmInner, start: u64, end: u64) {
        Self::split_at(inner, start);
        Self::split_at(inner, end);
        let keys: Vec<u64> = inner.vmas.range(start..end).map(|(k, _)| *k).collect();
        for k in keys {
            let v = inner.vmas.remove(&k).unwrap();
            self.zap_range(&v, v.start, v.end);
        }
    }

    /// Unmap the pages of [start, end) in `vma`, dropping frame references.
    // Returns how many pages were mapped there.
    fn zap_range(&self, vma: &Vma, start: u64, end: u64) -> usize {
        let special = matches!(vma.backing, Backing::Special { .. });
        let mut pages = 0;
        self.page_table().for_each_pte(start, end, &mut |va, e| {
            let pa = core::mem::replace(e, 0) & PTE_ADDR_MASK;
            flush_tlb_one(va);
            if !special {
                put_page(pa);
            }
            pages += 1;
        });
        pages
    }

    /// Release every user page now, for the last user of the address
    /// space (exit, exec); returns the resident pages it had, which the
    /// teardown counts anyway (ru_maxrss). The tables go with the mm.
    pub fn exit_mmap(&self) -> usize {
        let vmas: Vec<Vma> = core::mem::take(&mut self.inner.lock().vmas)
            .into_values()
            .collect();
        vmas.iter().map(|v| self.zap_range(v, v.start, v.end)).sum()
    }

    /// Unmap file pages [first, last) of `mapping` from every VMA of this
    /// mm that maps them, private copies too unless `only` lists the
    /// frames to take (truncation's and hole punching's share of Linux's
    /// unmap_mapping_range).
    pub fn zap_file_pages(
        &self,
        mapping: &AddressSpace,
        first: u64,
        last: u64,
        only: Option<&[u64]>,
    ) {
        let inner = self.inner.lock();
        let pt = self.page_table();
        for v in inner.vmas.values() {
            let Backing::File { file, offset, .. } = &v.backing else {
                continue;
            };
            if !file
                .inode
                .mapping()
                .is_some_and(|m| core::ptr::eq(m, mapping))
            {
                continue;
            }
            let vfirst = offset / PAGE;
            let (a, b) = (
                first.max(vfirst),
                last.min(vfirst + (v.end - v.start) / PAGE),
            );
            if a >= b {
                continue;
            }
            let va = |idx: u64| v.start + (idx - vfirst) * PAGE;
            pt.for_each_pte(va(a), va(b), &mut |va, pte| {
                let pa = *pte & PTE_ADDR_MASK;
                if only.is_none_or(|o| o.contains(&pa)) {
                    *pte = 0;
                    flush_tlb_one(va);
                    put_page(pa);
                }
            });
        }
    }

    /// The VMA containing `addr`, if any.
    pub fn find_vma(&self, addr: u64) -> Option<Vma> {
        let inner = self.inner.lock();
        inner
            .vmas
            .range(..=addr)
            .next_back()
            .map(|(_, v)| v)
            .filter(|v| addr < v.end)
            .cloned()
    }

    /// Handle a user page fault at `addr` (Linux's handle_mm_fault): map a
    /// page on first touch, break copy-on-write on a write.
    pub fn handle_mm_fault(&self, addr: u64, write: bool, exec: bool) -> Result<(), FaultError> {
        let inner = self.inner.lock();
        let vma = inner
            .vmas
            .range(..=addr)
            .next_back()
            .map(|(_, v)| v)
            .filter(|v| addr < v.end)
            .ok_or(FaultError::NoVma)?;
        if (write && !vma.flags.contains(VmFlags::WRITE))
            || (exec && !vma.flags.contains(VmFlags::EXEC))
            || (!write
                && !exec
                && !vma
                    .flags
                    .intersects(VmFlags::READ | VmFlags::EXEC | VmFlags::WRITE))
        {
            return Err(FaultError::Access);
        }
        let va = addr & !(PAGE - 1);
        let mut pt = self.page_table();
        if let Some((pte, PageSize::Size4K)) = pt.lookup(va) {
            // SAFETY: lookup returns a pointer into this mm's live table.
            let old = unsafe { *pte };
            if write && old & PteFlags::RW.bits() == 0 {
                return self.do_wp_page(vma, va, pte, old);
            }
            // Present and permitted: another thread mapped it first, or a
            // stale TLB entry; nothing to do.
            self.flush(va);
            return Ok(());
        }
        let mut cache_ro = false;
        let pa = match &vma.backing {
            Backing::Special { frames } => frames[((va - vma.start) / PAGE) as usize],
            Backing::Anon => alloc_zeroed_page().ok_or(FaultError::Oom)?,
            Backing::Shmem { obj, offset } => obj
                .get_page((offset + (va - vma.start)) / PAGE)
                .ok_or(FaultError::Oom)?,
            Backing::File {
                file,
                offset,
                file_end,
            } => {
                let off = offset + (va - vma.start);
                let mapping = file.inode.mapping().ok_or(FaultError::Bus)?;
                let shared = vma.flags.contains(VmFlags::SHARED);
                let page = mapping.filemap_fault(off, *file_end, write && !shared)?;
                // A cache frame is writable only in a shared mapping, and
                // only once written (do_wp_page marks the file modified).
                cache_ro = page.cached && !(shared && write);
                if page.cached && shared && write {
                    file.inode.touch_mtime();
                }
                page.pa
            }
        };
        let special = matches!(vma.backing, Backing::Special { .. });
        if pt
            .map(
                va,
                pa,
                PageSize::Size4K,
                vma.pte_flags(!special && !cache_ro),
                &mut table_alloc,
            )
            .is_err()
        {
            if !special {
                put_page(pa);
            }
            return Err(FaultError::Oom);
        }
        Ok(())
    }

    /// A write to a present read-only page of a writable VMA: copy-on-write
    /// (Linux's do_wp_page). The last owner just gets write access back.
    fn do_wp_page(&self, vma: &Vma, va: u64, pte: *mut u64, old: u64) -> Result<(), FaultError> {
        let pa = old & PTE_ADDR_MASK;
        let flags = vma.pte_flags(true);
        if vma.flags.contains(VmFlags::SHARED) || page_ref(pa).load(Ordering::Acquire) == 1 {
            if let (Backing::File { file, .. }, true) =
                (&vma.backing, vma.flags.contains(VmFlags::SHARED))
            {
                file.inode.touch_mtime(); // first write through this entry
            }
            // SAFETY: `pte` points into this mm's table; we hold its lock.
            unsafe { *pte = pa | flags.bits() };
        } else {
            let new = page_alloc::alloc_pages_user(0).ok_or(FaultError::Oom)?;
            // SAFETY: both frames are direct-mapped; `new` is ours.
            unsafe {
                core::ptr::copy_nonoverlapping(
                    phys_to_virt(pa) as *const u8,
                    phys_to_virt(new) as *mut u8,
                    PAGE_SIZE,
                );
                *pte = new | flags.bits();
            }
            put_page(pa);
        }
        self.flush(va);
        Ok(())
    }

    /// mprotect: change the protection of [start, end).
    pub fn mprotect(&self, start: u64, end: u64, prot: u32) -> Result<(), Errno> {
        let mut inner = self.inner.lock();
        // Every page of the range must be mapped (Linux: ENOMEM otherwise).
        let mut at = start;
        for (_, v) in inner.vmas.range(..end) {
            if v.end <= at {
                continue;
            }
            if v.start > at {
                return Err(Errno::ENOMEM);
            }
            at = v.end;
        }
        if at < end {
            return Err(Errno::ENOMEM);
        }
        Self::split_at(&mut inner, start);
        Self::split_at(&mut inner, end);
        let new = VmFlags::from_prot(prot);
        let pt = self.page_table();
        let keys: Vec<u64> = inner.vmas.range(start..end).map(|(k, _)| *k).collect();
        for k in keys {
            let v = inner.vmas.get_mut(&k).unwrap();
            // Linux: no PROT_WRITE on the vDSO, nor on a shared mapping of
            // a file opened read-only (its VMA lacks VM_MAYWRITE).
            if prot & 2 != 0
                && (matches!(v.backing, Backing::Special { .. })
                    || !v.flags.contains(VmFlags::MAYWRITE))
            {
                return Err(Errno::EACCES);
            }
            v.flags = (v.flags - (VmFlags::READ | VmFlags::WRITE | VmFlags::EXEC))
                | (new & (VmFlags::READ | VmFlags::WRITE | VmFlags::EXEC));
            let v = v.clone();
            pt.for_each_pte(v.start, v.end, &mut |va, pte| {
                let pa = *pte & PTE_ADDR_MASK;
                // Keep copy-on-write pages read-only until written.
                let writable =
                    v.flags.contains(VmFlags::SHARED) || page_ref(pa).load(Ordering::Acquire) == 1;
                *pte = pa | v.pte_flags(writable).bits();
                self.flush(va);
            });
        }
        Ok(())
    }

    /// brk: move the end of the heap; returns the new (or unchanged) break.
    pub fn brk(&self, new_brk: u64) -> u64 {
        let (start_brk, old) = {
            let i = self.inner.lock();
            (i.layout.start_brk, i.layout.brk)
        };
        if new_brk < start_brk {
            return old;
        }
        let old_top = old.next_multiple_of(PAGE);
        let new_top = new_brk.next_multiple_of(PAGE);
        if new_top > old_top {
            // Refuse to grow into another mapping.
            let clash = {
                let i = self.inner.lock();
                i.vmas
                    .range(..new_top)
                    .next_back()
                    .is_some_and(|(_, v)| v.end > old_top && v.start < new_top)
            };
            if clash || new_top > self.inner.lock().layout.task_size {
                return old;
            }
            let rw = VmFlags::READ
                | VmFlags::WRITE
                | VmFlags::MAYREAD
                | VmFlags::MAYWRITE
                | VmFlags::MAYEXEC;
            // Extend the heap VMA (or create it).
            let mut inner = self.inner.lock();
            let heap = inner
                .vmas
                .range(..old_top)
                .next_back()
                .map(|(k, v)| (*k, v.end, v.name.clone()));
            match heap {
                Some((k, end, Some(name))) if end == old_top && &*name == "[heap]" => {
                    inner.vmas.get_mut(&k).unwrap().end = new_top;
                }
                _ => {
                    inner.vmas.insert(
                        old_top,
                        Vma {
                            start: old_top,
                            end: new_top,
                            flags: rw,
                            backing: Backing::Anon,
                            name: Some("[heap]".into()),
                        },
                    );
                }
            }
        } else if new_top < old_top {
            self.unmap(new_top, old_top);
        }
        self.inner.lock().layout.brk = new_brk;
        new_brk
    }

    /// fork's copy_mm: a new address space with the same VMAs; private
    /// writable pages become copy-on-write in both (Linux's dup_mmap).
    pub fn dup_mmap(&self) -> Result<MmStruct, Errno> {
        let inner = self.inner.lock();
        let child = MmStruct::new(inner.layout.task_size)?;
        let mut cpt = child.page_table();
        let ppt = self.page_table();
        let mut cinner = child.inner.lock();
        cinner.layout = inner.layout;
        for v in inner.vmas.values() {
            cinner.vmas.insert(v.start, v.clone());
            let special = matches!(v.backing, Backing::Special { .. });
            let mut failed = false;
            ppt.for_each_pte(v.start, v.end, &mut |va, pte| {
                if failed {
                    return;
                }
                let pa = *pte & PTE_ADDR_MASK;
                if !special {
                    if *pte & PteFlags::RW.bits() != 0 && !v.flags.contains(VmFlags::SHARED) {
                        *pte &= !PteFlags::RW.bits();
                    }
                    page_ref(pa).fetch_add(1, Ordering::AcqRel);
                }
                let flags = PteFlags::from_bits_retain(*pte & !PTE_ADDR_MASK);
                if cpt
                    .map(va, pa, PageSize::Size4K, flags, &mut table_alloc)
                    .is_err()
                {
                    if !special {
                        put_page(pa);
                    }
                    failed = true;
                }
            });
            if failed {
                drop(cinner);
                flush_tlb_all();
                return Err(Errno::ENOMEM);
            }
        }
        drop(cinner);
        // The parent's PTEs lost their write bit.
        flush_tlb_all();
        Ok(child)
    }

    /// Drop the pages of [start, end) but keep the mappings: the next
    /// touch sees fresh zeros (or file data) (MADV_DONTNEED).
    pub fn zap_pages(&self, start: u64, end: u64) -> Result<(), Errno> {
        let inner = self.inner.lock();
        for v in inner
            .vmas
            .range(..end)
            .map(|(_, v)| v)
            .filter(|v| v.end > start)
        {
            if matches!(v.backing, Backing::Special { .. }) {
                return Err(Errno::EINVAL);
            }
            self.zap_range(v, v.start.max(start), v.end.min(end));
        }
        Ok(())
    }

    /// mremap: resize the mapping at [old, old+old_len) to `new_len`,
    /// in place if the space above is free, else (with `may_move`) at a
    /// new address, moving the pages. Returns the new address.
    pub fn mremap(
        &self,
        old: u64,
        old_len: u64,
        new_len: u64,
        may_move: bool,
    ) -> Result<u64, Errno> {
        let vma = self
            .find_vma(old)
            .filter(|v| v.start <= old && old + old_len <= v.end)
            .ok_or(Errno::EFAULT)?;
        if matches!(vma.backing, Backing::Special { .. }) {
            return Err(Errno::EINVAL);
        }
        if new_len <= old_len {
            self.unmap(old + new_len, old + old_len);
            return Ok(old);
        }
        {
            let mut inner = self.inner.lock();
            let free_above = inner
                .vmas
                .range(old + old_len..old + new_len)
                .next()
                .is_none()
                && old + new_len <= inner.layout.task_size
                && vma.end == old + old_len;
            if free_above {
                inner.vmas.get_mut(&vma.start).unwrap().end = old + new_len;
                return Ok(old);
            }
        }
        if !may_move {
            return Err(Errno::ENOMEM);
        }
        let new = self.get_unmapped_area(0, new_len)?;
        let mut moved = vma.clone();
        if let Backing::File { offset, .. } | Backing::Shmem { offset, .. } = &mut moved.backing {
            *offset += old - vma.start;
        }
        moved.start = new;
        moved.end = new + new_len;
        let mut inner = self.inner.lock();
        let mut pt = self.page_table();
        // Take the old range's pages out, then map them at the new place.
        let mut pages = Vec::new();
        pt.for_each_pte(old, old + old_len, &mut |va, pte| {
            let e = core::mem::replace(pte, 0);
            flush_tlb_one(va);
            pages.push((va - old, e));
        });
        for (off, e) in pages {
            let (pa, flags) = (
                e & PTE_ADDR_MASK,
                PteFlags::from_bits_retain(e & !PTE_ADDR_MASK),
            );
            if pt
                .map(new + off, pa, PageSize::Size4K, flags, &mut table_alloc)
                .is_err()
            {
                put_page(pa);
            }
        }
        // Remove the old range's VMA pieces (their pages have moved).
        Self::split_at(&mut inner, old);
        Self::split_at(&mut inner, old + old_len);
        let keys: Vec<u64> = inner
            .vmas
            .range(old..old + old_len)
            .map(|(k, _)| *k)
            .collect();
        for k in keys {
            inner.vmas.remove(&k);
        }
        inner.vmas.insert(new, moved);
        Ok(new)
    }

    /// Copy out of this (not necessarily current) address space, faulting
    /// pages in as needed (Linux's access_remote_vm, for /proc and ptrace).
    pub fn read_remote(&self, addr: u64, buf: &mut [u8]) -> Result<(), Errno> {
        let mut done = 0;
        while done < buf.len() {
            let va = addr + done as u64;
            let page_off = (va % PAGE) as usize;
            let n = (PAGE_SIZE - page_off).min(buf.len() - done);
            let pa = match self.page_table().translate(va) {
                Some((pa, _)) => pa,
                None => {
                    self.handle_mm_fault(va, false, false)
                        .map_err(|_| Errno::EFAULT)?;
                    self.page_table().translate(va).ok_or(Errno::EFAULT)?.0
                }
            };
            // SAFETY: `pa` is a mapped user frame, direct-mapped.
            unsafe {
                core::ptr::copy_nonoverlapping(
                    phys_to_virt(pa) as *const u8,
                    buf[done..].as_mut_ptr(),
                    n,
                )
            };
            done += n;
        }
        Ok(())
    }

    /// Number of VMAs and resident pages (for /proc and tests).
    pub fn stats(&self) -> (usize, usize) {
        let inner = self.inner.lock();
        let pt = self.page_table();
        let mut rss = 0;
        for v in inner.vmas.values() {
            pt.for_each_pte(v.start, v.end, &mut |_, _| rss += 1);
        }
        (inner.vmas.len(), rss)
    }

    /// Is the page at `va` present (mincore)?
    pub fn is_resident(&self, va: u64) -> bool {
        let _g = self.inner.lock();
        self.page_table().translate(va).is_some()
    }

    /// Snapshot of the VMAs (for /proc/PID/maps).
    pub fn vmas(&self) -> Vec<Vma> {
        self.inner.lock().vmas.values().cloned().collect()
    }
}

/// Drop one mapping's reference to a user frame; free it at zero.
pub(crate) fn put_page(pa: u64) {
    if page_ref(pa).fetch_sub(1, Ordering::AcqRel) == 1 {
        free_pages(pa, 0);
    }
}

/// Free the user half's page-table pages under `table_pa` at `level`.
fn free_tables(table_pa: u64, level: usize, entries: core::ops::Range<usize>) {
    // SAFETY: a page-table frame of a dying mm; nothing else uses it.
    let t = unsafe { &*(phys_to_virt(table_pa) as *const [u64; 512]) };
    // Leaf entries (level 1) were cleared when the VMAs were zapped.
    for &e in &t[entries] {
        if level > 1 && e & PteFlags::PRESENT.bits() != 0 && e & PteFlags::PSE.bits() == 0 {
            free_tables(e & PTE_ADDR_MASK, level - 1, 0..512);
        }
    }
    if level < 4 {
        free_pages(table_pa, 0);
    }
}

impl Drop for MmStruct {
    /// exit_mmap: release every user page, then the page tables.
    fn drop(&mut self) {
        let inner = self.inner.get_mut();
        let vmas: Vec<Vma> = core::mem::take(&mut inner.vmas).into_values().collect();
        for v in &vmas {
            self.zap_range(v, v.start, v.end);
        }
        // Level-1 entries are all gone now; free PT, PD, PDPT pages, then the root.
        free_tables(self.pgd, 4, 0..256);
        free_pages(self.pgd, 0);
    }
}
