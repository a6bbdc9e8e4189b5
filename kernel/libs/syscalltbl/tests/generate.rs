//! The generated Rust: its text, and that it compiles and works when a tiny
//! crate with dummy handlers includes it (built with rustc at test time).

use std::path::{Path, PathBuf};
use std::process::Command;

use syscalltbl::{Abi, ErrorKind, generate};

const TBL_64: &str = include_str!("../../../src/syscall/syscall_64.tbl");
const TBL_32: &str = include_str!("../../../src/syscall/syscall_32.tbl");

// A 64-bit table with handlers, a hole and a noreturn line.
const SAMPLE_64: &str = "\
# sample
0\tcommon\tread\t\t\tsys_read
1\tcommon\twrite\t\t\tsys_write
57\tcommon\tfork
60\tcommon\texit\t\t\tsys_exit\t\t\t-\t\t\tnoreturn
";

// An i386 table where one line has a compat handler.
const SAMPLE_32: &str = "\
1\ti386\texit\t\t\tsys_exit\t\t\t-\t\t\tnoreturn
3\ti386\tread\t\t\tsys_read
5\ti386\topen\t\t\tsys_open\t\t\tcompat_sys_open
17\ti386\tbreak
";

// The kernel-side items the generated code refers to, and checks on them.
const HARNESS: &str = r#"
#![allow(dead_code)]
mod syscall {
    pub type SyscallFn = fn(u64) -> i64;
    pub fn sys_read(a: u64) -> i64 { 1000 + a as i64 }
    pub fn sys_write(a: u64) -> i64 { 2000 + a as i64 }
    pub fn sys_exit(a: u64) -> i64 { 3000 + a as i64 }
    pub fn sys_open(_: u64) -> i64 { -1 }
    pub fn compat_sys_open(a: u64) -> i64 { 5000 + a as i64 }
    pub mod syscalls_64 { include!("sample_64.rs"); }
    pub mod syscalls_32 { include!("sample_32.rs"); }
    include!("handlers.rs");
    pub mod real_64 { include!("real_64.rs"); }
    pub mod real_32 { include!("real_32.rs"); }
}
use syscall::*;
fn main() {
    let _ = REAL_64_HANDLERS;
    assert_eq!(syscalls_64::NR_SYSCALLS, 61);
    assert_eq!(syscalls_64::SYSCALL_NAMES[0], "read");
    assert_eq!(syscalls_64::SYSCALL_NAMES[2], "");
    assert_eq!(syscalls_64::SYSCALL_NAMES[60], "exit");
    assert_eq!(syscalls_64::SYS_CALL_TABLE[0].unwrap()(7), 1007);
    assert_eq!(syscalls_64::SYS_CALL_TABLE[1].unwrap()(7), 2007);
    assert!(syscalls_64::SYS_CALL_TABLE[57].is_none());
    assert!(syscalls_64::SYS_CALL_TABLE[2].is_none());
    assert_eq!(syscalls_64::SYS_CALL_TABLE[60].unwrap()(1), 3001);
    assert_eq!(syscalls_64::unistd::__NR_fork, 57);
    assert_eq!(syscalls_32::NR_SYSCALLS, 18);
    assert_eq!(syscalls_32::SYS_CALL_TABLE[5].unwrap()(1), 5001);
    assert_eq!(syscalls_32::unistd::__NR_break, 17);
    assert_eq!(core::mem::size_of_val(&real_64::SYS_CALL_TABLE), 471 * 8);
    let wired = real_64::SYS_CALL_TABLE.iter().filter(|h| h.is_some()).count();
    assert_eq!(wired, REAL_64_HANDLERS);
    assert!(real_64::SYS_CALL_TABLE[real_64::unistd::__NR_fork].is_some());
    assert!(real_64::SYS_CALL_TABLE[real_64::unistd::__NR_clone].is_some());
    assert_eq!(real_64::SYSCALL_NAMES[real_64::unistd::__NR_clone3], "clone3");
    assert_eq!(real_64::unistd::__NR_exit_group, 231);
    assert_eq!(real_32::unistd::__NR_set_thread_area, 243);
    assert_eq!(real_32::unistd::__NR__llseek, 140);
    assert_eq!(real_32::SYSCALL_NAMES[222], "");
    println!("generated tables ok");
}
"#;

