//! `cargo xtask bench`: Forkline against Linux in the same QEMU.
//!
//! One static benchmark program (`examples/bench/bench.c`) is built four
//! ways (glibc and libc-rs, x86_64 and i386) and put into one initramfs with
//! the glibc x86_64 build as `/init`, which runs the four one after another.
//! The same image boots Forkline (`init=/init`) and Debian 12's Linux 6.1
//! (`rdinit=/init`) under the same QEMU settings (`-machine pc -cpu MODEL
//! -m 512M -icount shift=0`); their `BENCH` lines come back on the serial
//! console. Under icount a guest nanosecond is one guest instruction, so the
//! figures are instruction counts; wall-clock time is never reported.
//!
//! The first `--cpu` runs every benchmark; further CPUs (and, on Forkline,
//! `vdso32=int80`) run the i386 entry benchmarks, so that all three i386
//! entry methods are measured. The table goes to stdout and
//! `target/forkline/bench.md`; serial logs to `target/forkline/bench/logs/`.

pub mod linux;
pub mod report;

use crate::build::{kernel, libc, vdso};
use crate::cc::{self, Arch};
use crate::initramfs::Member;
use crate::qemu::Qemu;
use crate::{paths, util};
use anyhow::{Context, Result, bail};
use report::{Results, Sample, System};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `cargo xtask bench` options.
#[derive(clap::Args, Clone, Debug)]
pub struct Args {
    /// Only benchmarks whose name contains one of these comma-separated words.
    #[arg(long)]
    pub filter: Option<String>,
    /// Boots per configuration (the spread across them is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: u32,
    /// QEMU CPU models: the first runs everything, the others the i386
    /// entry benchmarks (Skylake-Client is Intel: sysenter).
    #[arg(long, value_delimiter = ',', default_value = "max,Skylake-Client")]
    pub cpu: Vec<String>,
    /// Divide every iteration count by this (quick, less stable runs).
    #[arg(long, default_value_t = 1)]
    pub divisor: u32,
    /// Only this system (forkline or linux).
    #[arg(long)]
    pub only: Option<String>,
    /// Seconds before a boot is given up.
    #[arg(long, default_value_t = 1800)]
    pub timeout: u64,
}

/// A benchmark of bench.c: its name, its row label, design.md's Linux
/// figures (x86_64, i386), and whether it belongs to the kernel table.
pub struct Op {
    pub name: &'static str,
    pub label: &'static str,
    pub reference: (Option<f64>, Option<f64>),
    pub kernel: bool,
}

/// Every benchmark, in table order.
pub const OPS: &[Op] = &[
    op("loop", "empty loop iteration", None, None, true),
    op(
        "getppid",
        "`syscall(SYS_getppid)`",
        Some(338.0),
        Some(373.0),
        true,
    ),
    op(
        "getppid_syscall_asm",
        "`syscall` getppid (inline asm)",
        None,
        None,
        true,
    ),
    op(
        "getppid_int80_asm",
        "`int $0x80` getppid",
        None,
        Some(369.0),
        true,
    ),
    op(
        "getppid_vsyscall_asm",
        "`__kernel_vsyscall` getppid",
        None,
        Some(352.0),
        true,
    ),
    op(
        "clock_gettime_vdso",
        "vDSO `clock_gettime`",
        Some(74.0),
        Some(185.0),
        true,
    ),
    op(
        "clock_gettime_syscall",
        "`syscall(SYS_clock_gettime)`",
        Some(452.0),
        Some(492.0),
        true,
    ),
    op(
        "fork_exit_wait",
        "fork + `_exit` + waitpid",
        Some(251500.0),
        Some(254000.0),
        true,
    ),
    op(
        "vfork_exit_wait",
        "vfork + `_exit` + waitpid",
        Some(75000.0),
        Some(77000.0),
        true,
    ),
    op(
        "fork_exec_exit_wait",
        "fork + execve + `_exit` + waitpid",
        None,
        None,
        true,
    ),
    op("memcpy_4k", "memcpy 4096 bytes", None, None, false),
    op("memcpy_small", "memcpy 1–253 bytes", None, None, false),
    op("strlen_4k", "strlen 4096 bytes", None, None, false),
    op("strlen_small", "strlen 0–63 bytes", None, None, false),
    op(
        "snprintf_int",
        "snprintf `%d %s %08x|%-6ld|`",
        None,
        None,
        false,
    ),
    op("snprintf_float", "snprintf `%.3f %e %g`", None, None, false),
    op("malloc_free_64", "malloc(64) + free", None, None, false),
    op(
        "malloc_free_mixed",
        "malloc 16–1000 + free, 64 live",
        None,
        None,
        false,
    ),
];

