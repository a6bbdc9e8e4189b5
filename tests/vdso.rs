//! Forkline's two vDSO images, checked on the host.
//!
//! Static checks read the images with `object` (not vdso2c's goblin) and
//! look every symbol up through both hash tables by hand, as a dynamic
//! linker does. Functional checks map an image the way the kernel does — a
//! vvar page filled by vdso-data's writer right below it — and call its
//! functions through the ELF symbol table: vdso64 in this process, vdso32
//! in a small 32-bit C program (vdso/testing/vdso32_host.c). With clock
//! mode NONE the vDSO falls back to real Linux system calls, compared with
//! the host's clocks.
//!
//! The images come from `cargo xtask build` (target/forkline/vdso).

use object::{Object, ObjectSection, ObjectSymbol, SymbolKind, SymbolSection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use vdso_data::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW,
    CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_TAI, Feature,
    KernelTimespec, Timekeeper, VdsoClockMode, VsyscallMethod, VvarPage, apply_alternatives,
    patch_vsyscall,
};

const PAGE: usize = 4096;
/// The clocks the vDSO answers by reading the TSC.
const COUNTER_CLOCKS: [i32; 5] = [
    CLOCK_REALTIME,
    CLOCK_MONOTONIC,
    CLOCK_BOOTTIME,
    CLOCK_TAI,
    CLOCK_MONOTONIC_RAW,
];
const TICK_NSEC: u32 = 4_000_000;
const LINUX_2_5: [&str; 3] = [
    "__kernel_vsyscall",
    "__kernel_sigreturn",
    "__kernel_rt_sigreturn",
];
const VDSO32_LINUX_2_6: [&str; 7] = [
    "__vdso_clock_gettime",
    "__vdso_clock_gettime64",
    "__vdso_gettimeofday",
    "__vdso_time",
    "__vdso_clock_getres",
    "__vdso_clock_getres_time64",
    "__vdso_getcpu",
];
/// vdso64's functions; each also exported under its plain name, weak.
const VDSO64_LINUX_2_6: [&str; 5] = [
    "clock_gettime",
    "gettimeofday",
    "time",
    "clock_getres",
    "getcpu",
];

#[path = "vdso/checks.rs"]
mod checks;
#[path = "vdso/clock.rs"]
mod clock;
#[path = "vdso/elf.rs"]
mod elf;
#[path = "vdso/vdso32.rs"]
mod vdso32;
#[path = "vdso/vdso64.rs"]
mod vdso64;

use clock::*;
use elf::*;

/// Keep the helper path visible in failures: where the images are.
#[test]
fn images_are_where_xtask_puts_them() {
    for name in ["vdso32", "vdso64"] {
        let b = built(name);
        assert!(
            b.path.starts_with(xtask::paths::out()),
            "{}",
            b.path.display()
        );
        assert!(Path::new(&vdso2c::dbg_path(&b.path)).is_file());
    }
}
