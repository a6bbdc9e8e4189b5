//! The user-space test programs of issues 3 and 5 (`tests/userspace/`):
//! the guest test runner `/sbin/forkline-test`, the test programs in each of
//! their variants, their data files and the runner's list
//! `/etc/forkline-tests/LIST`, all laid out under
//! `target/forkline/userspace/root/` exactly as in the guest, so that the
//! host runs the same list with `forkline-test --root=<that dir>`.
//!
//! Test programs are small C files, one per test, each with its own `main`.
//! The files of a group (`tests/userspace/issue3/*.c`, `issue5/*.c`) are
//! linked into one multi-call binary per variant,
//! `/usr/libexec/forkline-tests/GROUP-VARIANT PROGRAM [ARGS]` (busybox
//! style), because a static glibc program weighs ~700 KiB and ~40 of them in
//! four variants would make an 80 MiB initramfs. A few programs must stay
//! unmodified stand-alone programs (the seed program): they are built as
//! `/usr/libexec/forkline-tests/PROGRAM-VARIANT`.
//!
//! `tests/userspace/TESTS` says which tests exist, in which variants, and how
//! they must end; [`tests`] expands it into one runner test per variant.
//! Outputs are rebuilt only when stale: when an input is newer, or the
//! command that makes them changed (kept in `OUT.cmd` beside each output).

use crate::cc::{self, Arch};
use crate::initramfs::Member;
use crate::{paths, util};
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Guest paths.
pub const RUNNER: &str = "/sbin/forkline-test";
pub const BIN_DIR: &str = "/usr/libexec/forkline-tests";
pub const LIST: &str = "/etc/forkline-tests/LIST";
pub const DATA_DIR: &str = "/etc/forkline-tests/data";

/// The groups: each is a directory of test programs and a multi-call binary.
pub const GROUPS: [&str; 2] = ["issue3", "issue5"];

/// Stand-alone programs (name, source relative to the workspace root).
const STANDALONE: [(&str, &str); 1] = [("seed", "examples/c/fork.c")];

/// Where the sources are.
pub fn source_dir() -> PathBuf {
    paths::root().join("tests/userspace")
}

/// The guest's view of our files on the host: `root().join(guest path)`.
pub fn root() -> PathBuf {
    paths::out().join("userspace/root")
}

/// Intermediate objects and generated sources.
fn obj_dir() -> PathBuf {
    paths::out().join("userspace/obj")
}

/// How a program is compiled and linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variant {
    /// `gcc -static`
    Glibc64,
    /// `gcc -m32 -static`
    Glibc32,
    /// `musl-gcc -static`
    Musl64,
    /// `gcc -static-pie` (ET_DYN at a random base)
    Pie64,
    /// `gcc -m32 -static-pie`
    Pie32,
    /// `cargo xtask cc` (libc-rs), x86_64; stand-alone programs only
    Libcrs64,
    /// `cargo xtask cc --arch i386`; stand-alone programs only
    Libcrs32,
}