/// The benchmarks that differ by i386 entry method.
const ENTRY_OPS: [&str; 3] = ["getppid", "getppid_int80_asm", "getppid_vsyscall_asm"];

const fn op(
    name: &'static str,
    label: &'static str,
    x: Option<f64>,
    i: Option<f64>,
    kernel: bool,
) -> Op {
    Op {
        name,
        label,
        reference: (x, i),
        kernel,
    }
}

/// The four builds: (libc, arch).
const VARIANTS: [(&str, Arch); 4] = [
    ("glibc", Arch::X86_64),
    ("glibc", Arch::I386),
    ("libcrs", Arch::X86_64),
    ("libcrs", Arch::I386),
];

/// The guest path of a build.
fn guest_path(libc: &str, arch: Arch) -> String {
    format!("/bench/{libc}-{}", arch.name())
}

/// One kind of boot: a system, a CPU, extra kernel words, which builds and
/// which benchmarks run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The table's name for it: the CPU, and any extra kernel words.
    pub label: String,
    pub system: System,
    pub cpu: String,
    pub append: String,
    pub programs: Vec<String>,
    pub names: Vec<&'static str>,
}

/// Benchmark names containing one of the comma-separated words of `filter`.
pub fn select(filter: Option<&str>) -> Vec<&'static str> {
    let words: Vec<&str> = filter
        .unwrap_or("")
        .split(',')
        .filter(|w| !w.is_empty())
        .collect();
    OPS.iter()
        .map(|o| o.name)
        .filter(|n| words.is_empty() || words.iter().any(|w| n.contains(w)))
        .collect()
}

/// The boots to make for these options.
pub fn configs(a: &Args) -> Result<Vec<Config>> {
    let systems: Vec<System> = match a.only.as_deref() {
        None => vec![System::Forkline, System::Linux],
        Some("forkline") => vec![System::Forkline],
        Some("linux") => vec![System::Linux],
        Some(o) => bail!("--only {o}: forkline or linux"),
    };
    let names = select(a.filter.as_deref());
    if names.is_empty() {
        bail!(
            "--filter {:?} selects no benchmark",
            a.filter.as_deref().unwrap_or("")
        );
    }
    let main = a.cpu.first().context("--cpu needs a model")?;
    let all: Vec<String> = VARIANTS.iter().map(|(l, ar)| guest_path(l, *ar)).collect();
    let i386: Vec<String> = VARIANTS
        .iter()
        .filter(|(_, ar)| *ar == Arch::I386)
        .map(|(l, ar)| guest_path(l, *ar))
        .collect();
    let entry: Vec<&'static str> = names
        .iter()
        .copied()
        .filter(|n| ENTRY_OPS.contains(n))
        .collect();
    let mut out = Vec::new();
    let mut add = |label: String,
                   system,
                   cpu: &str,
                   append: &str,
                   programs: &[String],
                   names: &[&'static str]| {
        out.push(Config {
            label,
            system,
            cpu: cpu.into(),
            append: append.into(),
            programs: programs.to_vec(),
            names: names.to_vec(),
        })
    };
    for &s in &systems {
        add(main.clone(), s, main, "", &all, &names);
    }
    if !entry.is_empty() {
        for cpu in &a.cpu[1..] {
            for &s in &systems {
                add(cpu.clone(), s, cpu, "", &i386, &entry);
            }
        }
        if systems.contains(&System::Forkline) {
            add(
                format!("{main} vdso32=int80"),
                System::Forkline,
                main,
                "vdso32=int80",
                &i386,
                &entry,
            );
        }
    }
    Ok(out)
}

