//! The pure half of Linux's `execve` for ELF programs, as Forkline's kernel
//! uses it: what `fs/binfmt_elf.c: load_elf_binary` checks and maps, and the
//! initial user stack that `fs/exec.c: copy_strings` and
//! `fs/binfmt_elf.c: create_elf_tables` lay out.
//!
//! * [`parse`] reads through an [`ElfSource`] (a byte slice, or the
//!   kernel's file) and validates an ELF64 x86_64 or ELF32 i386 executable (`ET_EXEC`
//!   or `ET_DYN`) and returns an [`ElfImage`]: the load plan of its `PT_LOAD`
//!   segments, `PT_INTERP`, `PT_GNU_STACK`, `PT_TLS`, where the program
//!   headers sit in memory (AT_PHDR) and how much address space it spans.
//!   Any input gives either an image or a specific [`ExecError`] carrying
//!   the errno Linux would return; nothing panics.
//! * [`create_elf_tables`] builds the bytes of the initial stack (strings,
//!   platform, AT_RANDOM bytes, argc, argv, envp, auxv) for a 32- or 64-bit
//!   process, byte for byte as Linux does, and the resulting stack pointer.
//! * [`malformed_corpus`] derives broken variants of a valid ELF, each
//!   rejected by [`parse`] with a known error, for host tests and for the
//!   initramfs the booted kernel is tested against.
//!
//! How `load_elf_binary` in the kernel strings them together:
//!
//! ```no_run
//! use binfmt::*;
//! # let file = std::fs::read("/bin/true").unwrap();
//! # let (random, offset, stack_top) = ([0u8; 16], 0, 0x7fff_ffff_f000);
//! let argv: &[&[u8]] = &[b"true"];
//! // Before the point of no return: E2BIG and ENOEXEC go back to the caller.
//! bprm_stack_limits(argv, &[], b"/bin/true", 8 << 20).map_err(|e| e.errno())?;
//! let img = parse(&file).map_err(|e| e.errno())?;
//! let base = img.class.et_dyn_base() & !(img.maximum_alignment() - 1); // + randomness
//! let bias = img.load_bias(base);
//! img.check_placement(bias).map_err(|e| e.errno())?;
//! for seg in &img.segments {
//!     // map seg.file_map_len() bytes of file at seg.file_offset() to
//!     // bias + seg.map_start() with img.mmap_prot(seg), clear seg.zero_fill(),
//!     // map seg.anon_range() as zero pages (all shifted by bias).
//! }
//! let auxv = AuxvValues {
//!     phdr: img.phdr_at(bias),
//!     phnum: img.phnum.into(),
//!     entry: img.entry_at(bias),
//!     ..AuxvValues::default()
//! };
//! let stack = create_elf_tables(&StackParams {
//!     class: img.class,
//!     stack_top,
//!     argv,
//!     envp: &[],
//!     execfn: b"/bin/true",
//!     platform: img.class.platform(),
//!     random,
//!     align_offset: offset,
//!     rlim_stack: 8 << 20,
//!     auxv,
//! })
//! .map_err(|e| e.errno())?;
//! // copy stack.bytes to stack.sp, start at img.entry_at(bias) with %rsp = stack.sp
//! # Ok::<(), i32>(())
//! ```
//!
//! Everything here is `no_std` + `alloc` and free of `unsafe`.
#![no_std]

extern crate alloc;

mod auxv;
mod corpus;
mod elf;
mod error;
mod load;
mod stack;

pub use auxv::*;
pub use corpus::{CorpusCase, malformed_cases, malformed_corpus};
pub use elf::{
    Class, EM_386, EM_486, EM_X86_64, ElfImage, ElfSource, ElfType, ExecStack, Interp, TlsInfo,
    parse,
};
pub use error::ExecError;
pub use load::{LoadSegment, MmBounds, Prot};
pub use stack::{
    ARG_MAX, InitialStack, MAX_ARG_STRINGS, MAX_ARG_STRLEN, STK_LIM, StackParams,
    bprm_stack_limits, create_elf_tables,
};

/// x86's page size, Linux's `ELF_EXEC_PAGESIZE` and `ELF_MIN_ALIGN`.
pub const PAGE_SIZE: u64 = 4096;

/// Highest user address + 1 for a 64-bit process: Linux's `TASK_SIZE_MAX`
/// with 4-level paging, `(1 << 47) - PAGE_SIZE`.
pub const TASK_SIZE_64: u64 = 0x7fff_ffff_f000;

/// Highest user address + 1 for an i386 process under IA32 emulation:
/// Linux's `IA32_PAGE_OFFSET` (without the `ADDR_LIMIT_3GB` personality).
pub const TASK_SIZE_32: u64 = 0xffff_e000;

/// Where Linux puts a PIE with an interpreter before randomisation, for a
/// 64-bit process: `ELF_ET_DYN_BASE = DEFAULT_MAP_WINDOW / 3 * 2`, rounded
/// down to a page by `load_elf_binary`.
pub const ELF_ET_DYN_BASE_64: u64 = (TASK_SIZE_64 / 3 * 2) & !(PAGE_SIZE - 1);

/// The same for an i386 process: Linux's `ELF_ET_DYN_BASE` when
/// `mmap_is_ia32()`.
pub const ELF_ET_DYN_BASE_32: u64 = 0x0040_0000;

/// Linux's `PATH_MAX`: the longest `PT_INTERP` path, NUL included.
pub const PATH_MAX: u64 = 4096;

/// Rounds `addr` down to its page: Linux's `ELF_PAGESTART`.
pub const fn elf_pagestart(addr: u64) -> u64 {
    addr & !(PAGE_SIZE - 1)
}

/// Offset of `addr` in its page: Linux's `ELF_PAGEOFFSET`.
pub const fn elf_pageoffset(addr: u64) -> u64 {
    addr & (PAGE_SIZE - 1)
}

/// Rounds `addr` up to a page boundary: Linux's `ELF_PAGEALIGN`; wraps to 0
/// past the top of the address space, like the C macro, so callers check
/// ranges first.
pub const fn elf_pagealign(addr: u64) -> u64 {
    addr.wrapping_add(PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}
