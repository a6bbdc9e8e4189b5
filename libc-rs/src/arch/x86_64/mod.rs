//! x86_64: the `syscall` instruction, the `%fs` thread pointer, the SysV
//! `va_list`, and the ELF64 structures the vDSO lookup reads.

pub mod clone;
pub mod elf;
pub mod nr;
pub mod setjmp;
pub mod stat;
pub mod string;
mod strtold;
pub mod tcb;
pub mod variadic;

mod syscall;
pub use syscall::*;

/// The C `va_list` as a Rust value (see `variadic.rs`).
pub use variadic::{RawVaList, VaList};

/// `clone` for fork: x86_64 argument order is (flags, stack, ptid, ctid, tls).
pub fn clone_for_fork(flags: usize, ctid: *mut i32) -> isize {
    crate::sys::raw6(nr::CLONE, flags, 0, 0, ctid as usize, 0, 0)
}

/// Syscall numbers whose i386 flavour differs.
pub const MMAP_NR: usize = nr::MMAP;
/// fchown with 32-bit ids.
pub const FCHOWN_NR: usize = nr::FCHOWN;
pub const FCNTL_NR: usize = nr::FCNTL;

/// No O_LARGEFILE needed: off_t is natively 64-bit.
pub const O_LARGEFILE: i32 = 0;
/// The uid/gid getters.
pub const GETUID_NR: usize = nr::GETUID;
pub const GETEUID_NR: usize = nr::GETEUID;
pub const GETGID_NR: usize = nr::GETGID;
pub const GETEGID_NR: usize = nr::GETEGID;

/// `lseek`.
pub fn lseek(fd: i32, off: i64, whence: i32) -> i64 {
    crate::sys::ret(crate::sys::raw6(
        nr::LSEEK,
        fd as usize,
        off as usize,
        whence as usize,
        0,
        0,
        0,
    )) as i64
}

/// A 64-bit file offset as system call arguments (pread64, truncate…):
/// one register.
pub fn off_words(off: i64) -> ([usize; 2], usize) {
    ([off as usize, 0], 1)
}

/// The truncate calls.
pub const TRUNCATE_NR: usize = nr::TRUNCATE;
pub const FTRUNCATE_NR: usize = nr::FTRUNCATE;

/// `utimensat`: 0 or -errno.
pub unsafe fn utimensat(
    dirfd: i32,
    path: *const core::ffi::c_char,
    times: *const crate::timespec,
    flags: i32,
) -> isize {
    crate::syscall!(nr::UTIMENSAT, dirfd, path, times, flags)
}

/// Time syscalls and the vDSO's LINUX_2.6 time functions.
pub const CLOCK_GETTIME_NR: usize = nr::CLOCK_GETTIME;
pub const OLD_CLOCK_GETTIME_NR: Option<usize> = None;
pub const CLOCK_GETRES_NR: usize = nr::CLOCK_GETRES;
pub const OLD_CLOCK_GETRES_NR: Option<usize> = None;
pub const CLOCK_NANOSLEEP_NR: usize = nr::CLOCK_NANOSLEEP;
pub const OLD_CLOCK_NANOSLEEP_NR: Option<usize> = None;
pub const FUTEX_TIME64_NR: usize = nr::FUTEX;
pub const OLD_FUTEX_NR: Option<usize> = None;
/// The POSIX timer, select and poll calls.
pub const TIMER_SETTIME_NR: usize = nr::TIMER_SETTIME;
pub const TIMER_GETTIME_NR: usize = nr::TIMER_GETTIME;
pub const PSELECT6_NR: usize = nr::PSELECT6;
pub const PPOLL_NR: usize = nr::PPOLL;
pub const RT_SIGTIMEDWAIT_NR: usize = nr::RT_SIGTIMEDWAIT;
/// The kernel's `struct timeval` is ours (getrusage, setitimer).
pub const KERNEL_TIMEVAL_32: bool = false;
pub const VDSO_CLOCK_GETTIME: &[u8] = b"__vdso_clock_gettime";
pub const VDSO_GETTIMEOFDAY: Option<&[u8]> = Some(b"__vdso_gettimeofday");
pub const VDSO_TIME: Option<&[u8]> = Some(b"__vdso_time");

/// No padding: `long` is already 64-bit.
pub type LongPad = ();

/// The machine name `uname -m` would give, for programs that report it.
pub const MACHINE: &str = "x86_64";
