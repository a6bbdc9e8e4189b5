//! `load_elf_binary`'s mapping half: PT_LOAD checks, the per-segment load
//! plan (`elf_map` + `padzero` + `vm_brk_flags`, as `elf_load` does them),
//! and where an image may go (`total_mapping_size`, `maximum_alignment`,
//! the task size check).

use goblin::elf::program_header::{PF_R, PF_W, PF_X, ProgramHeader};

use crate::elf::{Class, ElfImage, ElfType, ExecStack};
use crate::error::ExecError;
use crate::{elf_pagealign, elf_pageoffset, elf_pagestart};

/// mmap protection bits, Linux's `PROT_*` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Prot(pub u32);

impl Prot {
    pub const NONE: Prot = Prot(0);
    pub const READ: Prot = Prot(1);
    pub const WRITE: Prot = Prot(2);
    pub const EXEC: Prot = Prot(4);

    /// Linux's `make_prot`: PF_R/PF_W/PF_X to PROT_READ/WRITE/EXEC.
    pub fn from_p_flags(p_flags: u32) -> Prot {
        let mut prot = 0;
        if p_flags & PF_R != 0 {
            prot |= Prot::READ.0;
        }
        if p_flags & PF_W != 0 {
            prot |= Prot::WRITE.0;
        }
        if p_flags & PF_X != 0 {
            prot |= Prot::EXEC.0;
        }
        Prot(prot)
    }

    /// True if every bit of `other` is set here.
    pub fn contains(self, other: Prot) -> bool {
        self.0 & other.0 == other.0
    }
}

/// One PT_LOAD and how to map it. Addresses are link-time; add the load
/// bias (a page multiple, so page arithmetic is unaffected). The methods
/// assume a segment [`crate::parse`] accepted; on others they wrap rather
/// than panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LoadSegment {
    /// Index of the program header.
    pub index: u16,
    pub vaddr: u64,
    pub memsz: u64,
    pub filesz: u64,
    /// `p_offset`.
    pub offset: u64,
    pub align: u64,
    /// From `p_flags`; see [`ElfImage::mmap_prot`] for READ_IMPLIES_EXEC.
    pub prot: Prot,
}

impl LoadSegment {
    // The plan's view of a PT_LOAD program header.
    pub(crate) fn from_phdr(index: u16, ph: &ProgramHeader) -> LoadSegment {
        LoadSegment {
            index,
            vaddr: ph.p_vaddr,
            memsz: ph.p_memsz,
            filesz: ph.p_filesz,
            offset: ph.p_offset,
            align: ph.p_align,
            prot: Prot::from_p_flags(ph.p_flags),
        }
    }

    /// One past the segment's last byte, `p_vaddr + p_memsz`.
    pub fn end(&self) -> u64 {
        self.vaddr.wrapping_add(self.memsz)
    }

    /// First page of the segment: where `elf_map` maps, `ELF_PAGESTART(p_vaddr)`.
    pub fn map_start(&self) -> u64 {
        elf_pagestart(self.vaddr)
    }

    /// File offset of the first mapped page: `p_offset - ELF_PAGEOFFSET(p_vaddr)`.
    pub fn file_offset(&self) -> u64 {
        self.offset.wrapping_sub(elf_pageoffset(self.vaddr))
    }

    /// Bytes of file mapped at [`Self::map_start`], whole pages:
    /// `ELF_PAGEALIGN(p_filesz + ELF_PAGEOFFSET(p_vaddr))`, 0 when
    /// `p_filesz` is 0. Bytes past the end of the file read as zero, as
    /// with mmap.
    pub fn file_map_len(&self) -> u64 {
        if self.filesz == 0 {
            0
        } else {
            elf_pagealign(self.filesz.wrapping_add(elf_pageoffset(self.vaddr)))
        }
    }

    /// What `padzero` clears after the file data when the segment has bss:
    /// from `p_vaddr + p_filesz` to the end of that page. Empty (`None`)
    /// without bss, without file data, or when the data ends on a page.
    pub fn zero_fill(&self) -> Option<(u64, u64)> {
        if self.filesz == 0 || self.memsz <= self.filesz {
            return None;
        }
        let start = self.vaddr.wrapping_add(self.filesz);
        let end = elf_pagealign(start);
        (start < end).then_some((start, end))
    }

