//! libc-rs on Forkline (issues 4 and 5): the same test binaries as
//! `tests/libc.rs`, each booted as the first program
//! (`init=/libc-tests/<arch>/NAME`) from an initramfs holding only them.
//!
//! - every self-checking program passes (`N passed, 0 failed`, init exits
//!   with status 0), threads included;
//! - `diff_math` gives glibc's host results within its error bounds
//!   (`forkline_tests::math`);
//! - the differential programs print, on Forkline, exactly what the glibc
//!   build of the same source prints on the host;
//! - (the seed program is not booted as init here: its parent does not
//!   wait, so as init it would power the machine off before the child
//!   prints, as Linux would panic; it runs under the test runner, which
//!   reaps orphans, as `issue5.seed.libcrs32/64` in tests/userspace);
//! - ENTER_KERNEL: under an Intel CPU model i386 programs enter through
//!   `sysenter`, under an AMD one through compat `syscall`, with
//!   `vdso32=int80` or without AT_SYSINFO (`vdso32=0`, or the
//!   `-no-sysinfo` build) through `int $0x80`; x86_64 through `syscall`.
//!   `entry_forms` compares Forkline's per-method counters
//!   (/proc/forkline/entries) with its own, as deltas and, being init, as
//!   totals since the first syscall; here we also check which kernel
//!   method moved.
//!
//! Needs `cargo xtask build`.

use forkline_tests::*;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;
use xtask::build::libc::{members, tests_dir};
use xtask::cc::Arch;

/// The initramfs of the libc test programs, written once per test run.
fn image() -> PathBuf {
    static IMAGE: OnceLock<PathBuf> = OnceLock::new();
    IMAGE
        .get_or_init(|| initramfs("libc-tests", &members().expect("the libc test programs")))
        .clone()
}

/// Boot with `/libc-tests/<arch>/<name>` as init, on `cpu` with `append`.
fn boot_program(arch: Arch, name: &str, cpu: &str, append: &str) -> Boot {
    let init = format!("/libc-tests/{}/{name}", arch.name());
    let mut q = qemu_init(image(), &init, &[], append);
    q.cpu = cpu.to_string();
    boot(&q, Duration::from_secs(300))
}

/// A kernel log line: `[    0.123456] …`.
fn is_kernel_log(line: &str) -> bool {
    line.strip_prefix('[')
        .and_then(|r| r.split_once("] "))
        .is_some_and(|(t, _)| {
            t.trim()
                .replace('.', "")
                .chars()
                .all(|c| c.is_ascii_digit())
        })
}

/// What the program printed: the serial lines that are not the kernel's.
fn program_lines(b: &Boot) -> Vec<String> {
    b.serial
        .lines()
        .filter(|l| {
            !is_kernel_log(l) && !l.starts_with("Forkline version ") && *l != "reboot: Power down"
        })
        .map(String::from)
        .collect()
}

/// The program ran to its end as init and exited with status 0.
fn expect_clean_exit(b: &Boot) {
    b.expect_line("init: exited with status 0")
        .expect_exit(EXIT_POWER_OFF);
}

#[test]
fn self_checking_programs_pass_on_forkline() {
    // (program, at least this many checks)
    let programs = [
        ("libc_basic", 80),
        ("libc_fs", 500),
        ("libc_jmp", 13),
        ("libc_res", 100),
        ("rust-hello", 5),
        ("pthread_basic", 200),
        ("pthread_sync", 100),
        ("pthread_fork", 20),
    ];
    for arch in Arch::ALL {
        for (name, min) in programs {
            let b = boot_program(arch, name, "max", "");
            b.expect_suite(min);
            expect_clean_exit(&b);
        }
    }
}

/// The host glibc build's output, the reference (stdout on a pipe).
fn glibc_on_host(arch: Arch, name: &str) -> Vec<String> {
    let out = Command::new(tests_dir(arch).join(format!("{name}.glibc")))
        .stdin(Stdio::null())
        .output()
        .expect("running the glibc build on the host");
    assert!(out.status.success(), "{name}.glibc failed on the host");
    // As on the serial console, whose log has its CRs removed.
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    text.lines().map(String::from).collect()
}