// A fresh directory under cargo's per-target scratch space.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn generated_code_compiles_and_dispatches() {
    let dir = scratch("syscalltbl-generated");
    let files = [
        (
            "sample_64.rs",
            generate(
                SAMPLE_64,
                Abi::X64,
                "crate::syscall",
                "crate::syscall::SyscallFn",
            ),
        ),
        (
            "sample_32.rs",
            generate(
                SAMPLE_32,
                Abi::I386,
                "crate::syscall",
                "crate::syscall::SyscallFn",
            ),
        ),
        (
            "real_64.rs",
            generate(
                TBL_64,
                Abi::X64,
                "crate::syscall",
                "crate::syscall::SyscallFn",
            ),
        ),
        (
            "real_32.rs",
            generate(
                TBL_32,
                Abi::I386,
                "crate::syscall",
                "self::super::SyscallFn",
            ),
        ),
    ];
    for (name, code) in files {
        std::fs::write(dir.join(name), code.unwrap()).unwrap();
    }
    // A dummy for every handler the real tables name (the kernel's own
    // signatures are not needed to test the generated tables).
    let mut names = std::collections::BTreeSet::new();
    let mut real_64_handlers = 0;
    for (text, abi) in [(TBL_64, Abi::X64), (TBL_32, Abi::I386)] {
        let t = syscalltbl::parse(text, abi).unwrap();
        for e in t.entries() {
            if let Some(h) = e.handler() {
                names.insert(h.to_string());
                if abi == Abi::X64 {
                    real_64_handlers += 1;
                }
            }
            names.extend(e.entry.map(String::from));
        }
    }
    let mut handlers = String::new();
    for n in names
        .iter()
        .filter(|n| !HARNESS.contains(&format!("pub fn {n}(")))
    {
        handlers.push_str(&format!("pub fn {n}(_: u64) -> i64 {{ 0 }}\n"));
    }
    handlers.push_str(&format!(
        "pub const REAL_64_HANDLERS: usize = {real_64_handlers};\n"
    ));
    std::fs::write(dir.join("handlers.rs"), handlers).unwrap();
    std::fs::write(dir.join("main.rs"), HARNESS).unwrap();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let bin = dir.join("harness");
    let out = Command::new(rustc)
        .args(["--edition", "2024", "-D", "warnings", "-o"])
        .arg(&bin)
        .arg(dir.join("main.rs"))
        .output()
        .expect("run rustc");
    assert!(
        out.status.success(),
        "rustc failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&bin).output().unwrap();
    assert!(
        run.status.success(),
        "harness failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "generated tables ok\n"
    );
}

#[test]
fn generated_text_names_linux_tables() {
    let code = generate(
        SAMPLE_32,
        Abi::I386,
        "crate::syscall",
        "crate::syscall::SyscallFn",
    )
    .unwrap();
    assert!(code.starts_with("// @generated by syscalltbl from syscall_32.tbl"));
    assert!(code.contains("pub const NR_SYSCALLS: usize = 18;"));
    assert!(code.contains("Linux's `ia32_sys_call_table`"));
    assert!(code.contains("    Some(crate::syscall::compat_sys_open), // 5 open\n"));
    assert!(code.contains("    None, // 17 break\n"));
    assert!(code.contains("    None, // 2 -\n"));
    assert!(code.contains("    \"\", // 2\n"));
    assert!(code.contains("    pub const __NR_break: usize = 17;\n"));
    let code = generate(SAMPLE_64, Abi::X64, "::kernel::syscall", "SyscallFn").unwrap();
    assert!(code.contains("[Option<SyscallFn>; NR_SYSCALLS]"));
    assert!(code.contains("Some(::kernel::syscall::sys_exit), // 60 exit"));
}

#[test]
fn bad_paths_and_bad_tables_are_errors() {
    for bad in [
        "",
        "crate::",
        "crate::syscall::",
        "a b",
        "crate::fn",
        "crate:syscall",
        "x-y",
    ] {
        let e = generate(SAMPLE_64, Abi::X64, bad, "SyscallFn").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadPath(bad.into()), "{bad:?}");
        let e = generate(SAMPLE_64, Abi::X64, "crate::syscall", bad).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadPath(bad.into()), "{bad:?}");
    }
    let e = generate("0 i386 read\n", Abi::X64, "crate::syscall", "SyscallFn").unwrap_err();
    assert_eq!(e.line, 1);
}
