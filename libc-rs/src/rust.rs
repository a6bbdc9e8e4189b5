//! The crate API for Rust programs (no_std, no_main) that link libc-rs.
//!
//! A program depends on the rlib (`c = { package = "libc-rs", path = … }`),
//! defines `#[unsafe(no_mangle)] extern "C" fn main(argc, argv, envp)`, and
//! links with crt1.o/crti.o/crtn.o like a C program. What it gets:
//!
//! * [`print!`]/[`println!`]/[`eprint!`]/[`eprintln!`] through stdio;
//! * [`Errno`] and `Result`-returning wrappers: [`fork`], [`waitpid`],
//!   [`write`], [`pipe`], [`exit`];
//! * [`args`] and [`env`] as iterators of `&CStr`;
//! * [`Malloc`], a `GlobalAlloc` over malloc, for `alloc`;
//! * the C functions themselves, re-exported under their C names.

use crate::{c_char, c_int, errno, pid_t};
use core::ffi::CStr;
use core::fmt;

pub use crate::exit::exit as c_exit;
pub use crate::stdio::file::{fflush, stdout};
pub use crate::stdio::ops::{fputs, puts};
pub use crate::unistd::fork::_Fork;
pub use crate::unistd::misc::{getpid, getppid};

/// An errno value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Errno(pub c_int);

impl Errno {
    /// The calling thread's errno.
    pub fn last() -> Errno {
        Errno(errno::errno())
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Errno({}: {})", self.0, self)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match crate::string::strerror::message_text(self.0) {
            Some(m) => f.write_str(m),
            None => write!(f, "Unknown error {}", self.0),
        }
    }
}

/// -1 → Err(errno), else Ok.
fn check(r: isize) -> Result<isize, Errno> {
    if r == -1 { Err(Errno::last()) } else { Ok(r) }
}

/// The parent sees `Parent(child)`, the child `Child`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fork {
    Parent(pid_t),
    Child,
}

/// `fork()` with the atfork protocol.
pub fn fork() -> Result<Fork, Errno> {
    match check(crate::unistd::fork::fork() as isize)? {
        0 => Ok(Fork::Child),
        pid => Ok(Fork::Parent(pid as pid_t)),
    }
}

/// `waitpid(pid, &status, 0)`: (pid, raw status).
pub fn waitpid(pid: pid_t) -> Result<(pid_t, c_int), Errno> {
    let mut st = 0;
    // SAFETY: a local status word.
    let r = check(unsafe { crate::wait::waitpid(pid, &mut st, 0) } as isize)?;
    Ok((r as pid_t, st))
}

/// `write(fd, bytes)`: bytes written.
pub fn write(fd: c_int, b: &[u8]) -> Result<usize, Errno> {
    // SAFETY: a valid slice.
    check(unsafe { crate::unistd::io::write(fd, b.as_ptr() as _, b.len()) }).map(|n| n as usize)
}

/// `pipe()`: (read end, write end).
pub fn pipe() -> Result<(c_int, c_int), Errno> {
    let mut fds = [0; 2];
    // SAFETY: a local array of two ints.
    check(unsafe { crate::unistd::io::pipe(fds.as_mut_ptr()) } as isize)?;
    Ok((fds[0], fds[1]))
}

/// `exit(status)`: atexit handlers, stdio flush.
pub fn exit(status: c_int) -> ! {
    // SAFETY: exit has no preconditions.
    unsafe { crate::exit::exit(status) }
}

/// argv as `&CStr`s (from `main`'s arguments).
pub unsafe fn args(argc: c_int, argv: *const *const c_char) -> impl Iterator<Item = &'static CStr> {
    // SAFETY: the kernel's argv: argc C strings that live forever.
    (0..argc as usize).map(move |i| unsafe { CStr::from_ptr(*argv.add(i)) })
}

/// The environment as `&CStr`s ("NAME=value").
pub fn env() -> impl Iterator<Item = &'static CStr> {
    // SAFETY: environ is a NULL-terminated array of C strings.
    let mut p = unsafe { crate::env::environ } as *const *const c_char;
    core::iter::from_fn(move || {
        // SAFETY: as above; p never passes the terminating NULL.
        unsafe {
            if p.is_null() || (*p).is_null() {
                return None;
            }
            let s = CStr::from_ptr(*p);
            p = p.add(1);
            Some(s)
        }
    })
}

/// `getenv(name)`.
pub fn getenv(name: &CStr) -> Option<&'static CStr> {
    // SAFETY: a C string in; the result points into the environment.
    unsafe {
        let p = crate::env::getenv(name.as_ptr());
        if p.is_null() {
            None
        } else {
            Some(CStr::from_ptr(p))
        }
    }
}

/// A `fmt::Write` onto a stdio stream (stdout or stderr).
pub struct Stream(pub *mut crate::stdio::FILE);

impl fmt::Write for Stream {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: an open stream; write_locked needs the lock, taken here.
        unsafe {
            (*self.0).lock.lock();
            let ok = crate::stdio::file::write_locked(self.0, s.as_bytes());
            (*self.0).lock.unlock();
            if ok { Ok(()) } else { Err(fmt::Error) }
        }
    }
}

/// A `fmt::Write` straight onto a file descriptor (no buffering).
pub struct Fd(pub c_int);

impl fmt::Write for Fd {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut b = s.as_bytes();
        while !b.is_empty() {
            match write(self.0, b) {
                Ok(n) => b = &b[n..],
                Err(_) => return Err(fmt::Error),
            }
        }
        Ok(())
    }
}

#[doc(hidden)]
pub fn _print(to_stderr: bool, args: fmt::Arguments) {
    // SAFETY: the standard streams always exist.
    let f = unsafe {
        if to_stderr {
            crate::stdio::file::stderr
        } else {
            crate::stdio::file::stdout
        }
    };
    let _ = fmt::Write::write_fmt(&mut Stream(f), args);
}

/// `print!` to stdout (buffered like printf).
#[macro_export]
macro_rules! print {
    ($($a:tt)*) => { $crate::rust::_print(false, format_args!($($a)*)) };
}

/// `println!` to stdout.
#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($a:tt)*) => { $crate::rust::_print(false, format_args!("{}\n", format_args!($($a)*))) };
}

/// `eprint!` to stderr.
#[macro_export]
macro_rules! eprint {
    ($($a:tt)*) => { $crate::rust::_print(true, format_args!($($a)*)) };
}

/// `eprintln!` to stderr.
#[macro_export]
macro_rules! eprintln {
    ($($a:tt)*) => { $crate::rust::_print(true, format_args!("{}\n", format_args!($($a)*))) };
}

/// A global allocator over libc-rs's malloc.
pub struct Malloc;

// SAFETY: malloc/posix_memalign return fresh, suitably aligned blocks.
unsafe impl core::alloc::GlobalAlloc for Malloc {
    unsafe fn alloc(&self, l: core::alloc::Layout) -> *mut u8 {
        // SAFETY: the C allocator's contract.
        unsafe {
            if l.align() <= 2 * size_of::<usize>() {
                crate::stdlib::malloc::malloc(l.size()) as *mut u8
            } else {
                crate::stdlib::malloc::aligned_alloc(l.align(), l.size()) as *mut u8
            }
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, _l: core::alloc::Layout) {
        // SAFETY: p came from alloc.
        unsafe { crate::stdlib::malloc::free(p as _) }
    }
}
