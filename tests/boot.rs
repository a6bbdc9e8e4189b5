//! Boot tests: the banner and what follows it, the command line, memory
//! sizes, the in-kernel allocator/paging/timer self-tests, and the oops
//! report of deliberate kernel faults.

use forkline_tests::*;
use std::time::Duration;

const T: Duration = Duration::from_secs(90);

fn boot_with(append: &str) -> Boot {
    boot(&qemu(append), T)
}

#[test]
fn banner_then_cmdline_memory_map_and_boot_time() {
    let b = boot_with("loglevel=7");
    let first = b
        .serial
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if !(first.starts_with("Forkline version ") && first.contains(env!("CARGO_PKG_VERSION"))) {
        b.fail("first serial line is not the `Forkline version …` banner");
    }
    b.expect_line("Command line: loglevel=7")
        .expect_line("BIOS-provided physical RAM map:")
        .expect_line("] usable")
        .expect_line("Memory: ")
        .expect_line("tsc: Detected ")
        .expect_line("Boot took ")
        // No initramfs: the kernel says why and powers off, never hangs.
        .expect_line("initramfs: none given")
        .expect_line("no working init found")
        .expect_line("reboot: Power down")
        .expect_exit(EXIT_POWER_OFF);
}

#[test]
fn unknown_parameters_are_logged_not_fatal() {
    boot_with("frobnicate=3 loglevel=7 wibble")
        .expect_line(r#"Unknown kernel command line parameter "frobnicate=3""#)
        .expect_line(r#"Unknown kernel command line parameter "wibble""#)
        .expect_exit(EXIT_POWER_OFF);
}

#[test]
fn loglevel_filters_messages() {
    let b = boot_with("loglevel=1");
    b.expect_no_line("BIOS-e820")
        .expect_no_line("tsc: Detected")
        .expect_exit(EXIT_POWER_OFF);
}

#[test]
fn self_tests_pass() {
    // -icount: guest time follows instructions, so the tick-rate check in
    // `timer` does not depend on how busy the host is.
    let mut q = qemu("ktest=all");
    q.icount = true;
    boot(&q, T).expect_suite(6).expect_exit(EXIT_POWER_OFF);
}

#[test]
fn self_tests_pass_with_little_and_much_memory() {
    for mib in [64, 3072] {
        let mut q = qemu("ktest=frames,buddy_orders,paging,heap");
        q.memory_mib = mib;
        let b = boot(&q, T);
        b.expect_suite(4).expect_exit(EXIT_POWER_OFF);
        let mem = b.line("Memory: ");
        let avail_k: u64 = mem
            .split("Memory: ")
            .nth(1)
            .and_then(|s| s.split('K').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| b.fail("cannot parse the Memory: line"));
        let want = (mib as u64 * 1024) * 9 / 10;
        if avail_k < want.min(mib as u64 * 1024 - 4096) {
            b.fail(&format!("only {avail_k}K available with -m {mib}M"));
        }
    }
}

#[test]
fn unknown_self_test_fails_the_suite() {
    let b = boot_with("ktest=no_such_test");
    b.expect_line("ktest: no_such_test ... FAILED")
        .expect_line("ktest: 0 passed, 1 failed");
}

/// A deliberate kernel fault: the report names the exception, shows the
/// error code, RIP with its symbol, CR2 and every register, a call trace,
/// and QEMU exits with the panic status.
fn expect_oops(test: &str, lines: &[&str]) {
    let b = boot_with(&format!("ktest={test}"));
    b.expect_exit(EXIT_PANIC)
        .expect_line("Kernel panic - not syncing")
        .expect_line("Call Trace:");
    for l in lines {
        b.expect_line(l);
    }
    for reg in [
        "RAX: ", "RBX: ", "RCX: ", "RDX: ", "RSI: ", "RDI: ", "RBP: ", "R08: ", "R15: ", "CR2: ",
    ] {
        b.expect_line(reg);
    }
    b.expect_line("forkline::ktest::run+");
}

#[test]
fn invalid_opcode_oops() {
    expect_oops(
        "fault_ud",
        &[
            "Oops: #UD invalid opcode (vector 6)",
            "RIP: 0010:",
            "forkline::ktest::mm::fault_ud+",
        ],
    );
}

#[test]
fn null_dereference_oops() {
    expect_oops(
        "fault_null",
        &[
            "BUG: kernel NULL pointer dereference, address: 0000000000000000",
            "#PF: supervisor write access in kernel mode",
            "Oops: #PF page fault (vector 14), error code 0x2",
            "forkline::ktest::mm::fault_null+",
        ],
    );
}

#[test]
fn divide_error_oops() {
    expect_oops(
        "fault_de",
        &[
            "Oops: #DE divide error (vector 0)",
            "forkline::ktest::mm::fault_de+",
        ],
    );
}

#[test]
fn stack_overflow_hits_the_guard_page() {
    expect_oops(
        "fault_stack_overflow",
        &[
            "BUG: kernel stack overflow",
            "Oops: #DF double fault (vector 8)",
            "forkline::ktest::mm::recurse+",
        ],
    );
}

#[test]
fn rust_panic_reports_location_and_trace() {
    let b = boot_with("ktest=fault_panic");
    b.expect_exit(EXIT_PANIC)
        .expect_line(
            "Kernel panic - not syncing: ktest: deliberate panic at kernel/src/ktest/mm.rs",
        )
        .expect_line("forkline::ktest::mm::fault_panic+");
}

/// A broken program as init: the kernel names it and the error, and
/// powers off cleanly instead of crashing.
#[test]
fn malformed_init_is_reported_not_fatal() {
    let corpus = xtask::build::programs::root().join("usr/share/forkline/elf-corpus/64");
    let members: Vec<_> = ["bad-magic", "wrong-machine", "truncated-phdrs", "valid"]
        .iter()
        .filter(|n| corpus.join(n).exists())
        .map(|n| xtask::initramfs::Member {
            guest: format!("/bad/{n}"),
            host: corpus.join(n),
        })
        .collect();
    if members.len() < 2 {
        panic!(
            "the ELF corpus is missing under {}: run `cargo xtask build`",
            corpus.display()
        );
    }
    let initrd = initramfs("boot-malformed-init", &members);
    let b = boot(&qemu_init(initrd.clone(), "/bad/bad-magic", &[], ""), T);
    b.expect_line("Requested init /bad/bad-magic failed (ENOEXEC")
        .expect_no_line("Kernel panic")
        .expect_line("reboot: Power down")
        .expect_exit(EXIT_POWER_OFF);
    // And the valid one of the same corpus runs and exits 0.
    boot(&qemu_init(initrd, "/bad/valid", &[], ""), T)
        .expect_line("init: exited with status 0")
        .expect_exit(EXIT_POWER_OFF);
}
