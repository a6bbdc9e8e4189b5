//! Kernel parameters: what `key=value` words on the command line mean.
//! Unknown words are logged (as Linux's "Unknown kernel command line
//! parameters") and otherwise ignored; nothing here is fatal.

use cmdline::Cmdline;

/// Parameters the kernel understands, with a line of help each.
pub const KNOWN: &[(&str, &str)] = &[
    (
        "init",
        "path of the first program (default /sbin/init, then /init)",
    ),
    ("rdinit", "accepted as a synonym of init"),
    (
        "loglevel",
        "console log level 0-15 (messages below it are shown)",
    ),
    ("quiet", "loglevel=4"),
    ("debug", "loglevel=10"),
    (
        "vdso32",
        "32-bit vDSO entry: int80|sysenter|syscall, or 0 for no vDSO",
    ),
    ("trace", "kernel tracing, e.g. trace=fork"),
    (
        "ktest",
        "run in-kernel self-tests (all, or a comma-separated list) and power off",
    ),
    (
        "console",
        "accepted for compatibility (the console is always COM1)",
    ),
    (
        "panic",
        "accepted for compatibility (panics always power off QEMU)",
    ),
];

use crate::sync::Once;

/// The `trace=` value (it lives in the boot parameters, for ever).
static TRACE: Once<&'static str> = Once::new();

/// Is `what` among the `trace=` words (e.g. trace=fork)?
pub fn trace_enabled(what: &str) -> bool {
    TRACE
        .get()
        .is_some_and(|t| t.split(',').any(|w| w == what || w == "all"))
}

/// `trace=syscall` is checked on every syscall: keep it as one flag.
static TRACE_SYSCALL: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// Is `trace=syscall` on? (The syscall path's cheap check.)
#[inline]
pub fn trace_syscalls() -> bool {
    TRACE_SYSCALL.load(core::sync::atomic::Ordering::Relaxed)
}

/// Remember `trace=` from the (static) command line; no allocation, so
/// it works before the heap exists.
pub fn set_trace(cmdline: &'static str) {
    TRACE.call_once(|| Cmdline::new(cmdline).get("trace").unwrap_or(""));
    TRACE_SYSCALL.store(
        trace_enabled("syscall"),
        core::sync::atomic::Ordering::Relaxed,
    );
}

pub struct Params<'a> {
    pub cmdline: Cmdline<'a>,
}

impl<'a> Params<'a> {
    pub fn new(line: &'a str) -> Params<'a> {
        Params {
            cmdline: Cmdline::new(line),
        }
    }

    /// Apply what takes effect immediately and log unknown words.
    pub fn apply_early(&self) {
        let c = &self.cmdline;
        if c.has("quiet") {
            crate::printk::set_console_loglevel(4);
        }
        if c.has("debug") {
            crate::printk::set_console_loglevel(10);
        }
        if let Some(l) = c.get("loglevel") {
            match l.parse::<u8>() {
                Ok(l) => crate::printk::set_console_loglevel(l),
                Err(_) => crate::pr_warn!("loglevel={l}: not a number, ignored"),
            }
        }
        for p in c.params() {
            if !KNOWN.iter().any(|(k, _)| p.is(k)) {
                match p.value {
                    Some(v) => crate::pr_notice!(
                        "Unknown kernel command line parameter \"{}={}\", ignored",
                        p.key,
                        v
                    ),
                    None => crate::pr_notice!(
                        "Unknown kernel command line parameter \"{}\", ignored",
                        p.key
                    ),
                }
            }
        }
    }
}