/// The kernel command line: Linux's initramfs init, or Forkline's init=.
pub fn cmdline(c: &Config, divisor: u32) -> String {
    let boot = match c.system {
        System::Forkline => "quiet init=/init",
        System::Linux => "console=ttyS0 rdinit=/init panic=-1 quiet",
    };
    let mut words = vec![boot.to_string()];
    if !c.append.is_empty() {
        words.push(c.append.clone());
    }
    words.push(format!("-- -f {} -d {divisor}", c.names.join(",")));
    words.extend(c.programs.iter().cloned());
    words.join(" ")
}

/// Where the benchmark's builds, image and logs go.
fn dir() -> PathBuf {
    paths::out().join("bench")
}

/// Build the four benchmark programs; returns the initramfs members.
pub fn build_programs() -> Result<Vec<Member>> {
    let src = paths::root().join("examples/bench/bench.c");
    std::fs::create_dir_all(dir())?;
    let mut members = Vec::new();
    for (libc, arch) in VARIANTS {
        let out = dir().join(format!("{libc}-{}", arch.name()));
        match libc {
            "glibc" => libc::build_glibc(arch, &src, &out, &["-O2", "-Wall"])?,
            _ => cc::compile(arch, &[&src], &out, &["-O2", "-Wall"])?,
        }
        members.push(Member {
            guest: guest_path(libc, arch),
            host: out.clone(),
        });
        if libc == "glibc" && arch == Arch::X86_64 {
            members.push(Member {
                guest: "/init".into(),
                host: out,
            });
        }
    }
    Ok(members)
}

/// Build what Forkline's side needs: kernel, sysroots, programs, image.
pub fn prepare_forkline() -> Result<(PathBuf, PathBuf)> {
    let v = vdso::build()?;
    let kernel = kernel::build(&v)?;
    for arch in Arch::ALL {
        libc::build_sysroot(arch)?;
    }
    let image = dir().join("initramfs.cpio");
    crate::initramfs::write(&image, &build_programs()?, &[])?;
    Ok((kernel, image))
}

/// What one boot printed.
pub struct Boot {
    pub samples: Vec<Sample>,
    /// BENCH-INFO, BENCH-WARN, BENCH-FAIL, BENCH-SKIP lines.
    pub notes: Vec<String>,
    pub done: bool,
    pub serial: String,
}

/// Boot `q`, collect its serial console, give up after `timeout`.
pub fn boot(q: &Qemu, timeout: Duration) -> Result<Boot> {
    let mut child = q
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start qemu-system-x86_64")?;
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        let _ = tx.send(());
        buf
    });
    if rx.recv_timeout(timeout).is_err() {
        let _ = child.kill();
    }
    child.wait()?;
    let serial = String::from_utf8_lossy(&reader.join().unwrap()).replace('\r', "");
    let samples = serial.lines().filter_map(report::parse_line).collect();
    let notes = serial
        .lines()
        .filter_map(|l| l.find("BENCH-").map(|i| l[i..].to_string()))
        .filter(|l| !l.starts_with("BENCH-DONE"))
        .collect();
    let done = serial.lines().any(|l| l.contains("BENCH-DONE"));
    Ok(Boot {
        samples,
        notes,
        done,
        serial,
    })
}

/// The QEMU for one boot of `c`.
pub fn qemu(c: &Config, kernel: &Path, image: &Path, divisor: u32) -> Qemu {
    let mut q = Qemu::new(kernel.to_path_buf());
    q.initrd = Some(image.to_path_buf());
    q.append = cmdline(c, divisor);
    q.cpu = c.cpu.clone();
    q.icount = true;
    q.memory_mib = 512;
    q
}