impl Variant {
    pub const ALL: [Variant; 7] = [
        Variant::Glibc64,
        Variant::Glibc32,
        Variant::Musl64,
        Variant::Pie64,
        Variant::Pie32,
        Variant::Libcrs64,
        Variant::Libcrs32,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Glibc64 => "glibc64",
            Variant::Glibc32 => "glibc32",
            Variant::Musl64 => "musl64",
            Variant::Pie64 => "pie64",
            Variant::Pie32 => "pie32",
            Variant::Libcrs64 => "libcrs64",
            Variant::Libcrs32 => "libcrs32",
        }
    }

    /// The runner's ARCH tag.
    pub fn arch(self) -> &'static str {
        match self {
            Variant::Glibc32 | Variant::Pie32 | Variant::Libcrs32 => "i386",
            _ => "x86_64",
        }
    }

    fn is_libcrs(self) -> bool {
        matches!(self, Variant::Libcrs64 | Variant::Libcrs32)
    }

    /// Objects are shared by variants that compile alike (PIE or not only
    /// matters at link time: Debian's gcc compiles PIE code by default).
    fn toolchain(self) -> &'static str {
        match self {
            Variant::Glibc64 | Variant::Pie64 => "gcc64",
            Variant::Glibc32 | Variant::Pie32 => "gcc32",
            Variant::Musl64 => "musl64",
            Variant::Libcrs64 => "libcrs64",
            Variant::Libcrs32 => "libcrs32",
        }
    }

    /// The command that compiles (`-c`) or links `args` for this variant.
    fn command(self, link: bool, args: &[OsString]) -> Result<Vec<OsString>> {
        let flags: &[&str] = match self {
            Variant::Glibc64 => &["gcc", "-fPIE", "-static"],
            Variant::Glibc32 => &["gcc", "-m32", "-fPIE", "-static"],
            Variant::Musl64 => &["musl-gcc", "-static"],
            Variant::Pie64 => &["gcc", "-fPIE", "-static-pie"],
            Variant::Pie32 => &["gcc", "-m32", "-fPIE", "-static-pie"],
            Variant::Libcrs64 | Variant::Libcrs32 => {
                // cc::command puts libc.a after our arguments, as it must.
                let arch = if self == Variant::Libcrs64 {
                    Arch::X86_64
                } else {
                    Arch::I386
                };
                let mut a: Vec<String> = args
                    .iter()
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect();
                if !link {
                    a.insert(0, "-c".into());
                }
                let c = cc::command(arch, &a)?;
                return Ok(std::iter::once(c.get_program().to_owned())
                    .chain(c.get_args().map(|a| a.to_owned()))
                    .collect());
            }
        };
        let mut v: Vec<OsString> = flags.iter().map(OsString::from).collect();
        if !link {
            v.push("-c".into());
        }
        v.extend(args.iter().cloned());
        Ok(v)
    }
}

impl std::str::FromStr for Variant {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Variant> {
        Variant::ALL
            .into_iter()
            .find(|v| v.name() == s)
            .with_context(|| format!("unknown variant {s:?}"))
    }
}

/// One runner test: one line of the LIST.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    /// `GROUP.TEST.VARIANT`
    pub name: String,
    pub group: String,
    pub variant: Variant,
    /// `x86_64`, `i386` or `mixed`
    pub arch: String,
    /// `exit=N` or `signal=NAME`
    pub expect: String,
    /// The runner's options (`timeout=N`, `sort`, `nodiff`).
    pub options: Vec<String>,
    /// The program: a C file of the group, or (`standalone`) a program
    /// built on its own.
    pub program: String,
    pub standalone: bool,
    /// Guest path and arguments.
    pub argv: Vec<String>,
}

impl Test {
    pub fn has_option(&self, o: &str) -> bool {
        self.options.iter().any(|x| x == o)
    }

    fn list_line(&self) -> String {
        let opts = if self.options.is_empty() {
            "-".to_string()
        } else {
            self.options.join(",")
        };
        let argv: Vec<String> = self
            .argv
            .iter()
            .map(|a| {
                if a.contains([' ', '\t']) {
                    format!("'{a}'")
                } else {
                    a.clone()
                }
            })
            .collect();
        format!(
            "{} {} {} {} {}",
            self.name,
            self.arch,
            self.expect,
            opts,
            argv.join(" ")
        )
    }
}

/// Variant words in TESTS: names, or `std` (glibc64,glibc32,musl64) and
/// `pie` (pie64,pie32).
fn parse_variants(s: &str) -> Result<Vec<Variant>> {
    let mut v = Vec::new();
    for w in s.split(',') {
        match w {
            "std" => v.extend([Variant::Glibc64, Variant::Glibc32, Variant::Musl64]),
            "pie" => v.extend([Variant::Pie64, Variant::Pie32]),
            w => v.push(w.parse()?),
        }
    }
    Ok(v)
}

