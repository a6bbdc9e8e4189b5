//! signal.h: sigaction (always with our restorer, as glibc does), signal,
//! sigprocmask, the sigset functions, kill, raise.

use crate::arch::{self, nr};
use crate::errno::{EINVAL, set_errno};
use crate::sys::ret_int;
use crate::{c_int, c_ulong, pid_t};

pub const SIGABRT: c_int = 6;
pub const SIGKILL: c_int = 9;
pub const SIGSTOP: c_int = 19;
pub const NSIG: c_int = 65;
pub const SIG_DFL: usize = 0;
pub const SIG_IGN: usize = 1;
pub const SIG_ERR: usize = !0;
const SA_SIGINFO: c_ulong = 4;
const SA_RESTORER: c_ulong = 0x0400_0000;
const SA_RESTART: c_ulong = 0x1000_0000;
pub const SIG_BLOCK: c_int = 0;
pub const SIG_UNBLOCK: c_int = 1;
pub const SIG_SETMASK: c_int = 2;

/// `sigset_t`: 1024 bits like glibc's; the kernel reads the first 64.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigset_t {
    pub bits: [c_ulong; 1024 / (8 * size_of::<c_ulong>())],
}

/// Our `struct sigaction` (glibc's layout: handler, mask, flags, restorer).
#[repr(C)]
pub struct sigaction {
    pub sa_handler: usize,
    pub sa_mask: sigset_t,
    pub sa_flags: c_int,
    pub sa_restorer: usize,
}

/// The kernel's `struct sigaction` for rt_sigaction.
#[repr(C)]
#[derive(Default)]
struct KSigaction {
    handler: usize,
    flags: c_ulong,
    restorer: usize,
    mask: [u32; 2],
}

fn valid(sig: c_int) -> bool {
    (1..NSIG).contains(&sig)
}

/// `sigaction(sig, act, old)`: EINVAL for bad numbers and for SIGKILL/SIGSTOP.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigaction(
    sig: c_int,
    act: *const sigaction,
    old: *mut sigaction,
) -> c_int {
    if !valid(sig) || (!act.is_null() && (sig == SIGKILL || sig == SIGSTOP)) {
        set_errno(EINVAL);
        return -1;
    }
    let mut k = KSigaction::default();
    let mut ko = KSigaction::default();
    // SAFETY: act/old are the caller's structures or NULL.
    unsafe {
        if !act.is_null() {
            let a = &*act;
            k.handler = a.sa_handler;
            k.flags = a.sa_flags as u32 as c_ulong | SA_RESTORER;
            k.restorer = arch::restorer(a.sa_flags as c_ulong & SA_SIGINFO != 0);
            let m = a.sa_mask.bits[0] as u64
                | if size_of::<c_ulong>() == 4 {
                    (a.sa_mask.bits[1] as u64) << 32
                } else {
                    0
                };
            k.mask = [m as u32, (m >> 32) as u32];
        }
        let r = syscall!(
            nr::RT_SIGACTION,
            sig,
            if act.is_null() {
                0
            } else {
                &raw const k as usize
            },
            if old.is_null() {
                0
            } else {
                &raw mut ko as usize
            },
            8
        );
        if r < 0 {
            return ret_int(r);
        }
        if !old.is_null() {
            let o = &mut *old;
            o.sa_handler = ko.handler;
            o.sa_flags = (ko.flags & !SA_RESTORER) as c_int;
            o.sa_restorer = 0;
            o.sa_mask = sigset_t {
                bits: [0; 1024 / (8 * size_of::<c_ulong>())],
            };
            let m = ko.mask[0] as u64 | (ko.mask[1] as u64) << 32;
            set_mask_bits(&mut o.sa_mask, m);
        }
    }
    0
}

/// Put the kernel's 64 bits into a sigset.
fn set_mask_bits(s: &mut sigset_t, m: u64) {
    s.bits[0] = m as c_ulong;
    if size_of::<c_ulong>() == 4 {
        s.bits[1] = (m >> 32) as c_ulong;
    }
}

/// The kernel's 64 bits of a sigset.
fn mask_bits(s: &sigset_t) -> u64 {
    if size_of::<c_ulong>() == 4 {
        s.bits[0] as u64 | (s.bits[1] as u64) << 32
    } else {
        s.bits[0] as u64
    }
}

/// Set a handler with no flags and an empty mask (abort uses it).
pub fn sigaction_raw(sig: c_int, handler: usize) {
    let a = sigaction {
        sa_handler: handler,
        sa_mask: sigset_t {
            bits: [0; 1024 / (8 * size_of::<c_ulong>())],
        },
        sa_flags: 0,
        sa_restorer: 0,
    };
    // SAFETY: local structure.
    unsafe { sigaction(sig, &a, core::ptr::null_mut()) };
}

