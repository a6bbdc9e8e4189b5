//! Reading the images by hand where it matters: program headers, the
//! dynamic section, versions, and lookups through both hash tables.

use super::*;

/// One built image: the stripped bytes and the `.dbg`.
pub struct Built {
    pub path: PathBuf,
    pub image: Vec<u8>,
    pub dbg: Vec<u8>,
}

/// `vdso32` or `vdso64` as `cargo xtask build` left it.
pub fn built(name: &str) -> Built {
    let path = xtask::build::vdso::dir().join(format!("{name}.so"));
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask build` first",
        path.display()
    );
    let image = std::fs::read(&path).unwrap();
    let dbg = std::fs::read(vdso2c::dbg_path(&path)).unwrap();
    Built { path, image, dbg }
}

/// vdso2c's description of a built image.
pub fn parsed(name: &str) -> vdso2c::Image {
    let b = built(name);
    vdso2c::parse(&b.image, &b.dbg).unwrap_or_else(|e| panic!("{e}"))
}

/// Where vdso32's `__kernel_vsyscall` entry sequence is patched.
pub fn vsyscall_site(img: &vdso2c::Image) -> usize {
    let alt = img
        .alternatives
        .iter()
        .find(|a| a.feature == Feature::Sysenter32);
    alt.expect("no sysenter alternative").site
}

/// A little-endian integer of `n` bytes at `off`.
pub fn le(b: &[u8], off: usize, n: usize) -> u64 {
    b[off..off + n]
        .iter()
        .rev()
        .fold(0, |v, &x| v << 8 | x as u64)
}

/// A program header's fields.
#[derive(Debug)]
pub struct Phdr {
    pub p_type: u32,
    pub flags: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub filesz: u64,
    pub memsz: u64,
}

/// The program headers, parsed from the raw ELF header.
pub fn phdrs(b: &[u8]) -> Vec<Phdr> {
    let is64 = b[4] == 2;
    let (phoff, phentsize, phnum) = if is64 {
        (le(b, 32, 8), le(b, 54, 2), le(b, 56, 2))
    } else {
        (le(b, 28, 4), le(b, 42, 2), le(b, 44, 2))
    };
    (0..phnum as usize)
        .map(|i| {
            let p = phoff as usize + i * phentsize as usize;
            if is64 {
                Phdr {
                    p_type: le(b, p, 4) as u32,
                    flags: le(b, p + 4, 4) as u32,
                    offset: le(b, p + 8, 8),
                    vaddr: le(b, p + 16, 8),
                    filesz: le(b, p + 32, 8),
                    memsz: le(b, p + 40, 8),
                }
            } else {
                Phdr {
                    p_type: le(b, p, 4) as u32,
                    offset: le(b, p + 4, 4),
                    vaddr: le(b, p + 8, 4),
                    filesz: le(b, p + 16, 4),
                    memsz: le(b, p + 20, 4),
                    flags: le(b, p + 24, 4) as u32,
                }
            }
        })
        .collect()
}

/// The contents of section `name`.
pub fn section<'a>(file: &object::File<'a>, name: &str) -> &'a [u8] {
    file.section_by_name(name)
        .unwrap_or_else(|| panic!("no {name} section"))
        .data()
        .unwrap()
}

/// The NUL-terminated string at `off` of a string table.
pub fn cstr(table: &[u8], off: usize) -> &str {
    let end = table[off..].iter().position(|&c| c == 0).unwrap() + off;
    std::str::from_utf8(&table[off..end]).unwrap()
}

/// (tag, value) pairs of `.dynamic`, up to DT_NULL.
pub fn dynamic(file: &object::File) -> Vec<(u64, u64)> {
    let w = if file.is_64() { 8 } else { 4 };
    let data = section(file, ".dynamic");
    data.chunks(2 * w)
        .map(|e| (le(e, 0, w), le(e, w, w)))
        .take_while(|&(t, _)| t != 0)
        .collect()
}

/// A dynamic symbol with its version name.
#[derive(Debug, Clone)]
pub struct DynSym {
    pub index: usize,
    pub name: String,
    pub value: u64,
    pub size: u64,
    pub weak: bool,
    pub func: bool,
    pub absolute: bool,
    pub version: String,
}

/// Version index -> name, from `.gnu.version_d` (Elf_Verdef/Elf_Verdaux).
pub fn verdefs(file: &object::File) -> BTreeMap<u16, String> {
    let (data, strtab) = (section(file, ".gnu.version_d"), section(file, ".dynstr"));
    let (mut out, mut off) = (BTreeMap::new(), 0usize);
    loop {
        assert_eq!(le(data, off, 2), 1, "vd_version");
        let ndx = le(data, off + 4, 2) as u16;
        let aux = off + le(data, off + 12, 4) as usize;
        out.insert(ndx, cstr(strtab, le(data, aux, 4) as usize).to_string());
        match le(data, off + 16, 4) as usize {
            0 => return out,
            next => off += next,
        }
    }
}

/// Every dynamic symbol but the null one, with its version.
pub fn dynsyms(file: &object::File) -> Vec<DynSym> {
    let (versym, names) = (section(file, ".gnu.version"), verdefs(file));
    file.dynamic_symbols()
        .map(|s| {
            let index = s.index().0;
            let v = le(versym, 2 * index, 2) as u16 & 0x7fff;
            DynSym {
                index,
                name: s.name().unwrap().to_string(),
                value: s.address(),
                size: s.size(),
                weak: s.is_weak(),
                func: s.kind() == SymbolKind::Text,
                absolute: s.section() == SymbolSection::Absolute,
                version: names.get(&v).cloned().unwrap_or(format!("#{v}")),
            }
        })
        .collect()
}

/// The System V ELF hash (DT_HASH).
pub fn elf_hash(name: &str) -> u32 {
    name.bytes().fold(0u32, |h, c| {
        let h = (h << 4).wrapping_add(c as u32);
        let g = h & 0xf000_0000;
        (h ^ (g >> 24)) & !g
    })
}

/// The GNU hash (DT_GNU_HASH).
pub fn gnu_hash(name: &str) -> u32 {
    name.bytes()
        .fold(5381u32, |h, c| h.wrapping_mul(33).wrapping_add(c as u32))
}

/// Look `name` up through `.hash` as ld.so does: bucket, then the chain.
pub fn lookup_sysv(file: &object::File, syms: &[DynSym], name: &str) -> Option<usize> {
    let h = section(file, ".hash");
    let word = |i: usize| le(h, 4 * i, 4) as usize;
    let (nbucket, nchain) = (word(0), word(1));
    assert_eq!(nchain, syms.len() + 1, "nchain covers every dynamic symbol");
    let mut i = word(2 + elf_hash(name) as usize % nbucket);
    while i != 0 {
        if syms.iter().any(|s| s.index == i && s.name == name) {
            return Some(i);
        }
        i = word(2 + nbucket + i);
    }
    None
}

/// Look `name` up through `.gnu.hash` as ld.so does: Bloom filter, bucket,
/// then the hash chain until its end bit.
pub fn lookup_gnu(file: &object::File, syms: &[DynSym], name: &str) -> Option<usize> {
    let g = section(file, ".gnu.hash");
    let word = |i: usize| le(g, 4 * i, 4) as usize;
    let (nbuckets, symoffset, bloom_size, bloom_shift) = (word(0), word(1), word(2), word(3));
    let c = if file.is_64() { 64 } else { 32 };
    let h = gnu_hash(name) as usize;
    let bloom = le(g, 16 + (c / 8) * ((h / c) % bloom_size), c / 8);
    let mask = 1u64 << (h % c) | 1u64 << ((h >> bloom_shift) % c);
    if bloom & mask != mask {
        return None;
    }
    let buckets = 16 + (c / 8) * bloom_size;
    let chain = buckets + 4 * nbuckets;
    let mut i = le(g, buckets + 4 * (h % nbuckets), 4) as usize;
    if i == 0 {
        return None;
    }
    loop {
        let h2 = le(g, chain + 4 * (i - symoffset), 4) as usize;
        if (h | 1) == (h2 | 1) && syms.iter().any(|s| s.index == i && s.name == name) {
            return Some(i);
        }
        if h2 & 1 != 0 {
            return None;
        }
        i += 1;
    }
}

/// The exported functions and their versions, as Linux's images have them.
pub fn expected_exports(name: &str) -> BTreeMap<String, (&'static str, bool)> {
    let mut want = BTreeMap::new();
    if name == "vdso32" {
        for s in LINUX_2_5 {
            want.insert(s.to_string(), ("LINUX_2.5", false));
        }
        for s in VDSO32_LINUX_2_6 {
            want.insert(s.to_string(), ("LINUX_2.6", false));
        }
    } else {
        for s in VDSO64_LINUX_2_6 {
            want.insert(format!("__vdso_{s}"), ("LINUX_2.6", false));
            want.insert(s.to_string(), ("LINUX_2.6", true));
        }
    }
    want
}
