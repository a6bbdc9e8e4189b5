//! How Forkline is booted: one QEMU command line, shared by `run`, `gdb`,
//! `bench` and the QEMU tests.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Exit values the kernel writes to QEMU's isa-debug-exit port (0xf4).
/// QEMU then exits with `(value << 1) | 1`.
pub const EXIT_POWER_OFF: i32 = 1; // value 0: orderly power-off
pub const EXIT_PANIC: i32 = 3; // value 1: kernel panic or fatal exception

/// Accelerators: TCG is the default (nested KVM is unreliable on CI).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Accel {
    Tcg,
    Kvm,
}

#[derive(Clone, Debug)]
pub struct Qemu {
    pub kernel: PathBuf,
    pub initrd: Option<PathBuf>,
    pub append: String,
    /// QEMU `-cpu` model; `max` unless told otherwise.
    pub cpu: String,
    pub accel: Accel,
    /// `-icount shift=0`: one guest nanosecond per instruction.
    pub icount: bool,
    pub memory_mib: u32,
    /// Serial on this terminal with QEMU's monitor mux (Ctrl-A X quits).
    pub interactive: bool,
    /// `-s -S`: wait for gdb on :1234.
    pub gdb: bool,
}

impl Qemu {
    pub fn new(kernel: PathBuf) -> Qemu {
        Qemu {
            kernel,
            initrd: None,
            append: String::new(),
            cpu: "max".into(),
            accel: Accel::Tcg,
            icount: false,
            memory_mib: 512,
            interactive: false,
            gdb: false,
        }
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new("qemu-system-x86_64");
        c.args(["-machine", "pc", "-display", "none", "-no-reboot"]);
        c.args(["-m", &format!("{}M", self.memory_mib)]);
        match self.accel {
            Accel::Tcg => c.args(["-accel", "tcg"]),
            Accel::Kvm => c.args(["-accel", "kvm"]),
        };
        c.args(["-cpu", &self.cpu]);
        if self.icount {
            c.args(["-icount", "shift=0"]);
        }
        c.arg("-kernel").arg(&self.kernel);
        if let Some(initrd) = &self.initrd {
            c.arg("-initrd").arg(initrd);
        }
        if !self.append.is_empty() {
            c.args(["-append", &self.append]);
        }
        c.args(["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]);
        if self.interactive {
            c.args(["-serial", "mon:stdio"]);
        } else {
            c.args(["-serial", "stdio", "-monitor", "none"]);
        }
        if self.gdb {
            c.args(["-s", "-S"]);
        }
        c
    }
}

/// How a headless boot ended: its console output (stdout, then QEMU's
/// stderr), QEMU's exit code (None when killed at the time limit).
pub struct Captured {
    pub output: String,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
}

impl Qemu {
    /// Boot with no input, collect everything QEMU prints, kill it after
    /// `timeout`.
    pub fn capture(&self, timeout: Duration) -> std::io::Result<Captured> {
        let mut child = self
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let (mut buf, mut err) = (Vec::new(), Vec::new());
            let _ = stdout.read_to_end(&mut buf);
            let _ = stderr.read_to_end(&mut err);
            buf.extend_from_slice(&err);
            let _ = tx.send(());
            buf
        });
        let timed_out = rx.recv_timeout(timeout).is_err();
        if timed_out {
            let _ = child.kill();
        }
        let status = child.wait()?;
        let output = String::from_utf8_lossy(&reader.join().unwrap()).replace('\r', "");
        Ok(Captured {
            output,
            exit_code: if timed_out { None } else { status.code() },
            timed_out,
        })
    }
}
