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
//! * [`spawn`] and [`JoinHandle`]: threads over pthread_create/join;
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

/// A thread's closure, then its result, in one malloc'd block shared by
/// the thread and its [`JoinHandle`].
#[repr(C)]
struct Packet<F, T> {
    /// RUNNING, then DONE (result stored) or DROPPED (handle gone):
    /// whoever comes second frees the packet.
    state: core::sync::atomic::AtomicU8,
    slot: Slot<F, T>,
}

union Slot<F, T> {
    f: core::mem::ManuallyDrop<F>,
    t: core::mem::ManuallyDrop<T>,
}

const RUNNING: u8 = 0;
const DONE: u8 = 1;
const DROPPED: u8 = 2;

/// A thread started by [`spawn`]: join it for its value; dropping the
/// handle detaches the thread (its value is then dropped when it ends).
pub struct JoinHandle<T> {
    thread: crate::pthread::create::pthread_t,
    packet: *mut u8,
    /// Take the result out of a finished packet and free it.
    take: unsafe fn(*mut u8) -> T,
    /// The handle is gone: free the packet now if the thread is done.
    abandon: unsafe fn(*mut u8),
}

// SAFETY: the handle only names the thread and its packet; T is Send.
unsafe impl<T: Send> Send for JoinHandle<T> {}

/// Run `f` on a new thread (default attributes).
pub fn spawn<F, T>(f: F) -> Result<JoinHandle<T>, Errno>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    use core::sync::atomic::AtomicU8;
    let layout = core::alloc::Layout::new::<Packet<F, T>>();
    // SAFETY: Malloc returns a fresh block for this layout (or null).
    let p = unsafe { core::alloc::GlobalAlloc::alloc(&Malloc, layout) } as *mut Packet<F, T>;
    if p.is_null() {
        return Err(Errno(crate::errno::EAGAIN));
    }
    // SAFETY: p is fresh and suitably aligned.
    unsafe {
        p.write(Packet {
            state: AtomicU8::new(RUNNING),
            slot: Slot {
                f: core::mem::ManuallyDrop::new(f),
            },
        })
    };
    let mut thread = 0;
    // SAFETY: the trampoline matches the packet's types.
    let e = unsafe {
        crate::pthread::create::pthread_create(&mut thread, core::ptr::null(), run::<F, T>, p as _)
    };
    if e != 0 {
        // SAFETY: the thread never started: the closure and block are ours.
        unsafe {
            core::mem::ManuallyDrop::drop(&mut (*p).slot.f);
            core::alloc::GlobalAlloc::dealloc(&Malloc, p as *mut u8, layout);
        }
        return Err(Errno(e));
    }
    Ok(JoinHandle {
        thread,
        packet: p as *mut u8,
        take: take_result::<F, T>,
        abandon: abandon_packet::<F, T>,
    })
}

/// The new thread: take the closure, run it, leave the result.
extern "C" fn run<F: FnOnce() -> T, T>(arg: *mut crate::c_void) -> *mut crate::c_void {
    use core::sync::atomic::Ordering::AcqRel;
    let p = arg as *mut Packet<F, T>;
    // SAFETY: spawn wrote the closure; only this thread touches the slot
    // until it publishes DONE.
    unsafe {
        let f = core::mem::ManuallyDrop::take(&mut (*p).slot.f);
        (*p).slot.t = core::mem::ManuallyDrop::new(f());
        if (*p).state.swap(DONE, AcqRel) == DROPPED {
            free_packet::<F, T>(p);
        }
    }
    core::ptr::null_mut()
}

/// Move the result out of a packet whose thread has ended, and free it.
unsafe fn take_result<F, T>(p: *mut u8) -> T {
    let p = p as *mut Packet<F, T>;
    // SAFETY: the thread stored its result (DONE) and is gone.
    unsafe {
        let t = core::mem::ManuallyDrop::take(&mut (*p).slot.t);
        core::alloc::GlobalAlloc::dealloc(
            &Malloc,
            p as *mut u8,
            core::alloc::Layout::new::<Packet<F, T>>(),
        );
        t
    }
}

/// The handle was dropped: the thread frees the packet when it ends, or
/// we do now if it already has.
unsafe fn abandon_packet<F, T>(p: *mut u8) {
    use core::sync::atomic::Ordering::AcqRel;
    let p = p as *mut Packet<F, T>;
    // SAFETY: the packet lives until both the thread and the handle are done.
    unsafe {
        if (*p).state.swap(DROPPED, AcqRel) == DONE {
            free_packet::<F, T>(p);
        }
    }
}

/// Drop a finished packet's result and free it.
unsafe fn free_packet<F, T>(p: *mut Packet<F, T>) {
    // SAFETY: the caller is the last user of a packet holding a result.
    unsafe {
        core::mem::ManuallyDrop::drop(&mut (*p).slot.t);
        core::alloc::GlobalAlloc::dealloc(
            &Malloc,
            p as *mut u8,
            core::alloc::Layout::new::<Packet<F, T>>(),
        );
    }
}

impl<T> JoinHandle<T> {
    /// Wait for the thread and take its value.
    pub fn join(self) -> Result<T, Errno> {
        let (thread, packet, take) = (self.thread, self.packet, self.take);
        core::mem::forget(self);
        // SAFETY: our own thread, joined once (the handle is consumed).
        let e = unsafe { crate::pthread::create::pthread_join(thread, core::ptr::null_mut()) };
        if e != 0 {
            return Err(Errno(e));
        }
        // SAFETY: the thread has ended, after storing its result.
        Ok(unsafe { take(packet) })
    }

    /// The thread's `pthread_t`.
    pub fn as_pthread_t(&self) -> crate::pthread::create::pthread_t {
        self.thread
    }
}

impl<T> Drop for JoinHandle<T> {
    /// Detach the thread; its result is dropped when it ends.
    fn drop(&mut self) {
        // SAFETY: our own thread and packet; the handle is going away.
        unsafe {
            crate::pthread::create::pthread_detach(self.thread);
            (self.abandon)(self.packet);
        }
    }
}
