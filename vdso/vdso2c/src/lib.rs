//! vdso2c: from a built vDSO to the kernel's [`vdso_data::VdsoImage`], as
//! Linux's `arch/x86/entry/vdso/vdso2c.c` turns `vdso*.so` into
//! `vdso-image-*.c`.
//!
//! Input: the stripped image (what every process maps) and its unstripped
//! `.dbg` twin, whose symbol table has the local symbols the kernel needs
//! (`vvar_start`, `int80_landing_pad`). The image is checked the way the
//! kernel relies on it — one read+execute PT_LOAD at 0, no dynamic
//! relocations, no writable segment, no interpreter, both hash tables, the
//! right soname and entry point, a well-formed `__kernel_vsyscall` patch
//! site — and any failure is a build error naming the problem.
//!
//! Output: Rust source defining `pub static VDSO32` or `VDSO64`, for the
//! kernel to `include!`. The kernel's build.rs calls [`generate_file`]:
//!
//! ```ignore
//! // kernel/build.rs ([build-dependencies] vdso2c; [dependencies] vdso-data)
//! let out = PathBuf::from(env::var("OUT_DIR").unwrap());
//! for (var, file) in [("FORKLINE_VDSO32", "vdso_image_32.rs"), ("FORKLINE_VDSO64", "vdso_image_64.rs")] {
//!     println!("cargo:rerun-if-env-changed={var}");
//!     let image = PathBuf::from(env::var(var).expect("build the kernel with `cargo xtask build`"));
//!     println!("cargo:rerun-if-changed={}", image.display());
//!     println!("cargo:rerun-if-changed={}", vdso2c::dbg_path(&image).display());
//!     if let Err(e) = vdso2c::generate_file(&image, &out.join(file)) {
//!         panic!("{e}");
//!     }
//! }
//! // and in the kernel: include!(concat!(env!("OUT_DIR"), "/vdso_image_32.rs"));
//! ```

use goblin::elf::dynamic::{
    DT_GNU_HASH, DT_HASH, DT_JMPREL, DT_NEEDED, DT_PLTRELSZ, DT_REL, DT_RELA, DT_RELASZ, DT_RELSZ,
    DT_TEXTREL, DT_VERDEF, DT_VERSYM,
};
use goblin::elf::header::{EM_386, EM_X86_64, ET_DYN};
use goblin::elf::program_header::{
    PF_R, PF_W, PF_X, PT_DYNAMIC, PT_GNU_EH_FRAME, PT_INTERP, PT_LOAD,
};
use goblin::elf::{Elf, ProgramHeader};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use vdso_data::image::{ALT_ENTRY_SIZE, Alternative, Feature, fill_nops};
use vdso_data::vvar::VVAR_SIZE;

pub const PAGE_SIZE: usize = 4096;
/// DT_RELR (not in every goblin version's constants).
const DT_RELR: u64 = 36;

/// Which of the two images, told apart by ELF class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Vdso32,
    Vdso64,
}

impl Kind {
    /// "vdso32" or "vdso64", as in messages and `VdsoImage::name`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Vdso32 => "vdso32",
            Kind::Vdso64 => "vdso64",
        }
    }

    /// The soname Linux gives this image.
    pub fn soname(self) -> &'static str {
        match self {
            Kind::Vdso32 => "linux-gate.so.1",
            Kind::Vdso64 => "linux-vdso.so.1",
        }
    }

    fn machine(self) -> u16 {
        match self {
            Kind::Vdso32 => EM_386,
            Kind::Vdso64 => EM_X86_64,
        }
    }
}

/// Why an image was rejected: one line, ready for a build log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    /// The message, prefixed with "vdso2c".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "vdso2c: {}", self.0)
    }
}

impl std::error::Error for Error {}

