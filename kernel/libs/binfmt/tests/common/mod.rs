//! Test programs compiled at test time with the host's C toolchains.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// How to build one flavour of test program.
#[derive(Debug, Clone, Copy)]
pub struct Toolchain {
    pub name: &'static str,
    pub cc: &'static str,
    pub flags: &'static [&'static str],
}

/// gcc -static (ET_EXEC x86_64), gcc -m32 -static (ET_EXEC i386),
/// gcc -static-pie (ET_DYN x86_64), musl-gcc -static.
pub const STATIC: &[Toolchain] = &[
    Toolchain {
        name: "gcc-static",
        cc: "gcc",
        flags: &["-static", "-O1"],
    },
    Toolchain {
        name: "gcc-m32-static",
        cc: "gcc",
        flags: &["-m32", "-static", "-O1"],
    },
    Toolchain {
        name: "gcc-static-pie",
        cc: "gcc",
        flags: &["-static-pie", "-O1"],
    },
    Toolchain {
        name: "musl-static",
        cc: "musl-gcc",
        flags: &["-static", "-O1"],
    },
];

/// Dynamically linked flavours, for PT_INTERP: gcc (PIE) and gcc -m32 (PIE).
pub const DYNAMIC: &[Toolchain] = &[
    Toolchain {
        name: "gcc-dynamic",
        cc: "gcc",
        flags: &["-O1"],
    },
    Toolchain {
        name: "gcc-m32-dynamic",
        cc: "gcc",
        flags: &["-m32", "-O1"],
    },
    Toolchain {
        name: "gcc-no-pie",
        cc: "gcc",
        flags: &["-no-pie", "-O1"],
    },
];

static BUILT: Mutex<Option<HashMap<String, PathBuf>>> = Mutex::new(None);

/// Path of tests/c/<src>.c compiled with `tc`, built once per test binary.
pub fn build(src: &str, tc: &Toolchain) -> PathBuf {
    let key = format!("{src}-{}", tc.name);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    let map = built.get_or_insert_with(HashMap::new);
    if let Some(p) = map.get(&key) {
        return p.clone();
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("binfmt-programs");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(&key);
    let tmp = dir.join(format!("{key}.{}.tmp", std::process::id()));
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/c")
        .join(format!("{src}.c"));
    let status = Command::new(tc.cc)
        .args(tc.flags)
        .arg("-o")
        .arg(&tmp)
        .arg(&source)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", tc.cc));
    assert!(
        status.success(),
        "{} {:?} failed on {src}.c",
        tc.cc,
        tc.flags
    );
    std::fs::rename(&tmp, &out).unwrap();
    map.insert(key, out.clone());
    out
}

/// The bytes of tests/c/<src>.c compiled with `tc`.
pub fn program(src: &str, tc: &Toolchain) -> Vec<u8> {
    std::fs::read(build(src, tc)).unwrap()
}

/// One program header for [`elf`]: type, flags, offset, vaddr, filesz, memsz, align.
pub type Phdr = (u32, u32, u64, u64, u64, u64, u64);

/// A hand-made little-endian ELF executable: header, program headers right
/// after it, zero padding up to `len` bytes.
pub fn elf(
    class64: bool,
    e_type: u16,
    machine: u16,
    entry: u64,
    phdrs: &[Phdr],
    len: usize,
) -> Vec<u8> {
    let (ehsize, phentsize) = if class64 { (64, 56) } else { (52, 32) };
    let mut f = vec![0u8; len.max(ehsize + phentsize * phdrs.len())];
    f[..4].copy_from_slice(b"\x7fELF");
    f[4] = if class64 { 2 } else { 1 };
    f[5] = 1;
    f[6] = 1;
    let mut put = |off: usize, size: usize, v: u64| {
        f[off..off + size].copy_from_slice(&v.to_le_bytes()[..size])
    };
    put(16, 2, e_type.into());
    put(18, 2, machine.into());
    put(20, 4, 1);
    let w = if class64 { 8 } else { 4 };
    put(24, w, entry);
    put(if class64 { 32 } else { 28 }, w, ehsize as u64);
    put(if class64 { 52 } else { 40 }, 2, ehsize as u64);
    put(if class64 { 54 } else { 42 }, 2, phentsize as u64);
    put(if class64 { 56 } else { 44 }, 2, phdrs.len() as u64);
    for (i, &(ty, flags, offset, vaddr, filesz, memsz, align)) in phdrs.iter().enumerate() {
        let b = ehsize + i * phentsize;
        put(b, 4, ty.into());
        if class64 {
            put(b + 4, 4, flags.into());
            for (k, v) in [offset, vaddr, vaddr, filesz, memsz, align]
                .into_iter()
                .enumerate()
            {
                put(b + 8 + 8 * k, 8, v);
            }
        } else {
            for (k, v) in [offset, vaddr, vaddr, filesz, memsz]
                .into_iter()
                .enumerate()
            {
                put(b + 4 + 4 * k, 4, v);
            }
            put(b + 24, 4, flags.into());
            put(b + 28, 4, align);
        }
    }
    f
}
