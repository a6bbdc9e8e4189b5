//! `cargo xtask build`: everything QEMU needs, in dependency order.

pub mod elfcorpus;
pub mod examples;
pub mod kallsyms;
pub mod kernel;
pub mod libc;
pub mod programs;
pub mod vdso;

use anyhow::Result;

/// What a build produces and where.
pub struct Outputs {
    pub kernel: std::path::PathBuf,
    /// The stripped vDSO images (each with its `.dbg` beside it).
    pub vdso32: std::path::PathBuf,
    pub vdso64: std::path::PathBuf,
    /// Programs for the initramfs.
    pub programs: Vec<crate::initramfs::Member>,
}

pub fn build_all() -> Result<Outputs> {
    let vdso = vdso::build()?;
    let kernel = kernel::build(&vdso)?;
    let mut programs = libc::build()?;
    elfcorpus::build()?;
    programs.extend(self::programs::build()?);
    programs.extend(examples::build()?);
    Ok(Outputs {
        kernel,
        vdso32: vdso.vdso32,
        vdso64: vdso.vdso64,
        programs,
    })
}

/// `cargo build` of one workspace package for one target, in release.
pub fn cargo_build(package: &str, target: &str) -> std::process::Command {
    let mut c = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    c.current_dir(crate::paths::root());
    c.args([
        "build",
        "--quiet",
        "--release",
        "--package",
        package,
        "--target",
        target,
    ]);
    c
}