/// A checked image and everything the kernel needs from it.
#[derive(Debug, Clone)]
pub struct Image {
    pub kind: Kind,
    /// The stripped file, zero-padded to `size`.
    pub data: Vec<u8>,
    pub size: usize,
    /// Offset of the vvar area from the image start (negative).
    pub vvar_start: i64,
    pub kernel_vsyscall: Option<usize>,
    pub int80_landing_pad: Option<usize>,
    pub kernel_sigreturn: Option<usize>,
    pub kernel_rt_sigreturn: Option<usize>,
    pub alternatives: Vec<Alternative>,
}

/// Fail with `msg` unless `ok`.
fn ensure(ok: bool, msg: impl FnOnce() -> String) -> Result<(), Error> {
    if ok { Ok(()) } else { Err(Error(msg())) }
}

/// The value of symbol `name` in `elf`'s full symbol table, if present.
fn symtab_value(elf: &Elf, name: &str) -> Option<u64> {
    elf.syms
        .iter()
        .find(|s| elf.strtab.get_at(s.st_name) == Some(name))
        .map(|s| s.st_value)
}

/// The only PT_LOAD of `elf`.
fn single_load<'e>(elf: &'e Elf, what: &str) -> Result<&'e ProgramHeader, Error> {
    let loads: Vec<_> = elf
        .program_headers
        .iter()
        .filter(|p| p.p_type == PT_LOAD)
        .collect();
    ensure(loads.len() == 1, || {
        format!("{what}: must have exactly one PT_LOAD, has {}", loads.len())
    })?;
    Ok(loads[0])
}

