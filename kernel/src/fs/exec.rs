//! execve (Linux's fs/exec.c): find and check the program, copy the
//! arguments, hand the file to the ELF loader, and past the point of no
//! return replace the process image: new address space, close-on-exec
//! files closed, handlers reset, vfork parent released.

use super::binfmt_elf::{LinuxBinprm, load_elf_binary};
use super::file::{File, O_RDONLY};
use crate::arch::x86_64::entry::PtRegs;
use crate::errno::Errno;
use crate::process::signal::{SIG_DFL, SIG_IGN};
use crate::process::task::TaskState;
use crate::sched::current;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

/// Open a program for execution (Linux's do_open_execat): a regular file
/// with an execute bit.
pub fn open_exec(path: &[u8]) -> Result<Arc<File>, Errno> {
    let fs = current().fs();
    let inode = fs.lookup(path, true)?;
    if inode.is_dir() {
        return Err(Errno::EACCES);
    }
    if !inode.is_reg() {
        return Err(Errno::EACCES);
    }
    if inode.mode() & 0o111 == 0 {
        return Err(Errno::EACCES);
    }
    Ok(File::open(inode, O_RDONLY, path.to_vec()))
}

/// execve the program at `path` with `argv`/`envp` (already in kernel
/// memory); on success `regs` start the new program. Errors before the
/// point of no return leave the caller intact; after it the task dies.
#[unsafe(no_mangle)]
pub fn do_execve(
    path: &[u8],
    argv: Vec<Vec<u8>>,
    envp: Vec<Vec<u8>>,
    regs: &mut PtRegs,
) -> Result<(), Errno> {
    // Linux's unshare_files: close-on-exec must not reach a CLONE_FILES sharer.
    current().unshare_files();
    let file = open_exec(path)?;
    let mut bprm = LinuxBinprm {
        filename: path.to_vec(),
        interp: path.to_vec(),
        buf: prepare_binprm(&file)?,
        file,
        argv,
        envp,
    };
    // Linux's exec_binprm: a script names its interpreter, which may be a
    // script too, five deep at most.
    for _depth in 0..=5 {
        if !bprm.buf.starts_with(b"#!") {
            return load_elf_binary(bprm, regs);
        }
        bprm = load_script(bprm)?;
    }
    Err(Errno::ELOOP)
}

/// Linux's BINPRM_BUF_SIZE: how much of the file the handlers look at first.
const BINPRM_BUF_SIZE: usize = 256;