/// Expand TESTS text (format in its header) into runner tests.
pub fn expand(text: &str) -> Result<Vec<Test>> {
    let mut tests = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let ctx = || format!("tests/userspace/TESTS:{}", i + 1);
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.len() < 6 {
            bail!(
                "{}: want GROUP TEST VARIANTS EXPECT OPTIONS PROGRAM [ARG...]",
                ctx()
            );
        }
        let (group, test) = (w[0], w[1]);
        if !GROUPS.contains(&group) {
            bail!("{}: unknown group {group:?}", ctx());
        }
        let mut options = Vec::new();
        let mut mixed = false;
        for o in w[4].split(',').filter(|o| *o != "-") {
            match o {
                "mixed" => mixed = true,
                "sort" | "nodiff" => options.push(o.to_string()),
                o if o
                    .strip_prefix("timeout=")
                    .is_some_and(|n| n.parse::<u32>().is_ok()) =>
                {
                    options.push(o.to_string())
                }
                o => bail!("{}: unknown option {o:?}", ctx()),
            }
        }
        if !(w[3].starts_with("exit=") || w[3].starts_with("signal=")) {
            bail!("{}: EXPECT must be exit=N or signal=NAME", ctx());
        }
        let standalone = w[5].starts_with('@');
        let program = w[5].trim_start_matches('@').to_string();
        for variant in parse_variants(w[2]).with_context(ctx)? {
            let mut argv = match w[5].strip_prefix('@') {
                Some(prog) => {
                    if !STANDALONE.iter().any(|(n, _)| *n == prog) {
                        bail!("{}: no stand-alone program {prog:?}", ctx());
                    }
                    vec![format!("{BIN_DIR}/{prog}-{}", variant.name())]
                }
                None => {
                    if variant.is_libcrs() {
                        bail!(
                            "{}: libc-rs variants exist for stand-alone programs only",
                            ctx()
                        );
                    }
                    vec![
                        format!("{BIN_DIR}/{group}-{}", variant.name()),
                        w[5].to_string(),
                    ]
                }
            };
            argv.extend(w[6..].iter().map(|s| s.to_string()));
            let name = format!("{group}.{test}.{}", variant.name());
            if !seen.insert(name.clone()) {
                bail!("{}: duplicate test {name}", ctx());
            }
            tests.push(Test {
                name,
                group: group.to_string(),
                variant,
                arch: if mixed {
                    "mixed".into()
                } else {
                    variant.arch().into()
                },
                expect: w[3].to_string(),
                options: options.clone(),
                program: program.clone(),
                standalone,
                argv,
            });
        }
    }
    Ok(tests)
}

/// The tests of `tests/userspace/TESTS`.
pub fn tests() -> Result<Vec<Test>> {
    let path = source_dir().join("TESTS");
    expand(&std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?)
}

/// The runner's list for these tests.
pub fn list_text(tests: &[Test]) -> String {
    let mut s = String::from(
        "# Generated by `cargo xtask build` from tests/userspace/TESTS; the format\n\
         # is described at the top of tests/userspace/runner/forkline-test.c.\n",
    );
    for t in tests {
        s.push_str(&t.list_line());
        s.push('\n');
    }
    s
}

/// One command that makes `out` from `inputs`.
struct Job {
    out: PathBuf,
    argv: Vec<OsString>,
    inputs: Vec<PathBuf>,
}

impl Job {
    /// Where the command that made `out` is kept (outside the root, which
    /// mirrors the guest).
    fn stamp(&self) -> PathBuf {
        let base = paths::out().join("userspace");
        let rel = self.out.strip_prefix(&base).unwrap_or(&self.out);
        let mut s = obj_dir()
            .join("stamps")
            .join(rel.strip_prefix("/").unwrap_or(rel))
            .into_os_string();
        s.push(".cmd");
        PathBuf::from(s)
    }

    fn rendered(&self) -> String {
        let mut c = Command::new(&self.argv[0]);
        c.args(&self.argv[1..]);
        util::render(&c)
    }

    /// Up to date: output newer than every input, made by this command.
    fn fresh(&self) -> bool {
        let Ok(out) = std::fs::metadata(&self.out).and_then(|m| m.modified()) else {
            return false;
        };
        std::fs::read_to_string(self.stamp()).is_ok_and(|s| s == self.rendered())
            && self.inputs.iter().all(|i| {
                std::fs::metadata(i)
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t <= out)
            })
    }

    fn run(&self) -> Result<()> {
        if let Some(d) = self.out.parent() {
            std::fs::create_dir_all(d)?;
        }
        let mut c = Command::new(&self.argv[0]);
        c.args(&self.argv[1..]);
        util::output(&mut c)?;
        let stamp = self.stamp();
        std::fs::create_dir_all(stamp.parent().unwrap())?;
        std::fs::write(stamp, self.rendered())?;
        Ok(())
    }
}

