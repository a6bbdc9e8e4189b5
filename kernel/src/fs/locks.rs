//! File locks (Linux's fs/locks.c): flock(2) locks, POSIX record locks
//! (fcntl F_SETLK…) and open-file-description locks (F_OFD_SETLK…).
//!
//! The lists and their arithmetic (split, merge, conflict, the deadlock
//! walk) are the filelock crate's. Here they are kept per inode in one
//! table under one lock (Linux's i_flctx, and its blocked_lock_lock for
//! the waiters), and tied to open files, processes and sleeping. Owners:
//! a flock or OFD lock belongs to its open file description (the File's
//! address), a POSIX lock to the descriptor table (Linux's
//! current->files). Waiters sleep on one queue and look again whenever a
//! held lock goes or shrinks.

use super::fdtable::FilesStruct;
use super::file::File;
use super::inode::Inode;
use crate::errno::Errno;
use crate::sched::current;
use crate::sched::wait::WaitQueue;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use filelock::{Applied, FileLock, LockKind, RangeError};
pub use filelock::{F_RDLCK, F_UNLCK, F_WRLCK};

/// One inode's locks (Linux's struct file_lock_context).
struct FileLockContext {
    inode: Arc<Inode>,
    flc_flock: Vec<FileLock>,
    flc_posix: Vec<FileLock>,
}

/// A task sleeping for a lock (Linux's fl_blocked_requests, and
/// blocked_hash for deadlock detection): its request, and the lock in its
/// way when it last looked.
struct Blocked {
    task: usize,
    request: FileLock,
    blocker: FileLock,
}

struct Locks {
    /// Keyed by the inode's address; a context goes when it is empty.
    inodes: BTreeMap<usize, FileLockContext>,
    blocked: Vec<Blocked>,
}

static LOCKS: SpinLock<Locks> = SpinLock::new(Locks {
    inodes: BTreeMap::new(),
    blocked: Vec::new(),
});

/// Every sleeping lock request.
static LOCK_WAIT: WaitQueue = WaitQueue::new();

/// The user's struct flock / flock64, whichever ABI it came in.
#[derive(Clone, Copy, Default)]
pub struct Flock {
    pub l_type: i16,
    pub l_whence: i16,
    pub l_start: i64,
    pub l_len: i64,
    pub l_pid: i32,
}

/// The owner of an open file description's flock and OFD locks.
pub fn file_owner(file: &File) -> usize {
    file as *const File as usize
}

/// The owner of a descriptor table's POSIX locks.
pub fn files_owner(files: &FilesStruct) -> usize {
    files as *const FilesStruct as usize
}

/// The inode's key in the table.
fn inode_key(inode: &Inode) -> usize {
    inode as *const Inode as usize
}

impl Locks {
    /// Run `f` on the inode's context (made if missing, dropped if left
    /// empty).
    fn with_ctx<R>(&mut self, inode: &Arc<Inode>, f: impl FnOnce(&mut FileLockContext) -> R) -> R {
        let key = inode_key(inode);
        let ctx = self.inodes.entry(key).or_insert_with(|| FileLockContext {
            inode: inode.clone(),
            flc_flock: Vec::new(),
            flc_posix: Vec::new(),
        });
        let r = f(ctx);
        if ctx.flc_flock.is_empty() && ctx.flc_posix.is_empty() {
            self.inodes.remove(&key);
        }
        r
    }

    /// The waiters for `owner`'s locks are woken (Linux's
    /// locks_wake_up_blocks): they stop counting as blocked until they
    /// look again, so that no stale wait makes a false deadlock.
    fn unblock(&mut self, owner: usize) {
        self.blocked.retain(|b| b.blocker.fl_owner != owner);
    }

    /// One attempt of `task` at `request`: Some(result) when done, None
    /// when it must sleep (then recorded as blocked for deadlock
    /// detection); and whether held locks were released.
    fn try_lock(
        &mut self,
        inode: &Arc<Inode>,
        request: &FileLock,
        wait: bool,
        task: usize,
    ) -> (Option<Result<(), Errno>>, bool) {
        self.blocked.retain(|b| b.task != task);
        let applied: Applied = self.with_ctx(inode, |ctx| match request.fl_flags {
            LockKind::Flock => filelock::flock_lock_inode(&mut ctx.flc_flock, request),
            _ => filelock::posix_lock_inode(&mut ctx.flc_posix, request),
        });
        if applied.released {
            self.unblock(request.fl_owner);
        }
        let Some(conflict) = applied.conflict else {
            return (Some(Ok(())), applied.released);
        };
        if !wait {
            return (Some(Err(Errno::EAGAIN)), applied.released);
        }
        // Only POSIX requests are followed (Linux's blocked_hash holds
        // no OFD or flock waiters).
        let waits_for = |owner| {
            self.blocked
                .iter()
                .find(|b| b.request.fl_owner == owner && b.request.fl_flags == LockKind::Posix)
                .map(|b| b.blocker.fl_owner)
        };
        if filelock::posix_locks_deadlock(request, conflict.fl_owner, waits_for) {
            return (Some(Err(Errno::EDEADLK)), applied.released);
        }
        self.blocked.push(Blocked {
            task,
            request: *request,
            blocker: conflict,
        });
        (None, applied.released)
    }
}

