//! The report `cargo xtask bench` prints and writes to
//! `target/forkline/bench.md`: provenance, the tables, spread and notes.

use super::report::{self, Key, Results, System, fmt_ns, fmt_ratio, table};
use super::{Args, Config, OPS};
use crate::{paths, util};
use std::fmt::Write;
use std::process::Command;

/// The whole report.
pub fn render(
    a: &Args,
    configs: &[Config],
    r: &Results,
    notes: &[String],
    linux: Option<&str>,
) -> String {
    let main = a.cpu.first().map(String::as_str).unwrap_or("max");
    let mut s = String::from("# Forkline vs Linux: guest instructions per operation\n\n");
    let _ = writeln!(
        s,
        "`cargo xtask bench{}`: QEMU TCG `-machine pc -cpu CPU -m 512M -icount shift=0`, \
         so one guest ns is one guest instruction. The loop and the two clock reads are \
         included and nothing is subtracted (the *empty loop* row is the loop's own cost). \
         Medians of {} boot(s); ratio = Forkline / Linux (above 1: Forkline executes more \
         instructions).\n",
        args_words(a),
        a.runs
    );
    for line in provenance(linux) {
        let _ = writeln!(s, "- {line}");
    }
    for libc in ["glibc", "libcrs"] {
        s += &kernel_table(r, main, libc);
    }
    s += &entry_table(configs, r);
    for system in [System::Forkline, System::Linux] {
        s += &libc_table(r, main, system);
    }
    s += &spread_section(a, r);
    if !notes.is_empty() {
        s += "\n## What the programs said\n\n";
        for n in notes {
            let _ = writeln!(s, "- {n}");
        }
    }
    s
}

/// Forkline vs Linux for the kernel paths, with the `libc` build.
fn kernel_table(r: &Results, main: &str, libc: &str) -> String {
    let rows: Vec<Vec<String>> = OPS
        .iter()
        .filter(|o| o.kernel && r.has(main, None, libc, o.name))
        .map(|o| {
            let reference = if libc == "glibc" {
                o.reference()
            } else {
                (None, None)
            };
            report::system_row(r, main, libc, o.label, o.name, reference)
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let head = [
        "operation",
        "Forkline x86_64",
        "Linux x86_64",
        "ratio",
        "Forkline i386",
        "Linux i386",
        "ratio",
        "design.md Linux x86_64",
        "design.md Linux i386",
    ];
    let name = if libc == "libcrs" { "libc-rs" } else { "glibc" };
    format!(
        "\n## Kernel paths, `-cpu {main}`, {name} static binary\n\n{}",
        table(&head, &rows)
    )
}

/// i386 getppid per configuration: `__kernel_vsyscall` called directly,
/// and each libc's `syscall()` (which goes through it).
fn entry_table(configs: &[Config], r: &Results) -> String {
    let mut labels: Vec<&str> = configs.iter().map(|c| c.label.as_str()).collect();
    labels.dedup();
    let mut rows = Vec::new();
    for l in labels {
        let method = |s| {
            r.methods
                .get(&(l.to_string(), s))
                .map_or("–", String::as_str)
        };
        let mut row = vec![format!(
            "`{l}`: Forkline {}, Linux {}",
            method(System::Forkline),
            method(System::Linux)
        )];
        for (libc, name) in [
            ("glibc", "getppid_vsyscall_asm"),
            ("glibc", "getppid"),
            ("libcrs", "getppid"),
        ] {
            let f = r.get(l, System::Forkline, "i386", libc, name);
            let x = r.get(l, System::Linux, "i386", libc, name);
            row.extend([fmt_ns(f), fmt_ns(x), fmt_ratio(f, x)]);
        }
        if row[1..].iter().any(|c| c != "–") {
            rows.push(row);
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    let head = [
        "i386 configuration: method",
        "Forkline `__kernel_vsyscall`",
        "Linux",
        "ratio",
        "Forkline glibc `syscall()`",
        "Linux",
        "ratio",
        "Forkline libc-rs `syscall()`",
        "Linux",
        "ratio",
    ];
    format!(
        "\n## i386 getppid by entry method\n\nThe method is what `__kernel_vsyscall` \
         executes: Forkline's from /proc/forkline/vdso32, Linux's from the CPU vendor \
         (its vDSO uses sysenter on Intel, syscall on AMD).\n\n{}",
        table(&head, &rows)
    )
}

/// libc-rs vs glibc on one system.
fn libc_table(r: &Results, main: &str, system: System) -> String {
    let rows: Vec<Vec<String>> = OPS
        .iter()
        .filter(|o| r.has(main, Some(system), "libcrs", o.name))
        .map(|o| report::libc_row(r, main, system, o.label, o.name))
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let head = [
        "operation",
        "glibc x86_64",
        "libc-rs x86_64",
        "ratio",
        "glibc i386",
        "libc-rs i386",
        "ratio",
    ];
    format!(
        "\n## libc-rs vs glibc on {}, `-cpu {main}` (ratio = libc-rs / glibc)\n\n{}",
        system.name(),
        table(&head, &rows)
    )
}

/// The largest run-to-run spread, and every figure spreading 1% or more.
fn spread_section(a: &Args, r: &Results) -> String {
    let mut s = String::from("\n## Run-to-run spread\n\n");
    let Some((worst, k)) = r.worst_spread() else {
        return s + "One run only: no spread.\n";
    };
    let _ = writeln!(
        s,
        "Largest (max − min) / min over {} runs: {worst:.3}% ({}).",
        a.runs,
        key_name(k)
    );
    let over: Vec<String> = r
        .runs
        .iter()
        .filter(|(_, v)| report::spread(v) >= 1.0)
        .map(|(k, v)| format!("{}: {:.2}%", key_name(k), report::spread(v)))
        .collect();
    let over = if over.is_empty() {
        "none".into()
    } else {
        over.join("; ")
    };
    let _ = writeln!(s, "Figures spreading 1% or more: {over}.");
    s
}

/// `Forkline max i386 glibc getppid`.
fn key_name(k: &Key) -> String {
    format!("{} {} {} {} {}", k.1.name(), k.0, k.2, k.3, k.4)
}

/// The options as typed, for the report's first line.
fn args_words(a: &Args) -> String {
    let mut w = String::new();
    if let Some(f) = &a.filter {
        w += &format!(" --filter {f}");
    }
    w += &format!(" --runs {} --cpu {}", a.runs, a.cpu.join(","));
    if a.divisor != 1 {
        w += &format!(" --divisor {}", a.divisor);
    }
    if let Some(o) = &a.only {
        w += &format!(" --only {o}");
    }
    w
}

/// Versions of everything measured.
fn provenance(linux: Option<&str>) -> Vec<String> {
    let first = |cmd: &mut Command| match util::output(cmd) {
        Ok(o) => String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
        Err(_) => "?".into(),
    };
    let mut git = Command::new("git");
    git.current_dir(paths::root())
        .args(["describe", "--always", "--dirty"]);
    vec![
        format!("Forkline: `{}` (the working tree)", first(&mut git)),
        format!("Linux: Debian `{}`", linux.unwrap_or("not run")),
        format!(
            "QEMU: {}",
            first(Command::new("qemu-system-x86_64").arg("--version"))
        ),
        format!("glibc: {}", first(Command::new("ldd").arg("--version"))),
        format!("gcc: {}", first(Command::new("gcc").arg("--version"))),
    ]
}
