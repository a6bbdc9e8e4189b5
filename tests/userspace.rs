//! The user-space test suite on Forkline (issues 3 and 5): each test below
//! boots QEMU once with `init=/sbin/forkline-test` and one group of tests
//! for one ABI, requires every test of the group to pass (`N passed, 0
//! failed`), and compares each test's output with the same test run on
//! the host (`~ ` lines, kernel log lines and — for `sort` tests — line
//! order aside; `nodiff` tests are not compared). The groups, so progress
//! shows group by group:
//!
//! - `issue3_direct_*`: a few issue-3 programs booted directly as init, no
//!   runner (needs no fork, pipes or wait: the first thing that can pass);
//! - `issue3_x86_64`, `issue3_i386`: static programs, auxv, vDSO, memory,
//!   files, errors, faults;
//! - `issue3_i386_entry_*`: the i386 programs that enter through
//!   `__kernel_vsyscall`, under an Intel CPU (sysenter), an AMD CPU
//!   (syscall) and `vdso32=int80`;
//! - `issue5_x86_64`, `issue5_i386`, `issue5_mixed`: fork, vfork, clone,
//!   exec (also across ABIs), wait, signals, futex, pthreads, pipes, fds,
//!   process groups, the fork bomb and 10,000 fork cycles.
//!
//! Needs `cargo xtask build`. The host runs that the outputs are compared
//! with happen here too, while QEMU boots.

#[path = "userspace/harness.rs"]
mod harness;

use forkline_tests::*;
use std::time::Duration;
use xtask::build::programs;

/// Boot with the runner as init over one group for one ABI and check it;
/// returns the guest's run for further checks.
fn guest_group(
    group: &str,
    arch: &str,
    extra_args: &[&str],
    cpu: &str,
    append: &str,
    minutes: u64,
) -> harness::Run {
    let tests = harness::selected(group, arch);
    let mut args = harness::runner_args(group, arch);
    args.extend(extra_args.iter().map(|s| s.to_string()));
    let tests: Vec<_> = if extra_args.is_empty() {
        tests
    } else {
        tests
            .into_iter()
            .filter(|t| {
                extra_args
                    .iter()
                    .any(|f| t.name.starts_with(f.trim_end_matches('*')))
            })
            .collect()
    };
    if !extra_args.is_empty() {
        args.retain(|a| a != &format!("{group}.*"));
    }
    let host_args = args.clone();
    let host = std::thread::spawn(move || harness::host_run(&host_args).0);
    let members = programs::members().expect("the user-space programs");
    let tag = format!("userspace-{group}-{arch}-{}", cpu.replace(['-', '.'], "_"));
    let mut q = qemu_init(initramfs(&tag, &members), programs::RUNNER, &args, append);
    q.cpu = cpu.to_string();
    let b = boot(&q, Duration::from_secs(minutes * 60));
    let guest = harness::parse(&b.serial);
    let host = host.join().expect("the host run");

    let mut problems = Vec::new();
    for t in &tests {
        match guest.record(&t.name) {
            None => problems.push(format!("{}: did not run", t.name)),
            Some(r) if !r.passed => problems.push(format!("{}: {}", t.name, r.why)),
            Some(_) => {}
        }
    }
    let diffs = harness::differences(&guest, &host, &tests);
    if guest.summary != Some((tests.len() as u32, 0)) || !problems.is_empty() || !diffs.is_empty() {
        let failed = if guest.records.is_empty() {
            "the runner produced no test record: did /sbin/forkline-test start? (see the end of the log)".to_string()
        } else {
            let more = problems.len().saturating_sub(40);
            format!(
                "{}{}",
                problems
                    .iter()
                    .take(40)
                    .map(|p| format!("\n  {p}"))
                    .collect::<String>(),
                if more > 0 {
                    format!("\n  ... and {more} more")
                } else {
                    String::new()
                }
            )
        };
        b.fail(&format!(
            "{group} ({arch}, -cpu {cpu} {append}): summary {:?}, want ({}, 0); {} of {} tests ran\n\
             failed or missing ({}): {failed}\n\
             output different from the host's ({}):\n{}",
            guest.summary,
            tests.len(),
            guest.records.len(),
            tests.len(),
            problems.len(),
            diffs.len(),
            diffs.join("\n")
        ));
    }
    b.expect_suite(tests.len() as u32)
        .expect_line("init: exited with status 0")
        .expect_exit(EXIT_POWER_OFF);
    guest
}

#[test]
fn issue3_x86_64() {
    guest_group("issue3", "x86_64", &[], "max", "", 15);
}

