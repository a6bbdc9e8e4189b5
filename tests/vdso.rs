//! Forkline's two vDSO images, checked on the host.
//!
//! Static checks read the images with `object` (not vdso2c's goblin) and
//! look every symbol up through both hash tables by hand, as a dynamic
//! linker does. Functional checks map an image the way the kernel does — a
//! vvar page filled by vdso-data's writer right below it — and call its
//! functions through the ELF symbol table: vdso64 in this process, vdso32
//! in a small 32-bit C program (vdso/testing/vdso32_host.c). With clock
//! mode NONE the vDSO falls back to real Linux system calls, compared with
//! the host's clocks.
//!
//! The images come from `cargo xtask build` (target/forkline/vdso).

use object::{Object, ObjectSection, ObjectSymbol, SymbolKind, SymbolSection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use vdso_data::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW,
    CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_TAI, Feature,
    KernelTimespec, Timekeeper, VdsoClockMode, VsyscallMethod, VvarPage, apply_alternatives,
    patch_vsyscall,
};

const PAGE: usize = 4096;
const TICK_NSEC: u32 = 4_000_000;
const LINUX_2_5: [&str; 3] = [
    "__kernel_vsyscall",
    "__kernel_sigreturn",
    "__kernel_rt_sigreturn",
];
const VDSO32_LINUX_2_6: [&str; 7] = [
    "__vdso_clock_gettime",
    "__vdso_clock_gettime64",
    "__vdso_gettimeofday",
    "__vdso_time",
    "__vdso_clock_getres",
    "__vdso_clock_getres_time64",
    "__vdso_getcpu",
];
/// vdso64's functions; each also exported under its plain name, weak.
const VDSO64_LINUX_2_6: [&str; 5] = [
    "clock_gettime",
    "gettimeofday",
    "time",
    "clock_getres",
    "getcpu",
];

// ---------------------------------------------------------------------
// The images and their ELF structures, read by hand where it matters.
// ---------------------------------------------------------------------

/// One built image: the stripped bytes and the `.dbg`.
struct Built {
    path: PathBuf,
    image: Vec<u8>,
    dbg: Vec<u8>,
}

/// `vdso32` or `vdso64` as `cargo xtask build` left it.
fn built(name: &str) -> Built {
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

/// A little-endian integer of `n` bytes at `off`.
fn le(b: &[u8], off: usize, n: usize) -> u64 {
    b[off..off + n]
        .iter()
        .rev()
        .fold(0, |v, &x| v << 8 | x as u64)
}

/// A program header's fields.
#[derive(Debug)]
struct Phdr {
    p_type: u32,
    flags: u32,
    offset: u64,
    vaddr: u64,
    filesz: u64,
    memsz: u64,
}

/// The program headers, parsed from the raw ELF header.
fn phdrs(b: &[u8]) -> Vec<Phdr> {
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
fn section<'a>(file: &object::File<'a>, name: &str) -> &'a [u8] {
    file.section_by_name(name)
        .unwrap_or_else(|| panic!("no {name} section"))
        .data()
        .unwrap()
}

/// The NUL-terminated string at `off` of a string table.
fn cstr(table: &[u8], off: usize) -> &str {
    let end = table[off..].iter().position(|&c| c == 0).unwrap() + off;
    std::str::from_utf8(&table[off..end]).unwrap()
}

/// (tag, value) pairs of `.dynamic`, up to DT_NULL.
fn dynamic(file: &object::File) -> Vec<(u64, u64)> {
    let w = if file.is_64() { 8 } else { 4 };
    let data = section(file, ".dynamic");
    data.chunks(2 * w)
        .map(|e| (le(e, 0, w), le(e, w, w)))
        .take_while(|&(t, _)| t != 0)
        .collect()
}

/// A dynamic symbol with its version name.
#[derive(Debug, Clone)]
struct DynSym {
    index: usize,
    name: String,
    value: u64,
    size: u64,
    weak: bool,
    func: bool,
    absolute: bool,
    version: String,
}

