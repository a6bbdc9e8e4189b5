//! The auxiliary vector: its keys (`<uapi/linux/auxvec.h>`, x86's
//! `<asm/auxvec.h>`) and the order `create_elf_tables` writes them in.

use alloc::vec::Vec;

use crate::elf::Class;

pub const AT_NULL: u64 = 0;
pub const AT_IGNORE: u64 = 1;
pub const AT_EXECFD: u64 = 2;
pub const AT_PHDR: u64 = 3;
pub const AT_PHENT: u64 = 4;
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
pub const AT_BASE: u64 = 7;
pub const AT_FLAGS: u64 = 8;
pub const AT_ENTRY: u64 = 9;
pub const AT_NOTELF: u64 = 10;
pub const AT_UID: u64 = 11;
pub const AT_EUID: u64 = 12;
pub const AT_GID: u64 = 13;
pub const AT_EGID: u64 = 14;
pub const AT_PLATFORM: u64 = 15;
pub const AT_HWCAP: u64 = 16;
pub const AT_CLKTCK: u64 = 17;
pub const AT_SECURE: u64 = 23;
pub const AT_BASE_PLATFORM: u64 = 24;
pub const AT_RANDOM: u64 = 25;
pub const AT_HWCAP2: u64 = 26;
pub const AT_RSEQ_FEATURE_SIZE: u64 = 27;
pub const AT_RSEQ_ALIGN: u64 = 28;
pub const AT_HWCAP3: u64 = 29;
pub const AT_HWCAP4: u64 = 30;
pub const AT_EXECFN: u64 = 31;
pub const AT_SYSINFO: u64 = 32;
pub const AT_SYSINFO_EHDR: u64 = 33;
pub const AT_MINSIGSTKSZ: u64 = 51;

/// AT_PAGESZ: Linux's `ELF_EXEC_PAGESIZE` on x86.
pub const ELF_EXEC_PAGESIZE: u64 = 4096;
/// AT_CLKTCK: `CLOCKS_PER_SEC`, i.e. USER_HZ, 100 on x86.
pub const CLOCKS_PER_SEC: u64 = 100;

/// The vDSO mapped into the process (`mm->context.vdso`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Vdso {
    /// Address of the vDSO's ELF header: AT_SYSINFO_EHDR.
    pub base: u64,
    /// Address of `__kernel_vsyscall`: AT_SYSINFO, given to i386 processes only.
    pub entry: u64,
}

/// The values `create_elf_tables` puts in the auxv. AT_PAGESZ, AT_CLKTCK,
/// AT_PHENT, AT_RANDOM, AT_EXECFN and AT_PLATFORM are filled in by
/// [`crate::create_elf_tables`] itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AuxvValues<'a> {
    /// Present: AT_SYSINFO (i386 only) and AT_SYSINFO_EHDR come first.
    pub vdso: Option<Vdso>,
    /// AT_MINSIGSTKSZ: the signal frame size (`get_sigframe_size()`).
    pub minsigstksz: u64,
    /// AT_HWCAP: CPUID(1).EDX on x86.
    pub hwcap: u64,
    /// AT_HWCAP2: Linux's `elf_hwcap2` bits (ring3mwait, fsgsbase).
    pub hwcap2: u64,
    /// AT_PHDR, AT_PHNUM, AT_ENTRY: the program's (not the interpreter's).
    pub phdr: u64,
    pub phnum: u64,
    pub entry: u64,
    /// AT_BASE: the interpreter's load address, 0 without one.
    pub base: u64,
    /// AT_FLAGS: 0, or AT_FLAGS_PRESERVE_ARGV0 for binfmt_misc.
    pub flags: u64,
    pub uid: u32,
    pub euid: u32,
    pub gid: u32,
    pub egid: u32,
    /// AT_SECURE: set-uid/set-gid style exec.
    pub secure: bool,
    /// Entries Linux appends after AT_PLATFORM, before AT_NULL (e.g.
    /// AT_RSEQ_FEATURE_SIZE and AT_RSEQ_ALIGN with CONFIG_RSEQ). Empty for
    /// design.md's list.
    pub extra: &'a [(u64, u64)],
}

/// Addresses on the new stack that auxv entries point at.
pub(crate) struct StackAddrs {
    pub execfn: u64,
    pub platform: u64,
    pub random: u64,
}

/// The auxv pairs in Linux's order (design.md decision 4), AT_NULL last:
/// ARCH_DLINFO (AT_SYSINFO for i386, AT_SYSINFO_EHDR, AT_MINSIGSTKSZ), then
/// the generic entries of `create_elf_tables`.
pub(crate) fn auxv_entries(class: Class, v: &AuxvValues, at: &StackAddrs) -> Vec<(u64, u64)> {
    let mut aux = Vec::with_capacity(24 + v.extra.len());
    if let Some(vdso) = v.vdso {
        if class == Class::Elf32 {
            aux.push((AT_SYSINFO, vdso.entry));
        }
        aux.push((AT_SYSINFO_EHDR, vdso.base));
    }
    aux.extend([
        (AT_MINSIGSTKSZ, v.minsigstksz),
        (AT_HWCAP, v.hwcap),
        (AT_PAGESZ, ELF_EXEC_PAGESIZE),
        (AT_CLKTCK, CLOCKS_PER_SEC),
        (AT_PHDR, v.phdr),
        (AT_PHENT, u64::from(class.phent_size())),
        (AT_PHNUM, v.phnum),
        (AT_BASE, v.base),
        (AT_FLAGS, v.flags),
        (AT_ENTRY, v.entry),
        (AT_UID, u64::from(v.uid)),
        (AT_EUID, u64::from(v.euid)),
        (AT_GID, u64::from(v.gid)),
        (AT_EGID, u64::from(v.egid)),
        (AT_SECURE, u64::from(v.secure)),
        (AT_RANDOM, at.random),
        (AT_HWCAP2, v.hwcap2),
        (AT_EXECFN, at.execfn),
        (AT_PLATFORM, at.platform),
    ]);
    aux.extend_from_slice(v.extra);
    aux.push((AT_NULL, 0));
    aux
}