#[test]
fn issue3_i386() {
    guest_group("issue3", "i386", &[], "max", "", 15);
}

/// i386 programs that enter the kernel through `__kernel_vsyscall` (the
/// vDSO's choice of entry), under each of the three entry methods; the
/// entry counters (the `entries` test) must show the expected method.
const ENTRY_PROGRAMS: [&str; 6] = [
    "issue3.vsyscall.*",
    "issue3.entries.glibc32",
    "issue3.hello.glibc32",
    "issue3.vdso.glibc32",
    "issue3.time.glibc32",
    "issue3.efault.glibc32",
];

/// Boot with the entry programs and check the method `entries` reports.
fn entry_method(cpu: &str, append: &str, method: &str) {
    let run = guest_group("issue3", "i386", &ENTRY_PROGRAMS, cpu, append, 10);
    let line = format!("__kernel_vsyscall enters by {method}");
    let r = run
        .record("issue3.entries.glibc32")
        .expect("the entries test ran");
    assert!(
        r.output.contains(&line),
        "-cpu {cpu} {append}: want {line:?}, the entries test said:\n{}",
        r.output.join("\n")
    );
}

#[test]
fn issue3_i386_entry_sysenter_on_intel() {
    entry_method("Skylake-Client", "", "sysenter");
}

#[test]
fn issue3_i386_entry_syscall_on_amd() {
    entry_method("EPYC", "", "syscall");
}

#[test]
fn issue3_i386_entry_int80_by_vdso32_int80() {
    entry_method("max", "vdso32=int80", "int80");
}

#[test]
fn issue5_x86_64() {
    guest_group("issue5", "x86_64", &[], "max", "", 30);
}

#[test]
fn issue5_i386() {
    guest_group("issue5", "i386", &[], "max", "", 30);
}

#[test]
fn issue5_mixed() {
    guest_group("issue5", "mixed", &[], "max", "", 10);
}

/// The program's own lines on the serial console: not the banner, not
/// kernel log lines, not the kernel's word on init's fate or the power-off.
fn program_lines(serial: &str) -> Vec<String> {
    serial
        .lines()
        .filter(|l| {
            !l.starts_with("Forkline version ")
                && !l.starts_with("reboot: ")
                && !l.trim().is_empty()
        })
        .filter(|l| !harness::is_kernel_log(l) && xtask::run::init_fate(l).is_none())
        .map(String::from)
        .collect()
}

/// Issue-3 programs booted as init, without the runner: their output must
/// be the host's and init's fate what the program does.
#[test]
fn issue3_direct_programs_as_init() {
    let cases: &[(&str, &str, i32)] = &[
        ("issue3-glibc64", "hello", 0),
        ("issue3-glibc32", "hello", 0),
        ("issue3-musl64", "hello", 0),
        ("issue3-pie64", "hello", 0),
        ("issue3-pie32", "hello", 0),
        ("issue3-glibc64", "auxv", 0),
        ("issue3-glibc32", "auxv", 0),
        ("issue3-musl64", "auxv", 0),
        ("issue3-glibc64", "vdso", 0),
        ("issue3-glibc32", "vdso", 0),
        ("issue3-glibc32", "vsyscall", 0),
        ("issue3-glibc64", "uname", 0),
        ("issue3-glibc64", "fault", 128 + 11),
        ("issue3-glibc32", "fault", 128 + 11),
    ];
    programs_as_init("userspace-direct", cases);
}

/// Init's main thread leaves with pthread_exit while another thread runs
/// on: init lives until its last thread, whose exit(3) is init's fate.
#[test]
fn issue5_init_outlives_its_main_thread() {
    programs_as_init(
        "userspace-direct5",
        &[
            ("issue5-glibc64", "leader-exit", 3),
            ("issue5-glibc32", "leader-exit", 3),
            ("issue5-musl64", "leader-exit", 3),
        ],
    );
}

