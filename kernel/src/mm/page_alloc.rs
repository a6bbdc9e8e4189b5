//! The page allocator: the buddy system (kernel/libs/buddy) over all RAM,
//! with Linux's per-frame reference counts for shared (copy-on-write) pages
//! and a short list of recently freed single frames in front of it.

use super::memblock::Memblock;
use crate::arch::x86_64::mm::{PAGE_SIZE, phys_to_virt};
use crate::sync::{Once, SpinLock};
use buddy::{Buddy, PageInfo};
use core::sync::atomic::{AtomicU32, Ordering};

static BUDDY: SpinLock<Option<Buddy<'static>>> = SpinLock::new(None);

/// Order-0 frames freed lately, handed out again without splitting and
/// merging buddy blocks (Linux's per-cpu page lists; one CPU here). They
/// count as free.
struct Pcp {
    pfns: [usize; PCP_HIGH],
    len: usize,
}

const PCP_HIGH: usize = 64;
static PCP: SpinLock<Pcp> = SpinLock::new(Pcp {
    pfns: [0; PCP_HIGH],
    len: 0,
});

/// Give the per-cpu list's frames back to the buddy allocator (Linux's
/// drain_all_pages): before a larger allocation fails, and for buddyinfo.
fn drain_pages() {
    let mut pcp = PCP.lock();
    let mut b = BUDDY.lock();
    let Some(b) = b.as_mut() else { return };
    for &pfn in &pcp.pfns[..pcp.len] {
        if let Err(e) = b.free(pfn, 0) {
            panic!("drain_pages: pfn {pfn:#x}: {e:?}");
        }
    }
    pcp.len = 0;
}

/// `page_ref[pfn]`: users of a frame mapped into address spaces (Linux's
/// page->_refcount for user pages). Allocation sets it to 1.
static PAGE_REF: Once<&'static [AtomicU32]> = Once::new();

/// Build the buddy allocator from memblock's picture of memory and free
/// everything not reserved into it (Linux's mem_init → memblock_free_all).
pub fn init(mb: &mut Memblock) {
    let max_pfn = (mb.end_of_ram() / PAGE_SIZE as u64) as usize;
    let meta_bytes = max_pfn * core::mem::size_of::<PageInfo>();
    let ref_bytes = max_pfn * core::mem::size_of::<AtomicU32>();
    let meta_pa = mb
        .alloc(meta_bytes as u64, PAGE_SIZE as u64)
        .expect("no memory for mem_map");
    let ref_pa = mb
        .alloc(ref_bytes as u64, PAGE_SIZE as u64)
        .expect("no memory for page refs");
    let slab_bytes = max_pfn * core::mem::size_of::<super::slab::SlabMeta>();
    let slab_pa = mb
        .alloc(slab_bytes as u64, PAGE_SIZE as u64)
        .expect("no memory for slab metadata");
    // SAFETY: memblock reserved this range for us alone; every entry is
    // initialised before the slice is handed out.
    unsafe {
        let p = phys_to_virt(slab_pa) as *mut core::cell::UnsafeCell<super::slab::SlabMeta>;
        for i in 0..max_pfn {
            p.add(i)
                .write(core::cell::UnsafeCell::new(super::slab::SlabMeta::EMPTY));
        }
        super::slab::init(core::slice::from_raw_parts(p, max_pfn));
    }
    // SAFETY: memblock just reserved these ranges for us; they are RAM,
    // direct-mapped, and never handed out again.
    let (meta, refs) = unsafe {
        let meta = core::slice::from_raw_parts_mut(phys_to_virt(meta_pa) as *mut PageInfo, max_pfn);
        let refs = phys_to_virt(ref_pa) as *mut AtomicU32;
        for i in 0..max_pfn {
            refs.add(i).write(AtomicU32::new(0));
        }
        (meta, core::slice::from_raw_parts(refs, max_pfn))
    };
    PAGE_REF.call_once(|| refs);
    let mut b = Buddy::new(meta);
    mb.for_each_free_range(|base, end| {
        let (s, e) = (
            (base / PAGE_SIZE as u64) as usize,
            (end / PAGE_SIZE as u64) as usize,
        );
        b.free_range(s, e).expect("memblock gave a bad range");
    });
    *BUDDY.lock() = Some(b);
}

/// Allocate 2^order contiguous frames; returns the physical address.
pub fn alloc_pages(order: usize) -> Option<u64> {
    let cached = (order == 0)
        .then(|| {
            let mut pcp = PCP.lock();
            pcp.len = pcp.len.checked_sub(1)?;
            Some(pcp.pfns[pcp.len])
        })
        .flatten();
    let pfn = match cached {
        Some(pfn) => pfn,
        None => {
            let got = BUDDY.lock().as_mut()?.alloc(order);
            match got {
                Some(pfn) => pfn,
                None => {
                    drain_pages();
                    BUDDY.lock().as_mut()?.alloc(order)?
                }
            }
        }
    };
    if let Some(refs) = PAGE_REF.get() {
        refs[pfn].store(1, Ordering::Relaxed);
    }
    Some((pfn * PAGE_SIZE) as u64)
}

