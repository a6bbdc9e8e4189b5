//! i386: glibc's three `ENTER_KERNEL` forms, the `%gs` thread pointer set with
//! `set_thread_area`, the stack `va_list`, and the ELF32 structures.

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

pub use variadic::{RawVaList, VaList};

/// `clone` for fork: i386 argument order is (flags, stack, ptid, tls, ctid).
pub fn clone_for_fork(flags: usize, ctid: *mut i32) -> isize {
    crate::sys::raw6(nr::CLONE, flags, 0, 0, 0, ctid as usize, 0)
}

/// Syscalls whose i386 flavour differs: mmap with page offsets, 64-bit lseek,
/// time64.
pub const MMAP_NR: usize = nr::MMAP2;
/// fchown with 32-bit ids.
pub const FCHOWN_NR: usize = nr::FCHOWN32;
pub const FCNTL_NR: usize = nr::FCNTL64;

/// `O_LARGEFILE`, added to every open: our off_t is 64-bit.
pub const O_LARGEFILE: i32 = 0o100000;
/// The 32-bit-id flavours of the uid/gid getters.
pub const GETUID_NR: usize = nr::GETUID32;
pub const GETEUID_NR: usize = nr::GETEUID32;
pub const GETGID_NR: usize = nr::GETGID32;
pub const GETEGID_NR: usize = nr::GETEGID32;

/// `lseek` with a 64-bit offset: `_llseek(fd, hi, lo, &result, whence)`.
pub fn lseek(fd: i32, off: i64, whence: i32) -> i64 {
    let mut result: i64 = 0;
    let r = crate::sys::raw6(
        nr::_LLSEEK,
        fd as usize,
        (off >> 32) as usize,
        off as u32 as usize,
        &raw mut result as usize,
        whence as usize,
        0,
    );
    if crate::sys::ret(r) < 0 { -1 } else { result }
}

/// A 64-bit file offset as system call arguments (pread64, truncate64…):
/// two registers, low half first.
pub fn off_words(off: i64) -> ([usize; 2], usize) {
    ([off as u64 as u32 as usize, (off as u64 >> 32) as usize], 2)
}

/// The 64-bit truncate calls.
pub const TRUNCATE_NR: usize = nr::TRUNCATE64;
pub const FTRUNCATE_NR: usize = nr::FTRUNCATE64;

/// `utimensat` with 64-bit times: utimensat_time64, or on a kernel without
/// it the old call with 32-bit seconds (EOVERFLOW when a time does not fit).
/// Returns 0 or -errno.
pub unsafe fn utimensat(
    dirfd: i32,
    path: *const core::ffi::c_char,
    times: *const crate::timespec,
    flags: i32,
) -> isize {
    let r = crate::syscall!(nr::UTIMENSAT_TIME64, dirfd, path, times, flags);
    if r != -(crate::errno::ENOSYS as isize) {
        return r;
    }
    let mut old = [[0i32; 2]; 2];
    let mut p = core::ptr::null::<[i32; 2]>();
    if !times.is_null() {
        for (i, o) in old.iter_mut().enumerate() {
            // SAFETY: the caller's two timespecs.
            let t = unsafe { *times.add(i) };
            let special = t.tv_nsec == (1 << 30) - 1 || t.tv_nsec == (1 << 30) - 2;
            if !special && t.tv_sec as i32 as i64 != t.tv_sec {
                return -(crate::errno::EOVERFLOW as isize);
            }
            *o = [t.tv_sec as i32, t.tv_nsec as i32];
        }
        p = old.as_ptr();
    }
    crate::syscall!(nr::UTIMENSAT, dirfd, path, p, flags)
}

/// Time: the 64-bit-time_t syscalls, with the old ones as the fallback on
/// kernels without them (ENOSYS), and the vDSO's 64-bit clock_gettime
/// (gettimeofday and time are derived from it: the vDSO's own ones return a
/// 32-bit time_t).
pub const CLOCK_GETTIME_NR: usize = nr::CLOCK_GETTIME64;
pub const OLD_CLOCK_GETTIME_NR: Option<usize> = Some(nr::CLOCK_GETTIME);
pub const CLOCK_GETRES_NR: usize = nr::CLOCK_GETRES_TIME64;
pub const OLD_CLOCK_GETRES_NR: Option<usize> = Some(nr::CLOCK_GETRES);
pub const CLOCK_NANOSLEEP_NR: usize = nr::CLOCK_NANOSLEEP_TIME64;
pub const OLD_CLOCK_NANOSLEEP_NR: Option<usize> = Some(nr::CLOCK_NANOSLEEP);
/// futex with a 64-bit-time_t timeout, and the old one (32-bit timespec).
pub const FUTEX_TIME64_NR: usize = nr::FUTEX_TIME64;
pub const OLD_FUTEX_NR: Option<usize> = Some(nr::FUTEX);
/// The POSIX timer, select and poll calls with 64-bit times.
pub const TIMER_SETTIME_NR: usize = nr::TIMER_SETTIME64;
pub const TIMER_GETTIME_NR: usize = nr::TIMER_GETTIME64;
pub const PSELECT6_NR: usize = nr::PSELECT6_TIME64;
pub const PPOLL_NR: usize = nr::PPOLL_TIME64;
pub const RT_SIGTIMEDWAIT_NR: usize = nr::RT_SIGTIMEDWAIT_TIME64;
/// The kernel's `struct timeval` in getrusage, setitimer and getitimer is
/// the 32-bit one (there are no time64 versions): libc-rs converts.
pub const KERNEL_TIMEVAL_32: bool = true;
pub const VDSO_CLOCK_GETTIME: &[u8] = b"__vdso_clock_gettime64";
pub const VDSO_GETTIMEOFDAY: Option<&[u8]> = None;
pub const VDSO_TIME: Option<&[u8]> = None;

/// Padding after a 32-bit `long` that follows a 64-bit `time_t` in
/// `timespec`/`timeval`, making them 16 bytes like the kernel's 64-bit ones.
pub type LongPad = u32;

/// The machine name `uname -m` would give, for programs that report it.
pub const MACHINE: &str = "i686";
