//! A binary buddy allocator for page frames, in the shape of Linux's
//! mm/page_alloc.c: free blocks of 2^order pages sit on per-order free
//! lists (`free_area[order]`); allocation splits larger blocks, freeing
//! merges a block with its buddy (`pfn ^ (1 << order)`) while that buddy is
//! free and of the same order.
//!
//! The allocator does not touch the memory it manages: its bookkeeping is an
//! array with one small [`PageInfo`] per frame (Linux's `mem_map`), supplied
//! by the caller, indexed by page-frame number from 0. Frames never given to
//! [`Buddy::free_range`] (holes, the kernel image, firmware) are never handed
//! out. Misuse (double free, misaligned or out-of-range frees) is reported as
//! an error, never corrupts the lists, and never panics.
#![no_std]

/// Largest block: 2^MAX_ORDER pages (4 MiB), as Linux's MAX_PAGE_ORDER.
pub const MAX_ORDER: usize = 10;
const NIL: u32 = u32::MAX;

const PG_BUDDY: u8 = 1; // head of a free block on free_area[order]
const PG_ALLOCATED: u8 = 2; // head of an allocated block of `order`

/// Per-frame bookkeeping: free-list links and the block's order.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub struct PageInfo {
    next: u32,
    prev: u32,
    order: u8,
    flags: u8,
}

impl PageInfo {
    /// A frame the allocator does not own (yet).
    pub const RESERVED: PageInfo = PageInfo {
        next: NIL,
        prev: NIL,
        order: 0,
        flags: 0,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The frame is beyond the metadata array.
    OutOfRange(usize),
    /// The frame is not aligned to the block size of its order.
    Misaligned(usize),
    /// The frame is not the head of an allocated block of that order
    /// (double free, or freeing what was never allocated).
    NotAllocated(usize),
    /// Order above MAX_ORDER.
    BadOrder(usize),
}

pub struct Buddy<'a> {
    pages: &'a mut [PageInfo],
    free_area: [u32; MAX_ORDER + 1],
    nr_free: [usize; MAX_ORDER + 1],
    free_pages: usize,
    managed_pages: usize,
}