/// Version index -> name, from `.gnu.version_d` (Elf_Verdef/Elf_Verdaux).
fn verdefs(file: &object::File) -> BTreeMap<u16, String> {
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
fn dynsyms(file: &object::File) -> Vec<DynSym> {
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
fn elf_hash(name: &str) -> u32 {
    name.bytes().fold(0u32, |h, c| {
        let h = (h << 4).wrapping_add(c as u32);
        let g = h & 0xf000_0000;
        (h ^ (g >> 24)) & !g
    })
}

/// The GNU hash (DT_GNU_HASH).
fn gnu_hash(name: &str) -> u32 {
    name.bytes()
        .fold(5381u32, |h, c| h.wrapping_mul(33).wrapping_add(c as u32))
}

/// Look `name` up through `.hash` as ld.so does: bucket, then the chain.
fn lookup_sysv(file: &object::File, syms: &[DynSym], name: &str) -> Option<usize> {
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
fn lookup_gnu(file: &object::File, syms: &[DynSym], name: &str) -> Option<usize> {
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
fn expected_exports(name: &str) -> BTreeMap<String, (&'static str, bool)> {
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

#[test]
fn exports_versions_and_both_hash_tables() {
    for name in ["vdso32", "vdso64"] {
        let b = built(name);
        let file = object::File::parse(&*b.image).unwrap();
        let syms = dynsyms(&file);
        let versions: Vec<String> = verdefs(&file).into_values().collect();
        let (soname, want_versions): (&str, &[&str]) = match name {
            "vdso32" => (
                "linux-gate.so.1",
                &["linux-gate.so.1", "LINUX_2.6", "LINUX_2.5"],
            ),
            _ => ("linux-vdso.so.1", &["linux-vdso.so.1", "LINUX_2.6"]),
        };
        assert_eq!(versions, want_versions, "{name}: version definitions");

        // The functions, and nothing else but the version names themselves.
        let funcs: BTreeMap<String, (&str, bool)> = syms
            .iter()
            .filter(|s| !(s.absolute && versions.contains(&s.name)))
            .map(|s| {
                assert!(
                    s.func && s.size > 0 && !s.absolute,
                    "{name}: {s:?} is not a defined function"
                );
                let version = if s.version == "LINUX_2.5" {
                    "LINUX_2.5"
                } else {
                    "LINUX_2.6"
                };
                assert_eq!(s.version, version, "{name}: {} version", s.name);
                (s.name.clone(), (version, s.weak))
            })
            .collect();
        assert_eq!(
            funcs,
            expected_exports(name),
            "{name}: exported symbols (version, weak)"
        );

        // Plain names alias their __vdso_ twin exactly.
        for s in syms.iter().filter(|s| s.weak) {
            let twin = syms
                .iter()
                .find(|t| t.name == format!("__vdso_{}", s.name))
                .unwrap();
            assert_eq!(
                (s.value, s.size),
                (twin.value, twin.size),
                "{name}: {} aliases {}",
                s.name,
                twin.name
            );
        }

        // Every symbol is found through both hash tables; others are not.
        let dyn_tags: Vec<u64> = dynamic(&file).iter().map(|d| d.0).collect();
        assert!(
            dyn_tags.contains(&4) && dyn_tags.contains(&0x6fff_fef5),
            "{name}: DT_HASH and DT_GNU_HASH"
        );
        for s in &syms {
            assert_eq!(
                lookup_sysv(&file, &syms, &s.name),
                Some(s.index),
                "{name}: .hash finds {}",
                s.name
            );
            if !s.absolute {
                assert_eq!(
                    lookup_gnu(&file, &syms, &s.name),
                    Some(s.index),
                    "{name}: .gnu.hash finds {}",
                    s.name
                );
            }
        }
        for absent in [
            "clock_settime",
            "__vdso_clock_settime",
            "int80_landing_pad",
            "vvar_page",
            "",
        ] {
            assert_eq!(
                lookup_sysv(&file, &syms, absent),
                None,
                "{name}: .hash must not find {absent:?}"
            );
            assert_eq!(
                lookup_gnu(&file, &syms, absent),
                None,
                "{name}: .gnu.hash must not find {absent:?}"
            );
        }
        let strtab = section(&file, ".dynstr");
        let so = dynamic(&file)
            .iter()
            .find(|d| d.0 == 14)
            .map(|d| cstr(strtab, d.1 as usize).to_string());
        assert_eq!(so.as_deref(), Some(soname), "{name}: DT_SONAME");
    }
}

#[test]
fn one_read_exec_segment_no_relocations_right_entry() {
    for name in ["vdso32", "vdso64"] {
        let b = built(name);
        let file = object::File::parse(&*b.image).unwrap();
        let ph = phdrs(&b.image);
        let types: Vec<u32> = ph.iter().map(|p| p.p_type).collect();
        // PT_LOAD, PT_DYNAMIC, PT_NOTE, PT_GNU_EH_FRAME: Linux's four.
        assert_eq!(
            types,
            [1, 2, 4, 0x6474_e550],
            "{name}: program headers {ph:?}"
        );
        let load = &ph[0];
        assert_eq!(
            (load.offset, load.vaddr, load.flags),
            (0, 0, 5),
            "{name}: PT_LOAD at 0, R+X"
        );
        assert_eq!(load.filesz, load.memsz, "{name}: no zero-fill");
        assert!(
            ph.iter().all(|p| p.flags & 2 == 0),
            "{name}: no writable segment"
        );
        for s in file.sections() {
            let kind = s.kind();
            assert!(
                !matches!(kind, object::SectionKind::UninitializedData),
                "{name}: .bss {:?}",
                s.name()
            );
            assert!(
                !matches!(
                    s.name(),
                    Ok(".rel.dyn" | ".rela.dyn" | ".rel.plt" | ".rela.plt" | ".interp")
                ),
                "{name}: section {:?}",
                s.name()
            );
        }
        for (tag, _) in dynamic(&file) {
            // DT_NEEDED, DT_RELA*, DT_REL*, DT_TEXTREL, DT_JMPREL, DT_RELR*.
            assert!(
                ![1, 7, 8, 9, 17, 18, 19, 22, 23, 35, 36, 37].contains(&tag),
                "{name}: dynamic tag {tag}"
            );
        }
        let entry = file.entry();
        if name == "vdso32" {
            let vsyscall = dynsyms(&file)
                .into_iter()
                .find(|s| s.name == "__kernel_vsyscall")
                .unwrap();
            assert_eq!(
                entry, vsyscall.value,
                "vdso32: e_entry is __kernel_vsyscall"
            );
        }
        // The .dbg is the same image plus symbols and DWARF for gdb.
        let dbg = object::File::parse(&*b.dbg).unwrap();
        assert!(
            dbg.section_by_name(".debug_info").is_some() && dbg.symbols().count() > 0,
            "{name}.so.dbg"
        );
        assert!(
            file.section_by_name(".symtab").is_none(),
            "{name}.so is stripped"
        );
        // No panic path, no libgcc helper and nothing undefined got in.
        for s in dbg.symbols() {
            let n = s.name().unwrap_or("");
            assert!(!s.is_undefined() || n.is_empty(), "{name}: undefined {n}");
            for bad in [
                "panic",
                "begin_unwind",
                "udivdi3",
                "umoddi3",
                "multi3",
                "memcpy",
                "memset",
            ] {
                assert!(!n.contains(bad), "{name}.so.dbg contains {n}");
            }
        }
    }
}

#[test]
fn readelf_accepts_both_images_without_warnings() {
    for name in ["vdso32", "vdso64"] {
        let b = built(name);
        for args in [
            &["--dyn-syms", "-V", "-W"][..],
            &["-lW"],
            &["-hSdW"],
            &["--debug-dump=frames"],
        ] {
            let out = Command::new("readelf")
                .args(args)
                .arg(&b.path)
                .output()
                .expect("readelf");
            let (stdout, stderr) = (
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            );
            assert!(
                out.status.success() && stderr.is_empty(),
                "readelf {args:?} {name}: {stderr}"
            );
            assert!(
                !stdout.to_lowercase().contains("warning"),
                "readelf {args:?} {name}:\n{stdout}"
            );
        }
    }
}

#[test]
fn sigreturn_trampolines_have_signal_frame_unwind_info() {
    let b = built("vdso32");
    let out = Command::new("readelf")
        .arg("--debug-dump=frames")
        .arg(&b.path)
        .output()
        .unwrap();
    let frames = String::from_utf8_lossy(&out.stdout);
    // Two FDEs under a "zRS" CIE, each defining the CFA from the saved
    // sigcontext's %esp: offset 4+28 (sigreturn, before popl) and
    // 160+28 (rt_sigreturn), and %eip from sc.ip.
    assert!(
        frames.contains("Augmentation:          \"zRS\""),
        "{frames}"
    );
    for want in [
        "DW_CFA_def_cfa_expression (DW_OP_breg4 (esp): 32; DW_OP_deref)",
        "DW_CFA_def_cfa_expression (DW_OP_breg4 (esp): 28; DW_OP_deref)",
        "DW_CFA_def_cfa_expression (DW_OP_breg4 (esp): 188; DW_OP_deref)",
        "DW_CFA_expression: r8 (eip) (DW_OP_breg4 (esp): 216)",
    ] {
        assert!(frames.contains(want), "missing {want:?} in\n{frames}");
    }
}

// ---------------------------------------------------------------------
// vdso2c and patching.
// ---------------------------------------------------------------------

/// vdso2c's description of a built image.
fn parsed(name: &str) -> vdso2c::Image {
    let b = built(name);
    vdso2c::parse(&b.image, &b.dbg).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn vdso2c_describes_both_images() {
    let img = parsed("vdso32");
    let b = built("vdso32");
    let file = object::File::parse(&*b.image).unwrap();
    let at = |n: &str| {
        dynsyms(&file)
            .into_iter()
            .find(|s| s.name == n)
            .map(|s| s.value as usize)
    };
    assert_eq!(img.kernel_vsyscall, at("__kernel_vsyscall"));
    assert_eq!(img.kernel_sigreturn, at("__kernel_sigreturn"));
    assert_eq!(img.kernel_rt_sigreturn, at("__kernel_rt_sigreturn"));
    assert_eq!(
        img.int80_landing_pad,
        img.kernel_vsyscall.map(|v| v + 3 + 4 + 2)
    );
    assert_eq!(
        (img.vvar_start, img.size % PAGE, img.data.len()),
        (-4096, 0, img.size)
    );
    let features: Vec<Feature> = img.alternatives.iter().map(|a| a.feature).collect();
    assert!(
        features.contains(&Feature::Sysenter32) && features.contains(&Feature::Syscall32),
        "{features:?}"
    );
    assert!(
        features.contains(&Feature::Rdpid),
        "getcpu's RDPID alternative: {features:?}"
    );

    let img = parsed("vdso64");
    assert_eq!(
        (img.kernel_vsyscall, img.int80_landing_pad, img.vvar_start),
        (None, None, -4096)
    );
    assert!(
        img.alternatives.iter().all(|a| a.feature == Feature::Rdpid)
            && !img.alternatives.is_empty()
    );
    let src = img.to_rust("vdso64.so");
    assert!(src.contains("pub static VDSO64: ::vdso_data::VdsoImage"));
}

/// `bytes` with the `n`-byte little-endian value at `off` replaced by `v`.
fn poke(bytes: &[u8], off: usize, n: usize, v: u64) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[off..off + n].copy_from_slice(&v.to_le_bytes()[..n]);
    b
}

#[test]
fn vdso2c_rejects_broken_images() {
    let b = built("vdso32");
    let img = parsed("vdso32");
    let file = object::File::parse(&*b.image).unwrap();
    let dyn_off = file
        .section_by_name(".dynamic")
        .unwrap()
        .file_range()
        .unwrap()
        .0 as usize;
    let soname_tag = dynamic(&file).iter().position(|d| d.0 == 14).unwrap();
    let phoff = le(&b.image, 28, 4) as usize;
    let site = img
        .alternatives
        .iter()
        .find(|a| a.feature == Feature::Sysenter32)
        .unwrap()
        .site;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "writable PT_LOAD",
            poke(&b.image, phoff + 24, 4, 7),
            "PT_LOAD flags are 0x7",
        ),
        (
            "entry moved",
            poke(&b.image, 24, 4, 0x100),
            "is not __kernel_vsyscall",
        ),
        (
            "DT_SONAME made DT_TEXTREL",
            poke(&b.image, dyn_off + 8 * soname_tag, 4, 22),
            "dynamic relocations",
        ),
        (
            "patch site not NOPs",
            poke(&b.image, site, 1, 0xcc),
            "patch site (NOPs)",
        ),
        ("machine", poke(&b.image, 18, 2, 62), "e_machine"),
    ];
    // The .dbg is compared with the image's PT_LOAD (past the ELF header):
    // break it the same way, so each case trips its own check.
    let (from, load) = (
        le(&b.image, 40, 2) as usize,
        phdrs(&b.image)[0].filesz as usize,
    );
    for (what, bad, want) in cases {
        let mut dbg = b.dbg.clone();
        dbg[from..load].copy_from_slice(&bad[from..load]);
        let err = vdso2c::parse(&bad, &dbg).expect_err(what).to_string();
        assert!(err.contains(want), "{what}: {err}");
    }
    let other = built("vdso64");
    let err = vdso2c::parse(&b.image, &other.dbg)
        .expect_err("mismatched .dbg")
        .to_string();
    assert!(
        err.contains("other ELF class") || err.contains("does not match"),
        "{err}"
    );
}

/// Disassemble `len` bytes at `at` of a 32-bit image.
fn objdump32(image: &[u8], at: usize, len: usize) -> String {
    let dir = tempdir();
    let path = dir.join("patched.so");
    std::fs::write(&path, image).unwrap();
    let out = Command::new("objdump")
        .args(["-d", "-M", "att", "--no-show-raw-insn"])
        .arg(format!("--start-address={at:#x}"))
        .arg(format!("--stop-address={:#x}", at + len))
        .arg(&path)
        .output()
        .expect("objdump");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn patch_vsyscall_rewrites_the_site_for_each_method() {
    let img = parsed("vdso32");
    let site = img
        .alternatives
        .iter()
        .find(|a| a.feature == Feature::Sysenter32)
        .unwrap()
        .site;
    let vsyscall = img.kernel_vsyscall.unwrap();
    let pad = img.int80_landing_pad.unwrap();
    let cases: [(VsyscallMethod, [u8; 4], &[&str]); 3] = [
        (
            VsyscallMethod::Int80,
            [0x0f, 0x1f, 0x40, 0x00],
            &["nopl", "int    $0x80"],
        ),
        (
            VsyscallMethod::Sysenter,
            [0x89, 0xe5, 0x0f, 0x34],
            &["mov    %esp,%ebp", "sysenter", "int    $0x80"],
        ),
        (
            VsyscallMethod::Syscall,
            [0x89, 0xcd, 0x0f, 0x05],
            &["mov    %ecx,%ebp", "syscall", "int    $0x80"],
        ),
    ];
    // From one method to each other, on one copy, as `vdso32=` could.
    let mut copy = img.data.clone();
    for (method, bytes, asm) in cases.iter().chain(cases.iter()) {
        patch_vsyscall(&mut copy, &img.alternatives, *method).unwrap();
        assert_eq!(copy[site..site + 4], *bytes, "{method}");
        assert_eq!(
            copy[site + 4..pad],
            [0xcd, 0x80],
            "{method}: int $0x80 stays"
        );
        let text = objdump32(&copy, vsyscall, pad + 4 - vsyscall);
        let mut rest = text.as_str();
        for insn in ["push   %ecx", "push   %edx", "push   %ebp"]
            .iter()
            .chain(asm.iter())
            .chain(&["pop    %ebp", "ret"])
        {
            let at = rest
                .find(insn)
                .unwrap_or_else(|| panic!("{method}: no {insn:?} in order in\n{text}"));
            rest = &rest[at..];
        }
        // Nothing else in the image changed.
        let changed = img.data.iter().zip(&copy).filter(|(a, b)| a != b).count();
        assert!(changed <= 4, "{method}: {changed} bytes changed");
    }
    let mut v64 = parsed("vdso64").data;
    assert!(
        patch_vsyscall(
            &mut v64,
            &parsed("vdso64").alternatives,
            VsyscallMethod::Sysenter
        )
        .is_err()
    );
}

// ---------------------------------------------------------------------
// Running the images.
// ---------------------------------------------------------------------

/// A fresh temporary directory for this test process.
fn tempdir() -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("forkline-vdso-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The TSC, ordered like the vDSO reads it.
fn rdtsc() -> u64 {
    // SAFETY: lfence and rdtsc have no memory effects; x86_64 has both.
    unsafe {
        std::arch::x86_64::_mm_lfence();
        std::arch::x86_64::_rdtsc()
    }
}

/// The host's clock `clock`.
fn host_clock(clock: i32) -> KernelTimespec {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid timespec.
    assert_eq!(unsafe { libc::clock_gettime(clock, &mut ts) }, 0);
    KernelTimespec {
        tv_sec: ts.tv_sec,
        tv_nsec: ts.tv_nsec,
    }
}

/// `t` in nanoseconds.
fn ns(t: KernelTimespec) -> i128 {
    t.tv_sec as i128 * 1_000_000_000 + t.tv_nsec as i128
}

/// The host TSC frequency in kHz, measured against CLOCK_MONOTONIC_RAW.
fn tsc_khz() -> u32 {
    static KHZ: OnceLock<u32> = OnceLock::new();
    *KHZ.get_or_init(|| {
        let (c0, t0) = (rdtsc(), host_clock(CLOCK_MONOTONIC_RAW));
        std::thread::sleep(std::time::Duration::from_millis(100));
        let (c1, t1) = (rdtsc(), host_clock(CLOCK_MONOTONIC_RAW));
        ((c1 - c0) as i128 * 1_000_000 / (ns(t1) - ns(t0))) as u32
    })
}

/// A timekeeper started now from the host's TSC and wall clock, and the
/// host's CLOCK_MONOTONIC at that moment.
fn timekeeper_now() -> (Timekeeper, KernelTimespec) {
    let mut tk = Timekeeper::new(tsc_khz(), rdtsc(), host_clock(CLOCK_REALTIME), TICK_NSEC);
    tk.tai_offset = 37;
    (tk, host_clock(CLOCK_MONOTONIC))
}

/// A vvar page published from `tk`, with timezone (-60, 1).
fn vvar_from(tk: &Timekeeper) -> Box<VvarPage> {
    let page = Box::new(VvarPage::new());
    // SAFETY: this thread is the page's only writer.
    unsafe {
        page.update_vsyscall(tk);
        page.update_vsyscall_tz(-60, 1);
    }
    page
}

/// The page's bytes, as the kernel would map them.
fn page_bytes(page: &VvarPage) -> &[u8] {
    // SAFETY: VvarPage is plain repr(C) data, one page long.
    unsafe { std::slice::from_raw_parts(page as *const VvarPage as *const u8, PAGE) }
}

/// Does the host CPU have RDPID (and so, under Linux, TSC_AUX = cpu|node<<12)?
fn host_has_rdpid() -> bool {
    std::fs::read_to_string("/proc/cpuinfo")
        .unwrap()
        .split_whitespace()
        .any(|w| w == "rdpid")
}

/// vdso64 mapped into this process as the kernel maps it: the vvar page,
/// read-only, right below the image, read+exec.
struct Mapped {
    base: *mut u8,
    len: usize,
    syms: BTreeMap<String, usize>,
}

impl Mapped {
    /// Map `image` (patched by the caller) over a copy of `vvar`.
    fn new(image: &[u8], vvar: &VvarPage, syms: BTreeMap<String, usize>) -> Self {
        let len = PAGE + image.len();
        // SAFETY: a fresh anonymous mapping, then copies into it.
        unsafe {
            let base = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            ) as *mut u8;
            assert_ne!(base as *mut libc::c_void, libc::MAP_FAILED);
            std::ptr::copy_nonoverlapping(page_bytes(vvar).as_ptr(), base, PAGE);
            std::ptr::copy_nonoverlapping(image.as_ptr(), base.add(PAGE), image.len());
            assert_eq!(libc::mprotect(base as *mut _, PAGE, libc::PROT_READ), 0);
            assert_eq!(
                libc::mprotect(
                    base.add(PAGE) as *mut _,
                    image.len(),
                    libc::PROT_READ | libc::PROT_EXEC
                ),
                0
            );
            Mapped { base, len, syms }
        }
    }

    /// The function `name` of the mapped image, as a `F` (a fn pointer type).
    fn func<F: Copy>(&self, name: &str) -> F {
        let off = *self
            .syms
            .get(name)
            .unwrap_or_else(|| panic!("no symbol {name}"));
        assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<usize>());
        // SAFETY: F is a fn pointer type matching the symbol's C signature.
        unsafe { std::mem::transmute_copy(&(self.base as usize + PAGE + off)) }
    }
}

impl Drop for Mapped {
    /// Unmap it.
    fn drop(&mut self) {
        // SAFETY: base/len is our own mapping, and no function of it runs.
        unsafe { libc::munmap(self.base as *mut _, self.len) };
    }
}

/// Name -> offset of every dynamic symbol of a built image.
fn symbol_offsets(image: &[u8]) -> BTreeMap<String, usize> {
    let file = object::File::parse(image).unwrap();
    dynsyms(&file)
        .into_iter()
        .filter(|s| !s.absolute)
        .map(|s| (s.name, s.value as usize))
        .collect()
}

/// vdso64 over a vvar page from `tk`, with the RDPID alternative applied
/// if `rdpid`.
fn map_vdso64(tk: &Timekeeper, rdpid: bool) -> (Mapped, Box<VvarPage>) {
    let img = parsed("vdso64");
    let mut copy = img.data.clone();
    apply_alternatives(&mut copy, &img.alternatives, |f| {
        rdpid && f == Feature::Rdpid
    })
    .unwrap();
    let page = vvar_from(tk);
    (Mapped::new(&copy, &page, symbol_offsets(&img.data)), page)
}

type ClockFn = unsafe extern "C" fn(i32, *mut KernelTimespec) -> i32;
type TimevalFn = unsafe extern "C" fn(*mut [i64; 2], *mut [i32; 2]) -> i32;
type TimeFn = unsafe extern "C" fn(*mut i64) -> i64;
type GetcpuFn = unsafe extern "C" fn(*mut u32, *mut u32, *mut u8) -> isize;

/// Call a clock_gettime-shaped vDSO function; (ret, time, tsc before, after).
fn call_clock(f: ClockFn, clock: i32) -> (i32, KernelTimespec, u64, u64) {
    let mut ts = KernelTimespec {
        tv_sec: -1,
        tv_nsec: -1,
    };
    let t0 = rdtsc();
    // SAFETY: f is the vDSO's clock function; ts is valid.
    let r = unsafe { f(clock, &mut ts) };
    (r, ts, t0, rdtsc())
}

/// `got` lies between what the reference reader says at TSC `t0` and `t1`.
fn assert_bracketed(
    page: &VvarPage,
    clock: i32,
    got: KernelTimespec,
    t0: u64,
    t1: u64,
    what: &str,
) {
    let lo = page.clock_gettime(clock, || t0).unwrap();
    let hi = page.clock_gettime(clock, || t1).unwrap();
    assert!((0..1_000_000_000).contains(&got.tv_nsec), "{what}: {got:?}");
    assert!(
        ns(lo) <= ns(got) && ns(got) <= ns(hi),
        "{what}: {got:?} not in [{lo:?}, {hi:?}]"
    );
}

/// |a - b| <= tolerance ns.
fn assert_close(a: i128, b: i128, tolerance: i128, what: &str) {
    assert!(
        (a - b).abs() <= tolerance,
        "{what}: {a} vs {b} ({} ns apart)",
        a - b
    );
}

#[test]
fn vdso64_time_functions_read_the_vvar_page() {
    let (tk, mono0) = timekeeper_now();
    let (m, page) = map_vdso64(&tk, false);
    for name in ["__vdso_clock_gettime", "clock_gettime"] {
        let f: ClockFn = m.func(name);
        for clock in [
            CLOCK_REALTIME,
            CLOCK_MONOTONIC,
            CLOCK_BOOTTIME,
            CLOCK_TAI,
            CLOCK_MONOTONIC_RAW,
        ] {
            let (r, t, t0, t1) = call_clock(f, clock);
            assert_eq!(r, 0, "{name}({clock})");
            assert_bracketed(&page, clock, t, t0, t1, &format!("{name}({clock})"));
        }
        for clock in [CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE] {
            let (r, t, ..) = call_clock(f, clock);
            assert_eq!(
                (r, Some(t)),
                (0, page.clock_gettime(clock, || 0)),
                "{name}({clock})"
            );
        }
    }
    // Against the host's own clocks: the TSC calibration is good to a few
    // ppm and the test runs for milliseconds, so 2 ms is generous.
    let f: ClockFn = m.func("clock_gettime");
    let (_, real, ..) = call_clock(f, CLOCK_REALTIME);
    assert_close(
        ns(real),
        ns(host_clock(CLOCK_REALTIME)),
        2_000_000,
        "CLOCK_REALTIME vs host",
    );
    let (_, mono, ..) = call_clock(f, CLOCK_MONOTONIC);
    assert_close(
        ns(mono),
        ns(host_clock(CLOCK_MONOTONIC)) - ns(mono0),
        2_000_000,
        "CLOCK_MONOTONIC vs host",
    );
    let (_, tai, ..) = call_clock(f, CLOCK_TAI);
    assert_close(
        ns(tai) - ns(real),
        37_000_000_000,
        2_000_000,
        "CLOCK_TAI - CLOCK_REALTIME",
    );

    let gtod: TimevalFn = m.func("gettimeofday");
    let (mut tv, mut tz) = ([0i64; 2], [0i32; 2]);
    let t0 = rdtsc();
    // SAFETY: valid pointers for the vDSO's gettimeofday.
    assert_eq!(unsafe { gtod(&mut tv, &mut tz) }, 0);
    let t1 = rdtsc();
    let usec = |t: u64| {
        let r = page.clock_gettime(CLOCK_REALTIME, || t).unwrap();
        r.tv_sec as i128 * 1_000_000 + r.tv_nsec as i128 / 1000
    };
    let got = tv[0] as i128 * 1_000_000 + tv[1] as i128;
    assert!(
        usec(t0) <= got && got <= usec(t1) && tv[1] < 1_000_000,
        "gettimeofday {tv:?}"
    );
    assert_eq!(tz, [-60, 1], "gettimeofday's timezone");
    // SAFETY: NULL is allowed for both.
    assert_eq!(
        unsafe { gtod(std::ptr::null_mut(), std::ptr::null_mut()) },
        0
    );

    let time: TimeFn = m.func("time");
    let mut stored = 0;
    // SAFETY: valid pointer, and NULL is allowed.
    let (t, t_null) = unsafe { (time(&mut stored), time(std::ptr::null_mut())) };
    assert_eq!(
        (t, stored, t_null),
        (
            tk.xtime_sec as i64,
            tk.xtime_sec as i64,
            tk.xtime_sec as i64
        )
    );

    let getres: ClockFn = m.func("__vdso_clock_getres");
    for (clock, want) in [
        (CLOCK_MONOTONIC, 1),
        (CLOCK_MONOTONIC_RAW, 1),
        (CLOCK_REALTIME_COARSE, TICK_NSEC as i64),
    ] {
        let (r, t, ..) = call_clock(getres, clock);
        assert_eq!(
            (r, t),
            (
                0,
                KernelTimespec {
                    tv_sec: 0,
                    tv_nsec: want
                }
            ),
            "clock_getres({clock})"
        );
    }
    let (r, t, ..) = call_clock(getres, CLOCK_PROCESS_CPUTIME_ID);
    let mut host = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: host is a valid timespec.
    unsafe { libc::clock_getres(CLOCK_PROCESS_CPUTIME_ID, &mut host) };
    assert_eq!(
        (r, t.tv_nsec),
        (0, host.tv_nsec),
        "clock_getres(CPUTIME) is the syscall's"
    );
}

#[test]
fn vdso64_falls_back_to_linux_without_a_trusted_tsc() {
    let (mut tk, _) = timekeeper_now();
    tk.clock_mode = VdsoClockMode::None;
    let (m, page) = map_vdso64(&tk, false);
    let f: ClockFn = m.func("__vdso_clock_gettime");
    for clock in [
        CLOCK_REALTIME,
        CLOCK_MONOTONIC,
        CLOCK_BOOTTIME,
        CLOCK_MONOTONIC_RAW,
        CLOCK_PROCESS_CPUTIME_ID,
    ] {
        let before = host_clock(clock);
        let (r, t, ..) = call_clock(f, clock);
        let after = host_clock(clock);
        assert_eq!(r, 0, "clock {clock}");
        assert!(
            ns(before) <= ns(t) && ns(t) <= ns(after),
            "clock {clock}: {t:?} not in [{before:?}, {after:?}]"
        );
    }
    // The coarse clocks still come from the page.
    let (_, t, ..) = call_clock(f, CLOCK_MONOTONIC_COARSE);
    assert_eq!(Some(t), page.clock_gettime(CLOCK_MONOTONIC_COARSE, || 0));
    // Errors are the syscall's: -EINVAL for a bad clock, -EFAULT for NULL.
    assert_eq!(call_clock(f, 100).0, -libc::EINVAL);
    assert_eq!(call_clock(f, -1).0, -libc::EINVAL);
    // SAFETY: NULL is what is being tested; the kernel rejects it.
    assert_eq!(
        unsafe { f(CLOCK_MONOTONIC, std::ptr::null_mut()) },
        -libc::EFAULT
    );

    let gtod: TimevalFn = m.func("__vdso_gettimeofday");
    let mut tv = [0i64; 2];
    let before = host_clock(CLOCK_REALTIME);
    // SAFETY: valid pointer; NULL timezone.
    assert_eq!(unsafe { gtod(&mut tv, std::ptr::null_mut()) }, 0);
    let got = tv[0] as i128 * 1_000_000_000 + tv[1] as i128 * 1000;
    assert!(
        ns(before) / 1000 * 1000 <= got && got <= ns(host_clock(CLOCK_REALTIME)),
        "gettimeofday {tv:?}"
    );
}

#[test]
fn vdso64_getcpu_by_lsl_and_by_rdpid() {
    let (tk, _) = timekeeper_now();
    // Pin to the CPU we are on, so the answer cannot change under us.
    // SAFETY: plain libc calls on a valid cpu_set_t.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(libc::sched_getcpu() as usize, &mut set);
        assert_eq!(
            libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set),
            0
        );
    }
    let (mut hcpu, mut hnode) = (0u32, 0u32);
    // SAFETY: valid pointers for getcpu(2).
    unsafe { libc::syscall(libc::SYS_getcpu, &mut hcpu, &mut hnode, 0) };
    for rdpid in [false, true] {
        if rdpid && !host_has_rdpid() {
            continue;
        }
        let (m, _) = map_vdso64(&tk, rdpid);
        for name in ["__vdso_getcpu", "getcpu"] {
            let f: GetcpuFn = m.func(name);
            let (mut cpu, mut node) = (u32::MAX, u32::MAX);
            // SAFETY: valid pointers; then NULLs, which getcpu allows.
            let (r, r_null) = unsafe {
                (
                    f(&mut cpu, &mut node, std::ptr::null_mut()),
                    f(
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                    ),
                )
            };
            assert_eq!(
                (r, cpu, node, r_null),
                (0, hcpu, hnode, 0),
                "{name}, rdpid {rdpid}"
            );
        }
    }
}

/// vdso/testing/vdso32_host.c, built once with gcc -m32.
fn vdso32_host() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let src = xtask::paths::root().join("vdso/testing/vdso32_host.c");
        let bin = tempdir().join("vdso32_host");
        let out = Command::new("gcc")
            .args([
                "-m32", "-O2", "-static", "-no-pie", "-Wall", "-Werror", "-o",
            ])
            .arg(&bin)
            .arg(&src)
            .output()
            .expect("gcc (install gcc-multilib: cargo xtask setup)");
        assert!(
            out.status.success(),
            "gcc -m32 {}: {}",
            src.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        bin
    })
    .clone()
}

