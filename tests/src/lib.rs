//! The harness for Forkline's integration tests.
//!
//! `boot` starts QEMU exactly as `cargo xtask run` does, collects the serial
//! console, enforces a timeout, and reports how QEMU ended. Assertions go
//! through `Boot::expect…`, which print the whole serial log on failure.
//! Artifacts come from `cargo xtask build` (which `cargo xtask test` runs
//! first); a missing artifact fails the test with that advice.

pub mod math;

use std::io::Read;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

pub use xtask::qemu::{EXIT_PANIC, EXIT_POWER_OFF, Qemu};

/// The kernel built by `cargo xtask build`.
pub fn kernel() -> PathBuf {
    let k = xtask::paths::kernel();
    assert!(
        k.is_file(),
        "{} is missing: run `cargo xtask build` first",
        k.display()
    );
    k
}

/// A QEMU configured as `cargo xtask run` would, with this command line.
pub fn qemu(append: &str) -> Qemu {
    let mut q = Qemu::new(kernel());
    q.append = append.to_string();
    q
}

/// How a boot ended.
pub struct Boot {
    pub serial: String,
    /// QEMU's exit code; None when it was killed at the timeout.
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub elapsed: Duration,
}

/// Boot and wait for QEMU to exit, killing it after `timeout`.
pub fn boot(q: &Qemu, timeout: Duration) -> Boot {
    let start = Instant::now();
    let c = q
        .capture(timeout)
        .expect("cannot start qemu-system-x86_64 (run `cargo xtask setup`)");
    Boot {
        serial: c.output,
        exit_code: c.exit_code,
        timed_out: c.timed_out,
        elapsed: start.elapsed(),
    }
}

impl Boot {
    /// Fail, showing the whole serial log.
    pub fn fail(&self, why: &str) -> ! {
        panic!(
            "{why}\n(QEMU exit code {:?}, timed out: {}, {:.1}s)\n----- serial log -----\n{}\n----- end of serial log -----",
            self.exit_code,
            self.timed_out,
            self.elapsed.as_secs_f64(),
            self.serial
        );
    }

    pub fn expect_exit(&self, code: i32) -> &Self {
        if self.exit_code != Some(code) {
            self.fail(&format!("expected QEMU to exit with {code}"));
        }
        self
    }

    pub fn expect_line(&self, needle: &str) -> &Self {
        if !self.serial.lines().any(|l| l.contains(needle)) {
            self.fail(&format!("no serial line contains {needle:?}"));
        }
        self
    }

    pub fn expect_no_line(&self, needle: &str) -> &Self {
        if let Some(l) = self.serial.lines().find(|l| l.contains(needle)) {
            self.fail(&format!("unexpected serial line {l:?}"));
        }
        self
    }

    /// The first serial line containing `needle`.
    pub fn line(&self, needle: &str) -> &str {
        self.serial
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| self.fail(&format!("no serial line contains {needle:?}")))
    }

    /// A guest test suite's closing `N passed, M failed` line, asserted to
    /// show at least `min_passed` passes and no failure.
    pub fn expect_suite(&self, min_passed: u32) -> &Self {
        let Some((p, f)) = self.serial.lines().rev().find_map(parse_summary) else {
            self.fail("no `N passed, M failed` summary line")
        };
        if f != 0 || p < min_passed {
            self.fail(&format!(
                "suite: {p} passed, {f} failed (want ≥{min_passed} passed, 0 failed)"
            ));
        }
        self
    }
}

/// Boot with someone at the console: each step waits until the serial
/// output (after where the previous step matched) contains its text, then
/// types its input. QEMU is killed when `timeout` has passed in all; a step
/// that never matches leaves the rest untyped (and `timed_out` set).
pub fn boot_typing(q: &Qemu, timeout: Duration, steps: &[(&str, &str)]) -> Boot {
    run_typing(q.command(), timeout, steps)
}

/// `boot_typing` for any command whose stdin and stdout are the console
/// (e.g. `cargo xtask run` itself).
pub fn run_typing(
    mut cmd: std::process::Command,
    timeout: Duration,
    steps: &[(&str, &str)],
) -> Boot {
    use std::io::Write;
    use std::sync::{Arc, Mutex};
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()));
    let out = Arc::new(Mutex::new(Vec::new()));
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let sink = out.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
        let mut err = Vec::new();
        let _ = stderr.read_to_end(&mut err);
        sink.lock().unwrap().extend_from_slice(&err);
    });
    let mut stdin = child.stdin.take().unwrap();
    let mut timed_out = false;
    let mut from = 0;
    'steps: for (want, send) in steps {
        loop {
            let found = {
                let o = out.lock().unwrap();
                o[from.min(o.len())..]
                    .windows(want.len().max(1))
                    .position(|w| w == want.as_bytes())
            };
            if let Some(i) = found {
                from += i + want.len();
                break;
            }
            if start.elapsed() > timeout || reader.is_finished() {
                timed_out = true;
                break 'steps;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = stdin.write_all(send.as_bytes());
        let _ = stdin.flush();
    }
    let status = loop {
        if let Ok(Some(s)) = child.try_wait() {
            break Some(s);
        }
        if start.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(stdin);
    let _ = reader.join();
    let serial = String::from_utf8_lossy(&out.lock().unwrap()).replace('\r', "");
    Boot {
        serial,
        exit_code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        timed_out,
        elapsed: start.elapsed(),
    }
}

/// An initramfs of `members`, written to `target/forkline/tests/NAME.cpio`.
pub fn initramfs(name: &str, members: &[xtask::initramfs::Member]) -> PathBuf {
    let image = xtask::paths::out()
        .join("tests")
        .join(format!("{name}.cpio"));
    xtask::initramfs::write(&image, members, &[]).expect("writing the initramfs");
    image
}

/// A QEMU that boots with that initramfs and runs `init` with `args` as the
/// first program (`init=INIT -- ARGS`, as `cargo xtask run --init` does),
/// after the kernel command-line words in `append`.
pub fn qemu_init(initrd: PathBuf, init: &str, args: &[String], append: &str) -> Qemu {
    let mut words: Vec<String> = append.split_whitespace().map(String::from).collect();
    words.push(format!("init={init}"));
    if !args.is_empty() {
        words.push("--".into());
        words.extend(args.iter().cloned());
    }
    let mut q = qemu(&words.join(" "));
    q.initrd = Some(initrd);
    q
}

/// Parse `N passed, M failed` at the end of a line.
pub fn parse_summary(line: &str) -> Option<(u32, u32)> {
    let (p, rest) = line.trim().rsplit_once(" passed, ")?;
    let f = rest.strip_suffix(" failed")?;
    let p = p.rsplit(|c: char| !c.is_ascii_digit()).next()?;
    Some((p.parse().ok()?, f.parse().ok()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn summary_lines() {
        assert_eq!(super::parse_summary("12 passed, 0 failed"), Some((12, 0)));
        assert_eq!(
            super::parse_summary("[ 1.0] ktest: 3 passed, 1 failed"),
            Some((3, 1))
        );
        assert_eq!(super::parse_summary("passed, failed"), None);
    }
}
