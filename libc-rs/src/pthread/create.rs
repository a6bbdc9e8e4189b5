//! pthread_create, pthread_exit, pthread_join (and GNU's tryjoin,
//! timedjoin, clockjoin), pthread_detach, pthread_self, pthread_equal.
//!
//! A new thread's mapping is `[guard][stack ...][TLS block][descriptor]`:
//! one mmap, the lowest `guardsize` bytes made PROT_NONE so that running off
//! the stack faults, the static TLS block copied from PT_TLS and the
//! descriptor (the TCB, `%fs`/`%gs` base) at the top, the stack below them.
//! With a caller-provided stack only the TLS block and descriptor are mapped.
//!
//! The thread is `clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
//! CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
//! CLONE_CHILD_CLEARTID)`, glibc's flags, with the descriptor's `tid` as
//! both tid pointers: the kernel writes the tid there before the thread
//! runs and clears it and wakes its (shared) futex when the thread is
//! gone. pthread_join waits for that, so it never frees a stack that is
//! still in use. All signals are blocked across clone; the new thread
//! restores the creator's mask once it runs (as glibc).
//!
//! Who frees a thread is decided on `Pthread::join`: JOINABLE, DETACHED,
//! EXITED, or the descriptor of the thread that claimed it by joining (or
//! by detaching an exited thread). The exiting thread moves JOINABLE or a
//! claim to EXITED and leaves the rest to the claimant; a DETACHED thread
//! unmaps its own mapping and exits without touching the stack again.

use super::attr::{self, pthread_attr_t};
use super::{key, misc, round_page};
use crate::arch::{self, nr};
use crate::errno::{EAGAIN, EDEADLK, EINVAL, ENOMEM, ETIMEDOUT, errno, set_errno};
use crate::thread::{Pthread, StartFn, current, tid_word};
use crate::time::CLOCK_REALTIME;
use crate::{c_int, c_void, clockid_t, futex, signal, timespec, tls};
use core::sync::atomic::{AtomicUsize, Ordering::*};

pub type pthread_t = usize;

// The per-architecture assembly in `arch::*::clone`.
unsafe extern "C" {
    /// glibc's `clone(fn, stack, flags, arg, ptid, tls, ctid)`: the child
    /// runs `fn(arg)` on `stack` and exits with its value; the parent gets
    /// the child's tid, or -1 with errno (EINVAL for a NULL fn or stack).
    pub fn clone(
        f: extern "C" fn(*mut c_void) -> c_int,
        stack: *mut c_void,
        flags: c_int,
        arg: *mut c_void,
        ptid: *mut crate::pid_t,
        tls: usize,
        ctid: *mut crate::pid_t,
    ) -> c_int;
    /// Unmap `[base, base+size)` (the caller's own stack) and exit the
    /// thread, touching no stack after the munmap.
    fn __fl_unmap_self(base: usize, size: usize) -> !;
}

const CLONE_VM: c_int = 0x100;
const CLONE_FS: c_int = 0x200;
const CLONE_FILES: c_int = 0x400;
const CLONE_SIGHAND: c_int = 0x800;
const CLONE_THREAD: c_int = 0x10000;
const CLONE_SYSVSEM: c_int = 0x40000;
const CLONE_SETTLS: c_int = 0x80000;
const CLONE_PARENT_SETTID: c_int = 0x100000;
const CLONE_CHILD_CLEARTID: c_int = 0x200000;
/// glibc's flags for a new thread (sysdeps/unix/sysv/linux/createthread.c).
pub const THREAD_CLONE_FLAGS: c_int = CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_THREAD
    | CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID;

/// Values of `Pthread::join` besides a claimant's descriptor address.
const JOINABLE: usize = 0;
const DETACHED: usize = 1;
const EXITED: usize = 2;

/// Stack left over after TLS and the descriptor, below which pthread_create
/// says EINVAL (glibc's MINIMAL_REST_STACK).
const MINIMAL_REST_STACK: usize = 2048;

/// Threads in the process, the initial one included. The last one to
/// finish ends the process with exit(0), as in glibc.
static NTHREADS: AtomicUsize = AtomicUsize::new(1);

