//! `load_elf_binary`'s reading half: the ELF header and program headers,
//! checked as Linux checks them (and, where noted, a little more).

use alloc::vec::Vec;

use goblin::container::{Container, Ctx};
use goblin::elf::header::{EI_CLASS, EI_DATA, EI_VERSION, ELFMAG, SELFMAG};
use goblin::elf::program_header::{
    PF_X, PT_GNU_STACK, PT_INTERP, PT_LOAD, PT_PHDR, PT_TLS, ProgramHeader,
};
use goblin::elf::{Elf, Header};

use crate::error::ExecError;
use crate::load::{LoadSegment, check_segments};
use crate::{
    ELF_ET_DYN_BASE_32, ELF_ET_DYN_BASE_64, PAGE_SIZE, PATH_MAX, TASK_SIZE_32, TASK_SIZE_64,
};

/// Where [`parse`] reads an executable from: bytes in memory (the host's
/// tests), or the kernel's open file, read piece by piece as Linux's
/// `elf_read` does, so exec never copies more than the headers.
pub trait ElfSource {
    /// The file's size in bytes.
    fn size(&self) -> u64;
    /// Exactly `len` bytes at `offset`, or None if the file ends first or
    /// cannot be read.
    fn read_exact_at(&self, offset: u64, len: usize) -> Option<Vec<u8>>;
}

impl ElfSource for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read_exact_at(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        let start = usize::try_from(offset).ok()?;
        self.get(start..start.checked_add(len)?).map(<[u8]>::to_vec)
    }
}

impl ElfSource for Vec<u8> {
    fn size(&self) -> u64 {
        self.as_slice().size()
    }

    fn read_exact_at(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        self.as_slice().read_exact_at(offset, len)
    }
}

impl<T: ElfSource + ?Sized> ElfSource for &T {
    fn size(&self) -> u64 {
        (**self).size()
    }

    fn read_exact_at(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        (**self).read_exact_at(offset, len)
    }
}

/// The most of a file's start [`parse`] looks at first: an ELF64 header.
const EHDR_MAX: u64 = 64;

const ELFCLASS32: u8 = 1;
const ELFCLASS64: u8 = 2;
const ELFDATA2LSB: u8 = 1;
const EV_CURRENT: u8 = 1;
const ET_EXEC: u16 = 2;
const ET_DYN: u16 = 3;
/// Machines Linux's x86_64 kernel runs: `elf_check_arch` and, under IA32
/// emulation, `compat_elf_check_arch` (which still accepts EM_486).
pub const EM_386: u16 = 3;
pub const EM_486: u16 = 6;
pub const EM_X86_64: u16 = 62;

/// ELF class: the process's word size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// ELFCLASS32, an i386 program run under IA32 emulation.
    Elf32,
    /// ELFCLASS64, an x86_64 program.
    Elf64,
}

impl Class {
    /// Bytes in a user word (`elf_addr_t`): 4 or 8.
    pub fn word_size(self) -> u64 {
        match self {
            Class::Elf32 => 4,
            Class::Elf64 => 8,
        }
    }

    /// `sizeof(struct elf_phdr)`: AT_PHENT and the only valid `e_phentsize`.
    pub fn phent_size(self) -> u16 {
        match self {
            Class::Elf32 => 32,
            Class::Elf64 => 56,
        }
    }

    /// `EI_CLASS` for this class: ELFCLASS32 (1) or ELFCLASS64 (2).
    pub fn ei_class(self) -> u8 {
        match self {
            Class::Elf32 => ELFCLASS32,
            Class::Elf64 => ELFCLASS64,
        }
    }

    /// `sizeof(struct elfhdr)`: 52 or 64 bytes.
    pub fn ehdr_size(self) -> usize {
        match self {
            Class::Elf32 => 52,
            Class::Elf64 => 64,
        }
    }

    /// Largest value an address field (`Elf32_Addr`/`Elf64_Addr`) holds.
    pub fn addr_max(self) -> u64 {
        match self {
            Class::Elf32 => u64::from(u32::MAX),
            Class::Elf64 => u64::MAX,
        }
    }

    /// TASK_SIZE for a process of this class.
    pub fn task_size(self) -> u64 {
        match self {
            Class::Elf32 => TASK_SIZE_32,
            Class::Elf64 => TASK_SIZE_64,
        }
    }

    /// Linux's `ELF_ET_DYN_BASE` for this class (before randomisation).
    pub fn et_dyn_base(self) -> u64 {
        match self {
            Class::Elf32 => ELF_ET_DYN_BASE_32,
            Class::Elf64 => ELF_ET_DYN_BASE_64,
        }
    }

