//! Linux's x86 system call tables, `syscall_64.tbl` and `syscall_32.tbl`,
//! turned into Rust for the kernel's `build.rs`.
//!
//! The data files keep Linux's exact format
//! (`<number> <abi> <name> [<entry point> [<compat entry point> [noreturn]]]`,
//! whitespace separated, `#` comments), so they can be compared line by line
//! with `arch/x86/entry/syscalls/`. In Forkline's files the entry point names
//! a Rust handler; a line without one is a syscall the kernel does not
//! implement, which returns -ENOSYS.
//!
//! [`parse`] checks a file and reports the first bad line by number;
//! [`generate`] emits, per table, what Linux generates as `asm/syscalls_64.h`
//! and `asm/unistd_64.h` (or their `_32` twins): the table size, the names
//! for tracing, the handler table and the `__NR_*` constants.
//!
//! ```
//! // kernel/build.rs reads src/syscall/syscall_64.tbl; a one-line table here:
//! let tbl = "57\tcommon\tfork\t\t\tsys_fork\n";
//! let rs = syscalltbl::generate(tbl, syscalltbl::Abi::X64,
//!     "crate::syscall", "crate::syscall::SyscallFn").unwrap();
//! assert!(rs.contains("Some(crate::syscall::sys_fork), // 57 fork"));
//! // ...then std::fs::write(out_dir.join("syscalls_64.rs"), rs)
//! ```
#![no_std]

extern crate alloc;

mod generate;
mod parse;

pub use generate::generate;
pub use parse::{Abi, Entry, Error, ErrorKind, MAX_NR, Table, parse};
