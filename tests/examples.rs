//! The example programs (examples/, built by `cargo xtask build`), on Linux
//! and booted on Forkline:
//!
//! - fsh runs one script of checks (pipelines, redirections, exit statuses
//!   and $?, cd, a failing and a missing command, a segfault and an abort
//!   reported with the shell going on, quoting, expansions, globs, background
//!   jobs and wait, if/while/until/for/{ }) with the same output on Linux and
//!   as Forkline's init;
//! - the utilities agree with the host's coreutils where they overlap;
//! - auxv prints what glibc's LD_SHOW_AUXV prints: byte for byte in one
//!   process (auxv.c built with glibc and run with LD_SHOW_AUXV=1), and with
//!   the same labels, keys and order as a glibc program of the same
//!   architecture on the host; on Forkline the keys are design.md's;
//! - vdso lists the symbols and versions design.md names, and on i386 finds
//!   the entry sequence the kernel chose: sysenter on Intel, syscall on AMD,
//!   int $0x80 with vdso32=int80;
//! - forktrace sees the fork move the counter of the expected entry method;
//! - forkrs, the seed's program in Rust, forks through libc-rs's usual way in;
//! - the default boot (no init=, as `cargo xtask run`) runs the demo to the
//!   shell's prompt, where ^C, a segfault, jobs, a killed shell and `exit`
//!   behave; ^C skips the demo, `-- nodemo` too, and `poweroff` powers off.

use forkline_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;
use xtask::build::examples::{binary, members};
use xtask::cc::Arch;
use xtask::initramfs::Member;

/// The script of shell checks; its first argument is a scratch directory.
const FSH_CHECKS: &str = r#"# fsh checks: every command prints something whose text the test knows.
T=$1
cd $T || exit 99
echo "pipeline: $(seq 1 10 | grep 1 | wc -l)"
echo hello > out; echo world >> out; cat < out | wc -l
cat out
ls /nonexistent 2> err; echo "ls failed with $?"
cat err
ls /nonexistent 2>&1 > /dev/null | wc -l
echo via-stderr >&2
false; echo "false gives $?"
true && echo "and: yes"; false && echo "and: no"; false || echo "or: yes"; true || echo "or: no"
! false && echo "negation works"
cd /proc && pwd; cd $T
cd /nonexistent; echo "cd failed with $?"
no-such-command; echo "not found gives $?"
fault segv > /dev/null; echo "segv gives $?"
fault abort > /dev/null; echo "abort gives $?"
x=world; echo "hello $x" 'single $x' "escaped \$x" "nested 'q'"
y='a   b'; echo $y; echo "$y"
echo ${unset:-default} ${x:-unused}
set -- one 'two words' three; echo "$# [$2]"; echo "$@"
echo $(echo nested $(echo deep))
i=3; echo "arith: $((i * 2 + 1)) $(( (i + 1) % 3 ))"
sleep 1 & echo "started in background"; wait $!; echo "waited: $?"
seq 3 | wc -l & wait
mkdir -p g/sub; echo > g/a1; echo > g/a2; echo > g/b; cd g; echo a*; echo '*' "a*"; echo nomatch*; cd ..; rm -r g
export FOO=exported; env | grep FOO=; unset FOO; env | grep -c FOO=
BAR=once env | grep BAR=; echo "after: [$BAR]"
A=1 B=$A; echo "in order: $B"
[ -d /proc ] && echo "test -d ok"; test 3 -lt 5 && echo "test -lt ok"; [ abc = abd ] || echo "test = ok"
echo a | cat | cat | cat
echo piped-exec | exec cat
for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo "for $i"; done
n=0; while [ $n -lt 5 ]; do n=$((n + 1)); [ $n = 3 ] && break; done; echo "while stopped at $n"
until true; do echo never; done; { echo grouped; echo lines; } | wc -l
if false; then echo no; elif [ -d / ]; then echo elif; else echo no; fi
for f in; do echo none; done; set -e; if false; then :; fi; set +e
echo "exit status next"
exit 7
"#;

/// What FSH_CHECKS prints (stdout and stderr together); it exits with 7.
const FSH_EXPECTED: &str = "pipeline:       2
      2
hello
world
ls failed with 2
ls: /nonexistent: No such file or directory
      1
