//! A malformed-ELF corpus derived from one valid executable: truncations,
//! corrupted identification, wrong machine or class, absurd segments, bad
//! program header tables and bad interpreter paths, each with the error
//! [`crate::parse`] must give. Host tests check every case; xtask puts the
//! files into the initramfs so the booted kernel meets the same inputs.

use alloc::vec;
use alloc::vec::Vec;

use crate::elf::{Class, EM_386, EM_X86_64, ElfImage, ElfType, parse};
use crate::error::ExecError;
use crate::load::LoadSegment;
use crate::{PAGE_SIZE, elf_pageoffset, elf_pagestart};

/// One malformed file and the error `parse` must reject it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusCase {
    /// A file-name-safe label such as `phnum-huge`.
    pub name: &'static str,
    pub file: Vec<u8>,
    pub expect: ExecError,
}

const PT_NULL: u32 = 0;
const PT_LOAD: u32 = 1;
const PT_INTERP: u32 = 3;
const EM_AARCH64: u16 = 183;

/// ELF header fields the corpus rewrites.
#[derive(Clone, Copy)]
enum Hdr {
    Type,
    Machine,
    Entry,
    Phoff,
    Phentsize,
    Phnum,
}

/// Program header fields the corpus rewrites.
#[derive(Clone, Copy)]
enum Ph {
    Type,
    Offset,
    Vaddr,
    Filesz,
    Memsz,
}

/// A copy of the valid file with class-aware field writers.
#[derive(Clone)]
struct Patch {
    class: Class,
    bytes: Vec<u8>,
    phoff: usize,
}

impl Patch {
    // Bytes in an address-sized field.
    fn word(&self) -> usize {
        self.class.word_size() as usize
    }

    // Write `value` little endian into `size` bytes at `off`, if in range.
    fn set(&mut self, off: usize, size: usize, value: u64) -> &mut Self {
        if let Some(dst) = self.bytes.get_mut(off..off + size) {
            dst.copy_from_slice(&value.to_le_bytes()[..size]);
        }
        self
    }

    // Offset and size of an ELF header field for this class.
    fn hdr_at(&self, f: Hdr) -> (usize, usize) {
        let is64 = self.class == Class::Elf64;
        match f {
            Hdr::Type => (16, 2),
            Hdr::Machine => (18, 2),
            Hdr::Entry => (24, self.word()),
            Hdr::Phoff => (if is64 { 32 } else { 28 }, self.word()),
            Hdr::Phentsize => (if is64 { 54 } else { 42 }, 2),
            Hdr::Phnum => (if is64 { 56 } else { 44 }, 2),
        }
    }

    // Offset and size of field `f` of program header `index`.
    fn ph_at(&self, index: u16, f: Ph) -> (usize, usize) {
        let base = self.phoff + usize::from(index) * usize::from(self.class.phent_size());
        let (off, size) = match (self.class, f) {
            (_, Ph::Type) => (0, 4),
            (Class::Elf64, Ph::Offset) => (8, 8),
            (Class::Elf64, Ph::Vaddr) => (16, 8),
            (Class::Elf64, Ph::Filesz) => (32, 8),
            (Class::Elf64, Ph::Memsz) => (40, 8),
            (Class::Elf32, Ph::Offset) => (4, 4),
            (Class::Elf32, Ph::Vaddr) => (8, 4),
            (Class::Elf32, Ph::Filesz) => (16, 4),
            (Class::Elf32, Ph::Memsz) => (20, 4),
        };
        (base + off, size)
    }

    // Set an ELF header field.
    fn hdr(&mut self, f: Hdr, value: u64) -> &mut Self {
        let (off, size) = self.hdr_at(f);
        self.set(off, size, value)
    }

    // Set a field of program header `index`.
    fn ph(&mut self, index: u16, f: Ph, value: u64) -> &mut Self {
        let (off, size) = self.ph_at(index, f);
        self.set(off, size, value)
    }

