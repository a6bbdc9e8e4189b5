//! The initial user stack, laid out as Linux does: `fs/exec.c`
//! (`bprm_mm_init`, `bprm_stack_limits`, `copy_strings`) then
//! `fs/binfmt_elf.c: create_elf_tables`.
//!
//! From the top of the stack VMA down:
//!
//! ```text
//! stack_top -> +---------------------------+
//!              | 8 zero bytes (end marker)  |  bprm->p = vm_end - sizeof(void *)
//!              | execfn "\0"                |  <- AT_EXECFN
//!              | envp[envc-1] .. envp[0]    |  copy_strings, last string first
//!              | argv[argc-1] .. argv[0]    |  <- mm->arg_start
//!              | (0..8191+15 bytes)         |  arch_align_stack: random, then & ~15
//!              | platform "\0"              |  <- AT_PLATFORM ("x86_64" / "i686")
//!              | 16 random bytes            |  <- AT_RANDOM
//!              | (padding)                  |  STACK_ROUND: 16-byte aligned sp
//!              | auxv pairs, AT_NULL last   |
//!              | NULL, envp pointers        |
//!              | NULL, argv pointers        |
//!    sp ->     | argc                       |
//! ```
//!
//! Words are 8 bytes for a 64-bit process and 4 for an i386 one, except the
//! end marker: Linux reserves it before it knows the binary, with the
//! 64-bit kernel's `sizeof(void *)`, so it is 8 bytes for both.

use alloc::vec;
use alloc::vec::Vec;

use crate::auxv::{AuxvValues, StackAddrs, auxv_entries};
use crate::elf::Class;
use crate::error::ExecError;
use crate::{PAGE_SIZE, elf_pageoffset};

/// Longest single argument or environment string, NUL included: Linux's
/// `MAX_ARG_STRLEN`, 32 pages.
pub const MAX_ARG_STRLEN: u64 = 32 * PAGE_SIZE;
/// Most strings in argv or envp: Linux's `MAX_ARG_STRINGS`.
pub const MAX_ARG_STRINGS: usize = 0x7fff_ffff;
/// Linux's `_STK_LIM`, the default RLIMIT_STACK: 8 MiB.
pub const STK_LIM: u64 = 8 << 20;
/// Linux's `ARG_MAX`: strings always get at least 32 pages.
pub const ARG_MAX: u64 = 32 * PAGE_SIZE;
/// Bytes of the end marker: the 64-bit kernel's `sizeof(void *)`.
const END_MARKER: u64 = 8;
/// `arch_align_stack` subtracts a random value below this.
const ALIGN_STACK_RANDOM: u32 = 8192;

/// Everything `create_elf_tables` needs to build a new process's stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackParams<'a> {
    /// The process's class: 8-byte or 4-byte words.
    pub class: Class,
    /// End of the stack VMA (page aligned; below 4 GiB for i386).
    pub stack_top: u64,
    /// The strings, without NULs. An empty argv gets `""` as argv[0], as
    /// Linux does since 5.18.
    pub argv: &'a [&'a [u8]],
    pub envp: &'a [&'a [u8]],
    /// `bprm->filename`, the path given to execve: AT_EXECFN.
    pub execfn: &'a [u8],
    /// AT_PLATFORM's string, normally `class.platform()`.
    pub platform: &'a [u8],
    /// The 16 AT_RANDOM bytes.
    pub random: [u8; 16],
    /// What `arch_align_stack` subtracts: random below 8192, or 0 without
    /// ASLR (`ADDR_NO_RANDOMIZE`, `randomize_va_space=0`).
    pub align_offset: u32,
    /// RLIMIT_STACK's soft limit (`u64::MAX` for unlimited).
    pub rlim_stack: u64,
    pub auxv: AuxvValues<'a>,
}

