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
    (
        "trace",
        "kernel tracing: trace=fork, syscall or all (also /proc/forkline/trace)",
    ),
    (
        "norandmaps",
        "no address-space randomisation (randomize_va_space=0)",
    ),
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

use core::sync::atomic::{AtomicU32, Ordering};

/// The words `trace=` (and /proc/forkline/trace) take, each a switch.
const TRACE_WORDS: [(&str, u32); 2] = [("fork", 1), ("syscall", 2)];

/// The trace switches now on: set at boot, changed at run time through
/// /proc/forkline/trace; the syscall path reads it on every call.
static TRACE: AtomicU32 = AtomicU32::new(0);

/// The switches a list of words names ("fork,syscall", "all"); "0" or
/// nothing is none. Err gives the first word that is no switch.
pub fn parse_trace(words: &str) -> Result<u32, &str> {
    cmdline::switches(words, &TRACE_WORDS)
}

/// Is `what` among the switches on (e.g. "fork")?
pub fn trace_enabled(what: &str) -> bool {
    let bits = TRACE.load(Ordering::Relaxed);
    TRACE_WORDS.iter().any(|(n, b)| *n == what && bits & b != 0)
}

/// Is `trace=syscall` on? (The syscall path's cheap check.)
#[inline]
pub fn trace_syscalls() -> bool {
    TRACE.load(Ordering::Relaxed) & 2 != 0
}

/// Turn the switches to exactly `bits`.
pub fn set_trace_bits(bits: u32) {
    TRACE.store(bits, Ordering::Relaxed);
}

/// The switches on, as /proc/forkline/trace shows them: "fork,syscall",
/// or "0" for none.
pub fn trace_words() -> alloc::string::String {
    let bits = TRACE.load(Ordering::Relaxed);
    let on: alloc::vec::Vec<&str> = TRACE_WORDS
        .iter()
        .filter(|(_, b)| bits & b != 0)
        .map(|(n, _)| *n)
        .collect();
    if on.is_empty() {
        "0".into()
    } else {
        on.join(",")
    }
}

/// Take `trace=` from the command line; no allocation, so it works
/// before the heap exists (unknown words are reported by apply_early).
pub fn set_trace(cmdline: &str) {
    let words = Cmdline::new(cmdline).get("trace").unwrap_or("");
    let bits = words
        .split(',')
        .filter_map(|w| parse_trace(w).ok())
        .fold(0, |a, b| a | b);
    set_trace_bits(bits);
}

/// The command line as the boot loader gave it (Linux's
/// saved_command_line), for /proc/cmdline.
static SAVED_COMMAND_LINE: crate::sync::Once<&'static str> = crate::sync::Once::new();

pub fn save_command_line(line: &'static str) {
    SAVED_COMMAND_LINE.call_once(|| line);
}

pub fn saved_command_line() -> &'static str {
    SAVED_COMMAND_LINE.get().copied().unwrap_or("")
}

/// Linux's CONFIG_INIT_ENV_ARG_LIMIT: init's most arguments and
/// environment variables from the command line.
const MAX_INIT_ARGS: usize = 32;

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
        if c.has("norandmaps") {
            crate::mm::RANDOMIZE_VA_SPACE.store(0, Ordering::Relaxed);
        }
        if let Some(Err(w)) = c.get("trace").map(parse_trace) {
            crate::pr_warn!("trace={w}: no such trace switch (fork, syscall, all), ignored");
        }
        for p in c.params().filter(|p| !KNOWN.iter().any(|(k, _)| p.is(k))) {
            let to = if p.key.contains('.') {
                "ignored (a module parameter)"
            } else {
                "passed to init"
            };
            match p.value {
                Some(v) => crate::pr_notice!(
                    "Unknown kernel command line parameter \"{}={}\", {}",
                    p.key,
                    v,
                    to
                ),
                None => crate::pr_notice!(
                    "Unknown kernel command line parameter \"{}\", {}",
                    p.key,
                    to
                ),
            }
        }
    }

    /// What init gets from the command line (cmdline::for_init: unknown
    /// words, then those after `--`), with `env` its default environment;
    /// past MAX_INIT_ARGS of either the rest is dropped with a warning
    /// (Linux panics).
    pub fn for_init(&self, env: &[&str]) -> cmdline::InitHandoff {
        let known = |p: &cmdline::Param| KNOWN.iter().any(|(k, _)| p.is(k));
        let h = self.cmdline.for_init(known, env, MAX_INIT_ARGS);
        for var in &h.dropped_env {
            crate::pr_warn!("Too many boot env vars at `{}', ignored", var);
        }
        if !h.dropped_args.is_empty() {
            crate::pr_warn!(
                "Too many boot init vars: {} of {} ignored",
                h.dropped_args.len(),
                h.args.len() + h.dropped_args.len()
            );
        }
        h
    }
}
