//! The malformed-ELF corpus in the initramfs: a tiny valid program per
//! class (x86_64 and i386) and every broken variant kernel/libs/binfmt's
//! `malformed_cases` derives from it (truncated, corrupted, wrong machine,
//! absurd segments…), each with the errno execve must return. The guest
//! test tests/userspace/issue3/elf-corpus.c execs them all.
//!
//! Guest layout: /usr/share/forkline/elf-corpus/{64,32}/NAME, the valid
//! program as `valid`, and INDEX with one `NAME ERRNO` line per file. The
//! files are written under the user-space test root (build/programs.rs),
//! whose walk puts them in the initramfs, so this runs before that walk.

use crate::{paths, util};
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::process::Command;

pub const GUEST_DIR: &str = "/usr/share/forkline/elf-corpus";

/// `_start: exit(0)` — the smallest static program, per class.
const START_64: &str = ".globl _start\n_start:\n mov $60, %eax\n xor %edi, %edi\n syscall\n";
const START_32: &str = ".globl _start\n_start:\n mov $1, %eax\n xor %ebx, %ebx\n int $0x80\n";

/// Build the corpus for both classes under the user-space root (where
/// host runs of the suite find it too).
pub fn build() -> Result<()> {
    let dir = super::programs::root().join(GUEST_DIR.trim_start_matches('/'));
    let obj = paths::out().join("elf-corpus-obj");
    for (class, asm, m) in [("64", START_64, "-m64"), ("32", START_32, "-m32")] {
        let cdir = dir.join(class);
        std::fs::create_dir_all(&cdir)?;
        std::fs::create_dir_all(&obj)?;
        let src = obj.join(format!("valid{class}.S"));
        let valid = cdir.join("valid");
        if std::fs::read_to_string(&src).ok().as_deref() != Some(asm) || !valid.exists() {
            std::fs::write(&src, asm)?;
            util::run(
                Command::new("gcc")
                    .args([m, "-static", "-nostdlib", "-o"])
                    .arg(&valid)
                    .arg(&src),
            )?;
        }
        let bytes =
            std::fs::read(&valid).with_context(|| format!("reading {}", valid.display()))?;
        let mut index = String::from(
            "# NAME ERRNO: execve of NAME must fail with ERRNO (0: it runs and exits 0)\nvalid 0\n",
        );
        for case in binfmt::malformed_cases(&bytes) {
            let path = cdir.join(case.name);
            if std::fs::read(&path).ok().as_deref() != Some(case.file.as_slice()) {
                std::fs::write(&path, &case.file)?;
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
            }
            writeln!(index, "{} {}", case.name, case.expect.errno())?;
        }
        if std::fs::read_to_string(cdir.join("INDEX")).ok().as_deref() != Some(index.as_str()) {
            std::fs::write(cdir.join("INDEX"), index)?;
        }
    }
    Ok(())
}