/// Apply `request` to `inode`; with `wait`, sleep interruptibly while it
/// conflicts (ERESTARTSYS on a signal, EDEADLK if the sleep could never
/// end), otherwise EAGAIN (Linux's locks_lock_inode_wait).
fn lock_inode_wait(inode: &Arc<Inode>, request: &FileLock, wait: bool) -> Result<(), Errno> {
    let task = current().pid() as usize;
    let mut outcome = None;
    let slept = LOCK_WAIT.wait_event(true, || {
        let (done, released) = LOCKS.lock().try_lock(inode, request, wait, task);
        if released {
            LOCK_WAIT.wake_up_all();
        }
        outcome = done;
        outcome.is_some()
    });
    LOCKS.lock().blocked.retain(|b| b.task != task);
    slept?;
    outcome.unwrap_or(Err(Errno::ERESTARTSYS))
}

/// A request of the current process (fl_pid is its tgid).
fn new_lock(kind: LockKind, owner: usize, ty: i16, start: i64, end: i64) -> FileLock {
    FileLock {
        fl_owner: owner,
        fl_pid: current().tgid,
        fl_type: ty,
        fl_flags: kind,
        fl_start: start,
        fl_end: end,
    }
}

/// flock(2) on an open file: `ty` F_RDLCK (LOCK_SH), F_WRLCK (LOCK_EX) or
/// F_UNLCK; a conversion drops the old lock first, as Linux's
/// flock_lock_inode does.
pub fn flock_lock_file(file: &File, ty: i16, wait: bool) -> Result<(), Errno> {
    let fl = new_lock(
        LockKind::Flock,
        file_owner(file),
        ty,
        0,
        filelock::OFFSET_MAX,
    );
    lock_inode_wait(&file.inode, &fl, wait)
}

/// The POSIX lock of `files` a struct flock asks for on `file` (Linux's
/// flock_to_posix_lock): its range from l_whence, l_start and l_len, its
/// type checked (EINVAL).
fn flock_to_posix_lock(file: &File, files: &FilesStruct, flock: &Flock) -> Result<FileLock, Errno> {
    let base = match flock.l_whence {
        filelock::SEEK_SET => 0,
        filelock::SEEK_CUR => *file.pos.lock() as i64,
        filelock::SEEK_END => file.inode.size() as i64,
        _ => return Err(Errno::EINVAL),
    };
    let (start, end) =
        filelock::flock_to_range(base, flock.l_start, flock.l_len).map_err(|e| match e {
            RangeError::Inval => Errno::EINVAL,
            RangeError::Overflow => Errno::EOVERFLOW,
        })?;
    if !matches!(flock.l_type, F_RDLCK | F_WRLCK | F_UNLCK) {
        return Err(Errno::EINVAL);
    }
    let owner = files_owner(files);
    Ok(new_lock(LockKind::Posix, owner, flock.l_type, start, end))
}

/// For the F_OFD_* commands, `request` becomes an OFD lock of the open
/// file description; their struct flock must have l_pid 0 (EINVAL).
fn ofd_lock(request: FileLock, file: &File, flock: &Flock, ofd: bool) -> Result<FileLock, Errno> {
    match ofd {
        true if flock.l_pid != 0 => Err(Errno::EINVAL),
        true => Ok(FileLock {
            fl_flags: LockKind::Ofd,
            fl_owner: file_owner(file),
            ..request
        }),
        false => Ok(request),
    }
}

