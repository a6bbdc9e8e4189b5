//! The vDSO's link: Linux's VDSO_LDFLAGS and our linker scripts, chosen by
//! the target architecture.

use std::env;

/// Emit the cdylib link arguments for vdso32 (i686) or vdso64 (x86_64).
fn main() {
    let dir = env::var("CARGO_MANIFEST_DIR").unwrap();
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap();
    let (script, soname) = match arch.as_str() {
        "x86" => ("src/arch/i386/vdso32.lds", "linux-gate.so.1"),
        "x86_64" => ("src/arch/x86_64/vdso64.lds", "linux-vdso.so.1"),
        other => panic!("vdso: Forkline has no vDSO for {other}"),
    };
    let args = [
        "-nostartfiles".to_string(),
        format!("-Wl,-T,{dir}/{script}"),
        format!("-L{dir}"), // where INCLUDE finds vdso-layout.lds
        format!("-Wl,-soname,{soname}"),
        "-Wl,--hash-style=both".into(),
        "-Wl,--build-id=sha1".into(),
        "-Wl,--eh-frame-hdr".into(),
        "-Wl,-Bsymbolic".into(),
        "-Wl,--no-undefined".into(),
        "-Wl,-z,max-page-size=4096".into(),
        "-Wl,-z,noexecstack".into(),
        // Nothing to bind or protect: undo rustc's -z now / -z relro.
        "-Wl,-z,lazy".into(),
        "-Wl,-z,norelro".into(),
    ];
    for arg in args {
        println!("cargo:rustc-cdylib-link-arg={arg}");
    }
    for f in ["vdso-layout.lds", script, "vdso-gcc"] {
        println!("cargo:rerun-if-changed={f}");
    }
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    if !env::var("RUSTC_LINKER").is_ok_and(|l| l.ends_with("vdso/vdso-gcc")) {
        println!(
            "cargo:warning=vdso: not linked through vdso/vdso-gcc, so rustc's own version \
             script replaces LINUX_2.5/LINUX_2.6; build the vDSO with `cargo xtask build`"
        );
    }
}