    // Swap the whole program headers `a` and `b`.
    fn swap_ph(&mut self, a: u16, b: u16) -> &mut Self {
        let n = usize::from(self.class.phent_size());
        let (pa, pb) = (self.ph_at(a, Ph::Type).0, self.ph_at(b, Ph::Type).0);
        let copy_a: Vec<u8> = self.bytes[pa..pa + n].to_vec();
        self.bytes.copy_within(pb..pb + n, pa);
        self.bytes[pb..pb + n].copy_from_slice(&copy_a);
        self
    }

    // The patched file.
    fn done(&mut self) -> Vec<u8> {
        core::mem::take(&mut self.bytes)
    }
}

/// The corpus as (name, file) pairs, for writing into an initramfs.
pub fn malformed_corpus(valid: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    malformed_cases(valid)
        .into_iter()
        .map(|c| (c.name, c.file))
        .collect()
}

/// Every malformed variant of `valid` with its expected error. Empty if
/// `valid` itself does not parse. Cases that need a feature the file lacks
/// (two PT_LOADs, a non-LOAD header to turn into PT_INTERP) are left out.
pub fn malformed_cases(valid: &[u8]) -> Vec<CorpusCase> {
    let Ok(img) = parse(valid) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut add = |name, file, expect| out.push(CorpusCase { name, file, expect });
    let base = Patch {
        class: img.class,
        bytes: valid.to_vec(),
        phoff: img.phoff as usize,
    };
    let p = || base.clone();
    ident_cases(&img, valid, &mut add);
    header_cases(&img, &p, &mut add);
    segment_cases(&img, valid.len() as u64, &p, &mut add);
    interp_cases(&img, valid, &p, &mut add);
    out
}

type Add<'a> = dyn FnMut(&'static str, Vec<u8>, ExecError) + 'a;

// e_ident damage and truncation of the header.
fn ident_cases(img: &ElfImage, valid: &[u8], add: &mut Add) {
    let truncated = ExecError::TruncatedHeader;
    add("empty", Vec::new(), ExecError::NotElf);
    add("truncated-magic", valid[..3].to_vec(), ExecError::NotElf);
    add("truncated-ident", valid[..16].to_vec(), truncated);
    add(
        "truncated-header",
        valid[..img.class.ehdr_size() - 1].to_vec(),
        truncated,
    );
    let other = if img.class == Class::Elf64 { 1 } else { 2 };
    let wrong_class = ExecError::WrongMachine {
        class: other,
        machine: img.machine,
    };
    let edits = [
        ("bad-magic", 1, b'X', ExecError::NotElf),
        ("bad-class-0", 4, 0, ExecError::BadClass(0)),
        ("bad-class-3", 4, 3, ExecError::BadClass(3)),
        ("wrong-class", 4, other, wrong_class),
        ("big-endian", 5, 2, ExecError::BadData(2)),
        ("bad-version", 6, 0, ExecError::BadVersion(0)),
    ];
    for (name, at, byte, expect) in edits {
        let mut f = valid.to_vec();
        f[at] = byte;
        add(name, f, expect);
    }
}

// e_type, e_machine, e_entry and the program header table.
fn header_cases(img: &ElfImage, p: &dyn Fn() -> Patch, add: &mut Add) {
    let class = img.class.ei_class();
    let phent = u64::from(img.class.phent_size());
    let over = PAGE_SIZE / phent + 1;
    let other = if img.class == Class::Elf64 {
        EM_386
    } else {
        EM_X86_64
    };
    let len = p().bytes.len() as u64;
    let machine = |m: u16| ExecError::WrongMachine { class, machine: m };
    let edits = [
        ("type-rel", Hdr::Type, 1, ExecError::BadType(1)),
        ("type-core", Hdr::Type, 4, ExecError::BadType(4)),
        (
            "machine-aarch64",
            Hdr::Machine,
            EM_AARCH64,
            machine(EM_AARCH64),
        ),
        ("machine-other-x86", Hdr::Machine, other, machine(other)),
        (
            "phentsize-wrong",
            Hdr::Phentsize,
            phent as u16 + 1,
            ExecError::BadPhentsize(phent as u16 + 1),
        ),
        ("phnum-zero", Hdr::Phnum, 0, ExecError::BadPhnum(0)),
        (
            "phnum-huge",
            Hdr::Phnum,
            0xffff,
            ExecError::BadPhnum(0xffff),
        ),
        (
            "phnum-over-page",
            Hdr::Phnum,
            over as u16,
            ExecError::BadPhnum(over as u16),
        ),
    ];
    for (name, field, value, expect) in edits {
        add(name, p().hdr(field, value.into()).done(), expect);
    }
    let outside = ExecError::PhdrsOutsideFile;
    add("phoff-past-end", p().hdr(Hdr::Phoff, len).done(), outside);
    add(
        "phoff-overflow",
        p().hdr(Hdr::Phoff, img.class.addr_max()).done(),
        outside,
    );
    let cut = img.phoff + phent / 2;
    if cut >= img.class.ehdr_size() as u64 {
        let mut f = p().done();
        f.truncate(cut as usize);
        add("truncated-phdrs", f, outside);
    }
    if img.elf_type == ElfType::Exec {
        let entry = p().hdr(Hdr::Entry, img.task_size()).done();
        add("entry-above-task-size", entry, ExecError::BadEntry);
    }
}

