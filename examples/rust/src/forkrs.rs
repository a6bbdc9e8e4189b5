//! forkrs: the seed's fork program (seeds/002) written in Rust on libc-rs's
//! Rust API (`c::rust`): fork; the parent prints "parent", the child
//! prints "child". The fork is the same libc-rs `fork()` a C program calls
//! (clone, through `__kernel_vsyscall` on i386), so the parent then shows
//! libc-rs's own count of how it entered the kernel meanwhile
//! (`__fl_kernel_entries`, which C programs see through <forkline.h>).

#![no_std]
#![no_main]

use c::arch::__fl_kernel_entries;
use c::rust::{self, Fork};
use c::{c_char, c_int, println};
use core::sync::atomic::Ordering;

/// The four ways libc-rs enters the kernel, in `__fl_kernel_entries` order.
const FORMS: [&str; 4] = [
    "syscall",
    "call *%gs:16 (__kernel_vsyscall)",
    "call *_dl_sysinfo (__kernel_vsyscall)",
    "int $0x80",
];

/// libc-rs's entry counters now.
fn entries() -> [u32; 4] {
    core::array::from_fn(|i| __fl_kernel_entries[i].load(Ordering::Relaxed))
}

/// The program's entry, called by libc-rs's `__libc_start_main`.
#[unsafe(no_mangle)]
pub extern "C" fn main(
    _argc: c_int,
    _argv: *const *const c_char,
    _envp: *const *const c_char,
) -> c_int {
    let before = entries();
    match rust::fork() {
        Ok(Fork::Child) => {
            println!("child");
            rust::exit(0)
        }
        Ok(Fork::Parent(pid)) => {
            println!("parent");
            let status = match rust::waitpid(pid) {
                Ok((_, st)) => st,
                Err(e) => {
                    println!("forkrs: waitpid: {e}");
                    return 1;
                }
            };
            let after = entries();
            println!(
                "forkrs: child {pid} ended with wait status {status:#x}; to fork and wait, this"
            );
            for (i, form) in FORMS.iter().enumerate() {
                let n = after[i] - before[i];
                if n > 0 {
                    println!("  process entered the kernel {n} times with {form}");
                }
            }
            0
        }
        Err(e) => {
            println!("error: {e}");
            1
        }
    }
}