/// `pthread_create(&t, attr, start, arg)`: 0, EAGAIN (no memory or the
/// kernel refused), or EINVAL (a stack too small for the TLS block). errno
/// is left as it was.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_create(
    out: *mut pthread_t,
    attr: *const pthread_attr_t,
    start: StartFn,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: attr is NULL or initialised, as POSIX requires.
    let a = unsafe { attr::effective(attr) };
    let saved_errno = errno();
    let (pd, stack_top) = match allocate(&a) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let me = current();
    // SAFETY: pd is a fresh descriptor nobody else sees yet; me is ours.
    unsafe {
        (*pd).head.stack_guard = (*me).head.stack_guard;
        (*pd).head.pointer_guard = (*me).head.pointer_guard;
        (*pd).head.multiple_threads = 1;
        (*me).head.multiple_threads = 1;
        (*pd).start = Some(start);
        (*pd).arg = arg;
        let detached = a.detachstate == attr::PTHREAD_CREATE_DETACHED;
        (*pd).join = AtomicUsize::new(if detached { DETACHED } else { JOINABLE });
    }
    NTHREADS.fetch_add(1, Relaxed);
    let mask = signal::swap_signal_mask(!0);
    let mut scratch = arch::clone::CloneTls::default();
    // SAFETY: pd is the descriptor the new thread will run with; it stays
    // mapped until the thread is reaped. Not read after clone succeeds: a
    // detached thread may already be gone.
    let r = unsafe {
        (*pd).sigmask = mask;
        let tls = arch::clone::clone_tls(pd as usize, &mut scratch);
        let tid = &raw mut (*pd).tid;
        clone(
            start_thread,
            stack_top as *mut c_void,
            THREAD_CLONE_FLAGS,
            pd as *mut c_void,
            tid,
            tls,
            tid,
        )
    };
    signal::swap_signal_mask(mask);
    if r < 0 {
        let e = errno();
        set_errno(saved_errno);
        NTHREADS.fetch_sub(1, Relaxed);
        // SAFETY: the mapping was never shared with a thread.
        unsafe { unmap(pd) };
        return if e == ENOMEM { EAGAIN } else { e };
    }
    // SAFETY: the caller's output.
    unsafe { *out = pd as pthread_t };
    0
}

/// Map a new thread's memory and lay out its TLS block and descriptor.
/// Returns the descriptor and the initial stack pointer.
fn allocate(a: &attr::Attr) -> Result<(*mut Pthread, usize), c_int> {
    let area = tls::area_size();
    let own_stack = a.stackaddr == 0;
    let (size, guard) = if own_stack {
        let size = round_page(a.stacksize).ok_or(EINVAL)?;
        let guard = round_page(a.guardsize).ok_or(EINVAL)?;
        if size < area + MINIMAL_REST_STACK {
            return Err(EINVAL);
        }
        (size.checked_add(guard).ok_or(EINVAL)?, guard)
    } else {
        (round_page(area).ok_or(EINVAL)?, 0)
    };
    const MAP_STACK: usize = 0x20000;
    let map = syscall!(arch::MMAP_NR, 0, size, 3, 0x22 | MAP_STACK, usize::MAX, 0);
    if (-4095..0).contains(&map) {
        return Err(EAGAIN);
    }
    let map = map as usize;
    if guard != 0 && syscall!(nr::MPROTECT, map, guard, 0) < 0 {
        syscall!(nr::MUNMAP, map, size);
        return Err(EAGAIN);
    }
    // The TLS block and descriptor at the top, 64-byte aligned.
    let base = (map + size - area) & !63;
    // SAFETY: [base, map+size) is fresh, writable and at least `area` bytes.
    let pd = unsafe { tls::install_block(base, map + size - base) };
    // SAFETY: as above; the whole mapping is freed with the thread.
    unsafe {
        (*pd).map_base = map;
        (*pd).map_size = size;
    }
    let top = if own_stack {
        base
    } else {
        a.stackaddr + a.stacksize
    };
    Ok((pd, top & !15))
}