/// Run the stale jobs, on every CPU; all errors are reported together.
fn run_jobs(jobs: Vec<Job>) -> Result<()> {
    let stale: Vec<Job> = jobs.into_iter().filter(|j| !j.fresh()).collect();
    let queue = std::sync::Mutex::new(stale);
    let errors = std::sync::Mutex::new(Vec::new());
    let n = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..n {
            s.spawn(|| {
                loop {
                    let Some(job) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    if let Err(e) = job.run() {
                        errors.lock().unwrap().push(format!("{e:#}"));
                    }
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap();
    if !errors.is_empty() {
        bail!(
            "building the user-space tests failed:\n{}",
            errors.join("\n")
        );
    }
    Ok(())
}

/// Directories whose programs join a group's binary besides the group's
/// own: `tests/userspace/fs` holds the issue-3 tests of the file API and
/// procfs, kept apart from the foundation's.
const EXTRA_SOURCE_DIRS: [(&str, &str); 1] = [("issue3", "fs")];

/// The `.c` files of a group, sorted, as (program name, path).
fn group_sources(group: &str) -> Result<Vec<(String, PathBuf)>> {
    let extra = EXTRA_SOURCE_DIRS
        .iter()
        .filter(|(g, _)| *g == group)
        .map(|(_, d)| *d);
    let mut v: Vec<(String, PathBuf)> = Vec::new();
    for d in std::iter::once(group).chain(extra) {
        let dir = source_dir().join(d);
        for p in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let p = p?.path();
            if p.extension().is_some_and(|x| x == "c") {
                v.push((p.file_stem().unwrap().to_string_lossy().into_owned(), p));
            }
        }
    }
    v.sort();
    if let Some(w) = v.windows(2).find(|w| w[0].0 == w[1].0) {
        bail!(
            "two programs named {:?} in group {group}: {} and {}",
            w[0].0,
            w[0].1.display(),
            w[1].1.display()
        );
    }
    Ok(v)
}

/// The shared headers every program depends on.
fn headers() -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(source_dir().join("lib"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "h"))
        .collect();
    v.sort();
    Ok(v)
}

/// C identifier for a program name (`fork-values` → `fork_values`).
fn ident(name: &str) -> String {
    name.replace(['-', '.'], "_")
}

/// The entry point of a group's multi-call binary: `main` runs the program
/// named by argv[1] with the remaining arguments.
fn dispatcher_source(group: &str, programs: &[String]) -> String {
    let mut s = format!(
        "/* Generated by xtask/src/build/programs.rs: the entry point of the {group}\n\
         \x20* multi-call binary. `{group}-VARIANT PROGRAM [ARG...]` runs PROGRAM's main\n\
         \x20* with argv = {{PROGRAM, ARG...}}; without PROGRAM it lists them. t_self\n\
         \x20* (see lib/t.h) is the path this binary was executed as. */\n\
         #include <stdio.h>\n#include <string.h>\n\nconst char *t_self;\n\n"
    );
    for p in programs {
        s.push_str(&format!("int fl_main_{}(int, char **);\n", ident(p)));
    }
    s.push_str(
        "\nstatic const struct { const char *name; int (*main)(int, char **); } programs[] = {\n",
    );
    for p in programs {
        s.push_str(&format!("\t{{\"{p}\", fl_main_{}}},\n", ident(p)));
    }
    s.push_str(
        "};\n\nint main(int argc, char **argv)\n{\n\
         \tt_self = argv[0];\n\
         \tfor (unsigned i = 0; argc > 1 && i < sizeof programs / sizeof programs[0]; i++)\n\
         \t\tif (!strcmp(argv[1], programs[i].name))\n\
         \t\t\treturn programs[i].main(argc - 1, argv + 1);\n\
         \tfprintf(stderr, \"usage: %s PROGRAM [ARG...]; programs:\", argv[0]);\n\
         \tfor (unsigned i = 0; i < sizeof programs / sizeof programs[0]; i++)\n\
         \t\tfprintf(stderr, \" %s\", programs[i].name);\n\
         \tfprintf(stderr, \"\\n\");\n\treturn 127;\n}\n",
    );
    s
}

/// Write `data` to `path` unless it already holds exactly that (keeps
/// mtimes, and so freshness, stable).
fn write_if_changed(path: &Path, data: &[u8]) -> Result<()> {
    if std::fs::read(path).ok().as_deref() != Some(data) {
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(path, data).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Copy with permissions, unless identical.
fn copy_if_changed(from: &Path, to: &Path) -> Result<()> {
    let data = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    write_if_changed(to, &data)?;
    std::fs::set_permissions(to, std::fs::metadata(from)?.permissions())?;
    Ok(())
}

/// Write a generated data file with the given mode.
fn write_data(rel: &str, data: &[u8], mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let path = root().join(DATA_DIR.trim_start_matches('/')).join(rel);
    write_if_changed(&path, data)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

/// Byte `i` of data/pattern.bin; issue3/mmap.c computes the same.
fn pattern_byte(i: usize) -> u8 {
    (i.wrapping_mul(7) + (i >> 12) * 101 + 3) as u8
}

/// The data files: `tests/userspace/data/` as is, plus generated ones (a
/// 3-page-and-a-bit pattern file, and broken ELF files made from the runner).
fn data_files(runner: &Path) -> Result<()> {
    let src = source_dir().join("data");
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(&src).unwrap();
                copy_if_changed(&p, &root().join(DATA_DIR.trim_start_matches('/')).join(rel))?;
            }
        }
    }
    let pattern: Vec<u8> = (0..3 * 4096 + 100).map(pattern_byte).collect();
    write_data("pattern.bin", &pattern, 0o644)?;
    let elf = std::fs::read(runner)?;
    let mut wrong = elf.clone();
    wrong[18..20].copy_from_slice(&183u16.to_le_bytes()); // EM_AARCH64
    write_data("elf-wrong-machine", &wrong, 0o755)?;
    write_data("elf-truncated", &elf[..64], 0o755)?;
    Ok(())
}

/// Every file under the root as an initramfs member.
fn members_under(dir: &Path) -> Result<Vec<Member>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let guest = format!("/{}", p.strip_prefix(dir).unwrap().display());
                out.push(Member { guest, host: p });
            }
        }
    }
    out.sort_by(|a, b| a.guest.cmp(&b.guest));
    Ok(out)
}

