//! Kernel build script: the linker script; the syscall tables generated
//! from syscall_64.tbl and syscall_32.tbl; the vDSO images (Linux's
//! vdso2c step), read from FORKLINE_VDSO32/FORKLINE_VDSO64 which
//! `cargo xtask build` sets; and the version facts the banner prints.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rustc-link-arg-bins=-T{dir}/linker.ld");
    println!("cargo:rustc-link-arg-bins=--no-pie");
    println!("cargo:rustc-link-arg-bins=-z");
    println!("cargo:rustc-link-arg-bins=max-page-size=4096");
    println!("cargo:rerun-if-changed=linker.ld");

    for (tbl, abi, file) in [
        (
            "src/syscall/syscall_64.tbl",
            syscalltbl::Abi::X64,
            "syscalls_64.rs",
        ),
        (
            "src/syscall/syscall_32.tbl",
            syscalltbl::Abi::I386,
            "syscalls_32.rs",
        ),
    ] {
        println!("cargo:rerun-if-changed={tbl}");
        let text = std::fs::read_to_string(tbl).unwrap();
        let rs = syscalltbl::generate(&text, abi, "crate::syscall", "crate::syscall::SyscallFn")
            .unwrap_or_else(|e| panic!("{tbl}: {e}"));
        std::fs::write(out.join(file), rs).unwrap();
    }

    for (var, file) in [
        ("FORKLINE_VDSO32", "vdso_image_32.rs"),
        ("FORKLINE_VDSO64", "vdso_image_64.rs"),
    ] {
        println!("cargo:rerun-if-env-changed={var}");
        let image = PathBuf::from(std::env::var(var).unwrap_or_else(|_| {
            panic!("{var} is not set: build the kernel with `cargo xtask build`, which builds the vDSOs first")
        }));
        println!("cargo:rerun-if-changed={}", image.display());
        println!(
            "cargo:rerun-if-changed={}",
            vdso2c::dbg_path(&image).display()
        );
        if let Err(e) = vdso2c::generate_file(&image, &out.join(file)) {
            panic!("{e}");
        }
    }

    let rustc = std::env::var("RUSTC").unwrap_or("rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "rustc unknown".into());
    println!("cargo:rustc-env=FORKLINE_RUSTC={version}");
    let git = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(&dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=FORKLINE_GIT={git}");
    println!("cargo:rerun-if-changed=../.git/HEAD");
    println!("cargo:rerun-if-changed=../.git/refs/heads");
}
