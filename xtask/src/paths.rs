//! Where things are: the workspace, and where builds put their outputs.

use std::path::PathBuf;

/// The workspace root (the directory holding the top-level Cargo.toml).
pub fn root() -> PathBuf {
    let xtask = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    xtask
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo's target directory.
pub fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Forkline's assembled outputs: initramfs, sysroots, test programs.
pub fn out() -> PathBuf {
    target().join("forkline")
}

/// The kernel ELF that QEMU boots and gdb reads symbols from (the linked
/// kernel with its kallsyms table filled in).
pub fn kernel() -> PathBuf {
    out().join("vmlinux")
}