#[test]
fn differential_programs_match_glibc_on_forkline() {
    let programs = [
        "diff_printf",
        "diff_strtol",
        "diff_strtod",
        "diff_scanf",
        "diff_time",
        "diff_string",
        "pthread_diff",
        "fork_stdio",
    ];
    for arch in Arch::ALL {
        for name in programs {
            let b = boot_program(arch, name, "max", "");
            expect_clean_exit(&b);
            let (guest, host) = (program_lines(&b), glibc_on_host(arch, name));
            if guest != host {
                let at = guest.iter().zip(&host).position(|(g, h)| g != h);
                b.fail(&format!(
                    "{} {name}: Forkline's output differs from glibc's on the host ({} vs {} lines); first difference at {at:?}: {:?} vs {:?}",
                    arch.name(),
                    guest.len(),
                    host.len(),
                    at.map(|i| &guest[i]),
                    at.map(|i| &host[i]),
                ));
            }
        }
    }
}

#[test]
fn math_functions_match_glibc_on_forkline() {
    // Within glibc's error bounds, as on the host (forkline_tests::math).
    for arch in Arch::ALL {
        let b = boot_program(arch, "diff_math", "max", "");
        expect_clean_exit(&b);
        let (guest, host) = (program_lines(&b), glibc_on_host(arch, "diff_math"));
        let (g, h): (Vec<&str>, Vec<&str>) = (
            guest.iter().map(String::as_str).collect(),
            host.iter().map(String::as_str).collect(),
        );
        let bad = math::mismatches(&g, &h);
        if g.len() != h.len() || !bad.is_empty() {
            b.fail(&format!(
                "{} diff_math: {} vs {} lines, {} beyond glibc's tolerance, e.g. {:?}",
                arch.name(),
                g.len(),
                h.len(),
                bad.len(),
                bad.first()
            ));
        }
    }
}

/// The kernel's counts in an `entry_forms` line ("deltas: kernel
/// syscall64=N int80=N sysenter=N syscall32=N; libc-rs …").
fn kernel_counts(line: &str) -> Vec<(String, u64)> {
    let kernel = line.split(';').next().unwrap_or("");
    kernel
        .split_whitespace()
        .filter_map(|w| w.split_once('='))
        .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
        .collect()
}

/// Boot `entry_forms` (or a variant): it passes, reports `method` for
/// `__kernel_vsyscall` (i386), and of the kernel's per-method counters
/// exactly those in `moved` moved, in the deltas and in the totals.
fn entry_forms(arch: Arch, name: &str, cpu: &str, append: &str, method: &str, moved: &[&str]) {
    let b = boot_program(arch, name, cpu, append);
    b.expect_suite(9);
    expect_clean_exit(&b);
    if arch == Arch::I386 {
        b.expect_line(&format!("vdso32 method: {method}"));
    }
    for what in ["deltas: ", "totals as init: "] {
        let counts = kernel_counts(b.line(what));
        if counts.len() != 4 {
            b.fail(&format!(
                "cannot read the kernel's four counts in the {what:?} line"
            ));
        }
        for (m, n) in counts {
            if moved.contains(&m.as_str()) != (n > 0) {
                b.fail(&format!(
                    "{} {name} (-cpu {cpu} {append}): {what}kernel {m}={n}, expected {:?} to move",
                    arch.name(),
                    moved
                ));
            }
        }
    }
}

#[test]
fn x86_64_enters_through_syscall() {
    entry_forms(Arch::X86_64, "entry_forms", "max", "", "", &["syscall64"]);
}

#[test]
fn i386_enters_through_sysenter_on_intel() {
    // int80 moves too: vfork and the signal restorers use int $0x80.
    entry_forms(
        Arch::I386,
        "entry_forms",
        "Skylake-Client",
        "",
        "sysenter",
        &["sysenter", "int80"],
    );
}

#[test]
fn i386_enters_through_syscall_on_amd() {
    entry_forms(
        Arch::I386,
        "entry_forms",
        "EPYC",
        "",
        "syscall",
        &["syscall32", "int80"],
    );
}

#[test]
fn i386_enters_through_int80_with_vdso32_int80() {
    entry_forms(
        Arch::I386,
        "entry_forms",
        "max",
        "vdso32=int80",
        "int80",
        &["int80"],
    );
}

#[test]
fn i386_enters_through_int80_without_at_sysinfo() {
    entry_forms(
        Arch::I386,
        "entry_forms",
        "max",
        "vdso32=0",
        "none",
        &["int80"],
    );
    // AT_SYSINFO hidden by the program itself, on a kernel that gives it.
    entry_forms(
        Arch::I386,
        "entry_forms-no-sysinfo",
        "Skylake-Client",
        "",
        "sysenter",
        &["int80"],
    );
}