/// Check `stripped` (with local symbols from `dbg`) and describe it.
pub fn parse(stripped: &[u8], dbg: &[u8]) -> Result<Image, Error> {
    let elf = Elf::parse(stripped).map_err(|e| Error(format!("image is not an ELF file: {e}")))?;
    let dbg_elf = Elf::parse(dbg).map_err(|e| Error(format!(".dbg is not an ELF file: {e}")))?;
    let kind = if elf.is_64 {
        Kind::Vdso64
    } else {
        Kind::Vdso32
    };
    let name = kind.name();
    let e = |msg: String| Error(format!("{name}: {msg}"));

    // Header: the machine matching the class, a shared object.
    let h = &elf.header;
    ensure(h.e_machine == kind.machine(), || {
        format!("{name}: e_machine is {}", h.e_machine)
    })?;
    ensure(h.e_type == ET_DYN, || {
        format!("{name}: not a shared object (e_type {})", h.e_type)
    })?;
    ensure(elf.little_endian, || format!("{name}: not little-endian"))?;
    ensure(dbg_elf.is_64 == elf.is_64, || {
        format!("{name}: the .dbg is of the other ELF class")
    })?;

    // Segments: one R+X PT_LOAD from offset 0 at 0, nothing writable.
    let load = single_load(&elf, name)?;
    ensure(load.p_offset == 0 && load.p_vaddr == 0, || {
        format!("{name}: PT_LOAD must map the file from offset 0 at address 0")
    })?;
    ensure(load.p_flags == PF_R | PF_X, || {
        format!("{name}: PT_LOAD flags are {:#x}, not R+X", load.p_flags)
    })?;
    ensure(load.p_filesz == load.p_memsz, || {
        format!("{name}: PT_LOAD has zero-fill (a .bss)")
    })?;
    let load_size = load.p_filesz as usize;
    ensure(stripped.len() >= load_size, || {
        format!("{name}: file shorter than its PT_LOAD")
    })?;
    for p in &elf.program_headers {
        ensure(p.p_flags & PF_W == 0, || {
            format!("{name}: writable segment (p_type {:#x})", p.p_type)
        })?;
        ensure(p.p_type != PT_INTERP, || format!("{name}: has PT_INTERP"))?;
    }
    for t in [PT_DYNAMIC, PT_GNU_EH_FRAME] {
        ensure(elf.program_headers.iter().any(|p| p.p_type == t), || {
            format!("{name}: no program header of type {t:#x}")
        })?;
    }

    // Dynamic section: no relocations, no dependencies, both hashes, soname.
    let dynamic = elf
        .dynamic
        .as_ref()
        .ok_or_else(|| e("no dynamic section".into()))?;
    for d in &dynamic.dyns {
        let reloc = [
            DT_REL,
            DT_RELA,
            DT_RELSZ,
            DT_RELASZ,
            DT_JMPREL,
            DT_PLTRELSZ,
            DT_TEXTREL,
            DT_RELR,
        ];
        ensure(!reloc.contains(&d.d_tag), || {
            format!(
                "{name}: dynamic relocations (tag {:#x}): the image must be position-independent",
                d.d_tag
            )
        })?;
        ensure(d.d_tag != DT_NEEDED, || {
            format!("{name}: depends on another library (DT_NEEDED)")
        })?;
    }
    ensure(
        elf.dynrelas.is_empty() && elf.dynrels.is_empty() && elf.pltrelocs.is_empty(),
        || format!("{name}: has dynamic relocations"),
    )?;
    // Both hash tables, and symbol versions (DT_VERSYM, DT_VERDEF): an
    // image linked without vdso/vdso-gcc has rustc's unversioned exports.
    for tag in [DT_HASH, DT_GNU_HASH, DT_VERSYM, DT_VERDEF] {
        ensure(dynamic.dyns.iter().any(|d| d.d_tag == tag), || {
            format!(
                "{name}: no dynamic tag {tag:#x} (hash tables and symbol versions are required)"
            )
        })?;
    }
    ensure(elf.soname == Some(kind.soname()), || {
        format!(
            "{name}: soname {:?}, expected {}",
            elf.soname,
            kind.soname()
        )
    })?;
    let versym = elf
        .versym
        .as_ref()
        .ok_or_else(|| e("no .gnu.version section".into()))?;
    for (i, s) in elf.dynsyms.iter().enumerate().skip(1) {
        let sym = elf.dynstrtab.get_at(s.st_name).unwrap_or("?");
        ensure(s.st_shndx != 0, || {
            format!("{name}: undefined dynamic symbol {sym}")
        })?;
        // 0 is local, 1 unversioned global: what rustc's own version script
        // gives when the image was not linked through vdso/vdso-gcc.
        let version = versym.get_at(i).map_or(0, |v| v.version());
        ensure(version >= 2, || {
            format!("{name}: dynamic symbol {sym} has no version (LINUX_2.x)")
        })?;
    }

    // The .dbg must be this very image, with its symbols.
    let dbg_load = single_load(&dbg_elf, ".dbg")?;
    let from = h.e_ehsize as usize; // the ELF headers differ in section fields
    ensure(
        dbg_load.p_filesz == load.p_filesz
            && dbg.get(from..load_size) == stripped.get(from..load_size),
        || format!("{name}: the .dbg does not match the image"),
    )?;
    let local = |sym: &str| symtab_value(&dbg_elf, sym);

    let vvar = local("vvar_start").ok_or_else(|| e("no vvar_start symbol in the .dbg".into()))?;
    let vvar_start = if elf.is_64 {
        vvar as i64
    } else {
        vvar as u32 as i32 as i64
    };
    ensure(vvar_start == -(VVAR_SIZE as i64), || {
        format!("{name}: vvar_start is {vvar_start}, vdso-data's VVAR_SIZE wants -{VVAR_SIZE}")
    })?;

    let alternatives = alternatives(&elf, stripped, load_size).map_err(e)?;
    let mut image = Image {
        kind,
        data: stripped.to_vec(),
        size: stripped.len().div_ceil(PAGE_SIZE) * PAGE_SIZE,
        vvar_start,
        kernel_vsyscall: None,
        int80_landing_pad: None,
        kernel_sigreturn: None,
        kernel_rt_sigreturn: None,
        alternatives,
    };
    image.data.resize(image.size, 0);

    match kind {
        Kind::Vdso32 => {
            let sym = |s: &str| -> Result<usize, Error> {
                let v = local(s).ok_or_else(|| e(format!("no {s} symbol")))? as usize;
                ensure(v < load_size, || {
                    format!("{name}: {s} lies outside the image")
                })?;
                Ok(v)
            };
            image.kernel_vsyscall = Some(sym("__kernel_vsyscall")?);
            image.int80_landing_pad = Some(sym("int80_landing_pad")?);
            image.kernel_sigreturn = Some(sym("__kernel_sigreturn")?);
            image.kernel_rt_sigreturn = Some(sym("__kernel_rt_sigreturn")?);
            ensure(
                elf.entry as usize == image.kernel_vsyscall.unwrap_or(0),
                || {
                    format!(
                        "{name}: ELF entry {:#x} is not __kernel_vsyscall",
                        elf.entry
                    )
                },
            )?;
            check_vdso32_code(&image).map_err(e)?;
        }
        Kind::Vdso64 => {
            let vsyscall_alt = image
                .alternatives
                .iter()
                .any(|a| a.feature != Feature::Rdpid);
            ensure(!vsyscall_alt, || {
                format!("{name}: has __kernel_vsyscall alternatives")
            })?;
        }
    }
    Ok(image)
}