/// Frames user memory may not take: the kernel's own allocations can
/// still succeed under memory pressure (Linux's min watermark).
pub fn min_free_pages() -> usize {
    (totalram_pages() / 64).max(256)
}

/// Allocate for user memory (page faults, page tables, new tasks): fails
/// when it would eat into the kernel's reserve.
pub fn alloc_pages_user(order: usize) -> Option<u64> {
    if nr_free_pages() < min_free_pages() + (1 << order) {
        return None;
    }
    alloc_pages(order)
}

/// One zeroed frame for user memory, within the watermark.
pub fn alloc_zeroed_user_page() -> Option<u64> {
    let pa = alloc_pages_user(0)?;
    // SAFETY: the frame is ours, RAM, and direct-mapped.
    unsafe { core::ptr::write_bytes(phys_to_virt(pa) as *mut u8, 0, PAGE_SIZE) };
    Some(pa)
}

/// One zeroed frame.
pub fn alloc_zeroed_page() -> Option<u64> {
    let pa = alloc_pages(0)?;
    // SAFETY: the frame is ours, RAM, and direct-mapped.
    unsafe { core::ptr::write_bytes(phys_to_virt(pa) as *mut u8, 0, PAGE_SIZE) };
    Some(pa)
}

/// Exactly `n` contiguous frames (Linux's alloc_pages_exact).
pub fn alloc_pages_exact(n: usize) -> Option<u64> {
    let got = BUDDY.lock().as_mut()?.alloc_exact(n);
    let pfn = match got {
        Some(pfn) => pfn,
        None => {
            drain_pages();
            BUDDY.lock().as_mut()?.alloc_exact(n)?
        }
    };
    Some((pfn * PAGE_SIZE) as u64)
}

/// Free `n` frames from `alloc_pages_exact(n)`.
pub fn free_pages_exact(pa: u64, n: usize) {
    let pfn = pa as usize / PAGE_SIZE;
    if let Err(e) = BUDDY
        .lock()
        .as_mut()
        .expect("page allocator not ready")
        .free_exact(pfn, n)
    {
        panic!("free_pages_exact({pa:#x}, {n}): {e:?}");
    }
}

/// Give memory the kernel no longer needs (the unpacked initramfs) to
/// the allocator (Linux's free_reserved_area).
pub fn free_reserved_area(start: u64, end: u64) -> usize {
    let (s, e) = (
        start.next_multiple_of(PAGE_SIZE as u64),
        end & !(PAGE_SIZE as u64 - 1),
    );
    if s >= e {
        return 0;
    }
    let (s, e) = (
        (s / PAGE_SIZE as u64) as usize,
        (e / PAGE_SIZE as u64) as usize,
    );
    if let Some(b) = BUDDY.lock().as_mut() {
        b.free_range(s, e).expect("reserved area outside memory");
    }
    e - s
}

/// Return frames from `alloc_pages(order)`. A bad free is a kernel bug.
pub fn free_pages(pa: u64, order: usize) {
    let pfn = pa as usize / PAGE_SIZE;
    if order == 0 {
        let mut pcp = PCP.lock();
        let len = pcp.len;
        if pcp.pfns[..len].contains(&pfn) {
            panic!("free_pages({pa:#x}, order 0): freed twice");
        }
        if len < PCP_HIGH {
            pcp.pfns[len] = pfn;
            pcp.len += 1;
            return;
        }
    }
    if let Err(e) = BUDDY
        .lock()
        .as_mut()
        .expect("page allocator not ready")
        .free(pfn, order)
    {
        panic!("free_pages({pa:#x}, order {order}): {e:?}");
    }
}

/// Frames free right now (what leak checks compare).
pub fn nr_free_pages() -> usize {
    BUDDY.lock().as_ref().map_or(0, |b| b.free_pages()) + PCP.lock().len
}

/// Frames the allocator manages.
pub fn totalram_pages() -> usize {
    BUDDY.lock().as_ref().map_or(0, |b| b.managed_pages())
}

/// Free blocks per order, as /proc/buddyinfo shows (the per-cpu list
/// drained first, so that its frames are counted where they merge).
pub fn buddyinfo() -> [usize; buddy::MAX_ORDER + 1] {
    drain_pages();
    BUDDY
        .lock()
        .as_ref()
        .map_or([0; buddy::MAX_ORDER + 1], |b| b.nr_free())
}

/// Check the buddy allocator's invariants (self-tests).
pub fn check() -> Result<(), &'static str> {
    BUDDY.lock().as_ref().ok_or("not initialised")?.check()
}

/// The reference count of the frame at `pa` (COW sharing).
pub fn page_ref(pa: u64) -> &'static AtomicU32 {
    &PAGE_REF.get().expect("page allocator not ready")[pa as usize / PAGE_SIZE]
}
