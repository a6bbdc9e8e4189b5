//! Host validation of the user-space tests (`tests/userspace/`): the guest
//! test runner runs the very list Forkline runs, here on Linux, over
//! `target/forkline/userspace/root` (`--root`), with a pseudo-terminal as
//! stdin as the console is on Forkline. Every test must pass on Linux —
//! that is what proves the tests right — and the runner itself must keep
//! its protocol: verdicts, time limits, exec failures, the output limit,
//! processes left behind, list errors and filters.
//!
//! Needs `cargo xtask build` (which `cargo xtask test` runs first).

#[path = "userspace/harness.rs"]
mod harness;

use harness::{Run, host_run, parse, runner_args, selected};
use xtask::build::programs;

/// Run one group for one ABI on the host and require every test to pass.
fn host_group(group: &str, arch: &str) -> Run {
    let tests = selected(group, arch);
    assert!(!tests.is_empty(), "no {group} tests for {arch} in TESTS");
    let (run, code) = host_run(&runner_args(group, arch));
    let mut problems = Vec::new();
    for t in &tests {
        match run.record(&t.name) {
            None => problems.push(format!("{}: no record", t.name)),
            Some(r) if !r.passed => problems.push(format!(
                "{}: {}\n{}",
                t.name,
                r.why,
                r.output
                    .iter()
                    .map(|l| format!("    {l}\n"))
                    .collect::<String>()
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() || run.summary != Some((tests.len() as u32, 0)) || code != Some(0) {
        panic!(
            "{group} ({arch}) on the host: {:?} (want {} passed, 0 failed), exit {code:?}\n{}",
            run.summary,
            tests.len(),
            problems.join("\n")
        );
    }
    run
}

#[test]
fn issue3_x86_64_passes_on_linux() {
    host_group("issue3", "x86_64");
}

#[test]
fn issue3_i386_passes_on_linux() {
    host_group("issue3", "i386");
}

#[test]
fn issue5_x86_64_passes_on_linux() {
    let run = host_group("issue5", "x86_64");
    // The seed program's two lines, in either order.
    for v in ["glibc64", "musl64", "libcrs64"] {
        let r = run.record(&format!("issue5.seed.{v}")).unwrap();
        let mut lines = r.output.clone();
        lines.sort();
        assert_eq!(lines, ["child", "parent"], "issue5.seed.{v}");
    }
}

#[test]
fn issue5_i386_passes_on_linux() {
    host_group("issue5", "i386");
}

#[test]
fn issue5_mixed_passes_on_linux() {
    host_group("issue5", "mixed");
}

/// A scratch list file for the runner's own tests.
fn list_file(name: &str, text: &str) -> String {
    let dir = xtask::paths::out().join("userspace/selftest");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const HELPER: &str = "/usr/libexec/forkline-tests/issue5-glibc64 helper";

#[test]
fn runner_verdicts_limits_and_protocol() {
    let list = list_file(
        "protocol.LIST",
        &format!(
            "# the runner's own test list\n\
             rt.pass x86_64 exit=0 - {HELPER} exit 0\n\
             rt.exit3 x86_64 exit=3 - {HELPER} exit 3\n\
             rt.wrong x86_64 exit=0 - {HELPER} exit 4\n\
             rt.segv x86_64 signal=SIGSEGV - /usr/libexec/forkline-tests/issue3-glibc64 fault null\n\
             rt.nosegv x86_64 signal=11 - {HELPER} exit 0\n\
             rt.timeout x86_64 exit=0 timeout=1 {HELPER} sleep 20000\n\
             rt.missing i386 exit=0 - /usr/libexec/forkline-tests/no-such-program\n\
             rt.quoted x86_64 exit=0 - {HELPER} args 'two words' x\n\
             rt.spew x86_64 exit=0 - {HELPER} spew 3000000\n\
             rt.linger x86_64 exit=0 - {HELPER} linger 20000\n\
             rt.partial x86_64 exit=0 - {HELPER} spew 5\n"
        ),
    );
    let started = std::time::Instant::now();
    let (run, code) = host_run(&[format!("--list={list}")]);
    let r = |n: &str| {
        run.record(n)
            .unwrap_or_else(|| panic!("no record for {n}:\n{}", run.text))
    };
    assert!(r("rt.pass").passed && r("rt.pass").end == "exit=0");
    assert!(r("rt.exit3").passed && r("rt.exit3").end == "exit=3");
    assert_eq!(r("rt.wrong").why, "exit=4, expected exit=0");
    assert!(r("rt.segv").passed && r("rt.segv").end == "signal=11 (SIGSEGV)");
    assert_eq!(r("rt.nosegv").why, "exit=0, expected signal=11 (SIGSEGV)");
    assert_eq!(r("rt.timeout").end, "timeout");
    assert_eq!(r("rt.timeout").why, "timed out after 1 s");
    assert!(
        r("rt.missing").why.starts_with("cannot execute ")
            && r("rt.missing").why.ends_with(": ENOENT")
    );
    assert!(
        r("rt.quoted")
            .output
            .contains(&"helper: arg [two words]".to_string())
    );
    let spew = r("rt.spew");
    let shown: usize = spew.output.iter().map(|l| l.len() + 1).sum();
    assert!(spew.passed && shown <= (1 << 20) + 200, "shown {shown}");
    assert!(
        spew.output
            .last()
            .unwrap()
            .contains("more bytes of output not shown (limit 1048576)")
    );
    assert!(spew.output[0] == "line 0 of output");
    assert_eq!(
        r("rt.linger").why,
        "processes still held its output 2 s after it ended (killed)"
    );
    assert_eq!(
        r("rt.partial").output,
        ["line "],
        "a last line without newline is completed"
    );
    assert_eq!(run.summary, Some((6, 5)), "{}", run.text);
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = run.text.lines().collect();
    assert_eq!(
        lines.last(),
        Some(&"6 passed, 5 failed"),
        "the summary is the last line"
    );
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with("forkline-test: failed:")
                || l.contains("rt.wrong rt.nosegv rt.timeout rt.missing rt.linger")),
        "the failed tests are listed"
    );
    assert!(
        started.elapsed().as_secs() < 15,
        "the time limits held ({:?})",
        started.elapsed()
    );
}

#[test]
fn runner_filters() {
    let list = list_file(
        "filters.LIST",
        &format!(
            "a.one x86_64 exit=0 - {HELPER} exit 0\n\
             a.two i386 exit=0 - /usr/libexec/forkline-tests/issue5-glibc32 helper exit 0\n\
             b.one x86_64 exit=0 - {HELPER} exit 0\n"
        ),
    );
    let names = |run: &Run| {
        run.records
            .iter()
            .map(|r| r.name.clone())
            .collect::<Vec<_>>()
    };
    let (run, _) = host_run(&[format!("--list={list}"), "a.*".into()]);
    assert_eq!(names(&run), ["a.one", "a.two"]);
    let (run, _) = host_run(&[format!("--list={list}"), "--arch=i386".into()]);
    assert_eq!(names(&run), ["a.two"]);
    let (run, _) = host_run(&[
        format!("--list={list}"),
        "--arch=x86_64".into(),
        "a.*".into(),
        "b.one".into(),
    ]);
    assert_eq!(names(&run), ["a.one", "b.one"]);
    let (run, code) = host_run(&[format!("--list={list}"), "b.one".into(), "nothing.*".into()]);
    assert_eq!(run.summary, Some((1, 1)), "{}", run.text);
    assert!(run.text.contains("FAIL filter nothing.*: matches no test"));
    assert_eq!(code, Some(1));
}

#[test]
fn runner_rejects_bad_lists() {
    let list = list_file(
        "bad.LIST",
        "ok.one x86_64 exit=0 - /bin/true\n\
         bad.arch arm64 exit=0 - /bin/true\n\
         bad.expect x86_64 status=0 - /bin/true\n\
         bad.option x86_64 exit=0 fast /bin/true\n\
         bad.relative x86_64 exit=0 - bin/true\n\
         bad.quote x86_64 exit=0 - /bin/true 'open\n\
         ok.one x86_64 exit=0 - /bin/true\n\
         too few fields\n",
    );
    let (run, code) = host_run(&[format!("--list={list}")]);
    assert_eq!(run.summary, Some((0, 7)), "{}", run.text);
    assert!(run.records.is_empty(), "nothing runs from a broken list");
    for why in [
        ":2: ARCH must be",
        ":3: EXPECT must be",
        ":4: OPTIONS must be",
        ":5: COMMAND must be an absolute path",
        ":6: unterminated quote",
        ":7: duplicate NAME",
        ":8: want NAME ARCH EXPECT OPTIONS COMMAND",
    ] {
        assert!(run.text.contains(why), "no {why:?} in\n{}", run.text);
    }
    assert_eq!(code, Some(2));
}

#[test]
fn the_list_is_the_expansion_of_tests() {
    let root = programs::root();
    let list = std::fs::read_to_string(root.join(programs::LIST.trim_start_matches('/')))
        .expect("run `cargo xtask build` first");
    assert_eq!(
        list,
        programs::list_text(&programs::tests().unwrap()),
        "LIST is stale: run `cargo xtask build`"
    );
    for t in programs::tests().unwrap() {
        let bin = root.join(t.argv[0].trim_start_matches('/'));
        assert!(bin.is_file(), "{} is missing", bin.display());
    }
}

#[test]
fn output_parser_handles_kernel_lines() {
    let run = parse(
        "forkline-test: 2 of 2 tests\n=== RUN a.b.c\nhello\n[    1.000000] a[5]: segfault\n\
         === END a.b.c exit=0\n[    1.1] noise\nok a.b.c\n=== RUN x\n=== END x signal=11 (SIGSEGV)\n\
         FAIL x: signal=11 (SIGSEGV), expected exit=0\n1 passed, 1 failed\n",
    );
    assert_eq!(run.records.len(), 2);
    assert!(run.records[0].passed);
    assert_eq!(
        run.records[0].output,
        ["hello", "[    1.000000] a[5]: segfault"]
    );
    assert_eq!(harness::normalise(&run.records[0].output, false), ["hello"]);
    assert_eq!(run.records[1].end, "signal=11 (SIGSEGV)");
    assert_eq!(run.records[1].why, "signal=11 (SIGSEGV), expected exit=0");
    assert_eq!(run.summary, Some((1, 1)));
    assert!(!harness::is_kernel_log("[x] y") && harness::is_kernel_log("[ 12.5] y"));
}
