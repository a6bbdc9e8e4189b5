//! timerfd_create, timerfd_settime, timerfd_gettime (+ i386's 64-bit-time
//! forms): decode, hand off to fs/timerfd.rs.

use super::SyscallArgs;
use super::open::install_fd;
use super::posix_timers::{read_itimerspec, write_itimerspec};
use super::time::clock_to_ktime;
use crate::errno::{Errno, SysResult};
use crate::fs::timerfd::{
    CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_REALTIME, CLOCK_REALTIME_ALARM, TFD_CLOEXEC,
    TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET, TimerfdCtx, timerfd_create,
};
use crate::sched::current;
use alloc::sync::Arc;

/// timerfd_create(clockid, flags)
pub fn sys_timerfd_create(a: &mut SyscallArgs) -> SysResult {
    let flags = a.uint(1);
    install_fd(timerfd_create(a.int(0), flags)?, flags & TFD_CLOEXEC != 0)
}

// The timerfd open as `fd`: EBADF, or EINVAL for another kind of file.
fn timerfd_fget(fd: i32) -> Result<Arc<crate::fs::File>, Errno> {
    let file = current().files().get(fd)?;
    file.ops_as::<TimerfdCtx>().ok_or(Errno::EINVAL)?;
    Ok(file)
}

/// timerfd_settime(fd, flags, new_value, old_value)
pub fn sys_timerfd_settime(a: &mut SyscallArgs) -> SysResult {
    let (interval, value) = read_itimerspec(a, a.arg(2))?;
    let flags = a.uint(1);
    if flags & !(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) != 0 {
        return Err(Errno::EINVAL);
    }
    let file = timerfd_fget(a.int(0))?;
    let ctx = file.ops_as::<TimerfdCtx>().unwrap();
    let deadline = if value == 0 {
        None
    } else if flags & TFD_TIMER_ABSTIME != 0 {
        // The alarm clocks read as the clocks they wake from.
        let clock = match ctx.clockid() {
            CLOCK_REALTIME_ALARM => CLOCK_REALTIME,
            CLOCK_BOOTTIME_ALARM => CLOCK_BOOTTIME,
            c => c,
        };
        Some(clock_to_ktime(clock, value)?)
    } else {
        Some(crate::time::ktime_get_ns().saturating_add(value))
    };
    let old = ctx.settime(deadline, interval, flags);
    if a.arg(3) != 0 {
        write_itimerspec(a, a.arg(3), old)?;
    }
    Ok(0)
}

/// timerfd_gettime(fd, curr_value)
pub fn sys_timerfd_gettime(a: &mut SyscallArgs) -> SysResult {
    let file = timerfd_fget(a.int(0))?;
    let cur = file.ops_as::<TimerfdCtx>().unwrap().gettime();
    write_itimerspec(a, a.arg(1), cur).map(|_| 0)
}
