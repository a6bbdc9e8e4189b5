//! The vDSOs: the `vdso` crate built once per target, linked through
//! `vdso/vdso-gcc` (see there why), then split like Linux's into the
//! stripped image every process maps and an unstripped `.dbg` for gdb:
//! `target/forkline/vdso/{vdso32.so,vdso32.so.dbg,vdso64.so,vdso64.so.dbg}`.
//!
//! The kernel build embeds the stripped images: its build.rs finds them
//! through FORKLINE_VDSO32 / FORKLINE_VDSO64 ([`Vdso::env`]) and runs
//! vdso2c on each (which also reads the `.dbg` beside it).

use crate::{paths, util};
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::Command;

/// The stripped images; each `.dbg` sits beside its image.
pub struct Vdso {
    pub vdso32: PathBuf,
    pub vdso64: PathBuf,
}

impl Vdso {
    /// The environment the kernel's build.rs reads the images from.
    pub fn env(&self) -> [(&'static str, &PathBuf); 2] {
        [
            ("FORKLINE_VDSO32", &self.vdso32),
            ("FORKLINE_VDSO64", &self.vdso64),
        ]
    }
}

/// Where the images go.
pub fn dir() -> PathBuf {
    paths::out().join("vdso")
}

/// Build both images, in release, and return where they are.
pub fn build() -> Result<Vdso> {
    std::fs::create_dir_all(dir())?;
    Ok(Vdso {
        vdso32: build_one("vdso32", "i686-unknown-linux-gnu")?,
        vdso64: build_one("vdso64", "x86_64-unknown-linux-gnu")?,
    })
}

/// `cargo build` the vdso crate for `target`; `NAME.so.dbg` is the linked
/// file, `NAME.so` its `objcopy -S` (Linux's OBJCOPYFLAGS for the vDSO).
fn build_one(name: &str, target: &str) -> Result<PathBuf> {
    let linker_var = format!(
        "CARGO_TARGET_{}_LINKER",
        target.to_uppercase().replace('-', "_")
    );
    let mut cargo = super::cargo_build("vdso", target);
    cargo.env(linker_var, paths::root().join("vdso/vdso-gcc"));
    util::run(&mut cargo)?;
    let linked = paths::target().join(target).join("release/libvdso.so");
    let dbg = dir().join(format!("{name}.so.dbg"));
    let image = dir().join(format!("{name}.so"));
    std::fs::copy(&linked, &dbg).with_context(|| format!("copying {}", linked.display()))?;
    util::run(Command::new("objcopy").arg("-S").arg(&dbg).arg(&image))?;
    Ok(image)
}
