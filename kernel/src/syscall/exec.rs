//! execve and execveat: copy the path and argument vectors in, then
//! fs::exec::do_execve.

use super::SyscallArgs;
use super::open::{AT_EMPTY_PATH, AT_FDCWD, getname};
use crate::errno::{Errno, SysResult};
use crate::uaccess::{get_user, strncpy_from_user};
use alloc::vec::Vec;

/// Linux's MAX_ARG_STRINGS and MAX_ARG_STRLEN.
const MAX_ARG_STRINGS: usize = 0x7fff_ffff;
const MAX_ARG_STRLEN: usize = 32 * 4096;

/// Copy a NULL-terminated array of user strings (argv or envp).
fn copy_strings(addr: usize, compat: bool) -> Result<Vec<Vec<u8>>, Errno> {
    let mut v = Vec::new();
    if addr == 0 {
        return Ok(v);
    }
    let word = if compat { 4 } else { 8 };
    for i in 0..MAX_ARG_STRINGS {
        let p = if compat {
            get_user::<u32>(addr + i * word)? as usize
        } else {
            get_user::<u64>(addr + i * word)? as usize
        };
        if p == 0 {
            return Ok(v);
        }
        v.push(strncpy_from_user(p, MAX_ARG_STRLEN, Errno::E2BIG)?);
        if i % 1024 == 1023 {
            crate::sched::cond_resched();
        }
    }
    Err(Errno::E2BIG)
}

fn do_execveat(
    a: &mut SyscallArgs,
    dirfd: i32,
    path: Vec<u8>,
    argv: usize,
    envp: usize,
) -> SysResult {
    let argv = copy_strings(argv, a.compat())?;
    let envp = copy_strings(envp, a.compat())?;
    let path = if dirfd == AT_FDCWD || path.starts_with(b"/") {
        path
    } else {
        let f = crate::sched::current().files().get(dirfd)?;
        let mut p = f.path.clone();
        p.push(b'/');
        p.extend_from_slice(&path);
        p
    };
    crate::fs::exec::do_execve(&path, argv, envp, a.regs)?;
    // The new program's first register values are in regs; the return
    // value must not clobber rax/eax of the fresh image.
    Ok(0)
}

#[unsafe(no_mangle)]
pub fn sys_execve(a: &mut SyscallArgs) -> SysResult {
    let path = getname(a.arg(0))?;
    do_execveat(a, AT_FDCWD, path, a.arg(1), a.arg(2))
}

pub fn sys_execveat(a: &mut SyscallArgs) -> SysResult {
    let flags = a.uint(4);
    let path = strncpy_from_user(a.arg(1), crate::fs::namei::PATH_MAX, Errno::ENAMETOOLONG)?;
    if path.is_empty() && flags & AT_EMPTY_PATH == 0 {
        return Err(Errno::ENOENT);
    }
    let path = if path.is_empty() {
        crate::sched::current().files().get(a.int(0))?.path.clone()
    } else {
        path
    };
    do_execveat(a, a.int(0), path, a.arg(2), a.arg(3))
}
