//! Link the Rust test program like a C program against libc-rs: no host
//! start files or libc, our crt1.o/crti.o/crtn.o from the sysroot that
//! `cargo xtask build` made (FORKLINE_SYSROOT), static.

fn main() {
    println!("cargo:rerun-if-env-changed=FORKLINE_SYSROOT");
    let Ok(root) = std::env::var("FORKLINE_SYSROOT") else {
        // Plain `cargo build` of the workspace: nothing to link against yet.
        println!("cargo:warning=FORKLINE_SYSROOT unset: build this through `cargo xtask build`");
        return;
    };
    let lib = format!("{root}/lib");
    // -lc and friends (named by the `libc` crate that dlmalloc depends on)
    // resolve to the sysroot's archives; the rlib already defines everything.
    println!("cargo:rustc-link-search=native={lib}");
    for a in [
        "-nostartfiles",
        "-nostdlib",
        "-static",
        "-Wl,--gc-sections",
        "-Wl,-u,__libc_start_main",
    ] {
        println!("cargo:rustc-link-arg={a}");
    }
    for o in ["crt1.o", "crti.o", "crtn.o"] {
        println!("cargo:rustc-link-arg={lib}/{o}");
    }
    println!("cargo:rustc-link-arg=-lgcc");
}
