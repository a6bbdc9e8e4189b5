//! fork, vfork, clone, clone3: decode each ABI's arguments into
//! kernel_clone_args and call kernel_clone (process/fork.rs).

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::process::fork::*;
use crate::process::signal::{NSIG, SIGCHLD};
use crate::uaccess::copy_from_user;

fn clone_with(a: &mut SyscallArgs, args: KernelCloneArgs) -> SysResult {
    kernel_clone(&args, a.regs).map(|pid| pid as usize)
}

/// fork(): clone with SIGCHLD and nothing shared.
#[unsafe(no_mangle)]
pub fn sys_fork(a: &mut SyscallArgs) -> SysResult {
    clone_with(
        a,
        KernelCloneArgs {
            exit_signal: SIGCHLD,
            ..Default::default()
        },
    )
}

/// vfork(): share the address space; the parent sleeps until the child
/// execs or exits.
#[unsafe(no_mangle)]
pub fn sys_vfork(a: &mut SyscallArgs) -> SysResult {
    clone_with(
        a,
        KernelCloneArgs {
            flags: CLONE_VFORK | CLONE_VM,
            exit_signal: SIGCHLD,
            ..Default::default()
        },
    )
}

/// clone(): x86_64 passes (flags, stack, parent_tid, child_tid, tls);
/// i386 passes (flags, stack, parent_tid, tls, child_tid), tls being a
/// `struct user_desc *` (CONFIG_CLONE_BACKWARDS).
#[unsafe(no_mangle)]
pub fn sys_clone(a: &mut SyscallArgs) -> SysResult {
    let flags = a.args[0] & 0xffff_ffff;
    let (ptid, ctid, tls) = if a.compat() {
        (a.arg(2), a.arg(4), a.args[3])
    } else {
        (a.arg(2), a.arg(3), a.args[4])
    };
    let args = KernelCloneArgs {
        flags: flags & !CSIGNAL,
        exit_signal: (flags & CSIGNAL) as i32,
        stack: a.args[1],
        parent_tid: ptid,
        child_tid: ctid,
        tls,
        from_clone3: false,
    };
    if args.exit_signal as usize > NSIG {
        return Err(Errno::EINVAL);
    }
    clone_with(a, args)
}

/// clone3(struct clone_args *, size): the extensible form; unknown flags
/// and unsupported features are EINVAL, as Linux.
#[unsafe(no_mangle)]
pub fn sys_clone3(a: &mut SyscallArgs) -> SysResult {
    const CLONE_ARGS_SIZE_VER0: usize = 64;
    let size = a.arg(1);
    if size > 4096 {
        return Err(Errno::E2BIG);
    }
    if size < CLONE_ARGS_SIZE_VER0 {
        return Err(Errno::EINVAL);
    }
    let mut b = alloc::vec![0u8; size];
    copy_from_user(&mut b, a.arg(0))?;
    // Fields past what we know must be zero (copy_struct_from_user).
    if size > 88 && b[88..].iter().any(|&x| x != 0) {
        return Err(Errno::E2BIG);
    }
    let f = |i: usize| {
        u64::from_le_bytes(
            b.get(i * 8..i * 8 + 8)
                .map(|s| s.try_into().unwrap())
                .unwrap_or([0; 8]),
        )
    };
    let (flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls) =
        (f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7));
    let set_tid_size = f(9);
    // pidfd is only read with CLONE_PIDFD (glibc fills it regardless).
    let _ = pidfd;
    if flags & (CSIGNAL | CLONE_DETACHED) != 0 || exit_signal > NSIG as u64 || set_tid_size != 0 {
        return Err(Errno::EINVAL);
    }
    if (stack == 0) != (stack_size == 0) {
        return Err(Errno::EINVAL);
    }
    let args = KernelCloneArgs {
        flags,
        exit_signal: exit_signal as i32,
        stack: if stack != 0 { stack + stack_size } else { 0 },
        parent_tid: parent_tid as usize,
        child_tid: child_tid as usize,
        tls,
        from_clone3: true,
    };
    clone_with(a, args)
}
