//! Static checks of both images, vdso2c and patch_vsyscall.

use super::*;

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
    let versym = file
        .section_by_name(".gnu.version")
        .unwrap()
        .file_range()
        .unwrap()
        .0 as usize;
    let site = vsyscall_site(&img);
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
        // What rustc's own version script would leave: VER_NDX_GLOBAL.
        (
            "unversioned",
            poke(&b.image, versym + 2, 2, 1),
            "has no version",
        ),
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
    let site = vsyscall_site(&img);
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