/// reboot(2) from init takes the machine down as asked, with the kernel's
/// words and nothing after them: power-off (QEMU exits 1), restart with
/// and without a command (QEMU's -no-reboot makes the reset exit 0), and
/// halt (the machine stops: QEMU runs on until killed).
#[test]
fn reboot_from_init() {
    let members = programs::members().expect("the user-space programs");
    let image = initramfs("userspace-reboot", &members);
    let path = format!("{}/issue3-glibc64", programs::BIN_DIR);
    let cases: &[(&str, &str, Option<i32>)] = &[
        ("poweroff", "reboot: Power down", Some(EXIT_POWER_OFF)),
        ("restart", "reboot: Restarting system", Some(0)),
        (
            "restart2",
            "reboot: Restarting system with command 'firmware-words'",
            Some(0),
        ),
        ("halt", "reboot: System halted", None),
    ];
    let mut problems = Vec::new();
    for &(cmd, words, exit) in cases {
        let args = vec!["reboot".to_string(), cmd.to_string()];
        let timeout = Duration::from_secs(if exit.is_none() { 20 } else { 120 });
        let b = boot(&qemu_init(image.clone(), &path, &args, ""), timeout);
        let lines: Vec<&str> = b.serial.lines().filter(|l| !l.trim().is_empty()).collect();
        let called = lines
            .iter()
            .position(|l| *l == format!("reboot: calling reboot({cmd})"));
        let last = lines.last().copied().unwrap_or("");
        let ok = called.is_some()
            && last.ends_with(words)
            && !b.serial.contains("init: ")
            && !b.serial.contains("FAIL")
            && b.exit_code == exit
            && b.timed_out == exit.is_none();
        if !ok {
            problems.push(format!(
                "reboot {cmd}: want {words:?} last and QEMU exit {exit:?}; got exit {:?} (timed out: {})\n{}",
                b.exit_code,
                b.timed_out,
                lines[lines.len().saturating_sub(8)..].join("\n")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Init gets what the kernel does not know on its command line, as
/// Linux hands it over: unknown words as arguments (before those after
/// `--`), unknown `key=value` as environment (replacing Linux's own
/// HOME=/), module parameters (a '.' in the key) nowhere.
#[test]
fn init_gets_unknown_boot_words() {
    let members = programs::members().expect("the user-space programs");
    let image = initramfs("userspace-bootwords", &members);
    let path = format!("{}/issue5-glibc64", programs::BIN_DIR);
    let b = boot(
        &qemu_init(
            image,
            &path,
            &["after-dashes".to_string()],
            "helper args FL_HELPER_ENV=from-the-boot-line mod.param=1 loglevel=7",
        ),
        Duration::from_secs(120),
    );
    let want = [
        "helper: argc 3",
        "helper: arg [after-dashes]",
        "helper: FL_HELPER_ENV [from-the-boot-line]",
    ];
    let got = program_lines(&b.serial);
    if got != want || b.exit_code != Some(EXIT_POWER_OFF) {
        b.fail(&format!("init's output {got:?}, want {want:?}"));
    }
    b.expect_line(r#"Unknown kernel command line parameter "mod.param=1", ignored (a module parameter)"#)
        .expect_line(r#"Unknown kernel command line parameter "FL_HELPER_ENV=from-the-boot-line", passed to init"#);
}

/// Boot each (binary, program, fate) as init; its output must be the
/// host's and init's fate (exit status, or 128 + signal) `fate`.
fn programs_as_init(image_name: &str, cases: &[(&str, &str, i32)]) {
    let members = programs::members().expect("the user-space programs");
    let image = initramfs(image_name, &members);
    let root = programs::root();
    let mut problems = Vec::new();
    for &(binary, program, fate) in cases {
        let path = format!("{}/{binary}", programs::BIN_DIR);
        let args: Vec<String> = if program == "fault" {
            vec![program.into(), "null".into()]
        } else {
            vec![program.into()]
        };
        let host = std::process::Command::new(root.join(path.trim_start_matches('/')))
            .args(&args)
            .env("FORKLINE_TEST_ROOT", &root)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("running the program on the host");
        let host_lines: Vec<String> = String::from_utf8_lossy(&host.stdout)
            .lines()
            .map(String::from)
            .collect();
        let b = boot(
            &qemu_init(image.clone(), &path, &args, ""),
            Duration::from_secs(120),
        );
        let got_fate = b.serial.lines().rev().find_map(xtask::run::init_fate);
        let guest_lines = program_lines(&b.serial);
        let what = format!("{binary} {}", args.join(" "));
        if got_fate != Some(fate) || b.exit_code != Some(EXIT_POWER_OFF) {
            problems.push(format!(
                "{what}: init's fate {got_fate:?} (want {fate}), QEMU exit {:?}\n{}",
                b.exit_code,
                b.serial
                    .lines()
                    .rev()
                    .take(15)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        } else if harness::normalise(&guest_lines, false) != harness::normalise(&host_lines, false)
        {
            problems.push(format!(
                "{what}: output differs from the host's\n--- host\n{}\n--- guest\n{}",
                host_lines.join("\n"),
                guest_lines.join("\n")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} programs:\n\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n\n")
    );
}