    /// Anonymous zero pages after the file pages (`vm_brk_flags` in
    /// `elf_load`), page aligned, or `None` without bss beyond them.
    pub fn anon_range(&self) -> Option<(u64, u64)> {
        if self.memsz <= self.filesz {
            return None;
        }
        let start = if self.filesz == 0 {
            self.map_start()
        } else {
            elf_pagealign(self.vaddr.wrapping_add(self.filesz))
        };
        let end = elf_pagealign(self.end());
        (start < end).then_some((start, end))
    }
}

/// `mm` fields Linux derives from the segments (`/proc/pid/stat`, prctl).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MmBounds {
    pub start_code: u64,
    pub end_code: u64,
    pub start_data: u64,
    pub end_data: u64,
    /// `mm->start_brk` before brk randomisation: `ELF_PAGEALIGN(elf_brk)`.
    pub start_brk: u64,
}

// Linux's task size test: `BAD_ADDR(k) || p_memsz > TASK_SIZE ||
// TASK_SIZE - p_memsz < k`, with k the segment's load address.
fn fits_task(k: u64, memsz: u64, task_size: u64) -> bool {
    k < task_size && memsz <= task_size && task_size - memsz >= k
}

// Every PT_LOAD check: sizes, file range, congruence, order, task size.
pub(crate) fn check_segments(
    segs: &[LoadSegment],
    file_len: u64,
    class: Class,
    elf_type: ElfType,
) -> Result<(), ExecError> {
    let task_size = class.task_size();
    let mut prev: Option<&LoadSegment> = None;
    for s in segs {
        let index = s.index;
        if s.filesz > s.memsz {
            return Err(ExecError::FileszAboveMemsz { index });
        }
        let file_end = s.offset.checked_add(s.filesz);
        if s.filesz != 0 && file_end.is_none_or(|end| end > file_len) {
            return Err(ExecError::SegmentOutsideFile { index });
        }
        // Only file-backed bytes are mmapped (elf_load skips elf_map when
        // p_filesz is 0), so only they need p_offset congruent to p_vaddr.
        if s.filesz != 0 && elf_pageoffset(s.offset) != elf_pageoffset(s.vaddr) {
            return Err(ExecError::Misaligned { index });
        }
        if s.vaddr.checked_add(s.memsz).is_none() {
            return Err(ExecError::AddressOverflow { index });
        }
        if s.memsz > task_size
            || (elf_type == ElfType::Exec && !fits_task(s.vaddr, s.memsz, task_size))
        {
            return Err(ExecError::AboveTaskSize { index });
        }
        if let Some(p) = prev {
            if s.vaddr < p.vaddr {
                return Err(ExecError::SegmentsUnordered { index });
            }
            if s.vaddr < p.end() {
                return Err(ExecError::SegmentsOverlap { index });
            }
        }
        prev = Some(s);
    }
    let first = segs.first().ok_or(ExecError::NoLoadSegments)?;
    let last = segs.last().ok_or(ExecError::NoLoadSegments)?;
    // Ascending and non-overlapping, so the span is first page to last end.
    if last.end().wrapping_sub(elf_pagestart(first.vaddr)) > task_size {
        return Err(ExecError::ImageTooLarge);
    }
    Ok(())
}

impl ElfImage {
    /// TASK_SIZE of the process this image becomes.
    pub fn task_size(&self) -> u64 {
        self.class.task_size()
    }

    /// Linux's `total_mapping_size`: from the first segment's page to the
    /// end of the last one; what an ET_DYN reserves in one mmap.
    pub fn total_mapping_size(&self) -> u64 {
        match (self.segments.first(), self.segments.last()) {
            (Some(first), Some(last)) => last.end().wrapping_sub(elf_pagestart(first.vaddr)),
            _ => 0,
        }
    }

    /// Lowest mapped address (page aligned) and one past the highest byte,
    /// before the load bias.
    pub fn span(&self) -> (u64, u64) {
        match (self.segments.first(), self.segments.last()) {
            (Some(first), Some(last)) => (elf_pagestart(first.vaddr), last.end()),
            _ => (0, 0),
        }
    }

