//! pipe and pipe2.

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::file::{O_CLOEXEC, O_NONBLOCK};
use crate::process::signal::RLIMIT_NOFILE;
use crate::sched::current;
use crate::uaccess::put_user;

fn do_pipe2(fds: usize, flags: u32) -> SysResult {
    if flags & !(O_CLOEXEC | O_NONBLOCK | 0o40000/* O_DIRECT */) != 0 {
        return Err(Errno::EINVAL);
    }
    let (r, w) = crate::fs::pipe::create_pipe(flags);
    let files = current().files();
    let limit = current().signal().rlim.lock()[RLIMIT_NOFILE].cur as usize;
    let cloexec = flags & O_CLOEXEC != 0;
    let rfd = files.alloc(r, cloexec, 0, limit)?;
    let wfd = match files.alloc(w, cloexec, 0, limit) {
        Ok(fd) => fd,
        Err(e) => {
            let _ = files.close(rfd);
            return Err(e);
        }
    };
    if put_user(fds, &[rfd, wfd]).is_err() {
        let _ = files.close(rfd);
        let _ = files.close(wfd);
        return Err(Errno::EFAULT);
    }
    Ok(0)
}

pub fn sys_pipe(a: &mut SyscallArgs) -> SysResult {
    do_pipe2(a.arg(0), 0)
}

pub fn sys_pipe2(a: &mut SyscallArgs) -> SysResult {
    do_pipe2(a.arg(0), a.uint(1))
}
