//! File locks as Linux's fs/locks.c keeps them, without the kernel around
//! them: the lists of one inode's locks, and what a request does to them.
//!
//! A POSIX record lock (fcntl F_SETLK, and the open-file-description
//! "OFD" flavour) covers the bytes `fl_start..=fl_end` (`fl_end` is
//! `OFFSET_MAX` for "to EOF and beyond"); an owner's locks never overlap,
//! and its adjacent or overlapping locks of one type are merged, as
//! posix_lock_inode does. A flock lock covers the whole file and belongs to
//! one open file description. Owners are opaque numbers chosen by the
//! kernel (a files_struct or an open file description). The lists keep
//! Linux's order: an owner's POSIX locks stay together, sorted by start,
//! and a new owner's go at the end; F_GETLK reports the first conflict.
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

pub const F_RDLCK: i16 = 0;
pub const F_WRLCK: i16 = 1;
pub const F_UNLCK: i16 = 2;

pub const SEEK_SET: i16 = 0;
pub const SEEK_CUR: i16 = 1;
pub const SEEK_END: i16 = 2;

/// The largest file offset (Linux's OFFSET_MAX): a lock's end "to EOF".
pub const OFFSET_MAX: i64 = i64::MAX;

/// How many owners posix_locks_deadlock follows before giving up.
pub const MAX_DEADLK_ITERATIONS: usize = 10;

/// Which family a lock belongs to (Linux's FL_POSIX, FL_POSIX|FL_OFDLCK,
/// FL_FLOCK).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockKind {
    Posix,
    Ofd,
    Flock,
}

/// One lock or lock request (Linux's struct file_lock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileLock {
    pub fl_owner: usize,
    pub fl_pid: i32,
    /// F_RDLCK, F_WRLCK or F_UNLCK.
    pub fl_type: i16,
    pub fl_flags: LockKind,
    pub fl_start: i64,
    pub fl_end: i64,
}

/// Why a struct flock does not describe a range (EINVAL or EOVERFLOW).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeError {
    Inval,
    Overflow,
}

/// The byte range of a struct flock (Linux's flock64_to_posix_lock):
/// `base` is where l_whence counts from (0, the file position or the
/// size, chosen by the caller); l_len 0 means to OFFSET_MAX and a negative
/// l_len covers the bytes before l_start.
pub fn flock_to_range(base: i64, l_start: i64, l_len: i64) -> Result<(i64, i64), RangeError> {
    if l_start > OFFSET_MAX - base {
        return Err(RangeError::Overflow);
    }
    let start = base + l_start;
    if start < 0 {
        return Err(RangeError::Inval);
    }
    if l_len > 0 {
        if l_len - 1 > OFFSET_MAX - start {
            return Err(RangeError::Overflow);
        }
        Ok((start, start + (l_len - 1)))
    } else if l_len < 0 {
        if start + l_len < 0 {
            return Err(RangeError::Inval);
        }
        Ok((start + l_len, start - 1))
    } else {
        Ok((start, OFFSET_MAX))
    }
}

/// The l_len reporting `lock`'s range (Linux's posix_lock_to_flock):
/// 0 for a lock to OFFSET_MAX.
pub fn range_to_len(lock: &FileLock) -> i64 {
    if lock.fl_end == OFFSET_MAX {
        0
    } else {
        lock.fl_end - lock.fl_start + 1
    }
}

/// Do two lock types conflict (Linux's locks_conflict)? Only when one
/// of them is a write lock.
fn locks_conflict(a: &FileLock, b: &FileLock) -> bool {
    a.fl_type == F_WRLCK || b.fl_type == F_WRLCK
}

/// Does `sys` (a held POSIX lock) block the request `caller`? Never its
/// own owner's, and only where the ranges overlap.
pub fn posix_locks_conflict(caller: &FileLock, sys: &FileLock) -> bool {
    caller.fl_owner != sys.fl_owner
        && caller.fl_start <= sys.fl_end
        && sys.fl_start <= caller.fl_end
        && locks_conflict(caller, sys)
}

