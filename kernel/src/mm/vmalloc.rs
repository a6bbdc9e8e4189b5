//! The vmalloc area: kernel stacks with guard pages (Linux's VMAP_STACK)
//! and ioremap of device registers.
//!
//! Kernel stacks sit in fixed slots of STACK_SLOT bytes; the THREAD_SIZE
//! stack occupies the top of its slot and the page below stays unmapped, so
//! running off the bottom faults (a double fault reported as a stack
//! overflow) instead of silently corrupting a neighbour.

use super::page_alloc;
use crate::arch::x86_64::mm::init::kernel_page_table;
use crate::arch::x86_64::mm::pgtable::{PAGE_KERNEL, PAGE_KERNEL_IO, PageSize};
use crate::arch::x86_64::mm::{PAGE_SIZE, VMALLOC_START, flush_tlb_one};
use crate::sync::SpinLock;

/// Linux's THREAD_SIZE on x86_64.
pub const THREAD_SIZE: usize = 16 * 1024;
const STACK_SLOT: u64 = 32 * 1024;
pub const MAX_STACKS: usize = 8192;
const STACKS_START: u64 = VMALLOC_START;
const IOREMAP_START: u64 = VMALLOC_START + (MAX_STACKS as u64) * STACK_SLOT;

static STACK_SLOTS: SpinLock<[u64; MAX_STACKS / 64]> = SpinLock::new([0; MAX_STACKS / 64]);
static IOREMAP_NEXT: SpinLock<u64> = SpinLock::new(IOREMAP_START);

/// A kernel stack; `top` is the initial stack pointer.
#[derive(Debug)]
pub struct KernelStack {
    slot: usize,
    pub top: u64,
}

impl KernelStack {
    /// The lowest mapped address.
    pub fn bottom(&self) -> u64 {
        self.top - THREAD_SIZE as u64
    }
}

/// Allocate and map a THREAD_SIZE stack with an unmapped guard page below.
pub fn alloc_kernel_stack() -> Option<KernelStack> {
    let slot = {
        let mut bits = STACK_SLOTS.lock();
        let (w, b) = bits
            .iter()
            .enumerate()
            .find(|(_, w)| **w != u64::MAX)
            .map(|(i, w)| (i, (!*w).trailing_zeros() as usize))?;
        bits[w] |= 1 << b;
        w * 64 + b
    };
    let top = STACKS_START + (slot as u64 + 1) * STACK_SLOT;
    let bottom = top - THREAD_SIZE as u64;
    let stack = KernelStack { slot, top };
    for va in (bottom..top).step_by(PAGE_SIZE) {
        let Some(pa) = page_alloc::alloc_pages(0) else {
            free_kernel_stack(stack);
            return None;
        };
        let mut alloc = || page_alloc::alloc_zeroed_page();
        if kernel_page_table()
            .map(va, pa, PageSize::Size4K, PAGE_KERNEL, &mut alloc)
            .is_err()
        {
            page_alloc::free_pages(pa, 0);
            free_kernel_stack(stack);
            return None;
        }
    }
    Some(stack)
}

/// Unmap and free a stack (safe on a partly mapped one).
pub fn free_kernel_stack(stack: KernelStack) {
    let mut pt = kernel_page_table();
    for va in (stack.bottom()..stack.top).step_by(PAGE_SIZE) {
        if let Some((pa, _)) = pt.unmap(va) {
            page_alloc::free_pages(pa, 0);
        }
    }
    STACK_SLOTS.lock()[stack.slot / 64] &= !(1 << (stack.slot % 64));
}

/// Map device memory [pa, pa+size) uncached; returns its virtual address.
pub fn ioremap(pa: u64, size: u64) -> u64 {
    let base = pa & !(PAGE_SIZE as u64 - 1);
    let len = (pa + size - base).next_multiple_of(PAGE_SIZE as u64);
    let va = {
        let mut next = IOREMAP_NEXT.lock();
        let va = *next;
        *next += len + PAGE_SIZE as u64;
        va
    };
    let mut pt = kernel_page_table();
    for off in (0..len).step_by(PAGE_SIZE) {
        let mut alloc = || page_alloc::alloc_zeroed_page();
        pt.map(
            va + off,
            base + off,
            PageSize::Size4K,
            PAGE_KERNEL_IO,
            &mut alloc,
        )
        .expect("ioremap: cannot map device memory");
        flush_tlb_one(va + off);
    }
    va + (pa - base)
}
