//! kmalloc: the kernel heap behind `alloc` (Box, Vec, BTreeMap…).
//!
//! Small objects come from per-size caches (16 … 2048 bytes, powers of
//! two) carved out of whole pages, as Linux's kmalloc-N slab caches; freed
//! objects go back on their cache's free list and cache pages are kept for
//! reuse. Larger objects are whole buddy blocks. Objects are aligned to
//! their size class, so any alignment up to the class size is honoured.

use super::page_alloc;
use crate::arch::x86_64::mm::{PAGE_SIZE, phys_to_virt, virt_to_phys};
use crate::sync::SpinLock;
use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};

const CLASSES: [usize; 8] = [16, 32, 64, 128, 256, 512, 1024, 2048];

struct Caches {
    /// Head of each class's free list (kernel virtual address, 0 = empty).
    free: [usize; CLASSES.len()],
    /// Pages owned by the caches.
    pages: usize,
}

static CACHES: SpinLock<Caches> = SpinLock::new(Caches {
    free: [0; CLASSES.len()],
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

// SAFETY: every object handed out is exclusively the caller's until freed;
// free lists are only touched under CACHES's lock.
unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class_of(&layout) else {
            return match page_alloc::alloc_pages(order_of(&layout)) {
                Some(pa) => {
                    BYTES_IN_USE.fetch_add(PAGE_SIZE << order_of(&layout), Ordering::Relaxed);
                    phys_to_virt(pa) as *mut u8
                }
                None => core::ptr::null_mut(),
            };
        };
        let mut caches = CACHES.lock();
        if caches.free[c] == 0 {
            // Refill: carve a fresh page into objects of this class.
            let Some(pa) = page_alloc::alloc_pages(0) else {
                return core::ptr::null_mut();
            };
            caches.pages += 1;
            let base = phys_to_virt(pa) as usize;
            let size = CLASSES[c];
            for obj in (base..base + PAGE_SIZE).step_by(size).rev() {
                // SAFETY: `obj` lies in the page we just got; the first
                // word of a free object holds the next-free link.
                unsafe { (obj as *mut usize).write(caches.free[c]) };
                caches.free[c] = obj;
            }
        }
        let obj = caches.free[c];
        // SAFETY: `obj` is the head of this class's free list.
        caches.free[c] = unsafe { (obj as *const usize).read() };
        BYTES_IN_USE.fetch_add(CLASSES[c], Ordering::Relaxed);
        obj as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(c) = class_of(&layout) else {
            BYTES_IN_USE.fetch_sub(PAGE_SIZE << order_of(&layout), Ordering::Relaxed);
            page_alloc::free_pages(virt_to_phys(ptr as u64), order_of(&layout));
            return;
        };
        let mut caches = CACHES.lock();
        // SAFETY: `ptr` came from this class (same layout) and is now free.
        unsafe { (ptr as *mut usize).write(caches.free[c]) };
        caches.free[c] = ptr as usize;
        BYTES_IN_USE.fetch_sub(CLASSES[c], Ordering::Relaxed);
    }
}

/// Bytes currently allocated from the kernel heap.
pub fn bytes_in_use() -> usize {
    BYTES_IN_USE.load(Ordering::Relaxed)
}

/// Pages held by the small-object caches.
pub fn cache_pages() -> usize {
    CACHES.lock().pages
}
