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

/// The gdb script: symbols, connection, the `x32` command, and the
/// breakpoints people want.
pub fn gdbinit(kernel: &std::path::Path) -> String {
    format!(
        r#"set pagination off
set confirm off
file {kernel}
target remote :1234
# head.S runs in 32-bit protected mode, but QEMU's stub describes an x86-64
# CPU for the whole session, so gdb refuses `set architecture i386` and
# decodes every instruction as 64-bit. Breakpoints (`break pvh_start`),
# `stepi` and registers ($rax… with zero upper halves) work as usual;
# `x32 [N]` shows N instructions at $pc decoded as i386 (through objdump).
python
import gdb, subprocess
class X32(gdb.Command):
    """x32 [N]: disassemble N instructions at $pc as 32-bit (i386) code."""
    def __init__(self):
        super().__init__("x32", gdb.COMMAND_DATA)
    def invoke(self, arg, from_tty):
        n = int(arg) if arg.strip() else 10
        pc = int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff
        out = subprocess.run(["objdump", "-d", "-M", "i386", "--no-show-raw-insn",
                              "--start-address=%d" % pc, "--stop-address=%d" % (pc + 8 * n),
                              "{kernel}"], capture_output=True, text=True).stdout
        lines = [l for l in out.splitlines() if l.strip().endswith(":") is False and "	" in l]
        print("\n".join(lines[:n]))
X32()
end
# `forkbreaks`: stop at each step of the fork path the seeds trace
# (fork/clone/vfork → kernel_clone/do_fork → copy_process →
# dup_task_struct → copy_mm → copy_thread → wake_up_new_task →
# ret_from_fork in the child).
define forkbreaks
  break sys_fork
  break sys_vfork
  break sys_clone
  break sys_clone3
  break kernel_clone
  break copy_process
  break dup_task_struct
  break copy_mm
  break copy_thread
  break wake_up_new_task
  break ret_from_fork
end
document forkbreaks
Set breakpoints along Forkline's fork path, in the order a fork walks it.
end
break start_kernel
continue
"#,
        kernel = kernel.display()
    )
}
