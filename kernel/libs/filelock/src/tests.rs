//! Host tests of the lock lists: ranges, splitting, merging, conflicts.

use super::*;
use alloc::vec;

fn lk(owner: usize, ty: i16, start: i64, end: i64) -> FileLock {
    FileLock {
        fl_owner: owner,
        fl_pid: owner as i32,
        fl_type: ty,
        fl_flags: LockKind::Posix,
        fl_start: start,
        fl_end: end,
    }
}

fn ok(released: bool) -> Applied {
    Applied {
        released,
        conflict: None,
    }
}

fn blocked_by(a: Applied) -> usize {
    a.conflict.expect("granted").fl_owner
}

fn ranges(list: &[FileLock]) -> Vec<(usize, i16, i64, i64)> {
    list.iter()
        .map(|l| (l.fl_owner, l.fl_type, l.fl_start, l.fl_end))
        .collect()
}

#[test]
fn flock_ranges_as_linux() {
    assert_eq!(flock_to_range(0, 10, 5), Ok((10, 14)));
    assert_eq!(flock_to_range(0, 10, 0), Ok((10, OFFSET_MAX)));
    assert_eq!(flock_to_range(100, -10, 0), Ok((90, OFFSET_MAX)));
    assert_eq!(flock_to_range(0, 10, -5), Ok((5, 9)));
    assert_eq!(flock_to_range(0, 10, -11), Err(RangeError::Inval));
    assert_eq!(flock_to_range(5, -6, 1), Err(RangeError::Inval));
    assert_eq!(flock_to_range(10, OFFSET_MAX, 1), Err(RangeError::Overflow));
    assert_eq!(flock_to_range(0, 10, OFFSET_MAX), Err(RangeError::Overflow));
    assert_eq!(flock_to_range(0, 0, OFFSET_MAX), Ok((0, OFFSET_MAX - 1)));
    assert_eq!(range_to_len(&lk(1, F_WRLCK, 10, OFFSET_MAX)), 0);
    assert_eq!(range_to_len(&lk(1, F_WRLCK, 10, 19)), 10);
}

#[test]
fn unlock_in_the_middle_splits() {
    let mut l = vec![];
    assert_eq!(posix_lock_inode(&mut l, &lk(1, F_WRLCK, 0, 99)), ok(false));
    assert_eq!(posix_lock_inode(&mut l, &lk(1, F_UNLCK, 10, 19)), ok(true));
    assert_eq!(ranges(&l), vec![(1, F_WRLCK, 0, 9), (1, F_WRLCK, 20, 99)]);
    let probe = lk(2, F_RDLCK, 0, OFFSET_MAX);
    assert_eq!(posix_test_lock(&l, &probe).map(|c| c.fl_end), Some(9));
    assert_eq!(posix_test_lock(&l, &lk(2, F_WRLCK, 10, 19)), None);
    assert_eq!(
        posix_test_lock(&l, &lk(2, F_WRLCK, 15, 30)).map(|c| c.fl_start),
        Some(20)
    );
    // An F_UNLCK probe finds the prober's own locks.
    assert_eq!(posix_test_lock(&l, &lk(2, F_UNLCK, 0, 99)), None);
    let own = posix_test_lock(&l, &lk(1, F_UNLCK, 5, 99));
    assert_eq!(own.map(|c| c.fl_end), Some(9));
}

#[test]
fn same_type_neighbours_merge() {
    let mut l = vec![];
    posix_lock_inode(&mut l, &lk(1, F_RDLCK, 0, 9));
    posix_lock_inode(&mut l, &lk(1, F_RDLCK, 20, 29));
    posix_lock_inode(&mut l, &lk(1, F_RDLCK, 10, 19));
    assert_eq!(ranges(&l), vec![(1, F_RDLCK, 0, 29)]);
    posix_lock_inode(&mut l, &lk(1, F_RDLCK, 30, OFFSET_MAX));
    assert_eq!(ranges(&l), vec![(1, F_RDLCK, 0, OFFSET_MAX)]);
}

#[test]
fn a_different_type_cuts_and_upgrades() {
    let mut l = vec![];
    posix_lock_inode(&mut l, &lk(1, F_RDLCK, 0, 99));
    assert_eq!(posix_lock_inode(&mut l, &lk(1, F_WRLCK, 40, 59)), ok(true));
    assert_eq!(
        ranges(&l),
        vec![
            (1, F_RDLCK, 0, 39),
            (1, F_WRLCK, 40, 59),
            (1, F_RDLCK, 60, 99)
        ]
    );
    // Covering everything replaces all three with one.
    posix_lock_inode(&mut l, &lk(1, F_WRLCK, 0, OFFSET_MAX));
    assert_eq!(ranges(&l), vec![(1, F_WRLCK, 0, OFFSET_MAX)]);
    posix_lock_inode(&mut l, &lk(1, F_UNLCK, 0, OFFSET_MAX));
    assert!(l.is_empty());
}

