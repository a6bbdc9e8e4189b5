//! A Rust program on libc-rs: no_std, no_main, using the crate API
//! (`c::rust`) and `alloc` through libc-rs's malloc. It checks what it does
//! and ends with `N passed, M failed`, like the C test programs.

#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use c::rust::{self, Errno, Fork};
use c::{c_char, c_int, println};
use core::fmt::Write;

#[global_allocator]
static ALLOC: rust::Malloc = rust::Malloc;

/// Counts of checks.
struct Tally {
    passed: u32,
    failed: u32,
}

impl Tally {
    fn check(&mut self, name: &str, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            println!("FAIL: {name}");
        }
    }
}

/// The program's entry, called by libc-rs's `__libc_start_main`.
#[unsafe(no_mangle)]
pub extern "C" fn main(
    argc: c_int,
    argv: *const *const c_char,
    _envp: *const *const c_char,
) -> c_int {
    let mut t = Tally {
        passed: 0,
        failed: 0,
    };
    // SAFETY: the kernel's argv.
    let args: Vec<&str> = unsafe { rust::args(argc, argv) }
        .map(|a| a.to_str().unwrap_or("?"))
        .collect();
    t.check("argv[0] present", !args.is_empty());

    let mut s = String::new();
    let _ = write!(s, "{}-{}", 40 + 2, "rust");
    t.check("alloc String through malloc", s == "42-rust");
    let v: Vec<u64> = (1..=1000).collect();
    t.check("alloc Vec", v.iter().sum::<u64>() == 500500);

    t.check(
        "write to a bad fd gives EBADF",
        rust::write(99, b"x") == Err(Errno(9)),
    );
    t.check(
        "getenv of an unset name",
        rust::getenv(c"FORKLINE_SURELY_UNSET").is_none(),
    );

    let (r, w) = rust::pipe().expect("pipe");
    match rust::fork().expect("fork") {
        Fork::Child => {
            let _ = rust::write(w, b"from child");
            rust::exit(7);
        }
        Fork::Parent(pid) => {
            let (p, status) = rust::waitpid(pid).expect("waitpid");
            t.check("waitpid returns the child", p == pid);
            t.check("child exit status 7", status >> 8 == 7);
            let mut buf = [0u8; 32];
            // SAFETY: a local buffer.
            let n = unsafe { c::unistd::io::read(r, buf.as_mut_ptr() as _, buf.len()) };
            t.check(
                "pipe carries the child's bytes",
                n == 10 && &buf[..10] == b"from child",
            );
        }
    }
    // Threads: values come back through join; each thread has its own tid.
    let handles: Vec<_> = (0..4u64)
        .map(|i| {
            rust::spawn(move || ((i * 1000..(i + 1) * 1000).sum::<u64>(), c::thread::gettid()))
        })
        .collect();
    let results: Vec<(u64, c_int)> = handles
        .into_iter()
        .filter_map(|h| h.ok()?.join().ok())
        .collect();
    t.check("four threads joined", results.len() == 4);
    t.check(
        "thread results",
        results.iter().map(|r| r.0).sum::<u64>() == (0..4000u64).sum::<u64>(),
    );
    t.check(
        "threads have their own tids",
        results.iter().all(|r| r.1 != c::thread::gettid()) && results[0].1 != results[1].1,
    );
    static DETACHED_RAN: core::sync::atomic::AtomicBool =
        core::sync::atomic::AtomicBool::new(false);
    let h = rust::spawn(|| {
        DETACHED_RAN.store(true, core::sync::atomic::Ordering::SeqCst);
        String::from("dropped when the thread ends")
    });
    t.check("spawn", h.is_ok());
    drop(h);
    while !DETACHED_RAN.load(core::sync::atomic::Ordering::SeqCst) {
        c::pthread::sched::sched_yield();
    }
    t.check("a dropped handle's thread still runs", true);
    t.check("Errno displays glibc's text", {
        let mut m = String::new();
        let _ = write!(m, "{}", Errno(2));
        m == "No such file or directory"
    });
    println!("rust on libc-rs: {} passed, {} failed", t.passed, t.failed);
    if t.failed == 0 { 0 } else { 1 }
}
