//! memblock: the boot-time memory manager (as Linux's mm/memblock.c).
//!
//! Before the buddy allocator exists we know two lists: usable RAM (from the
//! E820 map) and reserved ranges (low 1 MiB, the kernel image, the
//! initramfs, and every early allocation). Early allocations are carved
//! bottom-up from RAM not yet reserved; `mem_init` then hands what remains
//! to the buddy allocator.

const MAX_REGIONS: usize = 128;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub base: u64,
    pub end: u64,
}

/// A sorted list of disjoint, non-adjacent ranges.
pub struct RegionList {
    r: [Region; MAX_REGIONS],
    n: usize,
}

impl RegionList {
    pub const fn new() -> RegionList {
        RegionList {
            r: [Region { base: 0, end: 0 }; MAX_REGIONS],
            n: 0,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Region> + '_ {
        self.r[..self.n].iter().copied()
    }

    /// Add [base, end), merging with overlapping or adjacent ranges.
    pub fn add(&mut self, base: u64, end: u64) {
        if base >= end {
            return;
        }
        let (mut base, mut end) = (base, end);
        let mut out = [Region { base: 0, end: 0 }; MAX_REGIONS];
        let mut m = 0;
        let mut placed = false;
        for reg in self.iter() {
            if reg.end < base {
                out[m] = reg;
                m += 1;
            } else if reg.base > end {
                if !placed {
                    out[m] = Region { base, end };
                    m += 1;
                    placed = true;
                }
                out[m] = reg;
                m += 1;
            } else {
                base = base.min(reg.base);
                end = end.max(reg.end);
            }
            if m >= MAX_REGIONS - 1 {
                break;
            }
        }
        if !placed {
            out[m] = Region { base, end };
            m += 1;
        }
        self.r = out;
        self.n = m;
    }

    /// Does any range overlap [base, end)? Returns the first such range.
    pub fn overlap(&self, base: u64, end: u64) -> Option<Region> {
        self.iter().find(|r| r.base < end && base < r.end)
    }
}

pub struct Memblock {
    pub memory: RegionList,
    pub reserved: RegionList,
    /// Early allocations must stay below this (the early 1 GiB mapping).
    pub limit: u64,
}

impl Memblock {
    pub const fn new() -> Memblock {
        Memblock {
            memory: RegionList::new(),
            reserved: RegionList::new(),
            limit: 1 << 30,
        }
    }

    pub fn add(&mut self, base: u64, size: u64) {
        // Whole pages only.
        let b = (base + 0xfff) & !0xfff;
        let e = (base + size) & !0xfff;
        self.memory.add(b, e);
    }

    pub fn reserve(&mut self, base: u64, size: u64) {
        self.reserved
            .add(base & !0xfff, (base + size + 0xfff) & !0xfff);
    }

    /// Allocate `size` bytes aligned to `align` below `limit`, bottom-up.
    pub fn alloc(&mut self, size: u64, align: u64) -> Option<u64> {
        let size = (size + 0xfff) & !0xfff;
        let mut found = None;
        'outer: for m in self.memory.iter() {
            let mut base = (m.base + align - 1) & !(align - 1);
            while base + size <= m.end.min(self.limit) {
                match self.reserved.overlap(base, base + size) {
                    None => {
                        found = Some(base);
                        break 'outer;
                    }
                    Some(r) => base = (r.end + align - 1) & !(align - 1),
                }
            }
        }
        let base = found?;
        self.reserved.add(base, base + size);
        Some(base)
    }

    /// Highest usable physical address + 1.
    pub fn end_of_ram(&self) -> u64 {
        self.memory.iter().map(|r| r.end).max().unwrap_or(0)
    }

    /// Call `f` for every free (memory minus reserved) range.
    pub fn for_each_free_range(&self, mut f: impl FnMut(u64, u64)) {
        for m in self.memory.iter() {
            let mut base = m.base;
            for r in self.reserved.iter() {
                if r.end <= base || r.base >= m.end {
                    continue;
                }
                if r.base > base {
                    f(base, r.base);
                }
                base = base.max(r.end);
            }
            if base < m.end {
                f(base, m.end);
            }
        }
    }
}
