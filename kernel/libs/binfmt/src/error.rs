//! Why an exec fails, and the errno Linux returns for it.

use core::fmt;

/// Linux's errno values used by exec (positive, as in `<errno.h>`).
const ENOENT: i32 = 2;
const EIO: i32 = 5;
const E2BIG: i32 = 7;
const ENOEXEC: i32 = 8;
const ENOMEM: i32 = 12;
const EINVAL: i32 = 22;
const ELIBBAD: i32 = 80;

/// Every way [`crate::parse`] or [`crate::create_elf_tables`] can refuse.
///
/// `index` fields name the program header (0-based) at fault. Where
/// Forkline is stricter than Linux the variant says so; [`ExecError::errno`]
/// gives what `execve` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExecError {
    /// No `\x7fELF` magic (files shorter than 4 bytes included). ENOEXEC.
    NotElf,
    /// Shorter than the ELF header of its class. ENOEXEC.
    TruncatedHeader,
    /// `EI_CLASS` is neither ELFCLASS32 nor ELFCLASS64. ENOEXEC.
    BadClass(u8),
    /// `EI_DATA` is not ELFDATA2LSB. ENOEXEC (Linux's arch check fails on
    /// the byte-swapped `e_machine`).
    BadData(u8),
    /// `EI_VERSION` is not EV_CURRENT. ENOEXEC; Linux does not check it.
    BadVersion(u8),
    /// `e_type` is neither ET_EXEC nor ET_DYN. ENOEXEC.
    BadType(u16),
    /// Not EM_X86_64 in an ELF64 file, or not EM_386/EM_486 in an ELF32
    /// file (`elf_check_arch`, `compat_elf_check_arch`). ENOEXEC.
    WrongMachine { class: u8, machine: u16 },
    /// `e_phentsize` is not `sizeof(struct elf_phdr)` (56, or 32). ENOEXEC.
    BadPhentsize(u16),
    /// No program headers, or more than fit in `ELF_MIN_ALIGN` (4096)
    /// bytes (`load_elf_phdrs`). ENOEXEC.
    BadPhnum(u16),
    /// The program header table runs past the end of the file. ENOEXEC.
    PhdrsOutsideFile,
    /// No PT_LOAD segment. ENOEXEC; Linux gives EINVAL for ET_DYN and
    /// starts (and crashes) an ET_EXEC.
    NoLoadSegments,
    /// A PT_LOAD's `p_filesz` exceeds its `p_memsz`. EINVAL, as Linux.
    FileszAboveMemsz { index: u16 },
    /// A PT_LOAD's file bytes run past the end of the file. ENOEXEC; Linux
    /// maps them and the process gets SIGBUS on access.
    SegmentOutsideFile { index: u16 },
    /// A PT_LOAD with file bytes whose `p_offset` and `p_vaddr` differ
    /// modulo the page size, so it cannot be mmapped. EINVAL, as Linux's
    /// `vm_mmap` returns.
    Misaligned { index: u16 },
    /// `p_vaddr + p_memsz` overflows. EINVAL, as Linux.
    AddressOverflow { index: u16 },
    /// A segment ends above TASK_SIZE (`load_elf_binary`'s task size
    /// check). EINVAL, as Linux.
    AboveTaskSize { index: u16 },
    /// A PT_LOAD starts below the one before it. ENOEXEC; the ELF spec
    /// requires ascending order, Linux does not check.
    SegmentsUnordered { index: u16 },
    /// A PT_LOAD starts inside the one before it. ENOEXEC; Linux maps the
    /// later one over the earlier.
    SegmentsOverlap { index: u16 },
    /// An ET_DYN image spans more than the address space. ENOMEM, as
    /// Linux's `vm_mmap` of `total_mapping_size` returns.
    ImageTooLarge,
    /// The entry point is at or above TASK_SIZE. EINVAL, as Linux.
    BadEntry,
    /// PT_INTERP's `p_filesz` is below 2 or above PATH_MAX. ENOEXEC.
    InterpBadSize(u64),
    /// PT_INTERP's bytes run past the end of the file. EIO, as Linux's
    /// `elf_read` returns for a short read.
    InterpOutsideFile,
    /// PT_INTERP's last byte is not NUL. ENOEXEC.
    InterpNotTerminated,
    /// PT_INTERP names the empty path. ENOENT, as `open_exec("")`.
    InterpEmpty,
    /// goblin refused the header or program headers for a reason the
    /// checks above did not foresee. ENOEXEC.
    Malformed,
    /// An argument, environment string or the file name is longer than
    /// MAX_ARG_STRLEN (NUL included). E2BIG.
    ArgTooLong,
    /// argv + envp + file name exceed the limit `bprm_stack_limits` sets.
    /// E2BIG.
    ArgsTooBig,
    /// The stack top is not page aligned, is above the process's address
    /// space, or leaves no room for the tables. EINVAL (a kernel bug, not a
    /// user error).
    BadStackTop,
    /// An auxv value does not fit the process's word (32-bit process).
    /// EINVAL (a kernel bug).
    AuxvValueTooLarge { key: u64 },
    /// A string passed to `create_elf_tables` contains a NUL byte, which
    /// `strncpy_from_user` never produces. EINVAL (a kernel bug).
    NulInString,
    /// The stack alignment offset is not below 8192, the range of Linux's
    /// `arch_align_stack`. EINVAL (a kernel bug).
    BadAlignOffset,
}

