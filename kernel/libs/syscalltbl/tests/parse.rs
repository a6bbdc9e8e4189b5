//! The parser against Forkline's real tables and against every kind of bad line.

use syscalltbl::{Abi, ErrorKind, Table, parse};

const TBL_64: &str = include_str!("../../../src/syscall/syscall_64.tbl");
const TBL_32: &str = include_str!("../../../src/syscall/syscall_32.tbl");

// The kind of error `text` gives as the table for `abi`, and its line.
fn err(text: &str, abi: Abi) -> (usize, ErrorKind) {
    let e = parse(text, abi).expect_err("table should be rejected");
    (e.line, e.kind)
}

// An entry without its line number: (nr, abi, name, entry, compat, noreturn).
type Columns<'a> = (
    usize,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    bool,
);

// A table's entries without their line numbers, for comparing reparses.
fn strip<'a>(t: &Table<'a>) -> Vec<Columns<'a>> {
    t.entries()
        .iter()
        .map(|e| (e.nr, e.abi, e.name, e.entry, e.compat, e.noreturn))
        .collect()
}

// (number, name) of a table's syscall called `name`.
fn nr(table: &Table, name: &str) -> usize {
    table
        .by_name(name)
        .unwrap_or_else(|| panic!("no syscall {name}"))
        .nr
}

#[test]
fn x86_64_table_has_linux_numbers() {
    let t = parse(TBL_64, Abi::X64).unwrap();
    let expect = [
        ("read", 0),
        ("write", 1),
        ("open", 2),
        ("close", 3),
        ("mmap", 9),
        ("brk", 12),
        ("rt_sigaction", 13),
        ("ioctl", 16),
        ("writev", 20),
        ("sched_yield", 24),
        ("getpid", 39),
        ("clone", 56),
        ("fork", 57),
        ("vfork", 58),
        ("execve", 59),
        ("exit", 60),
        ("wait4", 61),
        ("kill", 62),
        ("uname", 63),
        ("getppid", 110),
        ("arch_prctl", 158),
        ("gettid", 186),
        ("futex", 202),
        ("set_tid_address", 218),
        ("clock_gettime", 228),
        ("exit_group", 231),
        ("openat", 257),
        ("newfstatat", 262),
        ("set_robust_list", 273),
        ("prlimit64", 302),
        ("getrandom", 318),
        ("execveat", 322),
        ("statx", 332),
        ("rseq", 334),
        ("uretprobe", 335),
        ("uprobe", 336),
        ("pidfd_send_signal", 424),
        ("clone3", 435),
        ("mseal", 462),
        ("listns", 470),
    ];
    for (name, n) in expect {
        assert_eq!(nr(&t, name), n, "{name}");
    }
    assert_eq!(t.nr_syscalls(), 471);
    assert_eq!(t.entries().len(), 337 + 47);
    assert!(
        (337..=423).all(|n| t.get(n).is_none()),
        "387-423 are reserved, 337-386 unused"
    );
    assert!(
        t.entries()
            .iter()
            .all(|e| e.abi == "common" || e.abi == "64")
    );
}