#[test]
fn owners_conflict_only_on_writes_that_overlap() {
    let mut l = vec![];
    posix_lock_inode(&mut l, &lk(1, F_RDLCK, 0, 9));
    assert_eq!(posix_lock_inode(&mut l, &lk(2, F_RDLCK, 5, 14)), ok(false));
    assert_eq!(
        blocked_by(posix_lock_inode(&mut l, &lk(3, F_WRLCK, 12, 12))),
        2
    );
    assert_eq!(posix_lock_inode(&mut l, &lk(3, F_WRLCK, 15, 20)), ok(false));
    // Unlocking what another owner holds changes nothing of theirs.
    posix_lock_inode(&mut l, &lk(3, F_UNLCK, 0, OFFSET_MAX));
    assert_eq!(ranges(&l), vec![(1, F_RDLCK, 0, 9), (2, F_RDLCK, 5, 14)]);
}

#[test]
fn owners_stay_grouped_in_linux_order() {
    let mut l = vec![];
    posix_lock_inode(&mut l, &lk(1, F_WRLCK, 50, 59));
    posix_lock_inode(&mut l, &lk(2, F_WRLCK, 0, 9));
    posix_lock_inode(&mut l, &lk(1, F_WRLCK, 10, 19));
    assert_eq!(
        ranges(&l),
        vec![
            (1, F_WRLCK, 10, 19),
            (1, F_WRLCK, 50, 59),
            (2, F_WRLCK, 0, 9)
        ]
    );
    assert!(remove_owner(&mut l, 1));
    assert!(!remove_owner(&mut l, 1));
    assert_eq!(ranges(&l), vec![(2, F_WRLCK, 0, 9)]);
}

#[test]
fn flock_shares_converts_and_conflicts() {
    let fl = |owner, ty| FileLock {
        fl_flags: LockKind::Flock,
        ..lk(owner, ty, 0, OFFSET_MAX)
    };
    let mut l = vec![];
    assert_eq!(flock_lock_inode(&mut l, &fl(1, F_RDLCK)), ok(false));
    assert_eq!(flock_lock_inode(&mut l, &fl(2, F_RDLCK)), ok(false));
    assert_eq!(blocked_by(flock_lock_inode(&mut l, &fl(3, F_WRLCK))), 1);
    // Converting drops the old lock even when the new one is refused.
    let refused = flock_lock_inode(&mut l, &fl(1, F_WRLCK));
    assert!(refused.released);
    assert_eq!(blocked_by(refused), 2);
    assert_eq!(l.len(), 1);
    assert_eq!(flock_lock_inode(&mut l, &fl(2, F_WRLCK)), ok(true));
    assert_eq!(flock_lock_inode(&mut l, &fl(2, F_WRLCK)), ok(false));
    assert_eq!(flock_lock_inode(&mut l, &fl(2, F_UNLCK)), ok(true));
    assert!(l.is_empty());
}

#[test]
fn deadlock_is_a_circle_of_waiting_owners() {
    let me = lk(1, F_WRLCK, 0, 0);
    // 2 waits for 3, 3 waits for 1: 1 waiting for 2 closes the circle.
    let waits = |o| match o {
        2 => Some(3),
        3 => Some(1),
        _ => None,
    };
    assert!(posix_locks_deadlock(&me, 2, waits));
    assert!(!posix_locks_deadlock(&me, 4, waits));
    let ofd = FileLock {
        fl_flags: LockKind::Ofd,
        ..me
    };
    assert!(!posix_locks_deadlock(&ofd, 2, waits));
    // A circle not through the caller ends after the iteration limit.
    let circle = |o| Some(if o == 5 { 6 } else { 5 });
    assert!(!posix_locks_deadlock(&me, 5, circle));
}

#[test]
fn proc_locks_lines() {
    let w = lk(123, F_WRLCK, 0, OFFSET_MAX);
    assert_eq!(
        lock_get_status(1, &w, false, 0x16, 45),
        "1: POSIX  ADVISORY  WRITE 123 00:16:45 0 EOF\n"
    );
    let r = lk(7, F_RDLCK, 10, 19);
    assert_eq!(
        lock_get_status(2, &r, false, 0x801, 9),
        "2: POSIX  ADVISORY  READ 7 08:01:9 10 19\n"
    );
    let o = FileLock {
        fl_flags: LockKind::Ofd,
        ..r
    };
    assert_eq!(
        lock_get_status(3, &o, false, 0x16, 9),
        "3: OFDLCK ADVISORY  READ -1 00:16:9 10 19\n"
    );
    let f = FileLock {
        fl_flags: LockKind::Flock,
        ..w
    };
    assert_eq!(
        lock_get_status(4, &f, false, 0x16, 9),
        "4: FLOCK  ADVISORY  WRITE 123 00:16:9 0 EOF\n"
    );
    assert_eq!(
        lock_get_status(4, &f, true, 0x16, 9),
        "4: -> FLOCK  ADVISORY  WRITE 123 00:16:9 0 EOF\n"
    );
}
