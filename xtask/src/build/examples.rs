//! The example programs (`examples/`): what a user runs on Forkline. Each C
//! program is compiled against libc-rs (`cargo xtask cc`) into
//! `target/forkline/examples/<arch>/NAME` and lands in the initramfs as
//!
//! - `/bin/NAME` (x86_64) and `/bin/NAME32` (i386, for the programs that
//!   show something different in a 32-bit process: auxv, vdso, fork,
//!   forktrace),
//! - `/sbin/init` (examples/c/init.c), `/bin/fsh` (examples/c/fsh/*.c, also
//!   as `/bin/sh`), the utilities `/bin/NAME` (one program per
//!   examples/c/bin/NAME.c),
//! - `/etc/…` from examples/etc/ (the boot demo script `/etc/rc`),
//! - `/bin/forkrs`, `/bin/forkrs32`: Rust programs on libc-rs's Rust API
//!   (examples/rust, a cargo workspace of its own, linked as libc-rs's own
//!   Rust test program is).
//!
//! A program is rebuilt only when an input (its sources, any header there,
//! libc.a, the start files) is newer than it, or its command line changed.

use crate::cc::{self, Arch};
use crate::initramfs::Member;
use crate::{paths, util};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Programs built for both architectures: name and source (under examples/c).
const BOTH_ARCHES: [(&str, &str); 4] = [
    ("auxv", "auxv.c"),
    ("vdso", "vdso.c"),
    ("fork", "fork.c"),
    ("forktrace", "forktrace.c"),
];

/// The Rust programs of examples/rust (its [[bin]] names).
const RUST_PROGRAMS: [&str; 1] = ["forkrs"];

/// Compiler flags for every example.
const CFLAGS: [&str; 5] = ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wl,-S"];

/// examples/ in the workspace.
pub fn source_dir() -> PathBuf {
    paths::root().join("examples")
}

/// Where the built programs for `arch` go.
pub fn out_dir(arch: Arch) -> PathBuf {
    paths::out().join("examples").join(arch.name())
}

/// The host path of a built example (`fsh`, `auxv`…) for `arch`.
pub fn binary(arch: Arch, name: &str) -> PathBuf {
    out_dir(arch).join(name)
}

/// One program to build: its name, sources and guest path.
struct Program {
    name: String,
    arch: Arch,
    sources: Vec<PathBuf>,
    guest: String,
}

/// The `.c` files directly in `dir`, sorted.
fn c_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    v.sort();
    Ok(v)
}

/// Every program, in both architectures where it applies.
fn programs() -> Result<Vec<Program>> {
    let c = source_dir().join("c");
    let mut v = Vec::new();
    for (name, src) in BOTH_ARCHES {
        for arch in Arch::ALL {
            let suffix = if arch == Arch::I386 { "32" } else { "" };
            v.push(Program {
                name: name.into(),
                arch,
                sources: vec![c.join(src)],
                guest: format!("/bin/{name}{suffix}"),
            });
        }
    }
    let one = |name: &str, sources: Vec<PathBuf>, guest: String| Program {
        name: name.into(),
        arch: Arch::X86_64,
        sources,
        guest,
    };
    v.push(one("init", vec![c.join("init.c")], "/sbin/init".into()));
    v.push(one("fsh", c_files(&c.join("fsh"))?, "/bin/fsh".into()));
    for src in c_files(&c.join("bin"))? {
        let name = src.file_stem().unwrap().to_string_lossy().into_owned();
        v.push(one(&name, vec![src.clone()], format!("/bin/{name}")));
    }
    Ok(v)
}

/// The newest modification time among `files` (None if one is missing).
fn newest(files: &[PathBuf]) -> Option<std::time::SystemTime> {
    files
        .iter()
        .map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .try_fold(std::time::UNIX_EPOCH, |acc, t| Some(acc.max(t?)))
}

/// Every header a program may include from examples/ (c/lib's and the
/// shell's own), so that editing one rebuilds what might use it.
fn headers() -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        for e in std::fs::read_dir(dir)? {
            let p = e?.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|x| x == "h") {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut v = Vec::new();
    walk(&source_dir().join("c"), &mut v)?;
    Ok(v)
}

/// Compile one program unless it is up to date.
fn build_one(p: &Program, shared_inputs: &[PathBuf]) -> Result<PathBuf> {
    let out = binary(p.arch, &p.name);
    let mut args: Vec<String> = CFLAGS.iter().map(|s| s.to_string()).collect();
    args.extend(p.sources.iter().map(|s| s.display().to_string()));
    args.push("-o".into());
    args.push(out.display().to_string());
    let cmd = cc::command(p.arch, &args)?;
    let rendered = util::render(&cmd);
    let stamp = out.with_extension("cmd");
    let inputs: Vec<PathBuf> = p.sources.iter().chain(shared_inputs).cloned().collect();
    let built = std::fs::metadata(&out).and_then(|m| m.modified()).ok();
    let fresh = match (built, newest(&inputs)) {
        (Some(b), Some(i)) => {
            b >= i && std::fs::read_to_string(&stamp).ok() == Some(rendered.clone())
        }
        _ => false,
    };
    if !fresh {
        std::fs::create_dir_all(out_dir(p.arch))?;
        let mut cmd = cmd;
        util::output(&mut cmd)?;
        std::fs::write(&stamp, rendered)?;
    }
    Ok(out)
}