via-stderr
false gives 1
and: yes
or: yes
negation works
/proc
fsh: cd: /nonexistent: No such file or directory
cd failed with 1
fsh: no-such-command: command not found
not found gives 127
Killed by signal 11 (SIGSEGV: Segmentation fault)
segv gives 139
Killed by signal 6 (SIGABRT: Aborted)
abort gives 134
hello world single $x escaped $x nested 'q'
a b
a   b
default world
3 [two words]
one two words three
nested deep
arith: 7 1
started in background
waited: 0
      3
a1 a2
* a*
nomatch*
FOO=exported
0
BAR=once
after: []
in order: 1
test -d ok
test -lt ok
test = ok
a
piped-exec
for 1
for 3
while stopped at 3
      2
elif
exit status next
";

/// A scratch directory for one host test.
fn scratch(name: &str) -> PathBuf {
    let d = xtask::paths::out()
        .join("tests/examples")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run a built example on the host with our programs first on PATH;
/// returns (stdout and stderr interleaved as written, exit code).
fn run_host(program: &Path, args: &[&str], dir: &Path) -> (String, Option<i32>) {
    let log = dir.join("output");
    let f = std::fs::File::create(&log).unwrap();
    let status = Command::new(program)
        .args(args)
        .env_clear()
        .env("PATH", binary(Arch::X86_64, "fsh").parent().unwrap())
        .env("HOME", "/")
        .stdin(Stdio::null())
        .stdout(f.try_clone().unwrap())
        .stderr(f)
        .status()
        .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask build`)", program.display()));
    (std::fs::read_to_string(&log).unwrap(), status.code())
}

/// The serial lines that are not the kernel's (its log, banner, power-off).
fn program_lines(b: &Boot) -> Vec<&str> {
    b.serial
        .lines()
        .filter(|l| {
            let kernel_log = l.starts_with('[') && l.find("] ").is_some_and(|i| i < 16);
            !kernel_log && !l.starts_with("Forkline version ") && *l != "reboot: Power down"
        })
        .collect()
}

/// The examples' initramfs plus `extra` files, for booting.
fn image(name: &str, extra: &[Member]) -> PathBuf {
    let mut m = members().expect("the examples (run `cargo xtask build`)");
    m.extend_from_slice(extra);
    initramfs(name, &m)
}

/// The plain examples image, written once per test run.
fn examples_image() -> PathBuf {
    static IMAGE: OnceLock<PathBuf> = OnceLock::new();
    IMAGE.get_or_init(|| image("examples", &[])).clone()
}

/// Boot with `init` (and its arguments) on `cpu`, after `append`.
fn boot_init(init: &str, args: &[&str], cpu: &str, append: &str) -> Boot {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut q = qemu_init(examples_image(), init, &args, append);
    q.cpu = cpu.into();
    boot(&q, Duration::from_secs(300))
}

#[test]
fn fsh_checks_on_linux() {
    let dir = scratch("fsh");
    let script = dir.join("checks.sh");
    std::fs::write(&script, FSH_CHECKS).unwrap();
    let work = dir.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let fsh = binary(Arch::X86_64, "fsh");
    let (out, code) = run_host(
        &fsh,
        &[script.to_str().unwrap(), work.to_str().unwrap()],
        &dir,
    );
    assert_eq!(out, FSH_EXPECTED, "fsh on Linux printed:\n{out}");
    assert_eq!(code, Some(7));
}

#[test]
fn fsh_checks_on_forkline() {
    let script = xtask::paths::out().join("tests/fsh-checks.sh");
    std::fs::create_dir_all(script.parent().unwrap()).unwrap();
    std::fs::write(&script, FSH_CHECKS).unwrap();
    let img = image(
        "examples-fsh",
        &[Member {
            guest: "/etc/fsh-checks.sh".into(),
            host: script,
        }],
    );
    let q = qemu_init(
        img,
        "/bin/fsh",
        &["/etc/fsh-checks.sh".into(), "/tmp".into()],
        "",
    );
    let b = boot(&q, Duration::from_secs(300));
    b.expect_line("init: exited with status 7")
        .expect_exit(EXIT_POWER_OFF);
    let got = program_lines(&b).join("\n") + "\n";
    if got != FSH_EXPECTED {
        b.fail(&format!(
            "fsh on Forkline printed something else; expected:\n{FSH_EXPECTED}"
        ));
    }
}

/// The host's output of a command, as text.
fn host_output(cmd: &mut Command) -> String {
    let out = cmd.output().expect("running a host program");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn utilities_agree_with_coreutils_on_linux() {
    let dir = scratch("utils");
    let text = "one two\nthree\n\nfour five six\n";
    let file = dir.join("text");
    std::fs::write(&file, text).unwrap();
    let f = file.to_str().unwrap();
    let ours = |name: &str, args: &[&str]| run_host(&binary(Arch::X86_64, name), args, &dir).0;
    // counts, as GNU wc prints them for one file (its widths differ: compare numbers)
    let numbers = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
            .map(String::from)
            .collect()
    };
    for opt in ["-l", "-w", "-c"] {
        assert_eq!(
            numbers(&ours("wc", &[opt, f])),
            numbers(&host_output(Command::new("wc").args([opt, f]))),
            "wc {opt}"
        );
    }
    for opt in ["-s", "-r", "-m", "-n"] {
        assert_eq!(
            ours("uname", &[opt]),
            host_output(Command::new("uname").arg(opt)),
            "uname {opt}"
        );
    }
    assert_eq!(ours("cat", &[f]), text);
    assert_eq!(
        ours("cat", &["-n", f]),
        host_output(Command::new("cat").args(["-n", f]))
    );
    assert_eq!(ours("head", &["-n", "2", f]), "one two\nthree\n");
    assert_eq!(ours("grep", &["-n", "t", f]), "1:one two\n2:three\n");
    assert_eq!(ours("grep", &["-c", "-v", "o", f]), "2\n");
    assert_eq!(ours("seq", &["2", "3", "9"]), "2\n5\n8\n");
    assert_eq!(ours("echo", &["-e", "a\\tb\\c", "gone"]), "a\tb");
    assert_eq!(ours("kill", &["-l", "139"]), "SEGV\n");
    // ls -l: the mode, link count and size columns as GNU ls shows them
    let ls_ours = ours("ls", &["-l", f]);
    let ls_gnu = host_output(Command::new("ls").args(["-l", f]));
    let cols = |s: &str, n: usize| -> Vec<String> {
        s.split_whitespace().take(n).map(String::from).collect()
    };
    assert_eq!(
        cols(&ls_ours, 2),
        cols(&ls_gnu, 2),
        "ls -l: {ls_ours} vs {ls_gnu}"
    );
    assert!(
        ls_ours.contains(&format!(" {} ", text.len())),
        "ls -l size: {ls_ours}"
    );
    // ps lists itself, with its parent, as a 64-bit program
    let ps = ours("ps", &[]);
    assert!(
        ps.lines().any(|l| l.ends_with(" ps") || l.contains("/ps")),
        "ps does not list itself:\n{ps}"
    );
    // mkdir -p and rm -r
    let deep = dir.join("a/b/c");
    ours("mkdir", &["-p", deep.to_str().unwrap()]);
    assert!(deep.is_dir());
    ours("rm", &["-r", dir.join("a").to_str().unwrap()]);
    assert!(!dir.join("a").exists());
}

/// Build a C file with the host's gcc and glibc (dynamically linked).
fn host_gcc(arch: Arch, src: &Path, exe: &Path) {
    let ok = Command::new("gcc")
        .args([arch.gcc_flag(), "-O2"])
        .arg(src)
        .arg("-o")
        .arg(exe)
        .status()
        .expect("gcc")
        .success();
    assert!(ok, "gcc cannot build {} for {}", src.display(), arch.name());
}

/// LD_SHOW_AUXV=1 of a dynamically linked glibc program for `arch`, built
/// here with the host's gcc (static glibc programs do not honour it).
fn glibc_show_auxv(arch: Arch) -> String {
    let dir = scratch(&format!("auxv-{}", arch.name()));
    let src = dir.join("main.c");
    std::fs::write(&src, "int main(void) { return 0; }\n").unwrap();
    let exe = dir.join("main");
    host_gcc(arch, &src, &exe);
    host_output(Command::new(&exe).env("LD_SHOW_AUXV", "1"))
}

/// A line split into its label ("AT_PHDR:              0x") and value.
fn label(line: &str) -> (&str, &str) {
    if line.starts_with("AT_??? ") {
        let i = line.find("): 0x").map_or(line.len(), |i| i + 5);
        return line.split_at(i);
    }
    let colon = line.find(':').map_or(line.len(), |i| i + 1);
    let rest = &line[colon..];
    let mut v = colon + (rest.len() - rest.trim_start().len());
    if line[v..].starts_with("0x") {
        v += 2;
    }
    line.split_at(v)
}

#[test]
fn auxv_built_with_glibc_prints_what_ld_show_auxv_prints() {
    // One process, two dumps of one vector: glibc's own (LD_SHOW_AUXV=1,
    // written before main) and then auxv's. They must be the same bytes.
    for arch in Arch::ALL {
        let dir = scratch(&format!("auxv-glibc-{}", arch.name()));
        let exe = dir.join("auxv");
        let src = xtask::paths::root().join("examples/c/auxv.c");
        host_gcc(arch, &src, &exe);
        let out = host_output(Command::new(&exe).env("LD_SHOW_AUXV", "1"));
        let lines: Vec<&str> = out.lines().collect();
        let (glibc, ours) = lines.split_at(lines.len() / 2);
        assert!(!glibc.is_empty());
        assert_eq!(glibc, ours, "{}: glibc's dump, then auxv's", arch.name());
    }
}

/// Keys whose values are the same for any program on one machine.
const SAME_VALUE: [&str; 12] = [
    "AT_MINSIGSTKSZ",
    "AT_HWCAP",
    "AT_PAGESZ",
    "AT_CLKTCK",
    "AT_PHENT",
    "AT_FLAGS",
    "AT_UID",
    "AT_EUID",
    "AT_GID",
    "AT_EGID",
    "AT_SECURE",
    "AT_PLATFORM",
];

#[test]
fn auxv_matches_ld_show_auxv_on_linux() {
    for arch in Arch::ALL {
        let dir = scratch("auxv-run");
        let (ours, code) = run_host(&binary(arch, "auxv"), &[], &dir);
        assert_eq!(code, Some(0));
        let glibc = glibc_show_auxv(arch);
        let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), glibc.lines().collect());
        let labels =
            |v: &[&str]| -> Vec<String> { v.iter().map(|l| label(l).0.to_string()).collect() };
        assert_eq!(
            labels(&a),
            labels(&b),
            "{} labels\nours:\n{ours}\nglibc:\n{glibc}",
            arch.name()
        );
        for (x, y) in a.iter().zip(&b) {
            let key = x.split(':').next().unwrap();
            if SAME_VALUE.contains(&key) {
                assert_eq!(x, y, "{} {key}", arch.name());
            }
        }
    }
}

/// design.md decision 4: the keys Forkline passes, in order.
const FORKLINE_KEYS: [&str; 20] = [
    "AT_SYSINFO_EHDR",
    "AT_MINSIGSTKSZ",
    "AT_HWCAP",
    "AT_PAGESZ",
    "AT_CLKTCK",
    "AT_PHDR",
    "AT_PHENT",
    "AT_PHNUM",
    "AT_BASE",
    "AT_FLAGS",
    "AT_ENTRY",
    "AT_UID",
    "AT_EUID",
    "AT_GID",
    "AT_EGID",
    "AT_SECURE",
    "AT_RANDOM",
    "AT_HWCAP2",
    "AT_EXECFN",
    "AT_PLATFORM",
];

#[test]
fn auxv_on_forkline() {
    for arch in Arch::ALL {
        let (init, platform) = match arch {
            Arch::I386 => ("/bin/auxv32", "i686"),
            Arch::X86_64 => ("/bin/auxv", "x86_64"),
        };
        let b = boot_init(init, &[], "max", "");
        b.expect_line("init: exited with status 0");
        let lines: Vec<&str> = program_lines(&b)
            .into_iter()
            .filter(|l| l.starts_with("AT_"))
            .collect();
        let keys: Vec<&str> = lines.iter().map(|l| l.split(':').next().unwrap()).collect();
        let mut want: Vec<&str> = FORKLINE_KEYS.to_vec();
        if arch == Arch::I386 {
            want.insert(0, "AT_SYSINFO");
        }
        if keys != want {
            b.fail(&format!("{} keys {keys:?}, want {want:?}", arch.name()));
        }
        // the labels are glibc's, as the host's LD_SHOW_AUXV prints them
        let glibc = glibc_show_auxv(arch);
        for l in &lines {
            let key = l.split(':').next().unwrap();
            let theirs = glibc.lines().find(|g| g.split(':').next() == Some(key));
            if let Some(g) = theirs
                && label(l).0 != label(g).0
            {
                b.fail(&format!(
                    "{key}: label {:?}, glibc's {:?}",
                    label(l).0,
                    label(g).0
                ));
            }
        }
        b.expect_line(&format!("AT_PLATFORM:          {platform}"))
            .expect_line(&format!("AT_EXECFN:            {init}"));
    }
}

/// Symbol lines: "name@@VERSION" present as a FUNC.
fn expect_symbols(b: &Boot, names: &[&str], version: &str) {
    for n in names {
        let want = format!(" {n}@@{version}");
        if !b
            .serial
            .lines()
            .any(|l| l.contains(" FUNC ") && l.ends_with(&want))
        {
            b.fail(&format!("no FUNC symbol {n}@@{version}"));
        }
    }
}

const LINUX_2_6_32: [&str; 6] = [
    "__vdso_clock_gettime",
    "__vdso_clock_gettime64",
    "__vdso_gettimeofday",
    "__vdso_time",
    "__vdso_clock_getres",
    "__vdso_getcpu",
];
const LINUX_2_6_64: [&str; 10] = [
    "__vdso_clock_gettime",
    "__vdso_gettimeofday",
    "__vdso_time",
    "__vdso_clock_getres",
    "__vdso_getcpu",
    "clock_gettime",
    "gettimeofday",
    "time",
    "clock_getres",
    "getcpu",
];

#[test]
fn vdso_on_forkline() {
    let b = boot_init("/bin/vdso", &[], "max", "");
    b.expect_line("vDSO linux-vdso.so.1 at 0x")
        .expect_line("DT_HASH and DT_GNU_HASH")
        .expect_line("  2 LINUX_2.6");
    expect_symbols(&b, &LINUX_2_6_64, "LINUX_2.6");
    // (CPU model, kernel command line, the entry __kernel_vsyscall holds)
    for (cpu, append, entry) in [
        ("Skylake-Client", "", "sysenter"),
        ("EPYC", "", "syscall"),
        ("max", "vdso32=int80", "int $0x80"),
    ] {
        let b = boot_init("/bin/vdso32", &[], cpu, append);
        b.expect_line("vDSO linux-gate.so.1 at 0x")
            .expect_line("  1 linux-gate.so.1 (BASE)")
            .expect_line(", where AT_SYSINFO points:")
            .expect_line(&format!("Enters the kernel with: {entry}"));
        expect_symbols(
            &b,
            &[
                "__kernel_vsyscall",
                "__kernel_sigreturn",
                "__kernel_rt_sigreturn",
            ],
            "LINUX_2.5",
        );
        expect_symbols(&b, &LINUX_2_6_32, "LINUX_2.6");
        let method = if entry == "int $0x80" { "int80" } else { entry };
        b.expect_line(&format!(
            "The kernel's choice (/proc/forkline/vdso32): {method}"
        ));
    }
}

#[test]
fn vdso_on_linux() {
    let dir = scratch("vdso");
    let (out64, _) = run_host(&binary(Arch::X86_64, "vdso"), &[], &dir);
    assert!(out64.contains("__vdso_clock_gettime@@LINUX_2.6"), "{out64}");
    let (out32, _) = run_host(&binary(Arch::I386, "vdso"), &[], &dir);
    assert!(out32.contains("__kernel_vsyscall@@LINUX_2.5"), "{out32}");
    assert!(out32.contains("Enters the kernel with: "), "{out32}");
}

#[test]
fn forktrace_on_forkline() {
    for (init, cpu, method) in [
        ("/bin/forktrace", "max", "syscall64"),
        ("/bin/forktrace32", "Skylake-Client", "sysenter"),
        ("/bin/forktrace32", "EPYC", "syscall32"),
    ] {
        let b = boot_init(init, &[], cpu, "");
        b.expect_line("init: exited with status 0")
            .expect_line("3. parent: fork() returned ")
            .expect_line("4. child:  fork() returned 0.")
            .expect_line("exited with status 0. Two processes, one fork.");
        let moved: Vec<&str> = b
            .serial
            .lines()
            .filter(|l| l.contains("   <- entry_"))
            .collect();
        if moved.len() != 1 || !moved[0].trim_start().starts_with(method) {
            b.fail(&format!(
                "{init} on {cpu}: expected only {method} to move, got {moved:?}"
            ));
        }
    }
}

#[test]
fn forkrs_on_forkline() {
    for (init, form) in [
        ("/bin/forkrs", "with syscall"),
        ("/bin/forkrs32", "with call *%gs:16 (__kernel_vsyscall)"),
    ] {
        let b = boot_init(init, &[], "max", "");
        b.expect_line("init: exited with status 0")
            .expect_line("parent")
            .expect_line("child")
            .expect_line("ended with wait status 0x0")
            .expect_line(form);
    }
}

/// What the default boot shows before the shell's first prompt.
const DEMO_MARKS: [&str; 6] = [
    "== 1. One fork, step by step",
    "5. parent: child ",
    "AT_SYSINFO:           0x",
    "Enters the kernel with: ",
    "$ cat /proc/forkline/entries",
    "== Your turn ==",
];

#[test]
fn default_boot_demo_then_shell() {
    // No init=: the kernel starts /sbin/init, which runs /etc/rc, then fsh.
    let mut q = qemu("");
    q.initrd = Some(examples_image());
    let prompt = "fsh:/# ";
    let b = boot_typing(
        &q,
        Duration::from_secs(300),
        &[
            ("== Your turn ==", ""),
            (prompt, "fsh -c 'echo started; exec sleep 30'\n"),
            ("\r\nstarted\r\n", "\x03"),
            (prompt, "echo status $?\n"),
            (prompt, "fault segv; echo after $?\n"),
            (prompt, "sleep 30 &\n"),
            (prompt, "kill %1; wait %1; echo term $?\n"),
            (prompt, "sleep 1 & jobs\n"),
            (prompt, "wait; ps > /tmp/ps; grep -c /bin/fsh$ /tmp/ps\n"),
            (prompt, "kill -9 $$\n"),
            ("starting a new one", ""),
            (prompt, "exit\n"),
        ],
    );
    for m in DEMO_MARKS {
        b.expect_line(m);
    }
    b.expect_line("status 130")
        .expect_line("Killed by signal 11 (SIGSEGV: Segmentation fault)")
        .expect_line("after 139")
        .expect_line("term 143")
        .expect_line("Running                 sleep 1")
        .expect_line("init: the shell was killed by signal 9 (Killed); starting a new one")
        .expect_line("init: the shell exited with status 0")
        .expect_line("init: powering off")
        .expect_line("reboot: Power down")
        .expect_no_line("init: exited with status 0")
        .expect_exit(EXIT_POWER_OFF);
    // one shell: the demo's has gone (ps writes to a file so that no
    // forked, not yet exec'd copy of the shell is running beside it)
    if !b.serial.lines().any(|l| l == "1") {
        b.fail("ps did not list exactly one /bin/fsh");
    }
}

#[test]
fn cargo_xtask_run_default_boot() {
    // The command itself, as a user types it, with the console on a pipe:
    // it builds (nothing, after `cargo xtask build`), boots, shows the demo
    // and the shell, and ends with status 0 when `exit` powers off.
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    cmd.current_dir(xtask::paths::root()).args(["xtask", "run"]);
    let b = run_typing(cmd, Duration::from_secs(900), &[("fsh:/# ", "exit\n")]);
    for m in DEMO_MARKS {
        b.expect_line(m);
    }
    // init powers off with reboot(RB_POWER_OFF) rather than by exiting.
    b.expect_line("reboot: Power down")
        .expect_no_line("init: exited with status 0")
        .expect_exit(0);
}

#[test]
fn ctrl_c_skips_the_demo() {
    let rc = xtask::paths::out().join("tests/slow-rc");
    std::fs::create_dir_all(rc.parent().unwrap()).unwrap();
    std::fs::write(&rc, "echo demo-start\nsleep 30\necho not-skipped\n").unwrap();
    let mut q = qemu("");
    q.initrd = Some(image(
        "examples-slow-rc",
        &[Member {
            guest: "/etc/rc".into(),
            host: rc,
        }],
    ));
    let b = boot_typing(
        &q,
        Duration::from_secs(300),
        &[("demo-start\r\n", "\x03"), ("fsh:/# ", "exit\n")],
    );
    b.expect_line("init: demo interrupted")
        .expect_no_line("not-skipped")
        .expect_line("init: the shell exited with status 0")
        .expect_exit(EXIT_POWER_OFF);
}

#[test]
fn nodemo_skips_the_demo_and_poweroff_powers_off() {
    let mut q = qemu("-- nodemo");
    q.initrd = Some(examples_image());
    let b = boot_typing(
        &q,
        Duration::from_secs(300),
        &[("fsh:/# ", "sleep 100 &\n"), ("fsh:/# ", "poweroff\n")],
    );
    b.expect_no_line("== 1. One fork")
        .expect_line("init: stopping all processes")
        .expect_line("init: powering off")
        .expect_exit(EXIT_POWER_OFF);
}
