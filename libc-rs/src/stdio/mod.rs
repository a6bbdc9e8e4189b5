//! stdio.h: `FILE` streams with glibc's buffering rules, the printf and scanf families,
//! perror.

pub mod file;
pub mod ops;
pub mod printf;
pub mod scanf;

pub use file::{FILE, flush_all_at_exit, lock_all, reset_locks_in_child, unlock_all};