/// Build the Rust programs for `arch` with cargo (which knows when they are
/// fresh) against that sysroot, and copy them beside the C programs.
fn build_rust(arch: Arch) -> Result<()> {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    c.current_dir(source_dir().join("rust"))
        .args([
            "build",
            "--quiet",
            "--release",
            "--target",
            arch.rust_target(),
        ])
        .env("CARGO_TARGET_DIR", paths::target())
        .env("FORKLINE_SYSROOT", cc::sysroot(arch));
    util::run(&mut c)?;
    std::fs::create_dir_all(out_dir(arch))?;
    for name in RUST_PROGRAMS {
        let built = paths::target()
            .join(arch.rust_target())
            .join("release")
            .join(name);
        std::fs::copy(&built, binary(arch, name))
            .with_context(|| format!("copying {}", built.display()))?;
    }
    Ok(())
}

/// The Rust programs as members: `/bin/NAME`, and `/bin/NAME32` for i386.
fn rust_members() -> Vec<Member> {
    RUST_PROGRAMS
        .iter()
        .flat_map(|name| {
            Arch::ALL.map(|arch| Member {
                guest: format!("/bin/{name}{}", if arch == Arch::I386 { "32" } else { "" }),
                host: binary(arch, name),
            })
        })
        .collect()
}

/// The files of examples/etc, as `/etc/…` members.
fn etc_members() -> Result<Vec<Member>> {
    let dir = source_dir().join("etc");
    let mut v = Vec::new();
    for e in std::fs::read_dir(&dir)? {
        let p = e?.path();
        if p.is_file() {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            v.push(Member {
                guest: format!("/etc/{name}"),
                host: p,
            });
        }
    }
    v.sort_by(|a, b| a.guest.cmp(&b.guest));
    Ok(v)
}

/// The already-built examples as initramfs members, without building (for
/// the tests): fails with advice when `cargo xtask build` has not run.
pub fn members() -> Result<Vec<Member>> {
    let mut v = Vec::new();
    for p in programs()? {
        let host = binary(p.arch, &p.name);
        if !host.is_file() {
            bail!(
                "{} is missing: run `cargo xtask build` first",
                host.display()
            );
        }
        v.push(Member {
            guest: p.guest,
            host,
        });
    }
    for m in rust_members() {
        if !m.host.is_file() {
            bail!(
                "{} is missing: run `cargo xtask build` first",
                m.host.display()
            );
        }
        v.push(m);
    }
    v.push(sh_member());
    v.extend(etc_members()?);
    Ok(v)
}

/// /bin/sh is fsh too: the kernel's last-resort init, and `#!/bin/sh`.
fn sh_member() -> Member {
    Member {
        guest: "/bin/sh".into(),
        host: binary(Arch::X86_64, "fsh"),
    }
}

/// Build every example (in parallel) and return the initramfs members.
/// Needs the libc-rs sysroots (`libc::build` runs first in `build_all`).
pub fn build() -> Result<Vec<Member>> {
    let headers = headers()?;
    let inputs_for = |arch: Arch| -> Vec<PathBuf> {
        let lib = cc::sysroot(arch).join("lib");
        let mut v = headers.clone();
        v.extend(["libc.a", "crt1.o", "crti.o", "crtn.o"].map(|f| lib.join(f)));
        v
    };
    let shared = [inputs_for(Arch::I386), inputs_for(Arch::X86_64)];
    let programs = programs()?;
    let results: Vec<Result<PathBuf>> = std::thread::scope(|s| {
        let handles: Vec<_> = programs
            .iter()
            .map(|p| s.spawn(|| build_one(p, &shared[(p.arch == Arch::X86_64) as usize])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut members = Vec::new();
    let mut errors = Vec::new();
    for (p, r) in programs.iter().zip(results) {
        match r {
            Ok(host) => members.push(Member {
                guest: p.guest.clone(),
                host,
            }),
            Err(e) => errors.push(format!("{e:#}")),
        }
    }
    if !errors.is_empty() {
        bail!("building the examples failed:\n{}", errors.join("\n"));
    }
    for arch in Arch::ALL {
        build_rust(arch)?;
    }
    members.extend(rust_members());
    members.push(sh_member());
    members.extend(etc_members()?);
    Ok(members)
}