    /// AT_PLATFORM's string: `ELF_PLATFORM` / `COMPAT_ELF_PLATFORM`.
    pub fn platform(self) -> &'static [u8] {
        match self {
            Class::Elf32 => b"i686",
            Class::Elf64 => b"x86_64",
        }
    }
}

/// `e_type`: fixed-address executable or position-independent one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ElfType {
    /// ET_EXEC: loaded at its link addresses (load bias 0).
    Exec,
    /// ET_DYN: PIE or static-pie, loaded at a (randomised) load bias.
    Dyn,
}

/// What PT_GNU_STACK says: Linux's `EXSTACK_*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExecStack {
    /// No PT_GNU_STACK (EXSTACK_DEFAULT).
    Default,
    /// PT_GNU_STACK without PF_X (EXSTACK_DISABLE_X).
    Disabled,
    /// PT_GNU_STACK with PF_X (EXSTACK_ENABLE_X).
    Enabled,
}

/// The program interpreter PT_INTERP names (the first one, as Linux).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Interp {
    /// The path, without its NUL, cut at the first NUL as `open_exec` reads it.
    pub path: Vec<u8>,
}

/// The PT_TLS template, recorded for libc/ld.so tests; not checked (Linux
/// does not look at it either).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TlsInfo {
    pub offset: u64,
    pub vaddr: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

/// A validated executable: everything `load_elf_binary` needs to map it.
/// Addresses are link-time ones; add the load bias for ET_DYN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfImage {
    pub class: Class,
    pub elf_type: ElfType,
    /// `e_machine`: EM_X86_64, EM_386 or EM_486.
    pub machine: u16,
    /// `e_entry`.
    pub entry: u64,
    /// `e_phoff`, `e_phnum`; AT_PHNUM is `phnum`, AT_PHENT `class.phent_size()`.
    pub phoff: u64,
    pub phnum: u16,
    /// Where the program headers are in memory, as Linux 6.x computes AT_PHDR:
    /// the PT_LOAD whose file bytes contain `e_phoff` (the last such one);
    /// 0 when none does (Linux then passes the bare load bias).
    pub phdr_addr: u64,
    /// PT_PHDR's `p_vaddr`, if present: for cross-checks only, Linux ignores it.
    pub pt_phdr: Option<u64>,
    /// The PT_LOAD segments, in file order (ascending, non-overlapping).
    pub segments: Vec<LoadSegment>,
    pub interp: Option<Interp>,
    pub stack: ExecStack,
    pub tls: Option<TlsInfo>,
}

// The checks Linux makes on e_ident, plus class/data/version: gives the class.
fn check_ident(file: &[u8]) -> Result<Class, ExecError> {
    if file.len() < SELFMAG || &file[..SELFMAG] != ELFMAG {
        return Err(ExecError::NotElf);
    }
    let byte = |i: usize| file.get(i).copied().ok_or(ExecError::TruncatedHeader);
    let class = match byte(EI_CLASS)? {
        ELFCLASS32 => Class::Elf32,
        ELFCLASS64 => Class::Elf64,
        other => return Err(ExecError::BadClass(other)),
    };
    match byte(EI_DATA)? {
        ELFDATA2LSB => {}
        other => return Err(ExecError::BadData(other)),
    }
    match byte(EI_VERSION)? {
        EV_CURRENT => Ok(class),
        other => Err(ExecError::BadVersion(other)),
    }
}

// elf_check_arch / compat_elf_check_arch for the class.
fn check_machine(class: Class, machine: u16) -> Result<(), ExecError> {
    let ok = match class {
        Class::Elf64 => machine == EM_X86_64,
        Class::Elf32 => machine == EM_386 || machine == EM_486,
    };
    if ok {
        Ok(())
    } else {
        Err(ExecError::WrongMachine {
            class: class.ei_class(),
            machine,
        })
    }
}

// load_elf_phdrs: size checks, then the table read from the file.
fn load_elf_phdrs<S: ElfSource + ?Sized>(
    file: &S,
    hdr: &Header,
    class: Class,
) -> Result<Vec<ProgramHeader>, ExecError> {
    if hdr.e_phentsize != class.phent_size() {
        return Err(ExecError::BadPhentsize(hdr.e_phentsize));
    }
    let size = u64::from(hdr.e_phnum) * u64::from(hdr.e_phentsize);
    if size == 0 || size > PAGE_SIZE {
        return Err(ExecError::BadPhnum(hdr.e_phnum));
    }
    let end = hdr
        .e_phoff
        .checked_add(size)
        .ok_or(ExecError::PhdrsOutsideFile)?;
    if end > file.size() {
        return Err(ExecError::PhdrsOutsideFile);
    }
    // size <= PAGE_SIZE, checked above.
    let table = file
        .read_exact_at(hdr.e_phoff, size as usize)
        .ok_or(ExecError::PhdrsOutsideFile)?;
    let container = match class {
        Class::Elf32 => Container::Little,
        Class::Elf64 => Container::Big,
    };
    let ctx = Ctx::new(container, goblin::container::Endian::Little);
    ProgramHeader::parse(&table, 0, usize::from(hdr.e_phnum), ctx).map_err(|_| ExecError::Malformed)
}