/// The built stack: copy `bytes` to `sp` and start the process there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialStack {
    /// Contents of `[sp, stack_top)`.
    pub bytes: Vec<u8>,
    /// Initial %rsp / %esp, 16-byte aligned; argc is stored there.
    pub sp: u64,
    pub argc: u64,
    /// Addresses of the argv and envp pointer arrays and of the auxv.
    pub argv_addr: u64,
    pub envp_addr: u64,
    pub auxv_addr: u64,
    /// `mm->arg_start/arg_end/env_start/env_end` (for /proc/pid/cmdline).
    pub arg_start: u64,
    pub arg_end: u64,
    pub env_start: u64,
    pub env_end: u64,
    /// Where AT_EXECFN, AT_PLATFORM and AT_RANDOM point.
    pub execfn_addr: u64,
    pub platform_addr: u64,
    pub random_addr: u64,
    /// The auxv as written (`mm->saved_auxv`), AT_NULL included.
    pub auxv: Vec<(u64, u64)>,
}

// Bytes a string takes on the stack, NUL included, or E2BIG as
// `valid_arg_len` decides.
fn arg_len(s: &[u8]) -> Result<u64, ExecError> {
    let len = s.len() as u64 + 1;
    if len > MAX_ARG_STRLEN {
        Err(ExecError::ArgTooLong)
    } else {
        Ok(len)
    }
}

/// Linux's exec string limits (`count`, `bprm_stack_limits`, then the
/// checks of `copy_string_kernel` and `copy_strings`, in their order):
/// call it before the point of no return so execve can still fail with
/// E2BIG. Returns the bytes the strings take, NULs included.
pub fn bprm_stack_limits(
    argv: &[&[u8]],
    envp: &[&[u8]],
    execfn: &[u8],
    rlim_stack: u64,
) -> Result<u64, ExecError> {
    if argv.len() > MAX_ARG_STRINGS || envp.len() > MAX_ARG_STRINGS {
        return Err(ExecError::ArgsTooBig);
    }
    let limit = (STK_LIM / 4 * 3).min(rlim_stack / 4).max(ARG_MAX);
    let ptr_size = (argv.len().max(1) as u64 + envp.len() as u64) * END_MARKER;
    if limit <= ptr_size {
        return Err(ExecError::ArgsTooBig);
    }
    let limit = limit - ptr_size;
    let empty: &[u8] = b"";
    let argv0: &[&[u8]] = if argv.is_empty() { &[empty] } else { &[] };
    let strings = core::iter::once(&execfn)
        .chain(envp.iter().rev())
        .chain(argv.iter().rev())
        .chain(argv0);
    let mut used = 0u64;
    for s in strings {
        used += arg_len(s)?;
        if used > limit {
            return Err(ExecError::ArgsTooBig);
        }
    }
    Ok(used)
}

// Reject inputs only a kernel bug could produce.
fn check_params(p: &StackParams) -> Result<(), ExecError> {
    if elf_pageoffset(p.stack_top) != 0 || p.stack_top > p.class.task_size() {
        return Err(ExecError::BadStackTop);
    }
    if p.align_offset >= ALIGN_STACK_RANDOM {
        return Err(ExecError::BadAlignOffset);
    }
    let all = p.argv.iter().chain(p.envp).chain([&p.execfn, &p.platform]);
    if all.into_iter().any(|s| s.contains(&0)) {
        return Err(ExecError::NulInString);
    }
    Ok(())
}

/// The stack being built: `bytes` holds `[base, top)`.
struct Frame {
    base: u64,
    word: u64,
    bytes: Vec<u8>,
}

impl Frame {
    // Copy `data` to user address `addr` (inside the frame by construction).
    fn put(&mut self, addr: u64, data: &[u8]) {
        let at = (addr - self.base) as usize;
        self.bytes[at..at + data.len()].copy_from_slice(data);
    }

    // Store one user word (4 or 8 bytes, little endian) at `addr`.
    fn put_word(&mut self, addr: u64, value: u64) {
        let bytes = value.to_le_bytes();
        self.put(addr, &bytes[..self.word as usize]);
    }
}

