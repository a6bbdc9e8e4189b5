//! libc-rs on the host Linux, both architectures: the C and Rust test
//! programs (libc_fs: the file-system calls), the ENTER_KERNEL forms, threads (each program also passes with
//! glibc), differential tests against the host glibc (printf family, strtol
//! family, strtod family, scanf family, string functions, time.h's calendar and
//! strftime, the pthread API: byte-identical; math.h: within glibc's error
//! bounds, errno identical),
//! the seed's fork program built with `cargo xtask cc`, "fork done right",
//! and a check that no memory/string function calls itself.
//!
//! Programs come from `cargo xtask build` (target/forkline/libc-tests/).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use xtask::build::libc::tests_dir;
use xtask::cc::Arch;

/// A built test program.
fn prog(arch: Arch, name: &str) -> PathBuf {
    let p = tests_dir(arch).join(name);
    assert!(
        p.is_file(),
        "{} is missing: run `cargo xtask build` first",
        p.display()
    );
    p
}

/// Run with stdout and stderr captured (stdout is a pipe: full buffering).
fn run(arch: Arch, name: &str, args: &[&str]) -> Output {
    Command::new(prog(arch, name))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"))
}

/// Run a self-checking program: exit 0 and a "N passed, 0 failed" line.
fn suite(arch: Arch, name: &str) -> u32 {
    let out = run(arch, name, &[]);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let summary = text.lines().rev().find_map(forkline_tests::parse_summary);
    match summary {
        Some((p, 0)) if out.status.success() && p > 0 => p,
        _ => panic!("{} {name}: {:?}\n{text}", arch.name(), out.status),
    }
}

#[test]
fn c_suite_passes_with_libc_rs() {
    for arch in Arch::ALL {
        let n = suite(arch, "libc_basic");
        assert!(n >= 80, "{}: only {n} checks", arch.name());
    }
}

#[test]
fn c_suite_passes_with_glibc_too() {
    // The expectations are glibc's: the same source must pass there.
    for arch in Arch::ALL {
        suite(arch, "libc_basic.glibc");
    }
}

#[test]
fn file_system_calls_pass_with_libc_rs_and_with_glibc() {
    // stat, dirent, the unistd file calls, termios, uname: against the
    // kernel's answers; the expectations are glibc's.
    for arch in Arch::ALL {
        let n = suite(arch, "libc_fs");
        assert!(n >= 500, "{}: only {n} checks", arch.name());
        suite(arch, "libc_fs.glibc");
    }
}

#[test]
fn setjmp_longjmp_pass_with_libc_rs_and_with_glibc() {
    for arch in Arch::ALL {
        let n = suite(arch, "libc_jmp");
        assert!(n >= 13, "{}: only {n} checks", arch.name());
        suite(arch, "libc_jmp.glibc");
    }
}

#[test]
fn resources_and_timers_pass_with_libc_rs_and_with_glibc() {
    // getrusage, limits, itimers, POSIX timers, flock/fcntl locks, sysinfo,
    // poll/select: the expectations are glibc's.
    for arch in Arch::ALL {
        let n = suite(arch, "libc_res");
        assert!(n >= 100, "{}: only {n} checks", arch.name());
        suite(arch, "libc_res.glibc");
    }
}

#[test]
fn atexit_handlers_run_in_reverse_then_stdio_is_flushed() {
    for arch in Arch::ALL {
        for name in ["libc_basic", "libc_basic.glibc"] {
            let out = String::from_utf8(run(arch, name, &[]).stdout).unwrap();
            assert!(out.ends_with("atexit order 12\n"), "{name}: {out}");
        }
    }
}

#[test]
fn rust_program_on_libc_rs() {
    for arch in Arch::ALL {
        suite(arch, "rust-hello");
    }
}

#[test]
fn enter_kernel_forms() {
    for arch in Arch::ALL {
        suite(arch, "entry_forms");
    }
    // i386 without AT_SYSINFO: everything through int $0x80.
    let out = run(Arch::I386, "entry_forms-no-sysinfo", &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("mode: no AT_SYSINFO") && text.contains(" 0 failed"),
        "{text}"
    );
}

#[test]
fn threads_pass_with_libc_rs_and_with_glibc() {
    // The expectations are glibc's: each program passes with both. Three
    // rounds, since thread bugs are races.
    for arch in Arch::ALL {
        for name in ["pthread_basic", "pthread_sync", "pthread_fork"] {
            for _ in 0..3 {
                let n = suite(arch, name);
                assert!(n >= 20, "{} {name}: only {n} checks", arch.name());
            }
            suite(arch, &format!("{name}.glibc"));
        }
    }
}

#[test]
fn pthread_api_matches_glibc() {
    for arch in Arch::ALL {
        assert!(differential(arch, "pthread_diff") > 80);
    }
}

/// Run NAME and NAME.glibc; their stdout must be byte-identical. Returns the
/// number of lines compared.
fn differential(arch: Arch, name: &str) -> usize {
    let ours = run(arch, name, &[]);
    let theirs = run(arch, &format!("{name}.glibc"), &[]);
    assert!(theirs.status.success(), "{name}.glibc failed");
    assert!(
        ours.status.success(),
        "{} {name}: {:?}\n{}",
        arch.name(),
        ours.status,
        String::from_utf8_lossy(&ours.stderr)
    );
    if ours.stdout != theirs.stdout {
        let (a, b) = (
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
        );
        let diff = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .find(|(_, (x, y))| x != y);
        let bad = a.lines().zip(b.lines()).filter(|(x, y)| x != y).count();
        panic!(
            "{} {name}: {bad} lines differ from glibc; first at line {:?}\n  libc-rs: {:?}\n  glibc:   {:?}\n(lines: {} vs {})",
            arch.name(),
            diff.map(|d| d.0 + 1),
            diff.map(|d| d.1.0),
            diff.map(|d| d.1.1),
            a.lines().count(),
            b.lines().count()
        );
    }
    ours.stdout.split(|&b| b == b'\n').count()
}

