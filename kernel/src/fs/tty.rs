//! The console terminal on COM1 (Linux's serial tty with the n_tty line
//! discipline). Input arrives on IRQ 4 and goes through the line
//! discipline (kernel/libs/ntty: termios input flags, canonical editing,
//! echo, signal characters); this file is the device around it: reads
//! that wait as VMIN/VTIME and O_NONBLOCK say, job control (SIGTTIN,
//! SIGTTOU with TOSTOP), output stopped by ^S or TCOOFF, the controlling
//! terminal of a session (TIOCSCTTY, TIOCNOTTY, TIOCGSID), and the
//! termios, window and queue ioctls, answered as Linux answers them.
//!
//! Output goes to the UART, which always sends "\r\n" for "\n": OPOST and
//! ONLCR cannot be turned off on this console.

use super::file::{File, FileOps, O_NONBLOCK, POLLIN, POLLOUT};
use crate::arch::x86_64::serial;
use crate::errno::{Errno, SysResult};
use crate::process::signal::{
    SIG_IGN, SIGCONT, SIGHUP, SIGTTIN, SIGTTOU, SIGWINCH, kill_pgrp, sigmask,
};
use crate::process::task::TaskState;
use crate::sched::current;
use crate::sched::wait::WaitQueue;
use crate::sync::SpinLock;
use crate::uaccess::{copy_from_user, copy_to_user, get_user, put_user};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;
use ntty::{Action, Ldisc, TERMIOS_SIZE, TERMIOS2_SIZE, Termios};

const TCGETS: u32 = 0x5401;
const TCSETS: u32 = 0x5402;
const TCSETSW: u32 = 0x5403;
const TCSETSF: u32 = 0x5404;
const TCSBRK: u32 = 0x5409;
const TCXONC: u32 = 0x540a;
const TCFLSH: u32 = 0x540b;
const TIOCEXCL: u32 = 0x540c;
const TIOCNXCL: u32 = 0x540d;
const TIOCSCTTY: u32 = 0x540e;
const TIOCGPGRP: u32 = 0x540f;
const TIOCSPGRP: u32 = 0x5410;
const TIOCOUTQ: u32 = 0x5411;
const TIOCSTI: u32 = 0x5412;
const TIOCGWINSZ: u32 = 0x5413;
const TIOCSWINSZ: u32 = 0x5414;
const FIONREAD: u32 = 0x541b;
const TIOCNOTTY: u32 = 0x5422;
const TCSBRKP: u32 = 0x5425;
const TIOCGSID: u32 = 0x5429;
const TCGETS2: u32 = 0x802c_542a;
const TCSETS2: u32 = 0x402c_542b;
const TCSETSW2: u32 = 0x402c_542c;
const TCSETSF2: u32 = 0x402c_542d;
const TIOCGEXCL: u32 = 0x8004_5440;

/// TCXONC and TCFLSH arguments.
const TCOOFF: usize = 0;
const TCOON: usize = 1;
const TCIOFF: usize = 2;
const TCION: usize = 3;
const TCIFLUSH: usize = 0;
const TCIOFLUSH: usize = 2;

/// The line speed termios2 reports (B38400).
const BAUD: u32 = 38400;

struct Tty {
    ld: Ldisc,
    winsize: [u16; 4],
    /// The foreground process group: signal characters go to it.
    pgrp: i32,
    /// The session this is the controlling terminal of (0: none).
    session: i32,
    /// The foreground group when no session controls the terminal (the
    /// kernel makes init's group foreground at boot: set_foreground).
    default_pgrp: i32,
    /// TIOCEXCL.
    exclusive: bool,
}

static TTY: SpinLock<Tty> = SpinLock::new(Tty {
    ld: Ldisc::new(),
    winsize: [24, 80, 0, 0],
    pgrp: 0,
    session: 0,
    default_pgrp: 0,
    exclusive: false,
});
/// Readers wait here for input; writers for output to restart.
static READERS: WaitQueue = WaitQueue::new();
static WRITERS: WaitQueue = WaitQueue::new();

/// Run `byte` through the line discipline as if typed: echo it, and
/// signal the foreground group for ^C, ^\ and ^Z.
fn receive(byte: u8) {
    let mut echo = Vec::new();
    let (action, pgrp) = {
        let mut t = TTY.lock();
        let a = t.ld.receive(byte, &mut echo);
        (a, t.pgrp)
    };
    if !echo.is_empty() {
        serial::write_bytes(&echo);
    }
    match action {
        Some(Action::Signal(sig)) if pgrp > 0 => {
            kill_pgrp(pgrp, sig);
        }
        Some(Action::Start) => WRITERS.wake_up_all(),
        _ => {}
    }
}

