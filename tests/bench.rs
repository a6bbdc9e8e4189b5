//! `cargo xtask bench`'s Forkline side, end to end but small: the benchmark
//! program built as bench does, booted as bench boots it (`init=/init`,
//! `-icount shift=0`), one cheap benchmark with few iterations, and its
//! `BENCH` lines read back. Speed is never asserted; only that plausible
//! figures come out.

use forkline_tests::*;
use std::time::Duration;
use xtask::bench::{self, Config, report};

#[test]
fn forkline_prints_bench_lines() {
    let members = bench::build_programs().expect("building examples/bench/bench.c");
    let image = initramfs("bench", &members);
    let c = Config {
        label: "max".into(),
        system: report::System::Forkline,
        cpu: "max".into(),
        append: String::new(),
        programs: vec!["/bench/glibc-x86_64".into(), "/bench/libcrs-i386".into()],
        names: vec!["getppid"],
    };
    // 200000 / 1000: 200 iterations each.
    let b = boot(
        &bench::qemu(&c, &kernel(), &image, 1000),
        Duration::from_secs(120),
    );
    b.expect_line("BENCH-DONE")
        .expect_no_line("BENCH-FAIL")
        .expect_exit(EXIT_POWER_OFF);
    let samples: Vec<report::Sample> = b.serial.lines().filter_map(report::parse_line).collect();
    for (arch, libc) in [("x86_64", "glibc"), ("i386", "libcrs")] {
        let Some(s) = samples.iter().find(|s| s.arch == arch && s.libc == libc) else {
            b.fail(&format!("no BENCH line for {arch} {libc}"))
        };
        if s.name != "getppid" || s.iterations != 200 || !(s.ns_per_op > 1.0) {
            b.fail(&format!("implausible BENCH line: {s:?}"));
        }
    }
    if samples.len() != 2 {
        b.fail("expected exactly the two selected BENCH lines");
    }
}
