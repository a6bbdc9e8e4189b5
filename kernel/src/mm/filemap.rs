//! The page cache of regular files (Linux's address_space, mm/filemap.c
//! and mm/truncate.c).
//!
//! A regular file's bytes live in page frames, one per 4 KiB of the file,
//! kept by page index in its `AddressSpace` together with the file's size.
//! A page that was never written is a hole: it reads as zeros and takes no
//! frame, so a file grown by ftruncate costs nothing until it is written.
//! The cache holds one reference on each frame (`page_ref`); every page
//! table entry mapping it holds another, so MAP_SHARED mappings of a file
//! map the cache's frames themselves and see read()/write() at once, and a
//! frame dropped from the cache lives on until its last mapping goes.
//!
//! Shrinking a file zaps the pages past the new end from every mapping
//! (Linux's unmap_mapping_range), so touching them again is SIGBUS.

use super::mmap::{FaultError, MmStruct, put_page};
use super::page_alloc::{alloc_zeroed_user_page, page_ref, totalram_pages};
use crate::arch::x86_64::mm::{PAGE_SIZE, phys_to_virt};
use crate::errno::Errno;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const PAGE: u64 = PAGE_SIZE as u64;

/// Largest file size (Linux's MAX_LFS_FILESIZE, tmpfs's s_maxbytes).
pub const MAX_LFS_FILESIZE: u64 = i64::MAX as u64;

/// Frames held by page caches and shared anonymous memory (/proc/meminfo's
/// Cached and Shmem: every file here lives in memory, as on tmpfs).
static NR_FILE_PAGES: AtomicUsize = AtomicUsize::new(0);

/// Frames in page caches and shared memory right now.
pub fn nr_file_pages() -> usize {
    NR_FILE_PAGES.load(Ordering::Relaxed)
}

/// A zeroed frame for a file or shared memory object, counted in
/// nr_file_pages; None past tmpfs's limit (half of RAM) or out of memory.
pub fn alloc_file_page() -> Option<u64> {
    if nr_file_pages() >= totalram_pages() / 2 {
        return None;
    }
    alloc_file_page_unlimited()
}

/// A zeroed frame counted in nr_file_pages, whatever tmpfs's limit says
/// (the initramfs's files: the archive itself still takes memory then).
fn alloc_file_page_unlimited() -> Option<u64> {
    let pa = alloc_zeroed_user_page()?;
    NR_FILE_PAGES.fetch_add(1, Ordering::Relaxed);
    Some(pa)
}

/// Drop the cache's reference to a frame from `alloc_file_page`.
pub fn put_file_page(pa: u64) {
    NR_FILE_PAGES.fetch_sub(1, Ordering::Relaxed);
    put_page(pa);
}

/// The bytes of the frame at `pa`.
fn page_bytes<'a>(pa: u64) -> &'a mut [u8] {
    // SAFETY: `pa` is a RAM frame held by the caller (a cache reference
    // under the cache lock, or a fresh frame), direct-mapped; user
    // mappings may write it concurrently, which only races on bytes.
    unsafe { core::slice::from_raw_parts_mut(phys_to_virt(pa) as *mut u8, PAGE_SIZE) }
}

struct Pages {
    /// Page index → frame.
    pages: BTreeMap<u64, u64>,
    /// The file's size in bytes (Linux's i_size).
    size: u64,
    /// Filling the initial contents: tmpfs's limit does not apply.
    unlimited: bool,
}

impl Pages {
    /// Zero the bytes from `pos` to the end of its page, if that page
    /// exists: what lies past EOF in the last page must read as zeros.
    fn zero_tail(&mut self, pos: u64) {
        if pos % PAGE != 0 {
            if let Some(&pa) = self.pages.get(&(pos / PAGE)) {
                page_bytes(pa)[(pos % PAGE) as usize..].fill(0);
            }
        }
    }

    /// The frame of page `idx`, allocated (zeroed) if it is a hole.
    fn get_or_add(&mut self, idx: u64) -> Option<u64> {
        if let Some(&pa) = self.pages.get(&idx) {
            return Some(pa);
        }
        let pa = if self.unlimited {
            alloc_file_page_unlimited()?
        } else {
            alloc_file_page()?
        };
        self.pages.insert(idx, pa);
        Some(pa)
    }
}