/// The start of the file, for recognising its format (Linux's
/// prepare_binprm); the ELF loader reads the rest it needs itself.
fn prepare_binprm(file: &File) -> Result<Vec<u8>, Errno> {
    let mut buf = alloc::vec![0u8; BINPRM_BUF_SIZE];
    let n = file.read_at(0, &mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

/// Make the execing thread the only one in its group (Linux's
/// de_thread): kill the others, wait for them to go, and if we are not
/// the group leader, take over the leader's pid and parent so the new
/// program is the process its parent knows.
#[unsafe(no_mangle)]
pub fn de_thread() {
    let me = crate::sched::current_arc();
    let sig = me.signal();
    let others = |me: &Arc<crate::process::task::Task>| {
        crate::process::thread_group(me.tgid)
            .into_iter()
            .filter(|t| {
                t.pid() != me.pid()
                    && t.state() != TaskState::Zombie
                    && t.state() != TaskState::Dead
            })
            .count()
    };
    if others(&me) > 0 {
        sig.group_exec_task.store(me.pid(), Ordering::Release);
        crate::process::exit::zap_other_threads(&me);
        while others(&me) > 0 {
            let _ = crate::sched::wait::sleep_until(crate::time::ktime_get_ns() + 1_000_000);
        }
        sig.group_exec_task.store(0, Ordering::Release);
    }
    if !me.is_group_leader() {
        if let Some(leader) = crate::process::find_task(me.tgid) {
            // exchange_tids: the leader (a zombie now) leaves, we take its pid.
            let parent = leader.real_parent.lock().clone();
            crate::process::exit::release_task(&leader);
            crate::process::unhash_task(me.pid());
            if let Some(p) = me.parent() {
                p.children.lock().retain(|c| !Arc::ptr_eq(c, &me));
            }
            me.set_pid(me.tgid);
            *me.real_parent.lock() = parent.clone();
            if let Some(p) = parent.upgrade() {
                p.children.lock().push(me.clone());
            }
            me.exit_signal
                .store(crate::process::signal::SIGCHLD, Ordering::Relaxed);
            crate::process::hash_task(me.clone());
        }
    }
    sig.live.store(1, Ordering::Release);
    me.unshare_sighand();
}

/// binfmt_script (Linux's load_script): "#!interpreter [arg]" becomes
/// `interpreter [arg] path argv[1..]`, with the interpreter the file to
/// load next. The line must end within the first 256 bytes unless what
/// is cut off is only the argument's tail (ENOEXEC otherwise).
fn load_script(bprm: LinuxBinprm) -> Result<LinuxBinprm, Errno> {
    let buf = &bprm.buf[2..];
    let line = match buf.iter().position(|&b| b == b'\n' || b == 0) {
        Some(end) => &buf[..end],
        None => {
            // No newline: fine if the buffer held the whole file, or if
            // the interpreter's name ends before the cut (Linux 5.1+).
            let word_ends = buf
                .iter()
                .skip_while(|&&b| b == b' ' || b == b'\t')
                .any(|&b| b == b' ' || b == b'\t');
            if bprm.buf.len() == BINPRM_BUF_SIZE && !word_ends {
                return Err(Errno::ENOEXEC);
            }
            // Linux keeps the buffer's last byte for a terminating NUL.
            &buf[..buf.len().min(BINPRM_BUF_SIZE - 3)]
        }
    };
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = line.iter().position(|b| !blank(b)).ok_or(Errno::ENOEXEC)?;
    let end = line
        .iter()
        .rposition(|b| !blank(b))
        .map_or(start, |e| e + 1);
    let line = &line[start..end];
    let name_len = line.iter().position(blank).unwrap_or(line.len());
    let (name, rest) = line.split_at(name_len);
    let arg = &rest[rest.iter().position(|b| !blank(b)).unwrap_or(rest.len())..];

    let mut argv = alloc::vec![name.to_vec()];
    if !arg.is_empty() {
        argv.push(arg.to_vec());
    }
    argv.push(bprm.interp.clone());
    argv.extend(bprm.argv.into_iter().skip(1));
    let file = open_exec(name)?;
    Ok(LinuxBinprm {
        filename: bprm.filename,
        interp: name.to_vec(),
        buf: prepare_binprm(&file)?,
        file,
        argv,
        envp: bprm.envp,
    })
}

/// The part of exec after the new image is in place (Linux's
/// begin_new_exec / setup_new_exec): process name, close-on-exec files,
/// POSIX timers deleted, signal handlers back to default (ignored ones
/// stay ignored), the alternate stack off.
pub fn setup_new_exec(filename: &[u8]) {
    let me = current();
    let base = filename.rsplit(|&b| b == b'/').next().unwrap_or(filename);
    me.set_comm(base);
    me.files().close_on_exec();
    crate::time::posix_timers::exit_itimers(me);
    // Unshare the handler table if a thread group shares it (de_thread).
    {
        let sh = me.sighand();
        let mut act = sh.action.lock();
        for a in act.iter_mut() {
            if a.handler != SIG_IGN && a.handler != SIG_DFL {
                *a = Default::default();
            }
            a.flags = 0;
            a.restorer = 0;
            a.mask = 0;
        }
    }
    *me.sigaltstack.lock() = (0, 0, 2);
    me.flags
        .fetch_and(!crate::process::task::PF_FORKNOEXEC, Ordering::Relaxed);
}