/// Run vdso32 in a 32-bit process with `method` patched in over a vvar
/// page from `tk`; the program's lines, split into words, by first word.
fn run_vdso32(method: VsyscallMethod, tk: &Timekeeper) -> BTreeMap<(String, String), Vec<String>> {
    let img = parsed("vdso32");
    let mut copy = img.data.clone();
    patch_vsyscall(&mut copy, &img.alternatives, method).unwrap();
    apply_alternatives(&mut copy, &img.alternatives, |f| {
        f == Feature::Rdpid && host_has_rdpid()
    })
    .unwrap();
    let dir = tempdir();
    let (image, vvar, data) = (dir.join("vdso32.so"), dir.join("vvar"), dir.join("data"));
    std::fs::write(&image, &copy).unwrap();
    std::fs::write(&vvar, page_bytes(&vvar_from(tk))).unwrap();
    let mut pages = vec![b'A'; PAGE];
    pages.extend(vec![b'B'; PAGE]);
    std::fs::write(&data, pages).unwrap();
    let syms = symbol_offsets(&img.data)
        .into_iter()
        .map(|(n, o)| format!("{n}={o:x}"));
    let out = Command::new(vdso32_host())
        .args([&image, &vvar, &data])
        .args(syms)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "vdso32_host ({method}): {out:?}\n{stdout}"
    );
    stdout
        .lines()
        .map(|l| {
            let w: Vec<String> = l.split_whitespace().map(String::from).collect();
            ((w[0].clone(), w[1].clone()), w[2..].to_vec())
        })
        .collect()
}