/// Decode and bounds-check the image's `.altinstructions`.
fn alternatives(elf: &Elf, bytes: &[u8], load_size: usize) -> Result<Vec<Alternative>, String> {
    let section = elf
        .section_headers
        .iter()
        .find(|sh| elf.shdr_strtab.get_at(sh.sh_name) == Some(".altinstructions"));
    let Some(sh) = section else {
        return Ok(Vec::new());
    };
    let (at, len) = (sh.sh_offset as usize, sh.sh_size as usize);
    if sh.sh_addr != sh.sh_offset || at + len > load_size || len % ALT_ENTRY_SIZE != 0 {
        return Err(format!(
            ".altinstructions ({len} bytes at {at:#x}) is malformed"
        ));
    }
    let mut alts = Vec::new();
    for (i, entry) in bytes[at..at + len].chunks_exact(ALT_ENTRY_SIZE).enumerate() {
        let entry: &[u8; ALT_ENTRY_SIZE] =
            entry.try_into().map_err(|_| "short entry".to_string())?;
        let offset = at + i * ALT_ENTRY_SIZE;
        let alt = Alternative::decode(entry, offset)
            .ok_or_else(|| format!("alternative {i} has an unknown feature or offset"))?;
        if alt.site + alt.site_len > load_size || alt.replacement + alt.replacement_len > load_size
        {
            return Err(format!("alternative {i} points outside the image"));
        }
        if alt.replacement_len > alt.site_len {
            return Err(format!(
                "alternative {i}: replacement ({}) longer than site ({})",
                alt.replacement_len, alt.site_len
            ));
        }
        alts.push(alt);
    }
    Ok(alts)
}