/// Does the flock lock `sys` block `caller`? Never one of the same open
/// file description.
pub fn flock_locks_conflict(caller: &FileLock, sys: &FileLock) -> bool {
    caller.fl_owner != sys.fl_owner && locks_conflict(caller, sys)
}

/// Is `sys` the answer to the F_GETLK `caller` (Linux's
/// posix_test_locks_conflict)? An F_UNLCK probe (F_OFD_GETLK allows it)
/// asks for the caller's own locks in the range instead of conflicts.
fn posix_test_locks_conflict(caller: &FileLock, sys: &FileLock) -> bool {
    if caller.fl_type == F_UNLCK {
        return caller.fl_owner == sys.fl_owner
            && caller.fl_start <= sys.fl_end
            && sys.fl_start <= caller.fl_end;
    }
    posix_locks_conflict(caller, sys)
}

/// F_GETLK (Linux's posix_test_lock): the first held lock that would
/// block `request`, if any.
pub fn posix_test_lock(posix: &[FileLock], request: &FileLock) -> Option<FileLock> {
    posix
        .iter()
        .find(|fl| posix_test_locks_conflict(request, fl))
        .copied()
}

/// What applying a request did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    /// A held lock shrank, went or changed type: waiters should look again.
    pub released: bool,
    /// The request was not granted: the first lock in its way.
    pub conflict: Option<FileLock>,
}

impl Applied {
    fn granted(released: bool) -> Applied {
        Applied {
            released,
            conflict: None,
        }
    }
}

/// Apply a POSIX lock or unlock (Linux's posix_lock_inode): refused with
/// the first conflicting lock if `request` cannot be granted now;
/// otherwise the owner's locks become those outside the request's range,
/// cut where it overlaps them, plus the request itself (unless F_UNLCK)
/// merged with its neighbours of the same type.
pub fn posix_lock_inode(posix: &mut Vec<FileLock>, request: &FileLock) -> Applied {
    if request.fl_type != F_UNLCK
        && let Some(conflict) = posix_test_lock(posix, request)
    {
        return Applied {
            released: false,
            conflict: Some(conflict),
        };
    }
    let owner = request.fl_owner;
    let at = posix
        .iter()
        .position(|fl| fl.fl_owner == owner)
        .unwrap_or(posix.len());
    let mine: Vec<FileLock> = posix
        .iter()
        .filter(|fl| fl.fl_owner == owner)
        .copied()
        .collect();
    let (mut new, mut released) = (Vec::with_capacity(mine.len() + 2), false);
    let mut merged = *request;
    for fl in &mine {
        // Same type, overlapping or adjacent: fold into the request.
        // ("start - 1" rather than "end + 1": end may be OFFSET_MAX.)
        let touches = fl.fl_end >= request.fl_start - 1 && fl.fl_start - 1 <= request.fl_end;
        if request.fl_type == fl.fl_type && touches {
            merged.fl_start = merged.fl_start.min(fl.fl_start);
            merged.fl_end = merged.fl_end.max(fl.fl_end);
            continue;
        }
        if fl.fl_end < request.fl_start || fl.fl_start > request.fl_end {
            new.push(*fl);
            continue;
        }
        // A different type (or an unlock) overlaps: keep what sticks out.
        released = true;
        if fl.fl_start < request.fl_start {
            new.push(FileLock {
                fl_end: request.fl_start - 1,
                ..*fl
            });
        }
        if fl.fl_end > request.fl_end {
            new.push(FileLock {
                fl_start: request.fl_end + 1,
                ..*fl
            });
        }
    }
    if request.fl_type != F_UNLCK {
        new.push(merged);
    }
    new.sort_by_key(|fl| fl.fl_start);
    posix.retain(|fl| fl.fl_owner != owner);
    posix.splice(at..at, new);
    Applied::granted(released)
}