/// `cargo xtask bench`.
pub fn bench(a: Args) -> Result<()> {
    let configs = configs(&a)?;
    let (forkline, image) = prepare_forkline()?;
    let linux = if configs.iter().any(|c| c.system == System::Linux) {
        Some(linux::kernel()?)
    } else {
        None
    };
    let logs = dir().join("logs");
    std::fs::create_dir_all(&logs)?;
    let mut results = Results::default();
    let mut notes = Vec::new();
    for c in &configs {
        let kernel = match c.system {
            System::Forkline => forkline.clone(),
            System::Linux => linux.as_ref().unwrap().vmlinuz.clone(),
        };
        for run in 1..=a.runs.max(1) {
            let start = Instant::now();
            let b = boot(
                &qemu(c, &kernel, &image, a.divisor),
                Duration::from_secs(a.timeout),
            )?;
            let log = logs.join(format!(
                "{}-{}-{run}.log",
                c.system.name(),
                c.label.replace(' ', "_")
            ));
            std::fs::write(&log, &b.serial)?;
            eprintln!(
                "bench: {} {} run {run}/{}: {} results in {:.0} s{}",
                c.system.name(),
                c.label,
                a.runs,
                b.samples.len(),
                start.elapsed().as_secs_f64(),
                if b.done {
                    String::new()
                } else {
                    format!(" — INCOMPLETE, see {}", log.display())
                }
            );
            for n in b
                .notes
                .iter()
                .filter(|n| !n.starts_with("BENCH-INFO") || run == 1)
            {
                notes.push(format!("{} {}: {n}", c.system.name(), c.label));
            }
            if !b.done {
                notes.push(format!(
                    "{} {} run {run}: no BENCH-DONE (see {})",
                    c.system.name(),
                    c.label,
                    log.display()
                ));
            }
            results.add(&c.label, c.system, &b.samples);
        }
    }
    let md = render(
        &a,
        &configs,
        &results,
        &notes,
        linux.as_ref().map(|k| k.package.as_str()),
    );
    println!("{md}");
    let out = paths::out().join("bench.md");
    std::fs::write(&out, &md)?;
    eprintln!("bench: wrote {}", out.display());
    Ok(())
}

