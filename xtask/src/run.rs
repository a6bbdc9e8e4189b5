//! `cargo xtask run`: build, assemble the initramfs, boot.

use crate::qemu::{self, Accel, Qemu};
use crate::{build, initramfs, paths};
use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

pub struct Options {
    pub init: Option<String>,
    pub with: Vec<String>,
    pub append: String,
    pub cpu: String,
    pub accel: Accel,
    pub icount: bool,
    pub memory_mib: u32,
}

/// The QEMU invocation for these options (also used by `gdb`).
pub fn prepare(opts: &Options) -> Result<Qemu> {
    let out = build::build_all()?;
    let mut q = Qemu::new(out.kernel);
    let extra = initramfs::parse_with(&opts.with)?;
    let image = paths::out().join("initramfs.cpio");
    initramfs::write(&image, &out.programs, &extra)?;
    q.initrd = Some(image);
    q.append = kernel_cmdline(opts);
    q.cpu = opts.cpu.clone();
    q.accel = opts.accel;
    q.icount = opts.icount;
    q.memory_mib = opts.memory_mib;
    Ok(q)
}

/// `--init "PROG ARGS"` becomes `init=/bin/PROG … -- ARGS`, as Linux passes
/// words after `--` to init.
pub fn kernel_cmdline(opts: &Options) -> String {
    let mut words: Vec<String> = Vec::new();
    if !opts.append.trim().is_empty() {
        words.push(opts.append.trim().to_string());
    }
    if let Some(init) = &opts.init {
        let mut it = init.split_whitespace();
        if let Some(prog) = it.next() {
            let path = if prog.contains('/') {
                prog.to_string()
            } else {
                format!("/bin/{prog}")
            };
            words.push(format!("init={path}"));
            let rest: Vec<&str> = it.collect();
            if !rest.is_empty() {
                words.push(format!("-- {}", rest.join(" ")));
            }
        }
    }
    words.join(" ")
}

/// Boot; returns the exit status `cargo xtask run` should exit with.
pub fn run(opts: Options) -> Result<i32> {
    let mut q = prepare(&opts)?;
    if opts.init.is_none() {
        q.interactive = true;
        let status = q
            .command()
            .status()
            .context("cannot start qemu-system-x86_64")?;
        return Ok(match status.code() {
            Some(qemu::EXIT_POWER_OFF) | Some(0) => 0,
            Some(c) => c,
            None => 128,
        });
    }
    // With --init we relay the serial console and read init's fate from it.
    let mut child = q
        .command()
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start qemu-system-x86_64")?;
    let mut fate = None;
    let (mut asked_down, mut no_init) = (false, false);
    let mut stdout = std::io::stdout();
    for line in BufReader::new(child.stdout.take().unwrap()).split(b'\n') {
        let line = line?;
        stdout.write_all(&line)?;
        stdout.write_all(b"\n")?;
        stdout.flush()?;
        let text = String::from_utf8_lossy(&line);
        if let Some(f) = init_fate(&text) {
            fate = Some(f);
        }
        asked_down |= reboot_requested(&text);
        // The kernel powers off when no init could start: no request.
        no_init |= text.contains("no working init found");
    }
    let status = child.wait()?;
    match (status.code(), fate) {
        (Some(qemu::EXIT_POWER_OFF), Some(code)) => Ok(code),
        // A program called reboot(2): power-off, or a reset (-no-reboot).
        (Some(qemu::EXIT_POWER_OFF | 0), None) if asked_down && !no_init => Ok(0),
        (Some(qemu::EXIT_PANIC), _) => {
            eprintln!("xtask: the kernel panicked");
            Ok(101)
        }
        (code, _) => {
            eprintln!("xtask: QEMU ended without init's exit status ({status})");
            Ok(code.unwrap_or(128).max(1))
        }
    }
}

/// Is this the kernel's word that reboot(2) took the machine down
/// ("reboot: Power down" / "reboot: Restarting system"), not init's end?
fn reboot_requested(line: &str) -> bool {
    line.starts_with("reboot: Power down") || line.starts_with("reboot: Restarting system")
}

/// The kernel's last words about init, as a shell would report its status:
/// `init: exited with status N` → N; `init: killed by signal N (…)` → 128+N.
pub fn init_fate(line: &str) -> Option<i32> {
    let rest = &line[line.find("init: ")? + 6..];
    if let Some(n) = rest.strip_prefix("exited with status ") {
        return n.trim().parse().ok();
    }
    let n = rest.strip_prefix("killed by signal ")?;
    let n: i32 = n.split_whitespace().next()?.parse().ok()?;
    Some(128 + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fate_lines() {
        assert_eq!(init_fate("[    0.5] init: exited with status 3"), Some(3));
        assert_eq!(init_fate("init: killed by signal 11 (SIGSEGV)"), Some(139));
        assert_eq!(init_fate("something else"), None);
    }

    #[test]
    fn init_words() {
        let o = Options {
            init: Some("echo hi there".into()),
            with: vec![],
            append: "loglevel=7".into(),
            cpu: "max".into(),
            accel: Accel::Tcg,
            icount: false,
            memory_mib: 512,
        };
        assert_eq!(kernel_cmdline(&o), "loglevel=7 init=/bin/echo -- hi there");
    }
}