/// The already-built files, for an initramfs (no building): fails with
/// advice when `cargo xtask build` has not run.
pub fn members() -> Result<Vec<Member>> {
    let list = root().join(LIST.trim_start_matches('/'));
    if !list.is_file() {
        bail!(
            "{} is missing: run `cargo xtask build` first",
            list.display()
        );
    }
    members_under(&root())
}

/// Build everything that is stale; returns the initramfs members.
pub fn build() -> Result<Vec<Member>> {
    let tests = tests()?;
    // (GROUP or STANDALONE program, variant) for every binary a test runs.
    let used: BTreeSet<(String, Variant)> = tests
        .iter()
        .map(|t| {
            (
                if t.standalone {
                    t.program.clone()
                } else {
                    t.group.clone()
                },
                t.variant,
            )
        })
        .collect();
    let headers = headers()?;
    let flags: Vec<OsString> = [
        "-std=gnu11",
        "-O2",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-pthread",
        "-I",
    ]
    .iter()
    .map(OsString::from)
    .chain([source_dir().join("lib").into_os_string()])
    .collect();
    let os = |p: &Path| p.as_os_str().to_owned();
    let with = |mut v: Vec<OsString>, more: &[OsString]| {
        v.extend(more.iter().cloned());
        v
    };
    let bin = root().join(BIN_DIR.trim_start_matches('/'));
    let runner = root().join(RUNNER.trim_start_matches('/'));
    let runner_c = source_dir().join("runner/forkline-test.c");
    let mut compile: Vec<Job> = Vec::new();
    let mut link = vec![Job {
        out: runner.clone(),
        argv: Variant::Glibc64.command(
            true,
            &with(flags.clone(), &[os(&runner_c), "-o".into(), os(&runner)]),
        )?,
        inputs: [vec![runner_c], headers.clone()].concat(),
    }];
    let mut outputs: BTreeSet<PathBuf> = BTreeSet::from([runner.clone()]);
    for (prog, variant) in &used {
        let out = bin.join(format!("{prog}-{}", variant.name()));
        outputs.insert(out.clone());
        if let Some((_, src)) = STANDALONE.iter().find(|(n, _)| n == prog) {
            // Not our code: built as its authors would, without -Werror.
            let src = paths::root().join(src);
            let argv = variant.command(true, &["-O2".into(), os(&src), "-o".into(), os(&out)])?;
            let mut inputs = vec![src];
            if variant.is_libcrs() {
                let arch = if *variant == Variant::Libcrs64 {
                    Arch::X86_64
                } else {
                    Arch::I386
                };
                inputs.push(cc::sysroot(arch).join("lib/libc.a"));
            }
            link.push(Job { out, argv, inputs });
            continue;
        }
        // A group's multi-call binary: one object per program, plus main.
        let objdir = obj_dir().join(format!("{prog}-{}", variant.toolchain()));
        let sources = group_sources(prog)?;
        let names: Vec<String> = sources.iter().map(|(n, _)| n.clone()).collect();
        if let Some(t) = tests
            .iter()
            .find(|t| t.group == *prog && !t.standalone && !names.contains(&t.program))
        {
            bail!(
                "{}: there is no tests/userspace/{prog}/{}.c",
                t.name,
                t.program
            );
        }
        let main_c = obj_dir().join(format!("{prog}-main.c"));
        write_if_changed(&main_c, dispatcher_source(prog, &names).as_bytes())?;
        let mut objs = Vec::new();
        for (name, src) in sources.into_iter().chain([("main".to_string(), main_c)]) {
            let obj = objdir.join(format!("{name}.o"));
            let mut args = flags.clone();
            if name != "main" {
                args.push(format!("-Dmain=fl_main_{}", ident(&name)).into());
            }
            args.extend([os(&src), "-o".into(), os(&obj)]);
            if !compile.iter().any(|j| j.out == obj) {
                let argv = variant.command(false, &args)?;
                compile.push(Job {
                    out: obj.clone(),
                    argv,
                    inputs: [vec![src], headers.clone()].concat(),
                });
            }
            objs.push(obj);
        }
        let mut args: Vec<OsString> = vec!["-pthread".into()];
        args.extend(objs.iter().map(|o| os(o)));
        args.extend(["-o".into(), os(&out)]);
        link.push(Job {
            out,
            argv: variant.command(true, &args)?,
            inputs: objs,
        });
    }
    run_jobs(compile)?;
    run_jobs(link)?;
    data_files(&runner)?;
    let list = root().join(LIST.trim_start_matches('/'));
    write_if_changed(&list, list_text(&tests).as_bytes())?;
    // Forget binaries no test uses any more (keeps the initramfs honest).
    for m in members_under(&bin)? {
        if !outputs.contains(&m.host) {
            std::fs::remove_file(&m.host)?;
        }
    }
    members()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_variants_standalone_and_options() {
        let t = expand(
            "# comment\n\
             issue3 hello std,pie64 exit=0 - hello\n\
             issue3 fault-null glibc32 signal=SIGSEGV timeout=5,sort fault null\n\
             issue5 seed libcrs32 exit=0 mixed @seed\n",
        )
        .unwrap();
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "issue3.hello.glibc64",
                "issue3.hello.glibc32",
                "issue3.hello.musl64",
                "issue3.hello.pie64",
                "issue3.fault-null.glibc32",
                "issue5.seed.libcrs32"
            ]
        );
        assert_eq!(
            t[4].list_line(),
            "issue3.fault-null.glibc32 i386 signal=SIGSEGV timeout=5,sort \
             /usr/libexec/forkline-tests/issue3-glibc32 fault null"
        );
        assert_eq!(t[5].arch, "mixed");
        assert_eq!(t[5].argv, ["/usr/libexec/forkline-tests/seed-libcrs32"]);
        assert!(t[4].has_option("sort"));
    }

    #[test]
    fn rejects_mistakes() {
        for bad in [
            "issue9 x std exit=0 - x",
            "issue3 x std exit=0 - x\nissue3 x glibc64 exit=0 - x",
            "issue3 x std exit=0 bogus x",
            "issue3 x glibc99 exit=0 - x",
            "issue3 x libcrs64 exit=0 - x",
            "issue3 x std status=0 - x",
            "issue3 x std exit=0 -",
        ] {
            assert!(expand(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dispatcher_names_every_program() {
        let s = dispatcher_source("issue3", &["hello".into(), "fork-values".into()]);
        assert!(s.contains("{\"fork-values\", fl_main_fork_values}"));
        assert!(s.contains("int fl_main_hello(int, char **);"));
    }
}