#[test]
fn i386_table_has_linux_numbers() {
    let t = parse(TBL_32, Abi::I386).unwrap();
    let expect = [
        ("restart_syscall", 0),
        ("exit", 1),
        ("fork", 2),
        ("read", 3),
        ("write", 4),
        ("open", 5),
        ("waitpid", 7),
        ("execve", 11),
        ("break", 17),
        ("getpid", 20),
        ("brk", 45),
        ("ioctl", 54),
        ("getppid", 64),
        ("mmap", 90),
        ("munmap", 91),
        ("socketcall", 102),
        ("clone", 120),
        ("uname", 122),
        ("mprotect", 125),
        ("_llseek", 140),
        ("writev", 146),
        ("nanosleep", 162),
        ("rt_sigaction", 174),
        ("rt_sigprocmask", 175),
        ("vfork", 190),
        ("ugetrlimit", 191),
        ("mmap2", 192),
        ("getuid32", 199),
        ("gettid", 224),
        ("set_thread_area", 243),
        ("get_thread_area", 244),
        ("exit_group", 252),
        ("set_tid_address", 258),
        ("clock_gettime", 265),
        ("set_robust_list", 311),
        ("prlimit64", 340),
        ("getrandom", 355),
        ("statx", 383),
        ("arch_prctl", 384),
        ("rseq", 386),
        ("semget", 393),
        ("clock_gettime64", 403),
        ("futex_time64", 422),
        ("clone3", 435),
        ("listns", 470),
    ];
    for (name, n) in expect {
        assert_eq!(nr(&t, name), n, "{name}");
    }
    assert_eq!(t.nr_syscalls(), 471);
    let holes = [222, 223, 251, 285, 387, 388, 389, 390, 391, 392, 415];
    assert!(holes.iter().all(|&n| t.get(n).is_none()));
    assert_eq!(t.entries().len(), 471 - holes.len());
    assert!(t.entries().iter().all(|e| e.abi == "i386"));
}

#[test]
fn forkline_handlers_follow_linux_naming() {
    // Every entry point is a sys_* or compat_sys_* handler, as in Linux,
    // and only the exits are marked noreturn.
    for (text, abi) in [(TBL_64, Abi::X64), (TBL_32, Abi::I386)] {
        let t = parse(text, abi).unwrap();
        let handlers: Vec<_> = t.entries().iter().filter_map(|e| e.handler()).collect();
        assert!(
            handlers.len() > 100,
            "{abi:?}: the kernel implements the common syscalls"
        );
        assert!(
            handlers
                .iter()
                .all(|h| h.starts_with("sys_") || h.starts_with("compat_sys_"))
        );
        for e in t.entries() {
            assert_eq!(
                e.noreturn,
                matches!(e.name, "exit" | "exit_group"),
                "{}",
                e.name
            );
        }
    }
}

#[test]
fn entry_compat_and_noreturn_columns() {
    let text = "# comment\n\n\
        1\ti386\texit\t\t\tsys_exit\t\t\t-\t\t\tnoreturn\n\
        5\ti386\topen\t\t\tsys_open\t\t\tcompat_sys_open\n\
        17\ti386\tbreak\n\
        3\ti386\tread\t\t\tsys_read\n";
    let t = parse(text, Abi::I386).unwrap();
    let exit = t.get(1).unwrap();
    assert_eq!(
        (exit.entry, exit.compat, exit.noreturn, exit.line),
        (Some("sys_exit"), None, true, 3)
    );
    assert_eq!(exit.handler(), Some("sys_exit"));
    let open = t.get(5).unwrap();
    assert_eq!(
        (open.entry, open.compat),
        (Some("sys_open"), Some("compat_sys_open"))
    );
    assert_eq!(open.handler(), Some("compat_sys_open"));
    assert_eq!(t.get(17).unwrap().handler(), None);
    let order: Vec<usize> = t.entries().iter().map(|e| e.nr).collect();
    assert_eq!(order, [1, 3, 5, 17]);
    assert_eq!(t.nr_syscalls(), 18);
}

#[test]
fn linux_whitespace_quirks_are_accepted() {
    // Linux 6.19's syscall_64.tbl really has "462 \tcommon  mseal".
    let t = parse(
        "462 \tcommon  mseal\t\t\tsys_mseal\n  60 common exit sys_exit - noreturn\n",
        Abi::X64,
    )
    .unwrap();
    assert_eq!(t.get(462).unwrap().entry, Some("sys_mseal"));
    assert!(t.get(60).unwrap().noreturn);
}

