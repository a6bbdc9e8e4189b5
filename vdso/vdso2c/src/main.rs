//! `vdso2c IMAGE OUT.rs`: check a built vDSO (IMAGE, with IMAGE.dbg beside
//! it) and write the kernel's Rust description of it, as Linux's vdso2c.

use std::path::Path;
use std::process::ExitCode;

/// Run vdso2c on the command line's two paths.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [image, out] = &args[..] else {
        eprintln!("usage: vdso2c IMAGE OUT.rs   (IMAGE.dbg must sit beside IMAGE)");
        return ExitCode::from(2);
    };
    match vdso2c::generate_file(Path::new(image), Path::new(out)) {
        Ok(img) => {
            println!(
                "{}: {} bytes, {} alternatives -> {out}",
                img.kind.name(),
                img.size,
                img.alternatives.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
