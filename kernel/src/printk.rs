//! printk: kernel messages on the console, Linux-style, each line prefixed
//! with seconds since boot (`[    0.012345] `). Messages whose level is not
//! below `loglevel=` (default 7, as Linux's CONSOLE_LOGLEVEL_DEFAULT) are
//! suppressed.

use crate::arch::x86_64::serial;
use crate::sync::SpinLock;
use core::fmt::{self, Write};
use core::sync::atomic::{AtomicU8, Ordering};

pub const KERN_EMERG: u8 = 0;
pub const KERN_ERR: u8 = 3;
pub const KERN_WARNING: u8 = 4;
pub const KERN_NOTICE: u8 = 5;
pub const KERN_INFO: u8 = 6;
#[allow(dead_code)] // the level of pr_debug!, which nothing calls yet
pub const KERN_DEBUG: u8 = 7;

static CONSOLE_LOGLEVEL: AtomicU8 = AtomicU8::new(7);
static CONSOLE: SpinLock<()> = SpinLock::new(());

pub fn set_console_loglevel(level: u8) {
    CONSOLE_LOGLEVEL.store(level.min(15), Ordering::Relaxed);
}

struct Console;

impl Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        serial::write_bytes(s.as_bytes());
        Ok(())
    }
}

/// Print one message (with its timestamp) if its level passes.
pub fn printk(level: u8, args: fmt::Arguments) {
    if level >= CONSOLE_LOGLEVEL.load(Ordering::Relaxed) {
        return;
    }
    let _g = CONSOLE.lock();
    let ns = crate::time::ktime_get_ns();
    let _ = write!(
        Console,
        "[{:5}.{:06}] ",
        ns / 1_000_000_000,
        (ns % 1_000_000_000) / 1000
    );
    let _ = Console.write_fmt(args);
}

/// Raw console output without timestamp or level (for user writes to the
/// console and the banner).
pub fn console_write(bytes: &[u8]) {
    let _g = CONSOLE.lock();
    serial::write_bytes(bytes);
}

/// For the panic path: write even if the console lock is held.
pub fn emergency_write(args: fmt::Arguments) {
    // SAFETY: called only on the way to halting; the holder never resumes.
    unsafe { CONSOLE.force_unlock() };
    let _ = Console.write_fmt(args);
}

#[macro_export]
macro_rules! pr_emerg { ($($a:tt)*) => { $crate::printk::printk($crate::printk::KERN_EMERG, format_args!("{}\n", format_args!($($a)*))) } }
#[macro_export]
macro_rules! pr_err { ($($a:tt)*) => { $crate::printk::printk($crate::printk::KERN_ERR, format_args!("{}\n", format_args!($($a)*))) } }
#[macro_export]
macro_rules! pr_warn { ($($a:tt)*) => { $crate::printk::printk($crate::printk::KERN_WARNING, format_args!("{}\n", format_args!($($a)*))) } }
#[macro_export]
macro_rules! pr_notice { ($($a:tt)*) => { $crate::printk::printk($crate::printk::KERN_NOTICE, format_args!("{}\n", format_args!($($a)*))) } }
#[macro_export]
macro_rules! pr_info { ($($a:tt)*) => { $crate::printk::printk($crate::printk::KERN_INFO, format_args!("{}\n", format_args!($($a)*))) } }
#[macro_export]
macro_rules! pr_debug { ($($a:tt)*) => { $crate::printk::printk($crate::printk::KERN_DEBUG, format_args!("{}\n", format_args!($($a)*))) } }