/// IRQ 4: move received bytes through the line discipline.
pub fn serial_interrupt() {
    let mut any = false;
    while let Some(b) = serial::try_read() {
        receive(b);
        any = true;
    }
    if any {
        READERS.wake_up_all();
        super::poll_wake();
    }
}

/// The session controlling the terminal, forgetting one whose leader has
/// exited (Linux's disassociate_ctty at the leader's exit; the SIGHUP it
/// sends is not sent here).
fn ctty_session(t: &mut Tty) -> i32 {
    if t.session != 0 {
        let alive = crate::process::find_task(t.session)
            .is_some_and(|l| !matches!(l.state(), TaskState::Zombie | TaskState::Dead));
        if !alive {
            t.session = 0;
            t.pgrp = t.default_pgrp;
        }
    }
    t.session
}

/// The caller's (session, process group).
fn my_ids() -> (i32, i32) {
    let sig = current().signal();
    (
        sig.session.load(Ordering::Relaxed),
        sig.pgrp.load(Ordering::Relaxed),
    )
}

/// Is the terminal the caller's controlling terminal?
fn is_my_ctty(t: &mut Tty) -> bool {
    let s = ctty_session(t);
    s != 0 && s == my_ids().0
}

/// Linux's __tty_check_change: a background process of the terminal's
/// session is stopped with `sig` (SIGTTIN, SIGTTOU) instead of using it;
/// if it ignores or blocks the signal, reads fail EIO and the rest go on.
fn tty_check_change(sig: i32) -> Result<(), Errno> {
    let (mine, fg) = {
        let mut t = TTY.lock();
        (is_my_ctty(&mut t), t.pgrp)
    };
    let my_pgrp = my_ids().1;
    if !mine || fg <= 0 || fg == my_pgrp {
        return Ok(());
    }
    let me = current();
    let blocked = me.blocked.load(Ordering::Relaxed) & sigmask(sig) != 0;
    let ignored = me.sighand().action.lock()[sig as usize - 1].handler == SIG_IGN;
    if blocked || ignored {
        return if sig == SIGTTIN {
            Err(Errno::EIO)
        } else {
            Ok(())
        };
    }
    kill_pgrp(my_pgrp, sig);
    Err(Errno::ERESTARTSYS)
}

/// n_tty_read: canonical reads wait for a line; otherwise VMIN and VTIME
/// decide (MIN 0 TIME 0: what is there; MIN 0: up to TIME tenths for one
/// byte; TIME 0: MIN bytes; both: MIN bytes or TIME tenths of silence).
fn n_tty_read(file: &File, buf: &mut [u8]) -> SysResult {
    tty_check_change(SIGTTIN)?;
    let nonblock = file.flags() & O_NONBLOCK != 0;
    let (canon, vmin, vtime) = {
        let t = TTY.lock();
        let tm = &t.ld.termios;
        (
            tm.c_lflag & ntty::ICANON != 0,
            tm.c_cc[ntty::VMIN] as usize,
            tm.c_cc[ntty::VTIME] as u64,
        )
    };
    let tenths = vtime * 100_000_000;
    // (bytes wanted, deadline now, interval restarting it after each byte)
    let (minimum, mut deadline, inter) = if canon {
        (1, None, None)
    } else if vmin > 0 {
        (vmin.min(buf.len()), None, (vtime > 0).then_some(tenths))
    } else {
        (1, Some(crate::time::ktime_get_ns() + tenths), None)
    };
    let mut n = 0;
    loop {
        let got = {
            let mut t = TTY.lock();
            if canon && t.ld.input_available(1) {
                return Ok(t.ld.read(buf));
            }
            t.ld.read(&mut buf[n..])
        };
        n += got;
        if n >= minimum || n == buf.len() {
            return Ok(n);
        }
        if got > 0 {
            if let Some(i) = inter {
                deadline = Some(crate::time::ktime_get_ns() + i);
            }
        }
        if deadline.is_some_and(|d| crate::time::ktime_get_ns() >= d) {
            return Ok(n);
        }
        if nonblock {
            return if n > 0 { Ok(n) } else { Err(Errno::EAGAIN) };
        }
        match READERS.wait_event_timeout(true, deadline, &mut || TTY.lock().ld.input_available(1)) {
            Ok(_) => {}
            Err(e) => return if n > 0 { Ok(n) } else { Err(e) },
        }
    }
}

pub struct Console;

impl FileOps for Console {
    /// read(2) through the line discipline.
    fn read(&self, file: &File, buf: &mut [u8]) -> SysResult {
        if buf.is_empty() {
            return Ok(0);
        }
        n_tty_read(file, buf)
    }

