//! libc-rs: the sysroots (`target/forkline/sysroot/{i386,x86_64}/` with
//! include/ and lib/libc.a, crt1.o, crti.o, crtn.o) and the libc test
//! programs (`target/forkline/libc-tests/{i386,x86_64}/`), each C test also
//! built against the host glibc (`NAME.glibc`, static) unless it includes
//! `<forkline.h>`, for the differential tests.

use crate::cc::{self, Arch};
use crate::initramfs::Member;
use crate::{paths, util};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The libc-rs sources.
pub fn source_dir() -> PathBuf {
    paths::root().join("libc-rs")
}

/// Where the test programs for `arch` go.
pub fn tests_dir(arch: Arch) -> PathBuf {
    paths::out().join("libc-tests").join(arch.name())
}

/// Empty archives for the libraries glibc splits out of libc (-lm, -lpthread
/// …), so that ordinary link lines work, as musl's sysroot has them.
const EMPTY_LIBS: [&str; 6] = ["m", "pthread", "rt", "dl", "util", "crypt"];

/// Build libc.a and the start files for `arch` and lay out its sysroot.
pub fn build_sysroot(arch: Arch) -> Result<PathBuf> {
    util::run(&mut super::cargo_build("libc-rs", arch.rust_target()))?;
    let root = cc::sysroot(arch);
    let lib = root.join("lib");
    std::fs::create_dir_all(&lib)?;
    let built = paths::target()
        .join(arch.rust_target())
        .join("release/libc.a");
    copy_if_changed(&built, &lib.join("libc.a"))?;
    for crt in ["crt1", "crti", "crtn"] {
        let src = source_dir()
            .join("crt")
            .join(arch.name())
            .join(format!("{crt}.S"));
        util::output(
            Command::new("gcc")
                .arg(arch.gcc_flag())
                .arg("-c")
                .arg(&src)
                .arg("-o")
                .arg(lib.join(format!("{crt}.o"))),
        )?;
    }
    for l in EMPTY_LIBS {
        let a = lib.join(format!("lib{l}.a"));
        if !a.exists() {
            std::fs::write(&a, b"!<arch>\n")?;
        }
    }
    let inc = root.join("include");
    let _ = std::fs::remove_dir_all(&inc);
    copy_tree(&source_dir().join("include"), &inc)?;
    Ok(root)
}

/// Copy `from` to `to` unless identical (keeps mtimes stable for make-like
/// consumers).
fn copy_if_changed(from: &Path, to: &Path) -> Result<()> {
    let new = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    if std::fs::read(to).ok().as_deref() != Some(&new[..]) {
        std::fs::write(to, new)?;
    }
    Ok(())
}

/// Recursive copy of a header tree.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let dst = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &dst)?;
        } else {
            std::fs::copy(e.path(), &dst)?;
        }
    }
    Ok(())
}

/// The C test programs: every `libc-rs/tests/c/*.c`, plus the seed program.
fn c_sources() -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(source_dir().join("tests/c"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    v.sort();
    v.push(paths::root().join("examples/c/fork.c"));
    Ok(v)
}

/// Build the glibc twin of a C program (static, host gcc, with glibc's
/// separate libm).
pub fn build_glibc(arch: Arch, src: &Path, out: &Path, flags: &[&str]) -> Result<()> {
    util::output(
        Command::new("gcc")
            .arg(arch.gcc_flag())
            .args(["-static", "-O2", "-w"])
            .args(flags)
            .arg(src)
            .arg("-lm")
            .arg("-o")
            .arg(out),
    )
    .map(|_| ())
}

/// Build every test program for `arch`; returns (guest path, host path).
pub fn build_tests(arch: Arch) -> Result<Vec<Member>> {
    let dir = tests_dir(arch);
    std::fs::create_dir_all(&dir)?;
    let mut out = Vec::new();
    let mut add = |name: String, host: PathBuf| {
        out.push(Member {
            guest: format!("/libc-tests/{}/{name}", arch.name()),
            host,
        });
    };
    let common = ["-O2", "-Wall", "-Wno-format", "-fno-stack-protector"];
    for src in c_sources()? {
        let name = src.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&src)?;
        if name == "bench" {
            // Benchmarks are built on demand (tests/libc.rs, `bench` test).
            continue;
        }
        let bin = dir.join(&name);
        cc::compile(arch, &[&src], &bin, &common)?;
        add(name.clone(), bin);
        if text.contains("FL_VARIANT_NO_SYSINFO") && arch == Arch::I386 {
            // The same program entered through a stub that hides AT_SYSINFO.
            let bin = dir.join(format!("{name}-no-sysinfo"));
            cc::compile(
                arch,
                &[&src],
                &bin,
                &[
                    &common[..],
                    &["-DFL_VARIANT_NO_SYSINFO", "-Wl,-e,fl_test_start"],
                ]
                .concat(),
            )?;
            add(format!("{name}-no-sysinfo"), bin);
        }
        if !text.contains("<forkline.h>") {
            let twin = dir.join(format!("{name}.glibc"));
            build_glibc(arch, &src, &twin, &[])?;
            add(format!("{name}.glibc"), twin);
        }
    }
    // The Rust test program: a no_std, no_main binary over the rlib.
    let mut c = super::cargo_build("libc-rs-rust-test", arch.rust_target());
    c.env("FORKLINE_SYSROOT", cc::sysroot(arch));
    util::run(&mut c)?;
    let built = paths::target()
        .join(arch.rust_target())
        .join("release/rust-hello");
    let bin = dir.join("rust-hello");
    std::fs::copy(&built, &bin).with_context(|| format!("copying {}", built.display()))?;
    add("rust-hello".into(), bin);
    Ok(out)
}

/// The already-built test programs of both architectures as initramfs
/// members (`/libc-tests/<arch>/NAME`), without building: fails with advice
/// when `cargo xtask build` has not run.
pub fn members() -> Result<Vec<Member>> {
    let mut out = Vec::new();
    for arch in Arch::ALL {
        let dir = tests_dir(arch);
        let entries = std::fs::read_dir(&dir).with_context(|| {
            format!(
                "{} is missing: run `cargo xtask build` first",
                dir.display()
            )
        })?;
        for e in entries {
            let e = e?;
            out.push(Member {
                guest: format!(
                    "/libc-tests/{}/{}",
                    arch.name(),
                    e.file_name().to_string_lossy()
                ),
                host: e.path(),
            });
        }
    }
    out.sort_by(|a, b| a.guest.cmp(&b.guest));
    Ok(out)
}

/// Sysroots and test programs for both architectures.
pub fn build() -> Result<Vec<Member>> {
    let mut programs = Vec::new();
    for arch in Arch::ALL {
        build_sysroot(arch)?;
        programs.extend(build_tests(arch)?);
    }
    Ok(programs)
}