/// The entry methods this host can run: int $0x80 always, and the fast
/// one its vendor supports from compatibility mode (Linux returns through
/// its own vDSO's identical landing pad).
fn host_methods() -> Vec<VsyscallMethod> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap();
    let vendor = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("vendor_id\t: "))
        .unwrap_or("");
    let mut v = vec![VsyscallMethod::Int80];
    let fast = VsyscallMethod::for_vendor(vendor.as_bytes().try_into().unwrap_or(&[0; 12]));
    if fast != VsyscallMethod::Int80 {
        v.push(fast);
    }
    v
}

/// A line's words as numbers.
fn nums(words: &[String]) -> Vec<i128> {
    words
        .iter()
        .map(|w| w.parse().unwrap_or_else(|_| panic!("{w:?} in {words:?}")))
        .collect()
}

#[test]
fn vdso32_runs_in_a_32bit_process_with_each_entry_method() {
    for method in host_methods() {
        let (tk, _) = timekeeper_now();
        let page = vvar_from(&tk);
        let out = run_vdso32(method, &tk);
        let line = |name: &str, arg: &str| {
            out.get(&(name.to_string(), arg.to_string()))
                .unwrap_or_else(|| panic!("no {name} {arg} in {out:?}"))
        };
        // __kernel_vsyscall: result, registers kept, argument 6 (via %ebp).
        let pid = nums(line("vsyscall_getpid", "0"));
        assert_eq!(
            (pid[0], pid[2]),
            (pid[1], 1),
            "{method}: getpid, registers preserved"
        );
        assert_eq!(
            line("vsyscall_mmap2", "0"),
            &["0", "B"],
            "{method}: mmap2's 6th argument"
        );
        assert_eq!(
            line("vsyscall_enosys", "0"),
            &["-38"],
            "{method}: unknown syscall"
        );

        for clock in [
            CLOCK_REALTIME,
            CLOCK_MONOTONIC,
            CLOCK_BOOTTIME,
            CLOCK_TAI,
            CLOCK_MONOTONIC_RAW,
        ] {
            for name in ["clock_gettime", "clock_gettime64"] {
                let v = nums(line(name, &clock.to_string()));
                assert_eq!(v[0], 0, "{method}: {name}({clock})");
                let t = KernelTimespec {
                    tv_sec: v[1] as i64,
                    tv_nsec: v[2] as i64,
                };
                assert_bracketed(
                    &page,
                    clock,
                    t,
                    v[3] as u64,
                    v[4] as u64,
                    &format!("{method}: {name}({clock})"),
                );
            }
            let res = nums(line("clock_getres", &clock.to_string()));
            assert_eq!(res, [0, 0, 1], "{method}: clock_getres({clock})");
        }
        let host = nums(line("host_clock_gettime", "0"));
        let real = nums(line("clock_gettime64", "0"));
        assert_close(
            real[1] * 1_000_000_000 + real[2],
            host[1] * 1_000_000_000 + host[2],
            2_000_000,
            "vs host",
        );
        for clock in [CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE] {
            let v = nums(line("clock_gettime", &clock.to_string()));
            let want = page.clock_gettime(clock, || 0).unwrap();
            assert_eq!(
                v[..3],
                [0, want.tv_sec as i128, want.tv_nsec as i128],
                "{method}: clock {clock}"
            );
            assert_eq!(
                nums(line("clock_getres_time64", &clock.to_string())),
                [0, 0, TICK_NSEC as i128]
            );
        }
        // Clocks the vDSO does not serve go to Linux through __kernel_vsyscall.
        let cputime = nums(line("clock_gettime", "2"));
        assert!(
            cputime[0] == 0 && cputime[1] * 1_000_000_000 + cputime[2] > 0,
            "{method}: CPUTIME {cputime:?}"
        );
        assert_eq!(
            nums(line("clock_getres", "2"))[..3],
            nums(line("host_clock_getres", "2"))[..3]
        );
        assert_eq!(
            nums(line("clock_gettime", "100"))[0],
            -22,
            "{method}: EINVAL"
        );
        assert_eq!(
            nums(line("clock_gettime64", "-1"))[0],
            -22,
            "{method}: EINVAL"
        );
        assert_eq!(
            line("clock_gettime_null", "0"),
            &["-14"],
            "{method}: EFAULT"
        );

        let tv = nums(line("gettimeofday", "0"));
        let usec = |t: u64| {
            let r = page.clock_gettime(CLOCK_REALTIME, || t).unwrap();
            r.tv_sec as i128 * 1_000_000 + r.tv_nsec as i128 / 1000
        };
        let got = tv[1] * 1_000_000 + tv[2];
        assert!(
            tv[0] == 0 && usec(tv[5] as u64) <= got && got <= usec(tv[6] as u64),
            "{method}: {tv:?}"
        );
        assert_eq!(tv[3..5], [-60, 1], "{method}: timezone");
        assert_eq!(
            nums(line("time", "0")),
            [tk.xtime_sec as i128; 2],
            "{method}: time"
        );
        let cpu = nums(line("getcpu", "0"));
        assert_eq!(
            (cpu[0], cpu[1], cpu[2]),
            (0, cpu[3], cpu[4]),
            "{method}: getcpu"
        );
    }
}

