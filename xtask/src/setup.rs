//! `cargo xtask setup`: install what Forkline needs, idempotently.
//!
//! Nothing installs itself on the machines we target (RUSTUP_AUTO_INSTALL=0),
//! so this is the one place that calls rustup and apt-get. It runs before
//! `build`, `run` and `test`; when everything is present it only looks.

use crate::util::{self, render};
use anyhow::{Result, bail};
use std::process::Command;

/// Rust targets beyond the host: the kernel, and 32-bit user space.
pub const TARGETS: &[&str] = &["x86_64-unknown-none", "i686-unknown-linux-gnu"];

/// Debian packages: QEMU; gcc for i386 (libc-rs's C side, and the host's
/// glibc/musl builds of the programs we compare against); gdb.
pub const PACKAGES: &[&str] = &["qemu-system-x86", "gcc-multilib", "musl-tools", "gdb"];

pub fn setup() -> Result<()> {
    rust_targets()?;
    debian_packages()
}

fn rust_targets() -> Result<()> {
    // The rustup proxy that started us exported RUSTUP_TOOLCHAIN, so these
    // commands act on the toolchain pinned in rust-toolchain.toml.
    let out = util::output(Command::new("rustup").args(["target", "list", "--installed"]))?;
    let installed = String::from_utf8_lossy(&out.stdout);
    let missing: Vec<&str> = TARGETS
        .iter()
        .copied()
        .filter(|t| !installed.lines().any(|l| l.trim() == *t))
        .collect();
    if !missing.is_empty() {
        eprintln!("setup: adding Rust targets {}", missing.join(", "));
        util::run(
            Command::new("rustup")
                .args(["target", "add"])
                .args(&missing),
        )?;
    }
    Ok(())
}

fn debian_packages() -> Result<()> {
    // dpkg-query prints one line per known package; absent ones only warn.
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Package} ${Status}\\n"])
        .args(PACKAGES)
        .output()?;
    let listing = String::from_utf8_lossy(&out.stdout);
    let missing: Vec<&str> = PACKAGES
        .iter()
        .copied()
        .filter(|p| {
            !listing
                .lines()
                .any(|l| l.starts_with(&format!("{p} ")) && l.ends_with("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut install = Command::new("apt-get");
    install
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive");
    if !is_root() {
        bail!(
            "Forkline needs the Debian packages {}; install them with:\n    sudo {}",
            missing.join(" "),
            render(&install)
        );
    }
    eprintln!("setup: installing {}", missing.join(" "));
    // A fresh machine may have empty package lists; update once, then install.
    if util::run(&mut install).is_err() {
        util::run(Command::new("apt-get").args(["update", "-q"]))?;
        util::run(&mut install)?;
    }
    Ok(())
}

/// Are we root (may we call apt-get)?
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { geteuid() == 0 }
}

unsafe extern "C" {
    fn geteuid() -> u32;
}
