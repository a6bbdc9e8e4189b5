//! The kernel: one ELF for `x86_64-unknown-none`, booted by QEMU `-kernel`.
//! After linking, its symbol table is embedded for oops reports and the
//! result is written to target/forkline/vmlinux.

use crate::{paths, util};
use anyhow::Result;
use std::path::PathBuf;

/// Build the kernel around the vDSO images `vdso` (its build.rs reads
/// FORKLINE_VDSO32 / FORKLINE_VDSO64).
pub fn build(vdso: &super::vdso::Vdso) -> Result<PathBuf> {
    util::run(super::cargo_build("kernel", "x86_64-unknown-none").envs(vdso.env()))?;
    let linked = paths::target().join("x86_64-unknown-none/release/forkline");
    let vmlinux = paths::kernel();
    std::fs::create_dir_all(paths::out())?;
    super::kallsyms::embed(&linked, &vmlinux)?;
    Ok(vmlinux)
}