#[test]
fn printf_family_matches_glibc() {
    for arch in Arch::ALL {
        assert!(differential(arch, "diff_printf") > 12000);
    }
}

#[test]
fn strtol_family_matches_glibc() {
    for arch in Arch::ALL {
        assert!(differential(arch, "diff_strtol") >= 6000);
    }
}

#[test]
fn strtod_family_matches_glibc() {
    for arch in Arch::ALL {
        assert!(differential(arch, "diff_strtod") > 10000);
    }
}

#[test]
fn scanf_family_matches_glibc() {
    for arch in Arch::ALL {
        assert!(differential(arch, "diff_scanf") > 6000);
    }
}

#[test]
fn time_calendar_functions_match_glibc() {
    for arch in Arch::ALL {
        assert!(differential(arch, "diff_time") > 24000);
    }
}

#[test]
fn string_functions_match_glibc() {
    for arch in Arch::ALL {
        assert!(differential(arch, "diff_string") > 4000);
    }
}

#[test]
fn fork_done_right_matches_glibc() {
    for arch in Arch::ALL {
        differential(arch, "fork_stdio");
        let out = String::from_utf8(run(arch, "fork_stdio", &[]).stdout).unwrap();
        assert_eq!(
            out,
            "buffered before fork; more; child handlers=P2P1c1c2 ppid_ok=1 pid_new=1\n\
             buffered before fork; more; parent handlers=P2P1p1p2 child_exit=3\n\
             flushed; parent2\n"
        );
    }
}

#[test]
fn seed_fork_program_built_with_xtask_cc() {
    for arch in Arch::ALL {
        // Build it again here through the library form of `cargo xtask cc`.
        let src = xtask::paths::root().join("examples/c/fork.c");
        let out = std::env::temp_dir().join(format!("fork-{}-{}", arch.name(), std::process::id()));
        xtask::cc::compile(arch, &[&src], &out, &["-O2"]).expect("cargo xtask cc");
        for bin in [out.clone(), prog(arch, "fork.glibc")] {
            let o = Command::new(&bin).stdin(Stdio::null()).output().unwrap();
            let mut lines: Vec<String> = String::from_utf8(o.stdout)
                .unwrap()
                .lines()
                .map(String::from)
                .collect();
            lines.sort();
            assert!(o.status.success());
            assert_eq!(lines, ["child", "parent"], "{}", bin.display());
        }
        let _ = std::fs::remove_file(out);
    }
}

#[test]
fn xtask_cc_command_line() {
    let dir = std::env::temp_dir().join(format!("xtask-cc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("fork32");
    let st = Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .current_dir(xtask::paths::root())
        .args(["xtask", "cc", "--arch", "i386"])
        .arg(xtask::paths::root().join("examples/c/fork.c"))
        .arg("-o")
        .arg(&out)
        .arg("-Wall")
        .status()
        .unwrap();
    assert!(st.success());
    let file = Command::new("file")
        .arg(&out)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if let Ok(f) = file {
        assert!(
            f.contains("32-bit") && f.contains("statically linked"),
            "{f}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn no_memory_or_string_function_calls_itself() {
    const FUNCS: [&str; 16] = [
        "memcpy", "memmove", "memset", "memcmp", "bcmp", "memchr", "strlen", "strnlen", "strcpy",
        "stpcpy", "strncpy", "strcat", "strcmp", "strncmp", "strchr", "strdup",
    ];
    for arch in Arch::ALL {
        let bin = prog(arch, "diff_string");
        let dis = Command::new("objdump")
            .args(["-d", "--no-show-raw-insn"])
            .arg(&bin)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&dis.stdout);
        let mut current = String::new();
        let mut seen = 0;
        for line in text.lines() {
            if let Some(name) = line
                .strip_suffix(">:")
                .and_then(|l| l.split_once(" <"))
                .map(|(_, n)| n)
            {
                current = name.to_string();
                if FUNCS.contains(&name) {
                    seen += 1;
                }
                continue;
            }
            if FUNCS.contains(&current.as_str()) && (line.contains("call") || line.contains("jmp"))
            {
                assert!(
                    !line.contains(&format!("<{current}>")),
                    "{}: {current} calls itself: {line}",
                    arch.name()
                );
            }
        }
        assert!(seen >= 10, "{}: only {seen} functions found", arch.name());
    }
}

#[test]
fn math_functions_match_glibc() {
    for arch in Arch::ALL {
        let ours = run(arch, "diff_math", &[]);
        let theirs = run(arch, "diff_math.glibc", &[]);
        assert!(ours.status.success() && theirs.status.success());
        let (a, b) = (
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
        );
        let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        assert_eq!(a.len(), b.len(), "{}: line counts differ", arch.name());
        let bad = forkline_tests::math::mismatches(&a, &b);
        assert!(
            bad.is_empty(),
            "{}: {} lines differ from glibc beyond the tolerance, e.g. {:?}",
            arch.name(),
            bad.len(),
            &bad[..bad.len().min(10)]
        );
        let last = a.last().copied().unwrap_or("");
        let calls: usize = last
            .strip_prefix("diff_math: ")
            .and_then(|r| r.strip_suffix(" calls"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(calls > 20000, "{}: summary {last:?}", arch.name());
    }
}