impl ExecError {
    // The ELF header or program header table itself is unusable.
    fn is_header_error(self) -> bool {
        use ExecError::*;
        matches!(
            self,
            NotElf
                | TruncatedHeader
                | BadClass(_)
                | BadData(_)
                | BadVersion(_)
                | BadType(_)
                | WrongMachine { .. }
                | BadPhentsize(_)
                | BadPhnum(_)
                | PhdrsOutsideFile
                | Malformed
        )
    }

    /// The errno (positive) `execve` returns for this error, as Linux.
    pub fn errno(self) -> i32 {
        use ExecError::*;
        match self {
            _ if self.is_header_error() => ENOEXEC,
            InterpEmpty => ENOENT,
            InterpOutsideFile => EIO,
            ArgTooLong | ArgsTooBig => E2BIG,
            ImageTooLarge => ENOMEM,
            FileszAboveMemsz { .. }
            | Misaligned { .. }
            | AddressOverflow { .. }
            | AboveTaskSize { .. }
            | BadEntry
            | BadStackTop
            | AuxvValueTooLarge { .. }
            | NulInString
            | BadAlignOffset => EINVAL,
            _ => ENOEXEC,
        }
    }

    /// The errno when this error is in the program interpreter (the file
    /// PT_INTERP names) rather than the program: Linux reports a bad
    /// interpreter header or program header table as ELIBBAD, an
    /// interpreter without PT_LOAD as EINVAL and a segment beyond TASK_SIZE
    /// as ENOMEM (`load_elf_interp`). Linux's quirk of returning -1 (EPERM)
    /// for an interpreter of the wrong `e_type` is not copied: ELIBBAD.
    pub fn interp_errno(self) -> i32 {
        use ExecError::*;
        match self {
            _ if self.is_header_error() => ELIBBAD,
            NoLoadSegments => EINVAL,
            FileszAboveMemsz { .. } | AddressOverflow { .. } | AboveTaskSize { .. } => ENOMEM,
            other => other.errno(),
        }
    }
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        use ExecError::*;
        match self {
            NotElf => write!(f, "not an ELF file"),
            TruncatedHeader => write!(f, "ELF header truncated"),
            BadClass(c) => write!(f, "bad ELF class {c}"),
            BadData(d) => write!(f, "not little-endian (EI_DATA {d})"),
            BadVersion(v) => write!(f, "bad ELF version {v}"),
            BadType(t) => write!(f, "ELF type {t} is neither ET_EXEC nor ET_DYN"),
            WrongMachine { class, machine } => {
                write!(f, "machine {machine} is not x86 for ELF class {class}")
            }
            BadPhentsize(s) => write!(f, "program header size {s} is wrong for the class"),
            BadPhnum(n) => write!(f, "{n} program headers (need 1 to 4096 bytes of them)"),
            PhdrsOutsideFile => write!(f, "program headers run past the end of the file"),
            NoLoadSegments => write!(f, "no PT_LOAD segment"),
            FileszAboveMemsz { index } => write!(f, "segment {index}: p_filesz > p_memsz"),
            SegmentOutsideFile { index } => {
                write!(f, "segment {index} runs past the end of the file")
            }
            Misaligned { index } => {
                write!(f, "segment {index}: p_offset and p_vaddr not congruent")
            }
            AddressOverflow { index } => write!(f, "segment {index}: p_vaddr + p_memsz overflows"),
            AboveTaskSize { index } => write!(f, "segment {index} ends above TASK_SIZE"),
            SegmentsUnordered { index } => write!(f, "segment {index} is below the one before"),
            SegmentsOverlap { index } => write!(f, "segment {index} overlaps the one before"),
            ImageTooLarge => write!(f, "image larger than the address space"),
            BadEntry => write!(f, "entry point above TASK_SIZE"),
            InterpBadSize(n) => write!(f, "PT_INTERP size {n} out of range"),
            InterpOutsideFile => write!(f, "PT_INTERP runs past the end of the file"),
            InterpNotTerminated => write!(f, "PT_INTERP path not NUL-terminated"),
            InterpEmpty => write!(f, "PT_INTERP path is empty"),
            Malformed => write!(f, "malformed ELF headers"),
            ArgTooLong => write!(f, "argument longer than MAX_ARG_STRLEN"),
            ArgsTooBig => write!(f, "arguments and environment too big"),
            BadStackTop => write!(f, "bad stack top"),
            AuxvValueTooLarge { key } => write!(f, "auxv {key} does not fit a 32-bit word"),
            NulInString => write!(f, "NUL byte inside an exec string"),
            BadAlignOffset => write!(f, "stack alignment offset not below 8192"),
        }
    }
}