/// `signal(sig, handler)`: BSD semantics like glibc (SA_RESTART, handler
/// stays installed); SIG_ERR with EINVAL on a bad signal.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn signal(sig: c_int, handler: usize) -> usize {
    let a = sigaction {
        sa_handler: handler,
        sa_mask: sigset_t {
            bits: [0; 1024 / (8 * size_of::<c_ulong>())],
        },
        sa_flags: SA_RESTART as c_int,
        sa_restorer: 0,
    };
    let mut old = sigaction {
        sa_handler: 0,
        sa_mask: a.sa_mask,
        sa_flags: 0,
        sa_restorer: 0,
    };
    // SAFETY: local structures.
    if unsafe { sigaction(sig, &a, &mut old) } < 0 {
        return SIG_ERR;
    }
    old.sa_handler
}

/// `sigprocmask(how, set, old)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigprocmask(
    how: c_int,
    set: *const sigset_t,
    old: *mut sigset_t,
) -> c_int {
    if !set.is_null() && !(SIG_BLOCK..=SIG_SETMASK).contains(&how) {
        set_errno(EINVAL);
        return -1;
    }
    let mut k: u64 = 0;
    let mut ko: u64 = 0;
    // SAFETY: caller's sets or NULL.
    unsafe {
        if !set.is_null() {
            k = mask_bits(&*set);
        }
        let r = syscall!(
            nr::RT_SIGPROCMASK,
            how,
            if set.is_null() {
                0
            } else {
                &raw const k as usize
            },
            &raw mut ko as usize,
            8
        );
        if r < 0 {
            return ret_int(r);
        }
        if !old.is_null() {
            *old = sigset_t {
                bits: [0; 1024 / (8 * size_of::<c_ulong>())],
            };
            set_mask_bits(&mut *old, ko);
        }
    }
    0
}

/// Set the calling thread's mask to the kernel mask `m`; returns the old
/// one (threads start and end with it; see `pthread::create`).
pub fn swap_signal_mask(m: u64) -> u64 {
    let mut old: u64 = 0;
    syscall!(
        nr::RT_SIGPROCMASK,
        SIG_SETMASK,
        &raw const m as usize,
        &raw mut old as usize,
        8
    );
    old
}

/// Unblock one signal (abort uses it).
pub fn sigprocmask_all_unblock(sig: c_int) {
    let m: u64 = 1 << (sig - 1);
    syscall!(nr::RT_SIGPROCMASK, SIG_UNBLOCK, &raw const m as usize, 0, 8);
}

/// `sigemptyset(s)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigemptyset(s: *mut sigset_t) -> c_int {
    // SAFETY: caller's set.
    unsafe { (*s).bits = [0; 1024 / (8 * size_of::<c_ulong>())] };
    0
}

/// `sigfillset(s)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigfillset(s: *mut sigset_t) -> c_int {
    // SAFETY: caller's set.
    unsafe { (*s).bits = [!0; 1024 / (8 * size_of::<c_ulong>())] };
    0
}

/// Bit position of `sig` in a sigset, or EINVAL.
fn bit(sig: c_int) -> Option<(usize, c_ulong)> {
    if !valid(sig) {
        set_errno(EINVAL);
        return None;
    }
    let b = (sig - 1) as usize;
    let w = 8 * size_of::<c_ulong>();
    Some((b / w, 1 << (b % w)))
}

/// `sigaddset(s, sig)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigaddset(s: *mut sigset_t, sig: c_int) -> c_int {
    let Some((w, m)) = bit(sig) else { return -1 };
    // SAFETY: caller's set.
    unsafe { (*s).bits[w] |= m };
    0
}

/// `sigdelset(s, sig)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigdelset(s: *mut sigset_t, sig: c_int) -> c_int {
    let Some((w, m)) = bit(sig) else { return -1 };
    // SAFETY: caller's set.
    unsafe { (*s).bits[w] &= !m };
    0
}

/// `sigismember(s, sig)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sigismember(s: *const sigset_t, sig: c_int) -> c_int {
    let Some((w, m)) = bit(sig) else { return -1 };
    // SAFETY: caller's set.
    unsafe { ((*s).bits[w] & m != 0) as c_int }
}

/// `kill(pid, sig)`.
#[unsafe(no_mangle)]
pub extern "C" fn kill(pid: pid_t, sig: c_int) -> c_int {
    ret_int(syscall!(nr::KILL, pid, sig))
}

/// `raise(sig)`: tgkill to the calling thread.
#[unsafe(no_mangle)]
pub extern "C" fn raise(sig: c_int) -> c_int {
    let pid = syscall!(nr::GETPID);
    ret_int(syscall!(nr::TGKILL, pid, crate::thread::gettid(), sig))
}
