//! string.h and strings.h.

pub mod mem;
pub mod messages;
pub mod str;
pub mod strerror;
