//! The kernel: one ELF for `x86_64-unknown-none`, booted by QEMU `-kernel`.

use crate::{paths, util};
use anyhow::Result;
use std::path::PathBuf;

pub fn build() -> Result<PathBuf> {
    util::run(&mut super::cargo_build("kernel", "x86_64-unknown-none"))?;
    Ok(paths::kernel())
}