/// The bytes Linux's contract fixes: `__kernel_vsyscall`'s prologue, patch
/// site, `int $0x80` and landing pad, the two replacements, and the signal
/// return trampolines.
fn check_vdso32_code(img: &Image) -> Result<(), String> {
    let at = |off: usize, len: usize| img.data.get(off..off.saturating_add(len)).unwrap_or(&[]);
    let (Some(vsyscall), Some(pad)) = (img.kernel_vsyscall, img.int80_landing_pad) else {
        return Err("missing __kernel_vsyscall or int80_landing_pad".into());
    };
    let find = |f: Feature| img.alternatives.iter().filter(move |a| a.feature == f);
    let (sysenter, syscall): (Vec<_>, Vec<_>) = (
        find(Feature::Sysenter32).collect(),
        find(Feature::Syscall32).collect(),
    );
    let ([sysenter], [syscall]) = (&sysenter[..], &syscall[..]) else {
        return Err(
            "__kernel_vsyscall needs exactly one sysenter and one syscall alternative".into(),
        );
    };
    let (site, len) = (sysenter.site, sysenter.site_len);
    if (syscall.site, syscall.site_len) != (site, len) {
        return Err("the sysenter and syscall alternatives patch different sites".into());
    }
    let mut nops = vec![0; len];
    fill_nops(&mut nops);
    let checks: [(&str, &[u8], &[u8]); 7] = [
        (
            "prologue (push %ecx; push %edx; push %ebp)",
            at(vsyscall, 3),
            &[0x51, 0x52, 0x55],
        ),
        ("patch site (NOPs)", at(site, len), &nops),
        (
            "int $0x80 right before int80_landing_pad",
            at(pad.wrapping_sub(2), 2),
            &[0xcd, 0x80],
        ),
        (
            "landing pad (pop %ebp; pop %edx; pop %ecx; ret)",
            at(pad, 4),
            &[0x5d, 0x5a, 0x59, 0xc3],
        ),
        (
            "sysenter replacement",
            at(sysenter.replacement, sysenter.replacement_len),
            &[0x89, 0xe5, 0x0f, 0x34],
        ),
        (
            "syscall replacement",
            at(syscall.replacement, syscall.replacement_len),
            &[0x89, 0xcd, 0x0f, 0x05],
        ),
        (
            "site placement",
            &[(site == vsyscall + 3 && site + len + 2 == pad) as u8],
            &[1],
        ),
    ];
    for (what, got, want) in checks {
        if got != want {
            return Err(format!(
                "__kernel_vsyscall {what}: found {got:02x?}, want {want:02x?}"
            ));
        }
    }
    let sigreturns: [(&str, Option<usize>, &[u8]); 2] = [
        // popl %eax; movl $119, %eax; int $0x80
        (
            "__kernel_sigreturn",
            img.kernel_sigreturn,
            &[0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80],
        ),
        // movl $173, %eax; int $0x80
        (
            "__kernel_rt_sigreturn",
            img.kernel_rt_sigreturn,
            &[0xb8, 173, 0, 0, 0, 0xcd, 0x80],
        ),
    ];
    for (what, off, want) in sigreturns {
        let got = at(off.unwrap_or(0), want.len());
        if got != want {
            return Err(format!("{what}: found {got:02x?}, want {want:02x?}"));
        }
    }
    Ok(())
}

impl Image {
    /// The Rust source the kernel includes: a page-aligned copy of the
    /// bytes and `pub static VDSO32`/`VDSO64: vdso_data::VdsoImage`.
    pub fn to_rust(&self, source: &str) -> String {
        let name = self.kind.name();
        let upper = name.to_uppercase();
        let mut s = String::new();
        let opt = |v: Option<usize>| v.map_or("None".to_string(), |v| format!("Some({v:#x})"));
        let _ = writeln!(s, "// @generated by vdso2c from {source}: do not edit.");
        let _ = writeln!(
            s,
            "static {upper}_RAW: ::vdso_data::PageAligned<{}> = ::vdso_data::PageAligned([",
            self.size
        );
        for line in self.data.chunks(16) {
            let bytes: Vec<String> = line.iter().map(|b| format!("{b:#04x},")).collect();
            let _ = writeln!(s, "    {}", bytes.join(" "));
        }
        let _ = writeln!(s, "]);\n");
        let _ = writeln!(
            s,
            "pub static {upper}: ::vdso_data::VdsoImage = ::vdso_data::VdsoImage {{"
        );
        let _ = writeln!(s, "    name: {name:?},");
        let _ = writeln!(s, "    data: &{upper}_RAW.0,");
        let _ = writeln!(s, "    size: {:#x},", self.size);
        let _ = writeln!(s, "    sym_vvar_start: {},", self.vvar_start);
        let _ = writeln!(s, "    sym_kernel_vsyscall: {},", opt(self.kernel_vsyscall));
        let _ = writeln!(
            s,
            "    sym_int80_landing_pad: {},",
            opt(self.int80_landing_pad)
        );
        let _ = writeln!(
            s,
            "    sym_kernel_sigreturn: {},",
            opt(self.kernel_sigreturn)
        );
        let _ = writeln!(
            s,
            "    sym_kernel_rt_sigreturn: {},",
            opt(self.kernel_rt_sigreturn)
        );
        let _ = writeln!(s, "    alternatives: &[");
        for a in &self.alternatives {
            let _ = writeln!(
                s,
                "        ::vdso_data::Alternative {{ site: {:#x}, site_len: {}, replacement: {:#x}, \
                 replacement_len: {}, feature: ::vdso_data::Feature::{:?} }},",
                a.site, a.site_len, a.replacement, a.replacement_len, a.feature
            );
        }
        let _ = writeln!(s, "    ],\n}};");
        s
    }
}