// The first PT_INTERP, checked as load_elf_binary does.
fn read_interp<S: ElfSource + ?Sized>(file: &S, ph: &ProgramHeader) -> Result<Interp, ExecError> {
    if ph.p_filesz > PATH_MAX || ph.p_filesz < 2 {
        return Err(ExecError::InterpBadSize(ph.p_filesz));
    }
    // p_filesz <= PATH_MAX, checked above.
    let bytes = ph
        .p_offset
        .checked_add(ph.p_filesz)
        .filter(|&end| end <= file.size())
        .and_then(|_| file.read_exact_at(ph.p_offset, ph.p_filesz as usize))
        .ok_or(ExecError::InterpOutsideFile)?;
    let (last, _) = bytes
        .split_last()
        .ok_or(ExecError::InterpBadSize(ph.p_filesz))?;
    if *last != 0 {
        return Err(ExecError::InterpNotTerminated);
    }
    let path: Vec<u8> = bytes.iter().copied().take_while(|&b| b != 0).collect();
    if path.is_empty() {
        return Err(ExecError::InterpEmpty);
    }
    Ok(Interp { path })
}

// Linux's AT_PHDR: e_phoff translated through the PT_LOAD that maps it.
fn phdr_addr(segments: &[LoadSegment], phoff: u64) -> u64 {
    let mut addr = 0;
    for s in segments {
        if s.offset <= phoff && phoff - s.offset < s.filesz {
            addr = phoff - s.offset + s.vaddr;
        }
    }
    addr
}

/// Validate `file` as an x86 ELF executable and describe how to load it,
/// reading only the ELF header, the program headers and PT_INTERP's path.
/// Never panics; every rejection is a specific [`ExecError`].
pub fn parse<S: ElfSource + ?Sized>(file: &S) -> Result<ElfImage, ExecError> {
    let head = file
        .read_exact_at(0, file.size().min(EHDR_MAX) as usize)
        .ok_or(ExecError::TruncatedHeader)?;
    let class = check_ident(&head)?;
    let hdr_size = class.ehdr_size();
    if head.len() < hdr_size {
        return Err(ExecError::TruncatedHeader);
    }
    let hdr = Elf::parse_header(&head).map_err(|_| ExecError::Malformed)?;
    let elf_type = match hdr.e_type {
        ET_EXEC => ElfType::Exec,
        ET_DYN => ElfType::Dyn,
        other => return Err(ExecError::BadType(other)),
    };
    check_machine(class, hdr.e_machine)?;
    let phdrs = load_elf_phdrs(file, &hdr, class)?;

    let mut interp = None;
    let mut stack = ExecStack::Default;
    let mut tls = None;
    let mut pt_phdr = None;
    let mut loads = Vec::new();
    for (i, ph) in phdrs.iter().enumerate() {
        match ph.p_type {
            PT_INTERP if interp.is_none() => interp = Some(read_interp(file, ph)?),
            PT_GNU_STACK if ph.p_flags & PF_X != 0 => stack = ExecStack::Enabled,
            PT_GNU_STACK => stack = ExecStack::Disabled,
            PT_TLS if tls.is_none() => {
                let (offset, vaddr, filesz) = (ph.p_offset, ph.p_vaddr, ph.p_filesz);
                let (memsz, align) = (ph.p_memsz, ph.p_align);
                tls = Some(TlsInfo {
                    offset,
                    vaddr,
                    filesz,
                    memsz,
                    align,
                });
            }
            PT_PHDR if pt_phdr.is_none() => pt_phdr = Some(ph.p_vaddr),
            // phnum <= 4096 / 32, so the index fits in u16.
            PT_LOAD => loads.push(LoadSegment::from_phdr(i as u16, ph)),
            _ => {}
        }
    }
    check_segments(&loads, file.size(), class, elf_type)?;
    if elf_type == ElfType::Exec && hdr.e_entry >= class.task_size() {
        return Err(ExecError::BadEntry);
    }
    let phdr_addr = phdr_addr(&loads, hdr.e_phoff);
    Ok(ElfImage {
        class,
        elf_type,
        machine: hdr.e_machine,
        entry: hdr.e_entry,
        phoff: hdr.e_phoff,
        phnum: hdr.e_phnum,
        phdr_addr,
        pt_phdr,
        segments: loads,
        interp,
        stack,
        tls,
    })
}