#[test]
fn vdso32_falls_back_through_kernel_vsyscall_without_a_trusted_tsc() {
    for method in host_methods() {
        let (mut tk, _) = timekeeper_now();
        tk.clock_mode = VdsoClockMode::None;
        let out = run_vdso32(method, &tk);
        let line = |name: &str, arg: &str| nums(&out[&(name.to_string(), arg.to_string())]);
        for clock in [
            CLOCK_REALTIME,
            CLOCK_MONOTONIC,
            CLOCK_BOOTTIME,
            CLOCK_MONOTONIC_RAW,
        ] {
            let host = line("host_clock_gettime", &clock.to_string());
            for name in ["clock_gettime", "clock_gettime64"] {
                let v = line(name, &clock.to_string());
                let (got, host) = (
                    v[1] * 1_000_000_000 + v[2],
                    host[1] * 1_000_000_000 + host[2],
                );
                assert!(
                    v[0] == 0 && got <= host && host - got < 50_000_000,
                    "{method}: {name}({clock}) {v:?}"
                );
            }
        }
        let res = line("clock_getres", "0");
        assert_eq!(res, [0, 0, 1], "{method}: clock_getres is still the page's");
    }
}

/// Keep the helper path visible in failures: where the images are.
#[test]
fn images_are_where_xtask_puts_them() {
    for name in ["vdso32", "vdso64"] {
        let b = built(name);
        assert!(
            b.path.starts_with(xtask::paths::out()),
            "{}",
            b.path.display()
        );
        assert!(Path::new(&vdso2c::dbg_path(&b.path)).is_file());
    }
}