#[test]
fn round_trip_through_to_tbl() {
    let sample =
        "0\tcommon\tread\tsys_read\n60\tcommon\texit\tsys_exit\t-\tnoreturn\n134\t64\tuselib\n";
    for (text, abi) in [(TBL_64, Abi::X64), (TBL_32, Abi::I386), (sample, Abi::X64)] {
        let t = parse(text, abi).unwrap();
        let again_text = t.to_tbl();
        let again = parse(&again_text, abi).unwrap();
        assert_eq!(strip(&t), strip(&again));
        assert_eq!(again.to_tbl(), again_text);
    }
    let i386 = "5\ti386\topen\tsys_open\tcompat_sys_open\n1\ti386\texit\tsys_exit\t-\tnoreturn\n";
    let t = parse(i386, Abi::I386).unwrap();
    assert_eq!(
        t.to_tbl(),
        "1\ti386\texit\tsys_exit\t-\tnoreturn\n5\ti386\topen\tsys_open\tcompat_sys_open\n"
    );
}

#[test]
fn malformed_lines_are_rejected_with_their_line_number() {
    use ErrorKind::*;
    let x64 = Abi::X64;
    let cases: &[(&str, Abi, usize, ErrorKind)] = &[
        (
            "0 common read\nabc common write\n",
            x64,
            2,
            BadNumber("abc".into()),
        ),
        ("-1 common read\n", x64, 1, BadNumber("-1".into())),
        ("0x10 common read\n", x64, 1, BadNumber("0x10".into())),
        ("4096 common read\n", x64, 1, NumberTooLarge(4096)),
        (
            "99999999999999999999999 common read\n",
            x64,
            1,
            NumberTooLarge(usize::MAX),
        ),
        ("# c\n7\n", x64, 2, MissingField("abi")),
        ("7 common\n", x64, 1, MissingField("name")),
        (
            "7 i386 poll\n",
            x64,
            1,
            BadAbi {
                found: "i386".into(),
                expected: "\"common\" or \"64\"",
            },
        ),
        (
            "7 common poll\n",
            Abi::I386,
            1,
            BadAbi {
                found: "common".into(),
                expected: "\"i386\"",
            },
        ),
        (
            "512 x32 rt_sigaction compat_sys_rt_sigaction\n",
            x64,
            1,
            X32NotSupported,
        ),
        ("7 common po-ll\n", x64, 1, BadName("po-ll".into())),
        ("7 common 9poll\n", x64, 1, BadName("9poll".into())),
        (
            "7 common poll sys-poll\n",
            x64,
            1,
            BadEntryPoint("sys-poll".into()),
        ),
        ("7 common poll fn\n", x64, 1, BadEntryPoint("fn".into())),
        ("7 common poll -\n", x64, 1, BadEntryPoint("-".into())),
        (
            "7 i386 poll sys_poll compat-poll\n",
            Abi::I386,
            1,
            BadEntryPoint("compat-poll".into()),
        ),
        (
            "7 common poll sys_poll compat_sys_poll\n",
            x64,
            1,
            CompatInX64("compat_sys_poll".into()),
        ),
        (
            "60 common exit sys_exit - noretrun\n",
            x64,
            1,
            BadFlag("noretrun".into()),
        ),
        (
            "60 common exit sys_exit - noreturn extra\n",
            x64,
            1,
            TooManyFields,
        ),
        (
            "0 common read\n1 common write\n0 common again\n",
            x64,
            3,
            DuplicateNumber {
                nr: 0,
                first_line: 1,
            },
        ),
        (
            "0 common read\n\n2 common read\n",
            x64,
            3,
            DuplicateName {
                name: "read".into(),
                first_line: 1,
            },
        ),
        ("", x64, 0, Empty),
        ("# only comments\n   \n\t\n", x64, 0, Empty),
    ];
    for (text, abi, line, kind) in cases {
        assert_eq!(err(text, *abi), (*line, kind.clone()), "{text:?}");
    }
}

#[test]
fn errors_read_well() {
    let e = parse("0 common read\n0 common again\n", Abi::X64).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 2: syscall number 0 already used on line 1"
    );
    let e = parse("", Abi::I386).unwrap_err();
    assert_eq!(e.to_string(), "the table has no syscall lines");
    assert_eq!(Abi::X64.file_name(), "syscall_64.tbl");
    assert_eq!(Abi::I386.file_name(), "syscall_32.tbl");
}
