//! close_range (Linux's fs/file.c __close_range).

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::sched::current;
use alloc::sync::Arc;

const CLOSE_RANGE_UNSHARE: u32 = 1 << 1;
const CLOSE_RANGE_CLOEXEC: u32 = 1 << 2;

/// close_range(first, last, flags): close, or with CLOSE_RANGE_CLOEXEC
/// mark close-on-exec, every descriptor from first to last; with
/// CLOSE_RANGE_UNSHARE on a private copy of a shared table first.
pub fn sys_close_range(a: &mut SyscallArgs) -> SysResult {
    let (first, last, flags) = (a.uint(0), a.uint(1), a.uint(2));
    if flags & !(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) != 0 || first > last {
        return Err(Errno::EINVAL);
    }
    let me = current();
    if flags & CLOSE_RANGE_UNSHARE != 0 {
        let private = Arc::new(me.files().copy());
        let shared = me.files.lock().replace(private);
        drop(shared);
    }
    me.files()
        .close_range(first, last, flags & CLOSE_RANGE_CLOEXEC != 0);
    Ok(0)
}
