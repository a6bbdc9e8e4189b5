//! unistd.h and fcntl.h: processes, file descriptors, the generic
//! `syscall()`.

pub mod exec;
pub mod fork;
pub mod fs;
pub mod io;
pub mod misc;

pub use misc::_exit;