// PT_LOAD damage: sizes, file range, alignment, order, address space.
fn segment_cases(img: &ElfImage, len: u64, p: &dyn Fn() -> Patch, add: &mut Add) {
    let segs = &img.segments;
    let (Some(first), Some(last)) = (segs.first(), segs.last()) else {
        return;
    };
    let task = img.task_size();
    let mut none = p();
    for s in segs {
        none.ph(s.index, Ph::Type, PT_NULL.into());
    }
    add("no-load", none.done(), ExecError::NoLoadSegments);
    let i = first.index;
    let big = ExecError::FileszAboveMemsz { index: i };
    add(
        "filesz-above-memsz",
        p().ph(i, Ph::Filesz, first.memsz + 1).done(),
        big,
    );
    if let Some(s) = segs.iter().find(|s| s.filesz > 0) {
        let misaligned = ExecError::Misaligned { index: s.index };
        add(
            "misaligned",
            p().ph(s.index, Ph::Vaddr, s.vaddr + 1).done(),
            misaligned,
        );
        let past = elf_pagestart(len) + PAGE_SIZE + elf_pageoffset(s.vaddr);
        let outside = ExecError::SegmentOutsideFile { index: s.index };
        add(
            "segment-past-end",
            p().ph(s.index, Ph::Offset, past).done(),
            outside,
        );
        let huge = elf_pagestart(img.class.addr_max()) + elf_pageoffset(s.vaddr);
        add(
            "segment-offset-overflow",
            p().ph(s.index, Ph::Offset, huge).done(),
            outside,
        );
    }
    truncated_segment(img, p, add);
    let j = last.index;
    let wrap_vaddr = elf_pagestart(img.class.addr_max()) + elf_pageoffset(last.offset);
    let wrap = p()
        .ph(j, Ph::Vaddr, wrap_vaddr)
        .ph(j, Ph::Memsz, last.memsz + PAGE_SIZE)
        .done();
    let wrapped = match (img.class, img.elf_type) {
        (Class::Elf64, _) => ExecError::AddressOverflow { index: j },
        (Class::Elf32, ElfType::Exec) => ExecError::AboveTaskSize { index: j },
        (Class::Elf32, ElfType::Dyn) => ExecError::ImageTooLarge,
    };
    add("vaddr-overflow", wrap, wrapped);
    let absurd = ExecError::AboveTaskSize { index: j };
    add(
        "memsz-absurd",
        p().ph(j, Ph::Memsz, task + 1).done(),
        absurd,
    );
    let span = match img.elf_type {
        ElfType::Exec if last.vaddr > 0 => Some(ExecError::AboveTaskSize { index: j }),
        ElfType::Dyn if last.vaddr > elf_pagestart(first.vaddr) => Some(ExecError::ImageTooLarge),
        _ => None,
    };
    if let Some(expect) = span {
        add("span-too-large", p().ph(j, Ph::Memsz, task).done(), expect);
    }
    let high = elf_pagestart(task) + elf_pageoffset(last.offset);
    let above = match img.elf_type {
        ElfType::Exec => Some(ExecError::AboveTaskSize { index: j }),
        ElfType::Dyn if high + last.memsz - elf_pagestart(first.vaddr) > task => {
            Some(ExecError::ImageTooLarge)
        }
        ElfType::Dyn => None,
    };
    if let Some(expect) = above {
        add("above-task-size", p().ph(j, Ph::Vaddr, high).done(), expect);
    }
    order_cases(segs, p, add);
}

