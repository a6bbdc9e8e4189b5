//! `cargo xtask cc [--arch i386|x86_64] FILE.c… -o OUT [gcc flags…]`: compile
//! and link a C program against libc-rs, as `musl-gcc` does for musl.
//!
//! The host gcc is used with `-nostdinc` (our headers, then gcc's own
//! freestanding ones: stddef.h, stdarg.h, …), `-nostdlib` and `-static`, and
//! the sysroot's crt1.o/crti.o/crtn.o and libc.a in place of glibc's.
//! [`command`] is the library form the tests use.

use crate::{paths, util};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The two architectures libc-rs is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    I386,
    X86_64,
}

impl Arch {
    pub const ALL: [Arch; 2] = [Arch::I386, Arch::X86_64];

    /// The directory name used under sysroot/ and libc-tests/.
    pub fn name(self) -> &'static str {
        match self {
            Arch::I386 => "i386",
            Arch::X86_64 => "x86_64",
        }
    }

    /// The Rust target libc-rs is compiled for.
    pub fn rust_target(self) -> &'static str {
        match self {
            Arch::I386 => "i686-unknown-linux-gnu",
            Arch::X86_64 => "x86_64-unknown-linux-gnu",
        }
    }

    /// gcc's -m flag.
    pub fn gcc_flag(self) -> &'static str {
        match self {
            Arch::I386 => "-m32",
            Arch::X86_64 => "-m64",
        }
    }

    pub fn parse(s: &str) -> Result<Arch> {
        match s {
            "i386" | "i686" | "x86" => Ok(Arch::I386),
            "x86_64" | "amd64" => Ok(Arch::X86_64),
            _ => bail!("unknown architecture {s:?} (i386 or x86_64)"),
        }
    }
}

/// `target/forkline/sysroot/<arch>`: include/ and lib/ (libc.a, crt*.o).
pub fn sysroot(arch: Arch) -> PathBuf {
    paths::out().join("sysroot").join(arch.name())
}

/// gcc's own header directory (stddef.h, stdarg.h, float.h, …).
fn gcc_include(arch: Arch) -> Result<PathBuf> {
    let out =
        util::output(Command::new("gcc").args([arch.gcc_flag(), "-print-file-name=include"]))?;
    Ok(PathBuf::from(String::from_utf8(out.stdout)?.trim()))
}

/// The gcc command that compiles `args` (sources, objects, flags, `-o`)
/// against libc-rs for `arch`. Links unless `-c`, `-S` or `-E` is given.
pub fn command(arch: Arch, args: &[String]) -> Result<Command> {
    let root = sysroot(arch);
    let lib = root.join("lib");
    if !lib.join("libc.a").is_file() {
        bail!(
            "{} is missing: run `cargo xtask build` first",
            lib.join("libc.a").display()
        );
    }
    let mut c = Command::new("gcc");
    c.arg(arch.gcc_flag());
    c.arg("-nostdinc");
    c.arg("-isystem").arg(root.join("include"));
    c.arg("-isystem").arg(gcc_include(arch)?);
    let link = !args.iter().any(|a| a == "-c" || a == "-S" || a == "-E");
    if link {
        c.args(["-static", "-nostdlib", "-Wl,--gc-sections"]);
        c.arg(lib.join("crt1.o")).arg(lib.join("crti.o"));
    }
    c.args(args);
    if link {
        c.arg(format!("-L{}", lib.display()));
        c.arg(lib.join("libc.a"))
            .arg("-lgcc")
            .arg(lib.join("crtn.o"));
    }
    Ok(c)
}

/// Compile C sources to `out` with extra flags (what tests and the build
/// call).
pub fn compile(arch: Arch, sources: &[&Path], out: &Path, flags: &[&str]) -> Result<()> {
    let mut args: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
    args.extend(sources.iter().map(|s| s.display().to_string()));
    args.push("-o".into());
    args.push(out.display().to_string());
    if let Some(d) = out.parent() {
        std::fs::create_dir_all(d)?;
    }
    util::output(&mut command(arch, &args)?)
        .map(|_| ())
        .with_context(|| format!("building {}", out.display()))
}

/// The `cargo xtask cc` subcommand.
pub fn cc(arch: &str, args: &[String]) -> Result<()> {
    let arch = Arch::parse(arch)?;
    util::run(&mut command(arch, args)?)
}