impl<'a> Buddy<'a> {
    /// An allocator with no free memory; `pages[pfn]` describes frame `pfn`.
    pub fn new(pages: &'a mut [PageInfo]) -> Buddy<'a> {
        pages.fill(PageInfo::RESERVED);
        Buddy {
            pages,
            free_area: [NIL; MAX_ORDER + 1],
            nr_free: [0; MAX_ORDER + 1],
            free_pages: 0,
            managed_pages: 0,
        }
    }

    /// Frames currently free.
    pub fn free_pages(&self) -> usize {
        self.free_pages
    }

    /// Frames ever given to the allocator.
    pub fn managed_pages(&self) -> usize {
        self.managed_pages
    }

    /// Free blocks per order (as /proc/buddyinfo shows).
    pub fn nr_free(&self) -> [usize; MAX_ORDER + 1] {
        self.nr_free
    }

    /// Hand frames [start, end) to the allocator, in the largest aligned
    /// blocks that fit (Linux's memblock_free_all → __free_pages_core).
    pub fn free_range(&mut self, start: usize, end: usize) -> Result<(), Error> {
        let end = end.min(self.pages.len());
        let mut pfn = start;
        while pfn < end {
            let mut order = MAX_ORDER;
            while order > 0 && (pfn & ((1 << order) - 1) != 0 || pfn + (1 << order) > end) {
                order -= 1;
            }
            // Mark as an allocated block so the normal free path accepts it.
            self.pages[pfn].flags = PG_ALLOCATED;
            self.pages[pfn].order = order as u8;
            self.managed_pages += 1 << order;
            self.free(pfn, order)?;
            pfn += 1 << order;
        }
        Ok(())
    }

    /// Allocate 2^order contiguous frames, aligned to their size; returns
    /// the first frame number, or None when no block is large enough.
    pub fn alloc(&mut self, order: usize) -> Option<usize> {
        if order > MAX_ORDER {
            return None;
        }
        let mut k = order;
        while k <= MAX_ORDER && self.free_area[k] == NIL {
            k += 1;
        }
        if k > MAX_ORDER {
            return None;
        }
        let pfn = self.free_area[k] as usize;
        self.list_del(pfn, k);
        // Split: give back the upper halves (Linux's expand()).
        while k > order {
            k -= 1;
            self.list_add(pfn + (1 << k), k);
        }
        self.pages[pfn].flags = PG_ALLOCATED;
        self.pages[pfn].order = order as u8;
        self.free_pages -= 1 << order;
        Some(pfn)
    }

    /// Allocate exactly `n` contiguous frames (Linux's alloc_pages_exact):
    /// take the smallest block that fits and give the tail back, so a
    /// 269-page request costs 269 pages, not 512. Free with `free_exact`.
    pub fn alloc_exact(&mut self, n: usize) -> Option<usize> {
        if n == 0 || n > 1 << MAX_ORDER {
            return None;
        }
        let order = n.next_power_of_two().trailing_zeros() as usize;
        let pfn = self.alloc(order)?;
        // Every page becomes its own order-0 allocation…
        for p in pfn..pfn + (1 << order) {
            self.pages[p].flags = PG_ALLOCATED;
            self.pages[p].order = 0;
        }
        // …and the ones beyond `n` go back (they merge on the way).
        for p in pfn + n..pfn + (1 << order) {
            self.free(p, 0).expect("tail page of our own block");
        }
        Some(pfn)
    }

    /// Free `n` frames from `alloc_exact(n)`.
    pub fn free_exact(&mut self, pfn: usize, n: usize) -> Result<(), Error> {
        // Check first, so a bad call changes nothing.
        for p in pfn..pfn + n {
            match self.pages.get(p) {
                Some(pi) if pi.flags == PG_ALLOCATED && pi.order == 0 => {}
                Some(_) => return Err(Error::NotAllocated(p)),
                None => return Err(Error::OutOfRange(p)),
            }
        }
        for p in pfn..pfn + n {
            self.free(p, 0)?;
        }
        Ok(())
    }

    /// Return a block obtained from `alloc(order)`.
    pub fn free(&mut self, pfn: usize, order: usize) -> Result<(), Error> {
        if order > MAX_ORDER {
            return Err(Error::BadOrder(order));
        }
        if pfn + (1 << order) > self.pages.len() {
            return Err(Error::OutOfRange(pfn));
        }
        if pfn & ((1 << order) - 1) != 0 {
            return Err(Error::Misaligned(pfn));
        }
        let p = &self.pages[pfn];
        if p.flags != PG_ALLOCATED || p.order as usize != order {
            return Err(Error::NotAllocated(pfn));
        }
        self.pages[pfn].flags = 0;
        self.free_pages += 1 << order;
        let (mut pfn, mut k) = (pfn, order);
        while k < MAX_ORDER {
            let buddy = pfn ^ (1 << k);
            match self.pages.get(buddy) {
                Some(b) if b.flags == PG_BUDDY && b.order as usize == k => {}
                _ => break,
            }
            self.list_del(buddy, k);
            pfn = pfn.min(buddy);
            k += 1;
        }
        self.list_add(pfn, k);
        Ok(())
    }

    fn list_add(&mut self, pfn: usize, order: usize) {
        let head = self.free_area[order];
        self.pages[pfn] = PageInfo {
            next: head,
            prev: NIL,
            order: order as u8,
            flags: PG_BUDDY,
        };
        if head != NIL {
            self.pages[head as usize].prev = pfn as u32;
        }
        self.free_area[order] = pfn as u32;
        self.nr_free[order] += 1;
    }

    fn list_del(&mut self, pfn: usize, order: usize) {
        let PageInfo { next, prev, .. } = self.pages[pfn];
        if prev == NIL {
            self.free_area[order] = next;
        } else {
            self.pages[prev as usize].next = next;
        }
        if next != NIL {
            self.pages[next as usize].prev = prev;
        }
        self.pages[pfn].flags = 0;
        self.nr_free[order] -= 1;
    }

    /// Check every invariant; for tests and the in-kernel self-test.
    pub fn check(&self) -> Result<(), &'static str> {
        let mut total = 0;
        for order in 0..=MAX_ORDER {
            let (mut n, mut prev, mut pfn) = (0, NIL, self.free_area[order]);
            while pfn != NIL {
                let p = self
                    .pages
                    .get(pfn as usize)
                    .ok_or("free-list link out of range")?;
                if p.flags != PG_BUDDY || p.order as usize != order {
                    return Err("free-list entry not a free head of its order");
                }
                if p.prev != prev {
                    return Err("free-list back link broken");
                }
                if pfn as usize & ((1 << order) - 1) != 0 {
                    return Err("free block misaligned");
                }
                n += 1;
                if n > self.pages.len() {
                    return Err("free-list cycle");
                }
                total += 1 << order;
                prev = pfn;
                pfn = p.next;
            }
            if n != self.nr_free[order] {
                return Err("nr_free disagrees with the list");
            }
        }
        if total != self.free_pages {
            return Err("free_pages disagrees with the lists");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec;
    use std::vec::Vec;

    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn split_and_merge() {
        let mut meta = vec![PageInfo::RESERVED; 1 << MAX_ORDER];
        let mut b = Buddy::new(&mut meta);
        b.free_range(0, 1 << MAX_ORDER).unwrap();
        assert_eq!(b.nr_free()[MAX_ORDER], 1);
        let a = b.alloc(0).unwrap();
        assert_eq!(a, 0);
        // One block of every order 0..MAX_ORDER-1 is now free.
        assert!(b.nr_free()[..MAX_ORDER].iter().all(|&n| n == 1));
        b.check().unwrap();
        b.free(a, 0).unwrap();
        assert_eq!(b.nr_free()[MAX_ORDER], 1);
        assert_eq!(b.free_pages(), 1 << MAX_ORDER);
        b.check().unwrap();
    }

    #[test]
    fn holes_and_odd_ranges() {
        let mut meta = vec![PageInfo::RESERVED; 5000];
        let mut b = Buddy::new(&mut meta);
        b.free_range(3, 1000).unwrap();
        b.free_range(1200, 4999).unwrap();
        assert_eq!(b.free_pages(), 997 + 3799);
        assert_eq!(b.managed_pages(), 997 + 3799);
        b.check().unwrap();
        let mut got = Vec::new();
        while let Some(p) = b.alloc(0) {
            assert!(
                (3..1000).contains(&p) || (1200..4999).contains(&p),
                "{p} is a hole"
            );
            got.push(p);
        }
        assert_eq!(got.len(), 997 + 3799);
        for p in got {
            b.free(p, 0).unwrap();
        }
        b.check().unwrap();
        assert_eq!(b.free_pages(), 997 + 3799);
    }

    #[test]
    fn exact_allocations_cost_exactly_n() {
        let mut meta = vec![PageInfo::RESERVED; 4096];
        let mut b = Buddy::new(&mut meta);
        b.free_range(0, 4096).unwrap();
        let initial = b.nr_free();
        let p = b.alloc_exact(269).unwrap();
        assert_eq!(b.free_pages(), 4096 - 269);
        b.check().unwrap();
        let q = b.alloc_exact(3).unwrap();
        assert!(q + 3 <= p || q >= p + 269, "overlap");
        assert_eq!(b.free_exact(p, 270), Err(Error::NotAllocated(p + 269)));
        assert_eq!(b.free_pages(), 4096 - 272, "a refused free changes nothing");
        b.free_exact(p, 269).unwrap();
        b.free_exact(q, 3).unwrap();
        b.check().unwrap();
        assert_eq!(b.nr_free(), initial, "everything merged back");
        assert_eq!(b.alloc_exact(0), None);
        assert_eq!(b.alloc_exact((1 << MAX_ORDER) + 1), None);
    }

    #[test]
    fn misuse_is_an_error() {
        let mut meta = vec![PageInfo::RESERVED; 64];
        let mut b = Buddy::new(&mut meta);
        b.free_range(0, 64).unwrap();
        let p = b.alloc(2).unwrap();
        assert_eq!(b.free(p, 1), Err(Error::NotAllocated(p)));
        assert_eq!(b.free(p + 1, 0), Err(Error::NotAllocated(p + 1)));
        assert_eq!(b.free(p + 2, 2), Err(Error::Misaligned(p + 2)));
        assert_eq!(b.free(64, 0), Err(Error::OutOfRange(64)));
        assert_eq!(
            b.free(0, MAX_ORDER + 1),
            Err(Error::BadOrder(MAX_ORDER + 1))
        );
        b.free(p, 2).unwrap();
        assert_eq!(b.free(p, 2), Err(Error::NotAllocated(p)));
        assert_eq!(b.alloc(MAX_ORDER + 1), None);
        b.check().unwrap();
        assert_eq!(b.free_pages(), 64);
    }

    #[test]
    fn random_workload_returns_to_baseline() {
        let n = 1 << 14;
        let mut meta = vec![PageInfo::RESERVED; n];
        let mut b = Buddy::new(&mut meta);
        b.free_range(1, n - 7).unwrap();
        let baseline = b.free_pages();
        let initial = b.nr_free();
        let mut seed = 0x1234_5678_9abc_def0u64;
        let mut live: Vec<(usize, usize)> = Vec::new();
        for i in 0..200_000 {
            if live.is_empty() || rng(&mut seed) % 3 != 0 {
                let order = (rng(&mut seed) % 6) as usize;
                if let Some(p) = b.alloc(order) {
                    assert_eq!(p % (1 << order), 0);
                    live.push((p, order));
                }
            } else {
                let idx = (rng(&mut seed) as usize) % live.len();
                let (p, o) = live.swap_remove(idx);
                b.free(p, o).unwrap();
            }
            if i % 10_000 == 0 {
                b.check().unwrap();
            }
        }
        // No two live blocks overlap.
        let mut spans: Vec<(usize, usize)> = live.iter().map(|&(p, o)| (p, p + (1 << o))).collect();
        spans.sort();
        assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0));
        for (p, o) in live {
            b.free(p, o).unwrap();
        }
        b.check().unwrap();
        assert_eq!(b.free_pages(), baseline);
        assert_eq!(b.nr_free(), initial, "everything merged back");
    }
}
