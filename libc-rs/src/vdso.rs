//! Finding functions in the vDSO by name *and* version, from
//! AT_SYSINFO_EHDR: the dynamic section gives the symbol and string tables,
//! DT_GNU_HASH or DT_HASH finds the symbol, DT_VERSYM/DT_VERDEF check that
//! its version is the one asked for (e.g. `LINUX_2.6`).
//!
//! Both hash tables are implemented; [`lookup_with`] lets a test use each
//! one alone (`__fl_vdso_lookup` for C).

use crate::arch::elf::{Phdr, Sym};
use crate::c_char;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const DT_NULL: isize = 0;
const DT_HASH: isize = 4;
const DT_STRTAB: isize = 5;
const DT_SYMTAB: isize = 6;
const DT_GNU_HASH: isize = 0x6ffffef5;
const DT_VERSYM: isize = 0x6ffffff0;
const DT_VERDEF: isize = 0x6ffffffc;
const VER_FLG_BASE: u16 = 1;
const STT_FUNC: u8 = 2;
const STB_GLOBAL: u8 = 1;
const STB_WEAK: u8 = 2;

/// Which hash table to search.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Table {
    /// DT_GNU_HASH if present, else DT_HASH (what a loader does).
    Any,
    Gnu,
    Sysv,
}

/// The parts of the vDSO's dynamic section a lookup needs.
#[derive(Clone, Copy)]
struct Image {
    bias: usize,
    symtab: *const Sym,
    strtab: *const u8,
    hash: *const u32,
    gnu_hash: *const u32,
    versym: *const u16,
    verdef: *const u8,
}

#[repr(C)]
struct Dyn {
    tag: isize,
    val: usize,
}

#[repr(C)]
struct Verdef {
    vd_version: u16,
    vd_flags: u16,
    vd_ndx: u16,
    vd_cnt: u16,
    vd_hash: u32,
    vd_aux: u32,
    vd_next: u32,
}

#[repr(C)]
struct Verdaux {
    vda_name: u32,
    vda_next: u32,
}

/// The ELF header fields we read (same shape for ELF32 and ELF64 with
/// native-width addresses).
#[repr(C)]
struct Ehdr {
    e_ident: [u8; 16],
    e_type: u16,
    e_machine: u16,
    e_version: u32,
    e_entry: usize,
    e_phoff: usize,
    e_shoff: usize,
    e_flags: u32,
    e_ehsize: u16,
    e_phentsize: u16,
    e_phnum: u16,
}

static EHDR: AtomicUsize = AtomicUsize::new(0);

/// Parse the vDSO image at `ehdr`.
unsafe fn image(ehdr: usize) -> Option<Image> {
    if ehdr == 0 {
        return None;
    }
    // SAFETY: the kernel maps a complete ELF image at AT_SYSINFO_EHDR.
    unsafe {
        let eh = &*(ehdr as *const Ehdr);
        if eh.e_ident[..4] != *b"\x7fELF" {
            return None;
        }
        let ph =
            core::slice::from_raw_parts((ehdr + eh.e_phoff) as *const Phdr, eh.e_phnum as usize);
        let mut bias = None;
        let mut dynamic = 0;
        for p in ph {
            if p.p_type == PT_LOAD && bias.is_none() {
                bias = Some(ehdr + p.p_offset - p.p_vaddr);
            } else if p.p_type == PT_DYNAMIC {
                dynamic = p.p_vaddr;
            }
        }
        let bias = bias?;
        if dynamic == 0 {
            return None;
        }
        let mut im = Image {
            bias,
            symtab: core::ptr::null(),
            strtab: core::ptr::null(),
            hash: core::ptr::null(),
            gnu_hash: core::ptr::null(),
            versym: core::ptr::null(),
            verdef: core::ptr::null(),
        };
        let mut d = (bias + dynamic) as *const Dyn;
        while (*d).tag != DT_NULL {
            let v = bias + (*d).val;
            match (*d).tag {
                DT_SYMTAB => im.symtab = v as _,
                DT_STRTAB => im.strtab = v as _,
                DT_HASH => im.hash = v as _,
                DT_GNU_HASH => im.gnu_hash = v as _,
                DT_VERSYM => im.versym = v as _,
                DT_VERDEF => im.verdef = v as _,
                _ => {}
            }
            d = d.add(1);
        }
        if im.symtab.is_null()
            || im.strtab.is_null()
            || (im.hash.is_null() && im.gnu_hash.is_null())
        {
            return None;
        }
        Some(im)
    }
}

/// Compare the C string at `s` with `want`.
unsafe fn c_eq(s: *const u8, want: &[u8]) -> bool {
    // SAFETY: s is a NUL-terminated string in the image's string table.
    unsafe {
        for (i, &b) in want.iter().enumerate() {
            if *s.add(i) != b {
                return false;
            }
        }
        *s.add(want.len()) == 0
    }
}

/// The SysV ELF hash.
fn elf_hash(name: &[u8]) -> u32 {
    let mut h: u32 = 0;
    for &c in name {
        h = (h << 4).wrapping_add(c as u32);
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
        }
        h &= !g;
    }
    h
}

/// The GNU hash (djb2).
fn gnu_hash(name: &[u8]) -> u32 {
    name.iter()
        .fold(5381u32, |h, &c| h.wrapping_mul(33).wrapping_add(c as u32))
}