    /// n_tty_write: SIGTTOU for a background writer under TOSTOP; wait
    /// while output is stopped.
    fn write(&self, file: &File, buf: &[u8]) -> SysResult {
        if TTY.lock().ld.termios.c_lflag & ntty::TOSTOP != 0 {
            tty_check_change(SIGTTOU)?;
        }
        if TTY.lock().ld.stopped {
            if file.flags() & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            WRITERS.wait_event(true, || !TTY.lock().ld.stopped)?;
        }
        crate::printk::console_write(buf);
        Ok(buf.len())
    }

    /// The terminal ioctls.
    fn ioctl(&self, _file: &File, cmd: u32, arg: usize) -> SysResult {
        tty_ioctl(cmd, arg)
    }

    /// n_tty_poll: readable when a read would return (VMIN bytes when
    /// VTIME is 0 in non-canonical mode).
    fn poll(&self, _file: &File) -> u16 {
        let t = TTY.lock();
        let tm = &t.ld.termios;
        let amt = if tm.c_cc[ntty::VTIME] == 0 {
            tm.c_cc[ntty::VMIN] as usize
        } else {
            1
        };
        if t.ld.input_available(amt) {
            POLLIN | POLLOUT
        } else {
            POLLOUT
        }
    }
}

/// Copy termios in from user memory (termios2: the first 36 bytes).
fn get_termios(arg: usize) -> Result<Termios, Errno> {
    let mut b = [0u8; TERMIOS_SIZE];
    copy_from_user(&mut b, arg)?;
    Ok(Termios::from_bytes(&b))
}

/// TCSETS and friends: SIGTTOU for the background; TCSETSF first
/// discards unread input (TCSETSW's wait for output to drain is
/// immediate: the UART is written synchronously).
fn set_termios(arg: usize, flush: bool) -> SysResult {
    tty_check_change(SIGTTOU)?;
    let t = get_termios(arg)?;
    let mut tty = TTY.lock();
    if flush {
        tty.ld.flush_input();
    }
    tty.ld.set_termios(t);
    let stopped = tty.ld.stopped;
    drop(tty);
    if !stopped {
        WRITERS.wake_up_all();
    }
    READERS.wake_up_all();
    super::poll_wake();
    Ok(0)
}

/// TIOCSCTTY (Linux's tiocsctty): a session leader without a terminal
/// takes this one, unless another session has it (root steals it with
/// arg 1).
fn tiocsctty(arg: usize) -> SysResult {
    let me = current();
    let (session, pgrp) = my_ids();
    let mut t = TTY.lock();
    let owner = ctty_session(&mut t);
    if owner == session && session == me.tgid {
        return Ok(0);
    }
    if session != me.tgid {
        return Err(Errno::EPERM);
    }
    if owner != 0 && arg != 1 {
        return Err(Errno::EPERM);
    }
    t.session = session;
    t.pgrp = pgrp;
    Ok(0)
}

/// TIOCNOTTY: give up the controlling terminal. The session leader's
/// giving up hangs up the foreground group (SIGHUP, SIGCONT), as Linux's
/// disassociate_ctty; another member's is a no-op here (the terminal is
/// kept per session, not per process).
fn tiocnotty() -> SysResult {
    let me = current();
    let mut t = TTY.lock();
    if !is_my_ctty(&mut t) {
        return Err(Errno::ENOTTY);
    }
    if my_ids().0 != me.tgid {
        return Ok(0);
    }
    let fg = t.pgrp;
    t.session = 0;
    t.pgrp = t.default_pgrp;
    drop(t);
    if fg > 0 {
        kill_pgrp(fg, SIGHUP);
        kill_pgrp(fg, SIGCONT);
    }
    Ok(0)
}