// A file cut in the middle of the last segment's file bytes.
fn truncated_segment(img: &ElfImage, p: &dyn Fn() -> Patch, add: &mut Add) {
    let file_end = |s: &LoadSegment| s.offset + s.filesz;
    let Some(s) = img
        .segments
        .iter()
        .filter(|s| s.filesz > 1)
        .max_by_key(|s| file_end(s))
    else {
        return;
    };
    let cut = s.offset + s.filesz / 2;
    let headers_end = img.phoff + img.phnum as u64 * u64::from(img.class.phent_size());
    if cut < headers_end || img.interp.is_some() {
        return;
    }
    let Some(bad) = img
        .segments
        .iter()
        .find(|t| t.filesz > 0 && file_end(t) > cut)
    else {
        return;
    };
    let mut f = p().done();
    f.truncate(cut as usize);
    add(
        "truncated-segment",
        f,
        ExecError::SegmentOutsideFile { index: bad.index },
    );
}

// Two PT_LOADs swapped, and one moved inside the one before it.
fn order_cases(segs: &[LoadSegment], p: &dyn Fn() -> Patch, add: &mut Add) {
    let [a, b, ..] = segs else { return };
    let unordered = ExecError::SegmentsUnordered { index: b.index };
    add(
        "segments-unordered",
        p().swap_ph(a.index, b.index).done(),
        unordered,
    );
    let mut inside = elf_pagestart(a.vaddr) + elf_pageoffset(b.offset);
    if inside < a.vaddr {
        inside += PAGE_SIZE;
    }
    if inside < a.end() {
        let overlap = ExecError::SegmentsOverlap { index: b.index };
        add(
            "segments-overlap",
            p().ph(b.index, Ph::Vaddr, inside).done(),
            overlap,
        );
    }
}

// PT_INTERP damage, in the file's PT_INTERP or a repurposed non-LOAD header.
fn interp_cases(img: &ElfImage, valid: &[u8], p: &dyn Fn() -> Patch, add: &mut Add) {
    let p_type = |i: u16| {
        let (off, _) = p().ph_at(i, Ph::Type);
        let b = valid.get(off..off + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let slot = (0..img.phnum)
        .find(|&i| p_type(i) == Some(PT_INTERP))
        .or_else(|| (0..img.phnum).find(|&i| p_type(i).is_some_and(|t| t != PT_LOAD)));
    let Some(i) = slot else { return };
    let end = valid.len() as u64;
    let with_path = |path: &[u8], filesz: u64| {
        let mut f = p();
        f.ph(i, Ph::Type, PT_INTERP.into())
            .ph(i, Ph::Offset, end)
            .ph(i, Ph::Filesz, filesz);
        f.bytes.extend_from_slice(path);
        f.done()
    };
    add(
        "interp-not-terminated",
        with_path(b"/lib/ld.so", 10),
        ExecError::InterpNotTerminated,
    );
    let mut long = vec![b'a'; 4096];
    long.push(0);
    add(
        "interp-too-long",
        with_path(&long, 4097),
        ExecError::InterpBadSize(4097),
    );
    add(
        "interp-too-short",
        with_path(b"\0", 1),
        ExecError::InterpBadSize(1),
    );
    add(
        "interp-empty",
        with_path(b"\0\0", 2),
        ExecError::InterpEmpty,
    );
    add(
        "interp-past-end",
        with_path(b"", 16),
        ExecError::InterpOutsideFile,
    );
    let mut f = p();
    f.ph(i, Ph::Type, PT_INTERP.into())
        .ph(i, Ph::Offset, img.class.addr_max())
        .ph(i, Ph::Filesz, 16);
    add(
        "interp-offset-overflow",
        f.done(),
        ExecError::InterpOutsideFile,
    );
}
