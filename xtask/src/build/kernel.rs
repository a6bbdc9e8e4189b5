//! The kernel: one ELF for `x86_64-unknown-none`, booted by QEMU `-kernel`.

use crate::{paths, util};
use anyhow::Result;
use std::path::PathBuf;

/// Build the kernel around the vDSO images `vdso` (its build.rs reads
/// FORKLINE_VDSO32 / FORKLINE_VDSO64).
pub fn build(vdso: &super::vdso::Vdso) -> Result<PathBuf> {
    util::run(super::cargo_build("kernel", "x86_64-unknown-none").envs(vdso.env()))?;
    Ok(paths::kernel())
}