impl Image {
    /// Does symbol `i` have version `ver` (per DT_VERSYM/DT_VERDEF)?
    unsafe fn version_ok(&self, i: usize, ver: &[u8]) -> bool {
        if self.versym.is_null() || self.verdef.is_null() {
            return true;
        }
        // SAFETY: the tables are inside the image; the verdef chain ends with
        // vd_next == 0.
        unsafe {
            let want = *self.versym.add(i) & 0x7fff;
            let mut d = self.verdef;
            loop {
                let vd = &*(d as *const Verdef);
                if vd.vd_flags & VER_FLG_BASE == 0 && vd.vd_ndx & 0x7fff == want {
                    let aux = &*(d.add(vd.vd_aux as usize) as *const Verdaux);
                    return c_eq(self.strtab.add(aux.vda_name as usize), ver);
                }
                if vd.vd_next == 0 {
                    return false;
                }
                d = d.add(vd.vd_next as usize);
            }
        }
    }

    /// Is symbol `i` the defined function `name` of version `ver`?
    unsafe fn matches(&self, i: usize, name: &[u8], ver: &[u8]) -> bool {
        // SAFETY: i indexes the symbol table (from a hash chain).
        unsafe {
            let s = &*self.symtab.add(i);
            let bind = s.st_info >> 4;
            s.st_shndx != 0
                && s.st_info & 0xf == STT_FUNC
                && (bind == STB_GLOBAL || bind == STB_WEAK)
                && c_eq(self.strtab.add(s.st_name as usize), name)
                && self.version_ok(i, ver)
        }
    }

    /// Search DT_HASH: nbucket, nchain, bucket[nbucket], chain[nchain].
    unsafe fn find_sysv(&self, name: &[u8], ver: &[u8]) -> Option<usize> {
        if self.hash.is_null() {
            return None;
        }
        // SAFETY: the table layout above, inside the image.
        unsafe {
            let nbucket = *self.hash as usize;
            let buckets = self.hash.add(2);
            let chains = buckets.add(nbucket);
            let mut i = *buckets.add(elf_hash(name) as usize % nbucket) as usize;
            while i != 0 {
                if self.matches(i, name, ver) {
                    return Some(i);
                }
                i = *chains.add(i) as usize;
            }
        }
        None
    }

    /// Search DT_GNU_HASH: nbuckets, symoffset, bloom_size, bloom_shift,
    /// bloom[bloom_size] (address-sized words), buckets[nbuckets], chain[].
    unsafe fn find_gnu(&self, name: &[u8], ver: &[u8]) -> Option<usize> {
        if self.gnu_hash.is_null() {
            return None;
        }
        // SAFETY: the table layout above, inside the image.
        unsafe {
            let g = self.gnu_hash;
            let (nbuckets, symoffset, bloom_size, shift) = (*g, *g.add(1), *g.add(2), *g.add(3));
            let h = gnu_hash(name);
            let bloom = g.add(4) as *const usize;
            let bits = usize::BITS;
            let word = *bloom.add(((h / bits) % bloom_size) as usize);
            let mask = (1usize << (h % bits)) | (1usize << ((h >> shift) % bits));
            if word & mask != mask {
                return None;
            }
            let buckets = bloom.add(bloom_size as usize) as *const u32;
            let chain = buckets.add(nbuckets as usize);
            let mut i = *buckets.add((h % nbuckets) as usize) as usize;
            if i == 0 {
                return None;
            }
            loop {
                let ch = *chain.add(i - symoffset as usize);
                if ch | 1 == h | 1 && self.matches(i, name, ver) {
                    return Some(i);
                }
                if ch & 1 != 0 {
                    return None;
                }
                i += 1;
            }
        }
    }
}

/// Address of function `name` with version `ver` in the vDSO at `ehdr`,
/// searched through `table`; 0 when absent.
pub fn lookup_with(ehdr: usize, name: &[u8], ver: &[u8], table: Table) -> usize {
    // SAFETY: ehdr is AT_SYSINFO_EHDR (or 0); the image module checks it.
    unsafe {
        let Some(im) = image(ehdr) else { return 0 };
        let i = match table {
            Table::Gnu => im.find_gnu(name, ver),
            Table::Sysv => im.find_sysv(name, ver),
            Table::Any if !im.gnu_hash.is_null() => im.find_gnu(name, ver),
            Table::Any => im.find_sysv(name, ver),
        };
        match i {
            Some(i) => im.bias + (*im.symtab.add(i)).st_value,
            None => 0,
        }
    }
}

/// Address of vDSO function `name`@`ver`, or 0.
pub fn lookup(name: &[u8], ver: &[u8]) -> usize {
    lookup_with(EHDR.load(Relaxed), name, ver, Table::Any)
}

/// Startup stage 4: remember the vDSO and resolve the time functions.
pub fn init(ehdr: usize) {
    EHDR.store(ehdr, Relaxed);
    crate::time::init_vdso();
}

/// For tests: look `name`@`version` up with table 0 (any), 1 (GNU) or 2
/// (SysV) in the process's vDSO. Declared in `<forkline.h>`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_vdso_lookup(
    name: *const c_char,
    version: *const c_char,
    table: i32,
) -> usize {
    let t = match table {
        1 => Table::Gnu,
        2 => Table::Sysv,
        _ => Table::Any,
    };
    // SAFETY: C strings from the caller.
    unsafe {
        let n = core::slice::from_raw_parts(name as *const u8, crate::string::str::strlen(name));
        let v =
            core::slice::from_raw_parts(version as *const u8, crate::string::str::strlen(version));
        lookup_with(EHDR.load(Relaxed), n, v, t)
    }
}
