//! libc-rs: Forkline's C library, written in Rust, for i386 and x86_64.
//!
//! It is both a C library (`libc.a`, C headers in `include/`, start files
//! built from `crt/`) and a crate that no_std Rust programs depend on (the
//! safe API is in [`rust`]). Programs linked against it run on Linux and on
//! Forkline unchanged, because both speak the Linux ABI.
//!
//! Architecture-specific code lives under `src/arch/{i386,x86_64}/` and is
//! chosen here, in one place, by file path: everything else is generic.
//!
//! How a C call reaches the kernel: public functions (`fork`, `write`, …) call
//! the `syscall!` macro of [`sys`], which calls the architecture's syscall
//! routine. On x86_64 that is the `syscall` instruction; on i386 it is
//! glibc's `ENTER_KERNEL` (see `arch/i386/syscall.rs`).

#![no_std]
// We *are* the C library: LLVM must not treat our `strcpy`, `stpcpy`,
// `memset`… as the library functions it knows, or it rewrites their bodies
// into calls to themselves (e.g. an unused stpcpy result becomes strcpy, and
// strcpy then calls itself). no_builtins turns that recognition off here.
#![no_builtins]
#![allow(non_camel_case_types, clippy::missing_safety_doc)]

/// Every variadic C entry point and its v* twin (written in Rust), with the
/// number of named parameters; each architecture turns the list into
/// assembly shims (`arch/*/variadic.rs`).
#[macro_export]
#[doc(hidden)]
macro_rules! variadic_entry_points {
    ($shim:ident) => {
        $shim!("printf" => "vprintf", 1);
        $shim!("fprintf" => "vfprintf", 2);
        $shim!("sprintf" => "vsprintf", 2);
        $shim!("snprintf" => "vsnprintf", 3);
        $shim!("dprintf" => "vdprintf", 2);
        $shim!("asprintf" => "vasprintf", 2);
        $shim!("scanf" => "vscanf", 1);
        $shim!("fscanf" => "vfscanf", 2);
        $shim!("sscanf" => "vsscanf", 2);
        $shim!("open" => "__fl_vopen", 2);
        $shim!("open64" => "__fl_vopen", 2);
        $shim!("openat" => "__fl_vopenat", 3);
        $shim!("fcntl" => "__fl_vfcntl", 2);
        $shim!("ioctl" => "__fl_vioctl", 2);
        $shim!("syscall" => "__fl_vsyscall", 1);
        $shim!("execl" => "__fl_vexecl", 2);
        $shim!("execlp" => "__fl_vexeclp", 2);
        $shim!("execle" => "__fl_vexecle", 2);
        $shim!("prctl" => "__fl_vprctl", 1);
        $shim!("mremap" => "__fl_vmremap", 4);
    };
}

#[cfg_attr(target_arch = "x86", path = "arch/i386/mod.rs")]
#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64/mod.rs")]
pub mod arch;

#[macro_use]
pub mod sys;

pub mod atfork;
pub mod auxv;
pub mod ctype;
pub mod dirent;
pub mod env;
pub mod errno;
pub mod exit;
pub mod futex;
pub mod lock;
pub mod math;
pub mod mman;
pub mod poll;
pub mod pthread;
pub mod reboot;
pub mod resource;
pub mod rust;
pub mod setjmp;
pub mod signal;
pub mod start;
pub mod stat;
pub mod stdio;
pub mod stdlib;
pub mod string;
pub mod termios;
pub mod thread;
pub mod time;
pub mod tls;
pub mod types;
pub mod unistd;
pub mod utsname;
pub mod vdso;
pub mod wait;

pub use types::*;

/// A Rust panic inside the C library is a bug in it: say so on stderr and
/// abort, as a failed assertion in glibc does.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    use core::fmt::Write;
    let mut w = rust::Fd(2);
    let _ = writeln!(w, "libc-rs: internal error: {info}");
    // SAFETY: abort() never returns and needs no precondition.
    unsafe { stdlib::abort() }
}

/// The precompiled `core` refers to Rust's unwinding personality routine
/// (from its panic=unwind build); with panic=abort nothing unwinds, so it is
/// never called. Defining it lets the archive link without libgcc_eh.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}
