//! ioctl (Linux's fs/ioctl.c): FIONBIO and FIOCLEX here, everything else
//! goes to the file's own operations (ENOTTY when it has none).

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::fs::file::O_NONBLOCK;
use crate::sched::current;
use core::sync::atomic::Ordering;

const FIONCLEX: u32 = 0x5450;
const FIOCLEX: u32 = 0x5451;
const FIONBIO: u32 = 0x5421;

pub fn sys_ioctl(a: &mut SyscallArgs) -> SysResult {
    let (fd, cmd, arg) = (a.int(0), a.uint(1), a.arg(2));
    let files = current().files();
    let file = files.get(fd)?;
    match cmd {
        FIOCLEX => files.set_cloexec(fd, true).map(|_| 0),
        FIONCLEX => files.set_cloexec(fd, false).map(|_| 0),
        FIONBIO => {
            let on: i32 = crate::uaccess::get_user(arg)?;
            if on != 0 {
                file.flags.fetch_or(O_NONBLOCK, Ordering::Relaxed);
            } else {
                file.flags.fetch_and(!O_NONBLOCK, Ordering::Relaxed);
            }
            Ok(0)
        }
        _ => match &file.ops {
            Some(ops) => ops.ioctl(&file, cmd, arg),
            None => Err(Errno::ENOTTY),
        },
    }
}