    /// Linux's `maximum_alignment`: the largest power-of-two `p_align` of
    /// the PT_LOADs (others are ignored as invalid), at least a page.
    pub fn maximum_alignment(&self) -> u64 {
        let max = self
            .segments
            .iter()
            .map(|s| s.align)
            .filter(|a| a.is_power_of_two())
            .max()
            .unwrap_or(0);
        elf_pagealign(max).max(crate::PAGE_SIZE)
    }

    /// The load bias that puts the first segment at `base`, as
    /// `load_elf_binary` computes it (`ELF_PAGESTART(base - p_vaddr)`,
    /// wrapping); 0 for ET_EXEC. The caller picks `base` (e.g.
    /// `class.et_dyn_base()` plus randomness, aligned to
    /// [`Self::maximum_alignment`]) and then calls [`Self::check_placement`].
    pub fn load_bias(&self, base: u64) -> u64 {
        match (self.elf_type, self.segments.first()) {
            (ElfType::Dyn, Some(first)) => elf_pagestart(base.wrapping_sub(first.vaddr)),
            _ => 0,
        }
    }

    /// Linux's per-segment task size check and entry check at `load_bias`.
    pub fn check_placement(&self, load_bias: u64) -> Result<(), ExecError> {
        let task_size = self.task_size();
        for s in &self.segments {
            if !fits_task(load_bias.wrapping_add(s.vaddr), s.memsz, task_size) {
                return Err(ExecError::AboveTaskSize { index: s.index });
            }
        }
        if self.entry.wrapping_add(load_bias) >= task_size {
            return Err(ExecError::BadEntry);
        }
        Ok(())
    }

    /// AT_PHDR for a process loaded at `load_bias`.
    pub fn phdr_at(&self, load_bias: u64) -> u64 {
        self.phdr_addr.wrapping_add(load_bias)
    }

    /// AT_ENTRY (and the initial %rip without an interpreter) at `load_bias`.
    pub fn entry_at(&self, load_bias: u64) -> u64 {
        self.entry.wrapping_add(load_bias)
    }

    /// start/end of code and data and the brk start, as `load_elf_binary`
    /// sets them in the mm, at `load_bias`.
    pub fn mm_bounds(&self, load_bias: u64) -> MmBounds {
        let mut start_code = u64::MAX;
        let (mut end_code, mut start_data, mut end_data, mut elf_brk) = (0, 0, 0, 0);
        for s in &self.segments {
            let file_end = s.vaddr.wrapping_add(s.filesz);
            if s.prot.contains(Prot::EXEC) {
                start_code = start_code.min(s.vaddr);
                end_code = end_code.max(file_end);
            }
            start_data = start_data.max(s.vaddr);
            end_data = end_data.max(file_end);
            elf_brk = elf_brk.max(s.end());
        }
        let bias = |a: u64| a.wrapping_add(load_bias);
        MmBounds {
            start_code: bias(start_code),
            end_code: bias(end_code),
            start_data: bias(start_data),
            end_data: bias(end_data),
            start_brk: elf_pagealign(bias(elf_brk)),
        }
    }

    /// Linux's `elf_read_implies_exec` on x86: an i386 program without
    /// PT_GNU_STACK gets the READ_IMPLIES_EXEC personality.
    pub fn read_implies_exec(&self) -> bool {
        self.class == Class::Elf32 && self.stack == ExecStack::Default
    }

    /// The protection to map `seg` with: its flags, plus PROT_EXEC on
    /// readable segments under READ_IMPLIES_EXEC (as `do_mmap` adds it).
    pub fn mmap_prot(&self, seg: &LoadSegment) -> Prot {
        if self.read_implies_exec() && seg.prot.contains(Prot::READ) {
            Prot(seg.prot.0 | Prot::EXEC.0)
        } else {
            seg.prot
        }
    }

    /// Whether the stack VMA is executable (`setup_arg_pages`).
    pub fn stack_executable(&self) -> bool {
        match self.stack {
            ExecStack::Enabled => true,
            ExecStack::Disabled => false,
            ExecStack::Default => self.read_implies_exec(),
        }
    }
}