/// Unmap a thread's memory (its stack too, unless the caller provided it).
///
/// # Safety
/// No thread may still run on or use that memory.
unsafe fn unmap(pd: *mut Pthread) {
    // SAFETY: the caller guarantees the mapping is unused.
    unsafe { syscall!(nr::MUNMAP, (*pd).map_base, (*pd).map_size) };
}

/// The new thread's first Rust code (clone calls it on the new stack):
/// the creator's signal mask, then the start routine, then pthread_exit.
extern "C" fn start_thread(arg: *mut c_void) -> c_int {
    let pd = arg as *mut Pthread;
    // SAFETY: pd is our own descriptor, filled before clone.
    unsafe {
        signal::swap_signal_mask((*pd).sigmask);
        let start = (*pd).start.expect("pthread_create sets start");
        pthread_exit(start((*pd).arg))
    }
}

/// `pthread_exit(value)`: cleanup handlers, key destructors, then the
/// thread ends; the last thread ends the process with exit(0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_exit(value: *mut c_void) -> ! {
    let me = current();
    // SAFETY: our own descriptor.
    unsafe { (*me).result = value };
    misc::run_cleanup_handlers();
    key::run_destructors();
    if NTHREADS.fetch_sub(1, AcqRel) == 1 {
        // SAFETY: exit does not return.
        unsafe { crate::exit::exit(0) }
    }
    // No handler may run once the thread's state says it is gone.
    signal::swap_signal_mask(!0);
    // SAFETY: our own descriptor; see the module documentation.
    let join = unsafe { &(*me).join };
    loop {
        let s = join.load(Acquire);
        if s == DETACHED {
            // Nobody will join: free everything ourselves. Tell the kernel
            // not to clear our tid, which is about to be unmapped.
            syscall!(nr::SET_TID_ADDRESS, 0);
            // SAFETY: nobody else uses the mapping; the routine touches no
            // stack after unmapping it.
            unsafe { __fl_unmap_self((*me).map_base, (*me).map_size) }
        }
        if join.compare_exchange(s, EXITED, AcqRel, Acquire).is_ok() {
            break;
        }
    }
    loop {
        syscall!(nr::EXIT, 0);
    }
}

/// `pthread_join(t, &value)`: waits for `t` to end and frees it. EDEADLK
/// when joining oneself or a thread joining us; EINVAL for a detached
/// thread or one another thread joins.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_join(t: pthread_t, value: *mut *mut c_void) -> c_int {
    // SAFETY: t is a thread of this process, as POSIX requires.
    unsafe { join(t, value, Wait::Forever) }
}

/// GNU `pthread_tryjoin_np(t, &value)`: EBUSY if `t` is still running.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_tryjoin_np(t: pthread_t, value: *mut *mut c_void) -> c_int {
    // SAFETY: as pthread_join.
    unsafe { join(t, value, Wait::No) }
}

/// GNU `pthread_timedjoin_np(t, &value, abstime)`: ETIMEDOUT once the
/// CLOCK_REALTIME time `at` passes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_timedjoin_np(
    t: pthread_t,
    value: *mut *mut c_void,
    at: *const timespec,
) -> c_int {
    // SAFETY: as pthread_join; `at` is NULL (no limit) or the caller's time.
    unsafe { join(t, value, Wait::Until(at.as_ref(), CLOCK_REALTIME)) }
}

/// GNU `pthread_clockjoin_np(t, &value, clock, abstime)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_clockjoin_np(
    t: pthread_t,
    value: *mut *mut c_void,
    clock: clockid_t,
    at: *const timespec,
) -> c_int {
    // SAFETY: as pthread_timedjoin_np.
    unsafe { join(t, value, Wait::Until(at.as_ref(), clock)) }
}

/// How long a join may wait.
#[derive(Clone, Copy)]
enum Wait<'a> {
    Forever,
    No,
    Until(Option<&'a timespec>, clockid_t),
}

