//! The C types of our ABI, for i386 (ILP32) and x86_64 (LP64).
//!
//! `long` and pointers follow the architecture; `time_t` and `off_t` are
//! 64-bit on both (as musl does), so the i386 build is year-2038 safe.

pub type c_char = i8;
pub type c_uchar = u8;
pub type c_short = i16;
pub type c_int = i32;
pub type c_uint = u32;
pub type c_long = isize;
pub type c_ulong = usize;
pub type c_longlong = i64;
pub type c_ulonglong = u64;
pub type size_t = usize;
pub type ssize_t = isize;
pub type pid_t = i32;
pub type uid_t = u32;
pub type gid_t = u32;
pub type mode_t = u32;
pub type off_t = i64;
pub type time_t = i64;
pub type clockid_t = i32;
pub type suseconds_t = isize;
pub type useconds_t = u32;
pub type c_void = core::ffi::c_void;

/// `struct timespec`; on i386 `tv_nsec` is a 32-bit long followed by four
/// bytes of padding, which makes it the kernel's `__kernel_timespec`.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct timespec {
    pub tv_sec: time_t,
    pub tv_nsec: c_long,
    pub _pad: crate::arch::LongPad,
}

/// `struct timeval`.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct timeval {
    pub tv_sec: time_t,
    pub tv_usec: suseconds_t,
    pub _pad: crate::arch::LongPad,
}

/// `struct timezone` (obsolete; gettimeofday fills it with zeros).
#[repr(C)]
pub struct timezone {
    pub tz_minuteswest: c_int,
    pub tz_dsttime: c_int,
}