/// A file's page cache (Linux's struct address_space).
pub struct AddressSpace {
    inner: SpinLock<Pages>,
    /// Has the file ever been mmapped? If not, truncation has no page
    /// tables to look through.
    mapped: AtomicBool,
}

/// What a fault on a file mapping gets (see `filemap_fault`).
pub struct FaultPage {
    /// The frame, with one reference for the page table entry.
    pub pa: u64,
    /// The cache's own frame (shared with the file), not a private copy.
    pub cached: bool,
}

impl AddressSpace {
    /// An empty file.
    pub fn new() -> AddressSpace {
        AddressSpace {
            inner: SpinLock::new(Pages {
                pages: BTreeMap::new(),
                size: 0,
                unlimited: false,
            }),
            mapped: AtomicBool::new(false),
        }
    }

    /// A file holding `data` (the initramfs's, outside tmpfs's limit);
    /// ENOSPC when memory runs out.
    pub fn with_data(data: &[u8]) -> Result<AddressSpace, Errno> {
        let a = AddressSpace::new();
        a.inner.lock().unlimited = true;
        let n = a.write_at(0, data)?;
        a.inner.lock().unlimited = false;
        if n != data.len() {
            return Err(Errno::ENOSPC);
        }
        Ok(a)
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.inner.lock().size
    }

    /// Frames the file holds (its st_blocks / 8).
    pub fn nr_pages(&self) -> u64 {
        self.inner.lock().pages.len() as u64
    }

    /// Note that the file is mapped somewhere (mmap, exec).
    pub fn set_mapped(&self) {
        self.mapped.store(true, Ordering::Relaxed);
    }

    /// Copy bytes from `off` into `buf`, up to EOF; returns the count.
    /// Holes read as zeros.
    pub fn read_at(&self, off: u64, buf: &mut [u8]) -> usize {
        let p = self.inner.lock();
        if off >= p.size {
            return 0;
        }
        let n = (buf.len() as u64).min(p.size - off) as usize;
        let mut done = 0;
        while done < n {
            let pos = off + done as u64;
            let po = (pos % PAGE) as usize;
            let k = (PAGE_SIZE - po).min(n - done);
            match p.pages.get(&(pos / PAGE)) {
                Some(&pa) => buf[done..done + k].copy_from_slice(&page_bytes(pa)[po..po + k]),
                None => buf[done..done + k].fill(0),
            }
            done += k;
        }
        n
    }

    /// Copy `buf` into the file at `off`, growing it as needed; returns
    /// the count (short when memory or tmpfs's limit runs out: ENOSPC if
    /// nothing was written), EFBIG past MAX_LFS_FILESIZE.
    pub fn write_at(&self, off: u64, buf: &[u8]) -> Result<usize, Errno> {
        off.checked_add(buf.len() as u64)
            .filter(|&e| e <= MAX_LFS_FILESIZE)
            .ok_or(Errno::EFBIG)?;
        let mut p = self.inner.lock();
        if off > p.size {
            let old = p.size;
            p.zero_tail(old);
        }
        let mut done = 0;
        while done < buf.len() {
            let pos = off + done as u64;
            let po = (pos % PAGE) as usize;
            let k = (PAGE_SIZE - po).min(buf.len() - done);
            let Some(pa) = p.get_or_add(pos / PAGE) else {
                break;
            };
            page_bytes(pa)[po..po + k].copy_from_slice(&buf[done..done + k]);
            done += k;
        }
        if done == 0 && !buf.is_empty() {
            return Err(Errno::ENOSPC);
        }
        p.size = p.size.max(off + done as u64);
        Ok(done)
    }

    /// Allocate the pages of [off, end) (fallocate): ENOSPC when memory
    /// or tmpfs's limit runs out, and then the pages it added go again.
    /// The size does not change.
    pub fn fallocate(&self, off: u64, end: u64) -> Result<(), Errno> {
        let mut p = self.inner.lock();
        let mut added = Vec::new();
        for idx in off / PAGE..end.div_ceil(PAGE) {
            if p.pages.contains_key(&idx) {
                continue;
            }
            if p.get_or_add(idx).is_none() || added.try_reserve(1).is_err() {
                for i in added {
                    p.pages.remove(&i).map(put_file_page);
                }
                return Err(Errno::ENOSPC);
            }
            added.push(idx);
        }
        Ok(())
    }