/// Apply a flock request (Linux's flock_lock_inode): the description's
/// own lock of another type is dropped first (a conversion is not
/// atomic, as in Linux), then the request is granted unless another
/// description's lock conflicts; a refused conversion leaves the
/// description without a lock.
pub fn flock_lock_inode(flock: &mut Vec<FileLock>, request: &FileLock) -> Applied {
    let mut released = false;
    if let Some(i) = flock.iter().position(|fl| fl.fl_owner == request.fl_owner) {
        if flock[i].fl_type == request.fl_type {
            return Applied::granted(false);
        }
        flock.remove(i);
        released = true;
    }
    if request.fl_type != F_UNLCK {
        let conflict = flock.iter().find(|fl| flock_locks_conflict(request, fl));
        if let Some(conflict) = conflict {
            return Applied {
                released,
                conflict: Some(*conflict),
            };
        }
        flock.push(*request);
    }
    Applied::granted(released)
}

/// Drop every lock of `owner` from `list`; true if there was one.
pub fn remove_owner(list: &mut Vec<FileLock>, owner: usize) -> bool {
    let before = list.len();
    list.retain(|fl| fl.fl_owner != owner);
    list.len() != before
}

/// Would `caller` waiting for a lock of `blocker` close a circle (Linux's
/// posix_locks_deadlock)? `waits_for(owner)` names the owner whose lock
/// `owner` is sleeping on, if it sleeps. OFD requests are never checked.
pub fn posix_locks_deadlock(
    caller: &FileLock,
    mut blocker: usize,
    waits_for: impl Fn(usize) -> Option<usize>,
) -> bool {
    if caller.fl_flags != LockKind::Posix {
        return false;
    }
    let mut i = 0;
    while let Some(next) = waits_for(blocker) {
        if i > MAX_DEADLK_ITERATIONS {
            return false;
        }
        i += 1;
        if next == caller.fl_owner {
            return true;
        }
        blocker = next;
    }
    false
}

/// One line of /proc/locks (Linux's lock_get_status), e.g.
/// `1: POSIX  ADVISORY  WRITE 123 00:16:45 0 EOF` (Linux 6.x's spacing:
/// "READ" has no padding). `pid` is what Linux
/// shows: -1 for OFD locks. `dev` is the inode's st_dev. A `waiter`'s
/// request is shown as `1: -> FLOCK …` under the lock it waits for.
pub fn lock_get_status(id: usize, fl: &FileLock, waiter: bool, dev: u64, ino: u64) -> String {
    let mut s = String::new();
    let kind = match fl.fl_flags {
        LockKind::Posix => "POSIX  ADVISORY  ",
        LockKind::Ofd => "OFDLCK ADVISORY  ",
        LockKind::Flock => "FLOCK  ADVISORY  ",
    };
    let ty = match fl.fl_type {
        F_WRLCK => "WRITE",
        F_RDLCK => "READ",
        _ => "UNLCK",
    };
    let pid = if fl.fl_flags == LockKind::Ofd {
        -1
    } else {
        fl.fl_pid
    };
    let (major, minor) = ((dev >> 8) & 0xfff, (dev & 0xff) | ((dev >> 12) & 0xfff00));
    let arrow = if waiter { "-> " } else { "" };
    let _ = write!(
        s,
        "{id}: {arrow}{kind}{ty} {pid} {major:02x}:{minor:02x}:{ino} "
    );
    let _ = if fl.fl_flags == LockKind::Flock {
        writeln!(s, "0 EOF")
    } else if fl.fl_end == OFFSET_MAX {
        writeln!(s, "{} EOF", fl.fl_start)
    } else {
        writeln!(s, "{} {}", fl.fl_start, fl.fl_end)
    };
    s
}

#[cfg(test)]
mod tests;