/// `image` with `.dbg` appended: where the build puts the unstripped twin.
pub fn dbg_path(image: &Path) -> PathBuf {
    let mut p = image.as_os_str().to_owned();
    p.push(".dbg");
    PathBuf::from(p)
}

/// Read `image` and its `.dbg`, check them, and write the Rust source to
/// `out`. What the kernel's build.rs calls for each image.
pub fn generate_file(image: &Path, out: &Path) -> Result<Image, Error> {
    let read = |p: &Path| {
        std::fs::read(p).map_err(|err| Error(format!("cannot read {}: {err}", p.display())))
    };
    let parsed = parse(&read(image)?, &read(&dbg_path(image))?)
        .map_err(|err| Error(format!("{}: {}", image.display(), err.0)))?;
    std::fs::write(out, parsed.to_rust(&image.display().to_string()))
        .map_err(|err| Error(format!("cannot write {}: {err}", out.display())))?;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up vdso32 description, to see the generated source's shape.
    fn image() -> Image {
        Image {
            kind: Kind::Vdso32,
            data: vec![0x7f; PAGE_SIZE],
            size: PAGE_SIZE,
            vvar_start: -4096,
            kernel_vsyscall: Some(0x560),
            int80_landing_pad: Some(0x56a),
            kernel_sigreturn: Some(0x581),
            kernel_rt_sigreturn: None,
            alternatives: vec![Alternative {
                site: 0x563,
                site_len: 4,
                replacement: 0x600,
                replacement_len: 4,
                feature: Feature::Sysenter32,
            }],
        }
    }

    #[test]
    fn rust_source_shape() {
        let src = image().to_rust("vdso32.so");
        assert!(src.starts_with("// @generated by vdso2c from vdso32.so"));
        assert!(src.contains(
            "static VDSO32_RAW: ::vdso_data::PageAligned<4096> = ::vdso_data::PageAligned(["
        ));
        assert!(src.contains("pub static VDSO32: ::vdso_data::VdsoImage"));
        assert!(src.contains("sym_vvar_start: -4096,"));
        assert!(src.contains("sym_kernel_vsyscall: Some(0x560),"));
        assert!(src.contains("sym_kernel_rt_sigreturn: None,"));
        assert!(src.contains("feature: ::vdso_data::Feature::Sysenter32 },"));
        assert_eq!(src.matches("0x7f,").count(), PAGE_SIZE);
    }

    #[test]
    fn rejects_what_is_not_an_elf() {
        let err = parse(b"not an elf", b"nor this").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("vdso2c: image is not an ELF file"),
            "{err}"
        );
    }

    #[test]
    fn vdso32_code_checks_name_the_bad_bytes() {
        let mut img = image();
        img.data[0x560..0x563].copy_from_slice(&[0x51, 0x52, 0x55]);
        let err = check_vdso32_code(&img).unwrap_err();
        assert!(
            err.contains("exactly one sysenter and one syscall"),
            "{err}"
        );
        img.alternatives.push(Alternative {
            replacement: 0x604,
            feature: Feature::Syscall32,
            ..img.alternatives[0]
        });
        let err = check_vdso32_code(&img).unwrap_err();
        assert!(
            err.contains("patch site (NOPs): found [7f, 7f, 7f, 7f]"),
            "{err}"
        );
    }

    #[test]
    fn dbg_is_beside_the_image() {
        assert_eq!(
            dbg_path(Path::new("/x/vdso32.so")),
            PathBuf::from("/x/vdso32.so.dbg")
        );
    }
}
