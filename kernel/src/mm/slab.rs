//! kmalloc: the kernel heap behind `alloc` (Box, Vec, BTreeMap…), shaped
//! like Linux's slab allocator.
//!
//! Small objects (16 … 2048 bytes, powers of two) live in slab pages: each
//! page serves one size class, keeps its own free list inside the free
//! objects, and counts its objects in use in a per-frame `SlabMeta`
//! (Linux keeps this in struct page). Pages with free objects sit on their
//! class's partial list; a page whose last object is freed goes straight
//! back to the buddy allocator, so the heap never sits on memory it does
//! not use. Larger objects are whole buddy blocks. Objects are aligned to
//! their size class, so any alignment up to the class size is honoured.

use super::page_alloc;
use crate::arch::x86_64::mm::{PAGE_SIZE, phys_to_virt, virt_to_phys};
use crate::sync::{Once, SpinLock};
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering};

const CLASSES: [usize; 8] = [16, 32, 64, 128, 256, 512, 1024, 2048];
const NIL: u32 = u32::MAX;
/// End of a page's free list (object offsets are < 4096).
const END: u32 = u32::MAX;

/// Per-frame slab bookkeeping (the slab part of Linux's struct page).
#[derive(Clone, Copy)]
#[repr(C)]
pub struct SlabMeta {
    /// Partial-list links (page frame numbers).
    next: u32,
    prev: u32,
    /// Offset of the first free object in the page, or END.
    free: u32,
    inuse: u16,
    class: u8,
    on_partial: u8,
}

impl SlabMeta {
    pub const EMPTY: SlabMeta = SlabMeta {
        next: NIL,
        prev: NIL,
        free: END,
        inuse: 0,
        class: 0,
        on_partial: 0,
    };
}

struct MetaTable(&'static [UnsafeCell<SlabMeta>]);
// SAFETY: entries are only touched under CACHES's lock.
unsafe impl Sync for MetaTable {}
unsafe impl Send for MetaTable {}

static META: Once<MetaTable> = Once::new();

/// Give the allocator its metadata array (one entry per page frame).
pub fn init(meta: &'static [UnsafeCell<SlabMeta>]) {
    META.call_once(|| MetaTable(meta));
}

struct Caches {
    /// Head of each class's list of pages with free objects.
    partial: [u32; CLASSES.len()],
    /// Slab pages in use.
    pages: usize,
}

static CACHES: SpinLock<Caches> = SpinLock::new(Caches {
    partial: [NIL; CLASSES.len()],
    pages: 0,
});
static BYTES_IN_USE: AtomicUsize = AtomicUsize::new(0);

struct KernelHeap;

#[global_allocator]
static HEAP: KernelHeap = KernelHeap;

fn class_of(layout: &Layout) -> Option<usize> {
    let size = layout.size().max(layout.align());
    CLASSES.iter().position(|&c| c >= size)
}

fn order_of(layout: &Layout) -> usize {
    let pages = layout.size().max(layout.align()).div_ceil(PAGE_SIZE);
    pages.next_power_of_two().trailing_zeros() as usize
}

/// Large objects: exactly the pages they need when page alignment is
/// enough, else a naturally aligned buddy block.
fn large_pages(layout: &Layout) -> Option<usize> {
    (layout.align() <= PAGE_SIZE).then(|| layout.size().div_ceil(PAGE_SIZE))
}

/// The metadata of frame `pfn`.
///
/// # Safety
/// Caller holds CACHES's lock, and no other reference to this entry lives.
#[allow(clippy::mut_from_ref)]
unsafe fn meta(pfn: u32) -> &'static mut SlabMeta {
    // SAFETY: forwarded to the caller; the table covers every frame.
    unsafe { &mut *META.get().expect("slab metadata not set up").0[pfn as usize].get() }
}

fn page_va(pfn: u32) -> usize {
    phys_to_virt(pfn as u64 * PAGE_SIZE as u64) as usize
}

impl Caches {
    /// Put `pfn` at the head of class `c`'s partial list.
    ///
    /// # Safety
    /// Lock held; `pfn` is a slab page of class `c` not on the list.
    unsafe fn push_partial(&mut self, c: usize, pfn: u32) {
        // SAFETY: under the lock, each entry is borrowed briefly.
        unsafe {
            let m = meta(pfn);
            m.next = self.partial[c];
            m.prev = NIL;
            m.on_partial = 1;
            if self.partial[c] != NIL {
                meta(self.partial[c]).prev = pfn;
            }
        }
        self.partial[c] = pfn;
    }

