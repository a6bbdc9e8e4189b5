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

pub mod document;
pub mod linux;
pub mod report;

use crate::build::{kernel, libc, vdso};
use crate::cc::{self, Arch};
use crate::initramfs::Member;
use crate::paths;
use crate::qemu::Qemu;
use anyhow::{Context, Result, bail};
use report::{Results, Sample, System};
use std::path::{Path, PathBuf};
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
    /// design.md's Linux figures (x86_64, i386); 0 where it has none.
    pub design: (u32, u32),
    pub kernel: bool,
}

/// Every benchmark, in table order (design.md's figures: 0 = none).
#[rustfmt::skip]
pub const OPS: &[Op] = &[
    op("loop", "empty loop iteration", 0, 0, KERNEL),
    op("getppid", "`syscall(SYS_getppid)`", 338, 373, KERNEL),
    op("getppid_syscall_asm", "`syscall` getppid (inline asm)", 0, 0, KERNEL),
    op("getppid_int80_asm", "`int $0x80` getppid", 0, 369, KERNEL),
    op("getppid_vsyscall_asm", "`__kernel_vsyscall` getppid", 0, 352, KERNEL),
    op("clock_gettime_vdso", "vDSO `clock_gettime`", 74, 185, KERNEL),
    op("clock_gettime_syscall", "`syscall(SYS_clock_gettime)`", 452, 492, KERNEL),
    op("fork_exit_wait", "fork + `_exit` + waitpid", 251_500, 254_000, KERNEL),
    op("fork_16m_exit_wait", "fork + `_exit` + waitpid, 16 MiB touched", 0, 0, KERNEL),
    op("fork_cow16_exit_wait", "fork + 16 parent writes + `_exit` + waitpid", 0, 0, KERNEL),
    op("vfork_exit_wait", "vfork + `_exit` + waitpid", 75_000, 77_000, KERNEL),
    op("fork_exec_exit_wait", "fork + execve + `_exit` + waitpid", 0, 0, KERNEL),
    op("memcpy_4k", "memcpy 4096 bytes", 0, 0, LIBC),
    op("memcpy_small", "memcpy 1–253 bytes", 0, 0, LIBC),
    op("strlen_4k", "strlen 4096 bytes", 0, 0, LIBC),
    op("strlen_small", "strlen 0–63 bytes", 0, 0, LIBC),
    op("snprintf_int", "snprintf `%d %s %08x|%-6ld|`", 0, 0, LIBC),
    op("snprintf_float", "snprintf `%.3f %e %g`", 0, 0, LIBC),
    op("malloc_free_64", "malloc(64) + free", 0, 0, LIBC),
    op("malloc_free_mixed", "malloc 16–1000 + free, 64 live", 0, 0, LIBC),
];

/// Which table an operation belongs to.
const KERNEL: bool = true;
const LIBC: bool = false;

/// The benchmarks that differ by i386 entry method.
const ENTRY_OPS: [&str; 3] = ["getppid", "getppid_int80_asm", "getppid_vsyscall_asm"];

/// A row of [`OPS`].
const fn op(name: &'static str, label: &'static str, x: u32, i: u32, kernel: bool) -> Op {
    Op {
        name,
        label,
        design: (x, i),
        kernel,
    }
}

impl Op {
    /// design.md's Linux figures as table cells want them.
    pub fn reference(&self) -> (Option<f64>, Option<f64>) {
        let f = |v: u32| (v != 0).then_some(v as f64);
        (f(self.design.0), f(self.design.1))
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
    let serial = q
        .capture(timeout)
        .context("cannot start qemu-system-x86_64")?
        .output;
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
            for n in &b.notes {
                results.add_info(&c.label, c.system, n);
            }
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
    let md = document::render(
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