/// TIOCSPGRP (Linux's tiocspgrp): only through one's controlling
/// terminal, to a group of one's own session.
fn tiocspgrp(arg: usize) -> SysResult {
    match tty_check_change(SIGTTOU) {
        Err(Errno::EIO) => return Err(Errno::ENOTTY),
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    if !is_my_ctty(&mut TTY.lock()) {
        return Err(Errno::ENOTTY);
    }
    let pgrp: i32 = get_user(arg)?;
    if pgrp < 0 {
        return Err(Errno::EINVAL);
    }
    let session = my_ids().0;
    let members: Vec<i32> = crate::process::all_tasks()
        .iter()
        .filter(|t| {
            t.signal().pgrp.load(Ordering::Relaxed) == pgrp && !matches!(t.state(), TaskState::Dead)
        })
        .map(|t| t.signal().session.load(Ordering::Relaxed))
        .collect();
    if members.is_empty() {
        return Err(Errno::ESRCH);
    }
    if members.iter().any(|&s| s != session) {
        return Err(Errno::EPERM);
    }
    TTY.lock().pgrp = pgrp;
    Ok(0)
}

/// TIOCGPGRP, TIOCGSID: an id of the terminal, only for a process it
/// controls (ENOTTY otherwise).
fn put_ctty_id(arg: usize, id: fn(&Tty) -> i32) -> SysResult {
    let v = {
        let mut t = TTY.lock();
        if !is_my_ctty(&mut t) {
            return Err(Errno::ENOTTY);
        }
        id(&t)
    };
    put_user(arg, &v).map(|_| 0)
}

/// The terminal ioctls (Linux's tty_ioctl and n_tty_ioctl).
fn tty_ioctl(cmd: u32, arg: usize) -> SysResult {
    match cmd {
        TCGETS => copy_to_user(arg, &TTY.lock().ld.termios.to_bytes()).map(|_| 0),
        TCGETS2 => {
            let mut b = [0u8; TERMIOS2_SIZE];
            b[..TERMIOS_SIZE].copy_from_slice(&TTY.lock().ld.termios.to_bytes());
            b[36..40].copy_from_slice(&BAUD.to_le_bytes());
            b[40..44].copy_from_slice(&BAUD.to_le_bytes());
            copy_to_user(arg, &b).map(|_| 0)
        }
        TCSETS | TCSETSW | TCSETS2 | TCSETSW2 => set_termios(arg, false),
        TCSETSF | TCSETSF2 => set_termios(arg, true),
        TCSBRK | TCSBRKP => tty_check_change(SIGTTOU).map(|_| 0),
        TCXONC => {
            tty_check_change(SIGTTOU)?;
            match arg {
                TCOOFF => TTY.lock().ld.stopped = true,
                TCOON => {
                    TTY.lock().ld.stopped = false;
                    WRITERS.wake_up_all();
                }
                TCIOFF | TCION => {} // STOP/START to the other end: no flow control on this UART
                _ => return Err(Errno::EINVAL),
            }
            Ok(0)
        }
        TCFLSH => {
            tty_check_change(SIGTTOU)?;
            match arg {
                TCIFLUSH | TCIOFLUSH => TTY.lock().ld.flush_input(),
                1 => {} // TCOFLUSH: output is never queued
                _ => return Err(Errno::EINVAL),
            }
            Ok(0)
        }
        TIOCEXCL | TIOCNXCL => {
            TTY.lock().exclusive = cmd == TIOCEXCL;
            Ok(0)
        }
        TIOCGEXCL => put_user(arg, &(TTY.lock().exclusive as i32)).map(|_| 0),
        TIOCSCTTY => tiocsctty(arg),
        TIOCNOTTY => tiocnotty(),
        TIOCGPGRP => put_ctty_id(arg, |t| t.pgrp),
        TIOCSPGRP => tiocspgrp(arg),
        TIOCGSID => put_ctty_id(arg, |t| t.session),
        TIOCOUTQ => put_user(arg, &0i32).map(|_| 0),
        FIONREAD => {
            let n = TTY.lock().ld.inq() as i32;
            put_user(arg, &n).map(|_| 0)
        }
        TIOCSTI => {
            let c: u8 = get_user(arg)?;
            receive(c);
            READERS.wake_up_all();
            super::poll_wake();
            Ok(0)
        }
        TIOCGWINSZ => {
            let w = TTY.lock().winsize;
            let mut b = [0u8; 8];
            for (i, v) in w.iter().enumerate() {
                b[i * 2..i * 2 + 2].copy_from_slice(&v.to_le_bytes());
            }
            copy_to_user(arg, &b).map(|_| 0)
        }
        TIOCSWINSZ => {
            let mut b = [0u8; 8];
            copy_from_user(&mut b, arg)?;
            let w: [u16; 4] =
                core::array::from_fn(|i| u16::from_le_bytes([b[i * 2], b[i * 2 + 1]]));
            let mut t = TTY.lock();
            let changed = t.winsize != w;
            t.winsize = w;
            let fg = t.pgrp;
            drop(t);
            if changed && fg > 0 {
                kill_pgrp(fg, SIGWINCH);
            }
            Ok(0)
        }
        _ => Err(Errno::ENOTTY),
    }
}

/// Open /dev/console (each open shares the one terminal).
pub fn open_console() -> Arc<dyn FileOps> {
    Arc::new(Console)
}

/// Make `pgrp` the terminal's foreground process group (the kernel does
/// it for init at boot).
pub fn set_foreground(pgrp: i32) {
    let mut t = TTY.lock();
    t.pgrp = pgrp;
    t.default_pgrp = pgrp;
}

/// The serial terminal's device number as /proc/PID/stat encodes it
/// (ttyS0, 4:64, in new_encode_dev form).
const TTY_NR: u32 = (64 & 0xff) | (4 << 8);

/// If the terminal controls `session`: its tty_nr and foreground group.
pub fn ctty_of_session(session: i32) -> Option<(u32, i32)> {
    let mut t = TTY.lock();
    (session != 0 && ctty_session(&mut t) == session).then_some((TTY_NR, t.pgrp))
}