/// Build the initial stack of a new process exactly as Linux lays it out.
/// Fails with E2BIG like execve, or EINVAL for impossible parameters.
pub fn create_elf_tables(p: &StackParams) -> Result<InitialStack, ExecError> {
    check_params(p)?;
    let strings_len = bprm_stack_limits(p.argv, p.envp, p.execfn, p.rlim_stack)?;
    let word = p.class.word_size();
    let empty: &[u8] = b"";
    let argv: &[&[u8]] = if p.argv.is_empty() { &[empty] } else { p.argv };
    let bad = ExecError::BadStackTop;

    // bprm_mm_init and copy_strings: the strings sit right below the marker.
    let marker = p.stack_top.checked_sub(END_MARKER).ok_or(bad)?;
    let arg_start = marker.checked_sub(strings_len).ok_or(bad)?;
    // The file name is part of strings_len, so this cannot underflow.
    let execfn_addr = marker - (p.execfn.len() as u64 + 1);
    // arch_align_stack, then STACK_ALLOC of the platform string and random bytes.
    let aligned = arg_start
        .checked_sub(u64::from(p.align_offset))
        .ok_or(bad)?
        & !15;
    let platform_addr = aligned
        .checked_sub(p.platform.len() as u64 + 1)
        .ok_or(bad)?;
    let random_addr = platform_addr.checked_sub(16).ok_or(bad)?;
    let addrs = StackAddrs {
        execfn: execfn_addr,
        platform: platform_addr,
        random: random_addr,
    };
    let auxv = auxv_entries(p.class, &p.auxv, &addrs);
    if word == 4
        && let Some(&(key, _)) = auxv.iter().find(|&&(_, v)| v > u64::from(u32::MAX))
    {
        return Err(ExecError::AuxvValueTooLarge { key });
    }
    // STACK_ADD for the auxv words, then STACK_ROUND for argc/argv/envp.
    let items = (argv.len() as u64 + 1) + (p.envp.len() as u64 + 1) + 1;
    let words = items + 2 * auxv.len() as u64;
    let sp = random_addr.checked_sub(words * word).ok_or(bad)? & !15;

    let mut f = Frame {
        base: sp,
        word,
        bytes: vec![0; (p.stack_top - sp) as usize],
    };
    let mut at = marker;
    for s in core::iter::once(&p.execfn)
        .chain(p.envp.iter().rev())
        .chain(argv.iter().rev())
    {
        at -= s.len() as u64 + 1;
        f.put(at, s);
    }
    f.put(platform_addr, p.platform);
    f.put(random_addr, &p.random);

    let mut slot = sp;
    let mut push = |f: &mut Frame, value: u64| {
        f.put_word(slot, value);
        slot += word;
    };
    push(&mut f, argv.len() as u64);
    let argv_addr = sp + word;
    let mut s_addr = arg_start;
    for s in argv {
        push(&mut f, s_addr);
        s_addr += s.len() as u64 + 1;
    }
    push(&mut f, 0);
    let (arg_end, env_start) = (s_addr, s_addr);
    let envp_addr = argv_addr + (argv.len() as u64 + 1) * word;
    for s in p.envp {
        push(&mut f, s_addr);
        s_addr += s.len() as u64 + 1;
    }
    push(&mut f, 0);
    let auxv_addr = envp_addr + (p.envp.len() as u64 + 1) * word;
    for &(key, value) in &auxv {
        push(&mut f, key);
        push(&mut f, value);
    }
    Ok(InitialStack {
        bytes: f.bytes,
        sp,
        argc: argv.len() as u64,
        argv_addr,
        envp_addr,
        auxv_addr,
        arg_start,
        arg_end,
        env_start,
        env_end: s_addr,
        execfn_addr,
        platform_addr,
        random_addr,
        auxv,
    })
}