/// The joins: claim `t`, wait for the kernel to clear its tid, collect its
/// value and free it; give the claim back on EBUSY/ETIMEDOUT.
unsafe fn join(t: pthread_t, value: *mut *mut c_void, how: Wait) -> c_int {
    let (pd, me) = (t as *mut Pthread, current());
    // SAFETY: pd is a live descriptor of this process (POSIX requirement).
    let (join, tid) = unsafe { (&(*pd).join, tid_word(pd)) };
    // SAFETY: our own descriptor.
    if pd == me || unsafe { (*me).join.load(Acquire) } == pd as usize {
        return EDEADLK;
    }
    let claimed_from = loop {
        let s = join.load(Acquire);
        if s != JOINABLE && s != EXITED {
            return EINVAL;
        }
        if join
            .compare_exchange(s, me as usize, AcqRel, Acquire)
            .is_ok()
        {
            break s;
        }
    };
    let r = wait_for_exit(tid, how);
    if r != 0 {
        // Give the claim back, unless the thread ended meanwhile (it then
        // moved the claim to EXITED, or had before we claimed it): then the
        // join is as good as done.
        let ended = claimed_from == EXITED
            || join
                .compare_exchange(me as usize, JOINABLE, AcqRel, Acquire)
                .is_err();
        if !ended {
            return r;
        }
        wait_for_exit(tid, Wait::Forever);
    }
    // SAFETY: the thread is gone (tid cleared) and we hold the only claim.
    unsafe {
        if !value.is_null() {
            *value = (*pd).result;
        }
        unmap(pd);
    }
    0
}

/// Wait until the kernel has cleared `tid` (the thread is gone): 0, EBUSY
/// (Wait::No), ETIMEDOUT, or EINVAL for a bad time or clock.
fn wait_for_exit(tid: &core::sync::atomic::AtomicU32, how: Wait) -> c_int {
    loop {
        let t = tid.load(Acquire);
        if t == 0 {
            return 0;
        }
        // The kernel wakes CLONE_CHILD_CLEARTID as a shared futex.
        let r = match how {
            Wait::No => return crate::errno::EBUSY,
            Wait::Forever => futex::wait(tid, t, true),
            Wait::Until(at, clock) => futex::wait_until(tid, t, at, clock, true),
        };
        if r == ETIMEDOUT || r == EINVAL {
            return r;
        }
    }
}

/// `pthread_detach(t)`: `t` frees itself when it ends; if it already has,
/// free it now. EINVAL if it was already detached; 0 if another thread
/// is joining it (glibc).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_detach(t: pthread_t) -> c_int {
    let pd = t as *mut Pthread;
    // SAFETY: pd is a live descriptor of this process (POSIX requirement).
    let join = unsafe { &(*pd).join };
    loop {
        match join.load(Acquire) {
            JOINABLE => {
                if join
                    .compare_exchange(JOINABLE, DETACHED, AcqRel, Acquire)
                    .is_ok()
                {
                    return 0;
                }
            }
            DETACHED => return EINVAL,
            // SAFETY: as pthread_join: we reap it, without a value.
            EXITED => return unsafe { join_exited(pd) },
            _ => return 0,
        }
    }
}

/// Reap a thread that has exited but was never joined (pthread_detach).
unsafe fn join_exited(pd: *mut Pthread) -> c_int {
    // SAFETY: pd is live until we free it; claiming makes us its only reaper.
    unsafe {
        if (*pd)
            .join
            .compare_exchange(EXITED, current() as usize, AcqRel, Acquire)
            .is_err()
        {
            return pthread_detach(pd as pthread_t);
        }
        wait_for_exit(tid_word(pd), Wait::Forever);
        unmap(pd);
    }
    0
}

/// `pthread_self()`: the calling thread's descriptor.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_self() -> pthread_t {
    current() as pthread_t
}

/// `pthread_equal(a, b)`: nonzero when they name the same thread.
#[unsafe(no_mangle)]
pub extern "C" fn pthread_equal(a: pthread_t, b: pthread_t) -> c_int {
    (a == b) as c_int
}

/// In a forked child: the calling thread is the only one (POSIX).
pub fn after_fork_child() {
    NTHREADS.store(1, Relaxed);
}