/// The whole report: provenance, the tables, spread and notes.
pub fn render(
    a: &Args,
    configs: &[Config],
    r: &Results,
    notes: &[String],
    linux: Option<&str>,
) -> String {
    use std::fmt::Write;
    let main = a.cpu.first().map(String::as_str).unwrap_or("max");
    let mut s = String::from("# Forkline vs Linux: guest instructions per operation\n\n");
    let _ = writeln!(
        s,
        "`cargo xtask bench{}` — QEMU TCG `-machine pc -cpu CPU -m 512M -icount shift=0` (one guest ns = one guest instruction); loop overhead and the two clock reads are included, nothing is subtracted (the *empty loop* row is the loop's own cost). Figures are medians of {} boot(s); ratio = Forkline / Linux (above 1: Forkline needs more instructions).\n",
        args_words(a),
        a.runs
    );
    for line in provenance(linux) {
        let _ = writeln!(s, "- {line}");
    }
    let ops = |kernel: bool| OPS.iter().filter(move |o| o.kernel == kernel);
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
    for libc in ["glibc", "libcrs"] {
        let rows: Vec<Vec<String>> = ops(true)
            .filter(|o| {
                r.runs
                    .keys()
                    .any(|k| k.4 == o.name && k.3 == libc && k.0 == main)
            })
            .map(|o| {
                report::system_row(
                    r,
                    main,
                    libc,
                    o.label,
                    o.name,
                    if libc == "glibc" {
                        o.reference
                    } else {
                        (None, None)
                    },
                )
            })
            .collect();
        if !rows.is_empty() {
            let _ = writeln!(
                s,
                "\n## Kernel paths, `-cpu {main}`, {} static binary\n",
                libc_name(libc)
            );
            s.push_str(&report::table(&head, &rows));
        }
    }
    s.push_str(&entry_table(configs, r));
    for system in [System::Forkline, System::Linux] {
        let rows: Vec<Vec<String>> = OPS
            .iter()
            .filter(|o| {
                r.runs
                    .keys()
                    .any(|k| k.4 == o.name && k.1 == system && k.0 == main)
            })
            .map(|o| report::libc_row(r, main, system, o.label, o.name))
            .collect();
        if !rows.is_empty() {
            let _ = writeln!(
                s,
                "\n## libc-rs vs glibc on {}, `-cpu {main}`\n",
                system.name()
            );
            let h = [
                "operation",
                "glibc x86_64",
                "libc-rs x86_64",
                "ratio",
                "glibc i386",
                "libc-rs i386",
                "ratio",
            ];
            s.push_str(&report::table(&h, &rows));
        }
    }
    s.push_str("\n## Run-to-run spread\n\n");
    match r.worst_spread() {
        Some((w, k)) => {
            let _ = writeln!(
                s,
                "Largest (max − min) / min over {} runs: {w:.3}% ({} {} {} {} {}).",
                a.runs,
                k.1.name(),
                k.0,
                k.2,
                k.3,
                k.4
            );
            let over: Vec<String> = r
                .runs
                .iter()
                .filter(|(_, v)| report::spread(v) >= 1.0)
                .map(|(k, v)| {
                    format!(
                        "{} {} {} {} {}: {:.2}%",
                        k.1.name(),
                        k.0,
                        k.2,
                        k.3,
                        k.4,
                        report::spread(v)
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "Figures spreading 1% or more: {}.",
                if over.is_empty() {
                    "none".into()
                } else {
                    over.join("; ")
                }
            );
        }
        None => s.push_str("One run only: no spread.\n"),
    }
    if !notes.is_empty() {
        s.push_str("\n## What the programs said\n\n");
        for n in notes {
            let _ = writeln!(s, "- {n}");
        }
    }
    s
}

/// The i386 entry-method table: `__kernel_vsyscall` and glibc's
/// `syscall()` per configuration, Forkline and Linux.
fn entry_table(configs: &[Config], r: &Results) -> String {
    let mut labels: Vec<&str> = Vec::new();
    for c in configs {
        if !labels.contains(&c.label.as_str()) {
            labels.push(&c.label);
        }
    }
    let mut rows = Vec::new();
    for l in labels {
        let mut row = vec![format!("`{l}`")];
        for (libc, name) in [
            ("glibc", "getppid_vsyscall_asm"),
            ("glibc", "getppid"),
            ("libcrs", "getppid"),
        ] {
            let f = r.get(l, System::Forkline, "i386", libc, name);
            let x = r.get(l, System::Linux, "i386", libc, name);
            row.extend([
                report::fmt_ns(f),
                report::fmt_ns(x),
                report::fmt_ratio(f, x),
            ]);
        }
        if row[1..].iter().any(|c| c != "–") {
            rows.push(row);
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    let h = [
        "i386 configuration",
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
        "\n## i386 getppid by entry method (`__kernel_vsyscall`: syscall on AMD, sysenter on Intel, int $0x80 with `vdso32=int80`)\n\n{}",
        report::table(&h, &rows)
    )
}

fn libc_name(libc: &str) -> &str {
    if libc == "libcrs" { "libc-rs" } else { "glibc" }
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
    let first = |cmd: &mut Command| {
        util::output(cmd)
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
            .unwrap_or_else(|_| "?".into())
    };
    let root = paths::root();
    vec![
        format!(
            "Forkline: `{}`",
            first(
                Command::new("git")
                    .current_dir(&root)
                    .args(["describe", "--always", "--dirty"])
            )
        ),
        format!("Linux: Debian `{}`", linux.unwrap_or("not run")),
        format!(
            "QEMU: {}",
            first(Command::new("qemu-system-x86_64").arg("--version"))
        ),
        format!("glibc: {}", first(Command::new("ldd").arg("--version"))),
        format!("gcc: {}", first(Command::new("gcc").arg("--version"))),
    ]
}
