//! Shared by `tests/userspace_host.rs` and `tests/userspace.rs` (included
//! with `#[path]`): running the guest test runner on the host, parsing its
//! output protocol (described at the top of
//! `tests/userspace/runner/forkline-test.c`), selecting a group of tests as
//! the runner does, and comparing a guest run with a host run.

#![allow(dead_code)]

use std::ffi::CStr;
use std::fs::File;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use xtask::build::programs::{self, Test};

/// One test's framed record: `=== RUN`, output, `=== END`, verdict.
#[derive(Clone, Debug)]
pub struct Record {
    pub name: String,
    pub output: Vec<String>,
    /// What follows `=== END NAME `: `exit=0`, `signal=11 (SIGSEGV)`, `timeout`.
    pub end: String,
    /// `ok NAME` (true) or `FAIL NAME: WHY` (false).
    pub passed: bool,
    pub why: String,
}

/// A whole run of the runner.
pub struct Run {
    pub records: Vec<Record>,
    /// The closing `N passed, M failed`, if any.
    pub summary: Option<(u32, u32)>,
    pub text: String,
}

impl Run {
    pub fn record(&self, name: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.name == name)
    }
}

/// Parse the runner's output (lines outside records, e.g. a kernel's log,
/// are skipped; lines inside are kept as they are).
pub fn parse(text: &str) -> Run {
    let mut records: Vec<Record> = Vec::new();
    let mut open: Option<Record> = None;
    let mut awaiting_verdict: Option<Record> = None;
    for line in text.lines() {
        if let Some(mut r) = awaiting_verdict.take() {
            if line == format!("ok {}", r.name) {
                r.passed = true;
                records.push(r);
                continue;
            }
            if let Some(why) = line.strip_prefix(&format!("FAIL {}: ", r.name)) {
                r.why = why.to_string();
                records.push(r);
                continue;
            }
            awaiting_verdict = Some(r); // e.g. a kernel log line in between
        }
        if let Some(r) = open.as_mut() {
            if let Some(end) = line.strip_prefix(&format!("=== END {} ", r.name)) {
                r.end = end.to_string();
                awaiting_verdict = open.take();
            } else {
                r.output.push(line.to_string());
            }
            continue;
        }
        if let Some(name) = line.strip_prefix("=== RUN ") {
            open = Some(Record {
                name: name.to_string(),
                output: Vec::new(),
                end: String::new(),
                passed: false,
                why: String::new(),
            });
        }
    }
    // The last summary line (on a serial console the kernel's last words
    // about init come after it).
    let summary = text.lines().rev().find_map(forkline_tests::parse_summary);
    Run {
        records,
        summary,
        text: text.to_string(),
    }
}

/// The tests the runner selects with `--arch=ARCH GROUP.*`.
pub fn selected(group: &str, arch: &str) -> Vec<Test> {
    let tests = programs::tests().expect("reading tests/userspace/TESTS");
    tests
        .into_iter()
        .filter(|t| t.group == group && t.arch == arch)
        .collect()
}

/// The runner's arguments that select a group for one ABI.
pub fn runner_args(group: &str, arch: &str) -> Vec<String> {
    vec![format!("--arch={arch}"), format!("{group}.*")]
}

/// A pseudo-terminal: (master, slave). Tests check that stdin is a tty, as
/// the console is on Forkline.
fn pty() -> (OwnedFd, File) {
    // SAFETY: plain libc calls on fds we own; ptsname_r fills our buffer.
    unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(m >= 0, "posix_openpt failed");
        let master = OwnedFd::from_raw_fd(m);
        assert!(
            libc::grantpt(m) == 0 && libc::unlockpt(m) == 0,
            "grantpt/unlockpt failed"
        );
        let mut name = [0 as libc::c_char; 128];
        assert!(
            libc::ptsname_r(m, name.as_mut_ptr(), name.len()) == 0,
            "ptsname_r failed"
        );
        let s = libc::open(
            CStr::from_ptr(name.as_ptr()).as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY,
        );
        assert!(s >= 0, "opening the pty slave failed");
        (master, File::from_raw_fd(s))
    }
}

/// The runner, built by `cargo xtask build`.
fn runner() -> std::path::PathBuf {
    let r = programs::root().join(programs::RUNNER.trim_start_matches('/'));
    assert!(
        r.is_file(),
        "{} is missing: run `cargo xtask build` first",
        r.display()
    );
    r
}

/// Run the runner on the host over the built root, with a pty as stdin.
/// Returns the parsed run and the runner's exit code.
pub fn host_run(args: &[String]) -> (Run, Option<i32>) {
    let (_master, slave) = pty();
    let out = Command::new(runner())
        .arg(format!("--root={}", programs::root().display()))
        .args(args)
        .stdin(Stdio::from(slave))
        .stderr(Stdio::inherit())
        .output()
        .expect("cannot start forkline-test");
    (
        parse(&String::from_utf8_lossy(&out.stdout)),
        out.status.code(),
    )
}

/// A kernel log line (`[    1.234567] ...`), which may land inside a
/// record on the serial console.
pub fn is_kernel_log(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('[') else {
        return false;
    };
    let Some((stamp, _)) = rest.split_once("] ") else {
        return false;
    };
    let stamp = stamp.trim();
    !stamp.is_empty() && stamp.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// What must match between two runs: no `~ ` lines (machine-dependent
/// facts), no kernel log lines; sorted for tests whose processes print
/// concurrently.
pub fn normalise(lines: &[String], sort: bool) -> Vec<String> {
    let mut v: Vec<String> = lines
        .iter()
        .filter(|l| !l.starts_with("~ ") && !is_kernel_log(l))
        .cloned()
        .collect();
    if sort {
        v.sort();
    }
    v
}

/// Differences between a guest run and a host run of `tests`, one
/// paragraph per test whose normalised output differs (`nodiff` tests and
/// tests the guest did not run are skipped; a test missing from the host
/// run is reported).
pub fn differences(guest: &Run, host: &Run, tests: &[Test]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tests.iter().filter(|t| !t.has_option("nodiff")) {
        let Some(g) = guest.record(&t.name) else {
            continue;
        };
        let Some(h) = host.record(&t.name) else {
            out.push(format!("{}: no record in the host run", t.name));
            continue;
        };
        let (g, h) = (
            normalise(&g.output, t.has_option("sort")),
            normalise(&h.output, t.has_option("sort")),
        );
        if g == h {
            continue;
        }
        let at = g.iter().zip(&h).take_while(|(a, b)| a == b).count();
        let show = |v: &[String]| -> String {
            v.iter()
                .skip(at)
                .take(6)
                .map(|l| format!("      {l}\n"))
                .collect()
        };
        out.push(format!(
            "{}: output differs from line {} on\n    host:\n{}    guest:\n{}",
            t.name,
            at + 1,
            show(&h),
            show(&g)
        ));
    }
    out
}
