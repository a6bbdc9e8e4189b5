//! The Forkline build front end as a library, so that the QEMU tests in
//! `tests/` boot the kernel exactly as `cargo xtask run` does.

pub mod bench;
pub mod build;
pub mod cc;
pub mod gdb;
pub mod initramfs;
pub mod paths;
pub mod qemu;
pub mod run;
pub mod setup;
pub mod test;
pub mod util;