    /// Take `pfn` off class `c`'s partial list.
    ///
    /// # Safety
    /// Lock held; `pfn` is on the list.
    unsafe fn unlink(&mut self, c: usize, pfn: u32) {
        // SAFETY: as push_partial.
        unsafe {
            let (next, prev) = {
                let m = meta(pfn);
                m.on_partial = 0;
                (m.next, m.prev)
            };
            if prev == NIL {
                self.partial[c] = next;
            } else {
                meta(prev).next = next;
            }
            if next != NIL {
                meta(next).prev = prev;
            }
        }
    }
}

// SAFETY: every object handed out is exclusively the caller's until freed;
// free lists and metadata are only touched under CACHES's lock.
unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class_of(&layout) else {
            let (pa, bytes) = match large_pages(&layout) {
                Some(n) => (page_alloc::alloc_pages_exact(n), n * PAGE_SIZE),
                None => (
                    page_alloc::alloc_pages(order_of(&layout)),
                    PAGE_SIZE << order_of(&layout),
                ),
            };
            return match pa {
                Some(pa) => {
                    BYTES_IN_USE.fetch_add(bytes, Ordering::Relaxed);
                    phys_to_virt(pa) as *mut u8
                }
                None => core::ptr::null_mut(),
            };
        };
        let size = CLASSES[c];
        let mut caches = CACHES.lock();
        if caches.partial[c] == NIL {
            // A fresh page, carved into a free list of `size` objects.
            let Some(pa) = page_alloc::alloc_pages(0) else {
                return core::ptr::null_mut();
            };
            let pfn = (pa / PAGE_SIZE as u64) as u32;
            let base = page_va(pfn);
            for off in (0..PAGE_SIZE).step_by(size) {
                let next = if off + size < PAGE_SIZE {
                    (off + size) as u32
                } else {
                    END
                };
                // SAFETY: the object lies in our new page; its first word
                // holds the free-list link while it is free.
                unsafe { ((base + off) as *mut u32).write(next) };
            }
            // SAFETY: lock held; a new page has no other metadata user.
            unsafe {
                *meta(pfn) = SlabMeta {
                    free: 0,
                    class: c as u8,
                    ..SlabMeta::EMPTY
                };
                caches.push_partial(c, pfn);
            }
            caches.pages += 1;
        }
        let pfn = caches.partial[c];
        // SAFETY: lock held; the head of the partial list has a free object.
        let obj = unsafe {
            let m = meta(pfn);
            let obj = page_va(pfn) + m.free as usize;
            m.free = (obj as *const u32).read();
            m.inuse += 1;
            obj
        };
        // SAFETY: lock held.
        if unsafe { meta(pfn).free } == END {
            // SAFETY: lock held; the page is on the list.
            unsafe { caches.unlink(c, pfn) };
        }
        BYTES_IN_USE.fetch_add(size, Ordering::Relaxed);
        obj as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(c) = class_of(&layout) else {
            match large_pages(&layout) {
                Some(n) => {
                    BYTES_IN_USE.fetch_sub(n * PAGE_SIZE, Ordering::Relaxed);
                    page_alloc::free_pages_exact(virt_to_phys(ptr as u64), n);
                }
                None => {
                    BYTES_IN_USE.fetch_sub(PAGE_SIZE << order_of(&layout), Ordering::Relaxed);
                    page_alloc::free_pages(virt_to_phys(ptr as u64), order_of(&layout));
                }
            }
            return;
        };
        let pfn = (virt_to_phys(ptr as u64) / PAGE_SIZE as u64) as u32;
        let off = (ptr as usize % PAGE_SIZE) as u32;
        let mut caches = CACHES.lock();
        // SAFETY: lock held; `ptr` came from this class, so its page is a
        // slab page of class `c`, and the object is ours to reuse.
        unsafe {
            let m = meta(pfn);
            debug_assert_eq!(m.class as usize, c, "kfree with the wrong layout");
            (ptr as *mut u32).write(m.free);
            m.free = off;
            m.inuse -= 1;
            let (inuse, on_partial) = (m.inuse, m.on_partial);
            if inuse == 0 {
                // The page is empty: give it back.
                if on_partial != 0 {
                    caches.unlink(c, pfn);
                }
                *meta(pfn) = SlabMeta::EMPTY;
                caches.pages -= 1;
                page_alloc::free_pages(pfn as u64 * PAGE_SIZE as u64, 0);
            } else if on_partial == 0 {
                caches.push_partial(c, pfn);
            }
        }
        BYTES_IN_USE.fetch_sub(CLASSES[c], Ordering::Relaxed);
    }
}

/// Bytes currently allocated from the kernel heap.
pub fn bytes_in_use() -> usize {
    BYTES_IN_USE.load(Ordering::Relaxed)
}

/// Pages held by slab caches (/proc/meminfo's Slab).
pub fn cache_pages() -> usize {
    CACHES.lock().pages
}
