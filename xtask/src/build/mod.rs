//! `cargo xtask build`: everything QEMU needs, in dependency order.

pub mod kernel;

use anyhow::Result;

/// What a build produces and where.
pub struct Outputs {
    pub kernel: std::path::PathBuf,
    /// Programs for the initramfs.
    pub programs: Vec<crate::initramfs::Member>,
}

pub fn build_all() -> Result<Outputs> {
    let kernel = kernel::build()?;
    Ok(Outputs { kernel, programs: Vec::new() })
}

/// `cargo build` of one workspace package for one target, in release.
pub fn cargo_build(package: &str, target: &str) -> std::process::Command {
    let mut c = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    c.current_dir(crate::paths::root());
    c.args(["build", "--quiet", "--release", "--package", package, "--target", target]);
    c
}
