//! `cargo xtask gdb`: QEMU waits on its gdb stub, gdb attaches with the
//! kernel's symbols. The serial console goes to target/forkline/serial.log.

use crate::run::{self, Options};
use crate::{paths, util};
use anyhow::{Context, Result};
use std::process::{Command, Stdio};

pub fn gdb(opts: Options) -> Result<()> {
    let mut q = run::prepare(&opts)?;
    q.gdb = true;
    let log = paths::out().join("serial.log");
    let mut qemu = q
        .command()
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log)?)
        .spawn()
        .context("cannot start qemu-system-x86_64")?;
    let script = paths::out().join("gdbinit");
    std::fs::write(&script, gdbinit(&q.kernel))?;
    eprintln!("gdb: serial console → {} (tail -f it)", log.display());
    let result = util::run(Command::new("gdb").arg("-q").arg("-x").arg(&script));
    let _ = qemu.kill();
    let _ = qemu.wait();
    result
}

/// The gdb script: symbols, connection, and the breakpoints people want.
pub fn gdbinit(kernel: &std::path::Path) -> String {
    format!(
        "set pagination off\n\
         set confirm off\n\
         file {kernel}\n\
         # QEMU's stub always speaks x86-64 registers. To read head.S's 32-bit\n\
         # code use `x/20i $pc` after `set architecture i386` and switch back\n\
         # with `set architecture i386:x86-64` before continuing.\n\
         target remote :1234\n\
         break start_kernel\n\
         continue\n",
        kernel = kernel.display()
    )
}
