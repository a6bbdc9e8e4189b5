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
    t.check("Errno displays glibc's text", {
        let mut m = String::new();
        let _ = write!(m, "{}", Errno(2));
        m == "No such file or directory"
    });
    println!("rust on libc-rs: {} passed, {} failed", t.passed, t.failed);
    if t.failed == 0 { 0 } else { 1 }
}