/// F_GETLK / F_OFD_GETLK (Linux's fcntl_getlk): `flock` becomes the first
/// lock that would block it (l_pid -1 for an OFD lock), or only its
/// l_type becomes F_UNLCK. F_OFD_GETLK of F_UNLCK looks for the
/// description's own locks.
pub fn fcntl_getlk(
    file: &File,
    files: &FilesStruct,
    ofd: bool,
    flock: &mut Flock,
) -> Result<(), Errno> {
    if !ofd && !matches!(flock.l_type, F_RDLCK | F_WRLCK) {
        return Err(Errno::EINVAL);
    }
    let request = ofd_lock(flock_to_posix_lock(file, files, flock)?, file, flock, ofd)?;
    match posix_test_lock(file, &request) {
        None => flock.l_type = F_UNLCK,
        Some(fl) => {
            *flock = Flock {
                l_type: fl.fl_type,
                l_whence: filelock::SEEK_SET,
                l_start: fl.fl_start,
                l_len: filelock::range_to_len(&fl),
                l_pid: if fl.fl_flags == LockKind::Ofd {
                    -1
                } else {
                    fl.fl_pid
                },
            }
        }
    }
    Ok(())
}

/// F_SETLK(W) / F_OFD_SETLK(W) (Linux's fcntl_setlk): a read lock needs
/// a readable file, a write lock a writable one (EBADF); a conflict is
/// EAGAIN, or with `wait` a sleep.
pub fn fcntl_setlk(
    file: &File,
    files: &FilesStruct,
    ofd: bool,
    wait: bool,
    flock: &Flock,
) -> Result<(), Errno> {
    let request = flock_to_posix_lock(file, files, flock)?;
    match request.fl_type {
        F_RDLCK if !file.readable() => return Err(Errno::EBADF),
        F_WRLCK if !file.writable() => return Err(Errno::EBADF),
        _ => {}
    }
    let request = ofd_lock(request, file, flock, ofd)?;
    posix_lock_file(file, &request, wait)
}

/// Apply a POSIX or OFD lock request to the file's inode.
pub fn posix_lock_file(file: &File, request: &FileLock, wait: bool) -> Result<(), Errno> {
    lock_inode_wait(&file.inode, request, wait)
}

/// The first POSIX or OFD lock on the file's inode that would block
/// `request` (Linux's posix_test_lock).
pub fn posix_test_lock(file: &File, request: &FileLock) -> Option<FileLock> {
    let locks = LOCKS.lock();
    let ctx = locks.inodes.get(&inode_key(&file.inode))?;
    filelock::posix_test_lock(&ctx.flc_posix, request)
}

/// Drop the POSIX (and with `flock`, flock) locks of `owner` on the
/// file's inode, waking waiters if any went.
fn remove_locks(file: &File, owner: usize, flock: bool) {
    let released = {
        let mut locks = LOCKS.lock();
        let key = inode_key(&file.inode);
        let Some(ctx) = locks.inodes.get_mut(&key) else {
            return;
        };
        let mut released = filelock::remove_owner(&mut ctx.flc_posix, owner);
        if flock {
            released |= filelock::remove_owner(&mut ctx.flc_flock, owner);
        }
        if ctx.flc_flock.is_empty() && ctx.flc_posix.is_empty() {
            locks.inodes.remove(&key);
        }
        if released {
            locks.unblock(owner);
        }
        released
    };
    if released {
        LOCK_WAIT.wake_up_all();
    }
}

/// A descriptor of `file` was closed by the table `owner`: all of its
/// POSIX locks on the inode go, whichever descriptor took them (Linux's
/// locks_remove_posix, from filp_close).
pub fn locks_remove_posix(file: &File, owner: usize) {
    remove_locks(file, owner, false);
}

/// The last reference to an open file description went: its OFD and
/// flock locks go (Linux's locks_remove_file).
pub fn locks_remove_file(file: &File) {
    remove_locks(file, file_owner(file), true);
}

/// /proc/locks: one line per held lock, as Linux's lock_get_status
/// prints them (flock locks of an inode before its POSIX ones), each
/// followed by its waiters' requests ("-> " lines).
pub fn proc_locks() -> Vec<u8> {
    let locks = LOCKS.lock();
    let mut out = Vec::new();
    let held = locks.inodes.values().flat_map(|ctx| {
        ctx.flc_flock
            .iter()
            .chain(&ctx.flc_posix)
            .map(move |fl| (ctx, fl))
    });
    for (id, (ctx, fl)) in held.enumerate() {
        let dev = crate::syscall::st_dev(&ctx.inode);
        let waiters = locks.blocked.iter().filter(|b| b.blocker == *fl);
        let lines = core::iter::once((fl, false)).chain(waiters.map(|b| (&b.request, true)));
        for (line, waiter) in lines {
            let status = filelock::lock_get_status(id + 1, line, waiter, dev, ctx.inode.ino);
            out.extend_from_slice(status.as_bytes());
        }
    }
    out
}