    /// Set the file's size (Linux's truncate_setsize): growing adds a
    /// hole; shrinking drops the pages past the end from the cache and
    /// from every mapping (truncate_inode_pages, unmap_mapping_range) and
    /// zeroes the rest of the new last page.
    pub fn set_size(&self, len: u64) -> Result<(), Errno> {
        if len > MAX_LFS_FILESIZE {
            return Err(Errno::EFBIG);
        }
        let mut p = self.inner.lock();
        let old = p.size;
        if len >= old {
            p.zero_tail(old);
            p.size = len;
            return Ok(());
        }
        p.size = len;
        p.zero_tail(len);
        let first = len.div_ceil(PAGE);
        let dropped = p.pages.split_off(&first);
        drop(p);
        // Faults now see the new size; take what is mapped past it away.
        self.unmap_mapping_range(first, u64::MAX, None);
        dropped.into_values().for_each(put_file_page);
        Ok(())
    }

    /// Make [off, end) a hole (FALLOC_FL_PUNCH_HOLE): partial pages are
    /// zeroed, whole pages leave the cache and every shared mapping.
    pub fn punch_hole(&self, off: u64, end: u64) {
        let mut p = self.inner.lock();
        if off >= end {
            return;
        }
        let (first, last) = (off.div_ceil(PAGE), end / PAGE);
        for (a, b) in [(off, end.min(first * PAGE)), ((last * PAGE).max(off), end)] {
            if a < b {
                if let Some(&pa) = p.pages.get(&(a / PAGE)) {
                    page_bytes(pa)[(a % PAGE) as usize..][..(b - a) as usize].fill(0);
                }
            }
        }
        if first >= last {
            return;
        }
        let mut tail = p.pages.split_off(&first);
        let mut rest = tail.split_off(&last);
        p.pages.append(&mut rest);
        drop(p);
        let dropped: Vec<u64> = tail.into_values().collect();
        self.unmap_mapping_range(first, last, Some(&dropped));
        dropped.into_iter().for_each(put_file_page);
    }

    /// Remove file pages [first, last) from every address space mapping
    /// this file (Linux's unmap_mapping_range); with `only`, just the
    /// entries mapping those frames (private copies stay).
    fn unmap_mapping_range(&self, first: u64, last: u64, only: Option<&[u64]>) {
        if !self.mapped.load(Ordering::Relaxed) {
            return;
        }
        let mut mms: Vec<Arc<MmStruct>> = Vec::new();
        for t in crate::process::all_tasks() {
            if let Some(mm) = t.mm() {
                if !mms.iter().any(|m| Arc::ptr_eq(m, &mm)) {
                    mms.push(mm);
                }
            }
        }
        for mm in mms {
            mm.zap_file_pages(self, first, last, only);
        }
    }

    /// The frame a fault at file offset `off` maps (Linux's filemap_fault
    /// and, for `cow`, do_cow_fault's copy): SIGBUS wholly past EOF; the
    /// cache's frame (a hole gets one); a private copy for `cow`, or
    /// where bytes from `file_end` on must read as zeros (an ELF
    /// segment's last file page before its bss).
    pub fn filemap_fault(
        &self,
        off: u64,
        file_end: u64,
        cow: bool,
    ) -> Result<FaultPage, FaultError> {
        let mut p = self.inner.lock();
        if file_end == u64::MAX && off >= p.size.next_multiple_of(PAGE) {
            return Err(FaultError::Bus);
        }
        let idx = off / PAGE;
        if cow || off + PAGE > file_end {
            let pa = alloc_zeroed_user_page().ok_or(FaultError::Oom)?;
            if let Some(&src) = p.pages.get(&idx) {
                let n = file_end.saturating_sub(off).min(PAGE) as usize;
                page_bytes(pa)[..n].copy_from_slice(&page_bytes(src)[..n]);
            }
            return Ok(FaultPage { pa, cached: false });
        }
        let pa = p.get_or_add(idx).ok_or(FaultError::Oom)?;
        page_ref(pa).fetch_add(1, Ordering::AcqRel);
        Ok(FaultPage { pa, cached: true })
    }
}

impl Drop for AddressSpace {
    /// The file is gone (last link, descriptor and mapping): free its pages.
    fn drop(&mut self) {
        let p = self.inner.get_mut();
        core::mem::take(&mut p.pages)
            .into_values()
            .for_each(put_file_page);
    }
}
