//! The Forkline kernel.
//!
//! Boot starts in `arch/x86_64/boot/head.S` (PVH entry, 32-bit), which
//! enters long mode and calls `x86_64_start_kernel`, which calls
//! [`init::start_kernel`]: the same road as Linux's init/main.c.
#![no_std]
#![no_main]

extern crate alloc;

mod arch;
mod errno;
mod fs;
mod futex;
mod init;
mod kallsyms;
mod ktest;
mod mm;
mod panic;
mod params;
mod printk;
mod process;
mod random;
mod sched;
mod sync;
mod syscall;
mod time;
mod uaccess;
mod utsname;
