//! How Forkline is booted: one QEMU command line, shared by `run`, `gdb`,
//! `bench` and the QEMU tests.

use std::path::PathBuf;
use std::process::Command;

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
