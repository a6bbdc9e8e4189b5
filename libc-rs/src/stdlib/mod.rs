//! stdlib.h: memory, conversions, sorting, random numbers, abort.

pub mod malloc;
pub mod misc;
pub mod sort;
pub mod strtod;
pub mod strtol;

pub use misc::abort;
