//! The console terminal on COM1 (Linux's serial tty with the n_tty line
//! discipline, reduced): output goes straight to the UART; input arrives
//! on IRQ 4 into a buffer that read(2) drains, in canonical (line) mode
//! with echo by default. TCGETS/TCSETS/TIOCGWINSZ answer as a terminal.

use super::file::{File, FileOps, O_NONBLOCK};
use crate::arch::x86_64::serial;
use crate::errno::{Errno, SysResult};
use crate::sched::wait::WaitQueue;
use crate::sync::SpinLock;
use crate::uaccess::{copy_from_user, copy_to_user};
use alloc::collections::VecDeque;
use alloc::sync::Arc;

const TCGETS: u32 = 0x5401;
const TCSETS: u32 = 0x5402;
const TCSETSW: u32 = 0x5403;
const TCSETSF: u32 = 0x5404;
const TIOCGPGRP: u32 = 0x540f;
const TIOCSPGRP: u32 = 0x5410;
const TIOCGWINSZ: u32 = 0x5413;
const TIOCSWINSZ: u32 = 0x5414;
const FIONREAD: u32 = 0x541b;

const ICANON: u32 = 0o000002;
const ECHO: u32 = 0o000010;
const ISIG: u32 = 0o000001;
const ICRNL: u32 = 0o000400;

/// struct termios as the kernel's TCGETS reports it (asm-generic/termbits.h).
#[derive(Clone, Copy)]
#[repr(C)]
struct Termios {
    c_iflag: u32,
    c_oflag: u32,
    c_cflag: u32,
    c_lflag: u32,
    c_line: u8,
    c_cc: [u8; 19],
}

impl Termios {
    /// Linux's tty_std_termios with ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL.
    const fn standard() -> Termios {
        let mut cc = [0u8; 19];
        // VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1,
        // VSTART ^Q, VSTOP ^S, VSUSP ^Z, VREPRINT ^R, VDISCARD ^O, VWERASE ^W, VLNEXT ^V
        cc[0] = 3;
        cc[1] = 28;
        cc[2] = 127;
        cc[3] = 21;
        cc[4] = 4;
        cc[6] = 1;
        cc[8] = 17;
        cc[9] = 19;
        cc[10] = 26;
        cc[12] = 18;
        cc[13] = 15;
        cc[14] = 23;
        cc[15] = 22;
        Termios {
            c_iflag: ICRNL | 0o002000, // ICRNL | IXON
            c_oflag: 0o000001 | 0o000004, // OPOST | ONLCR
            c_cflag: 0o000017 | 0o000060 | 0o000200 | 0o002000, // B38400 | CS8 | CREAD | HUPCL
            c_lflag: ISIG | ICANON | ECHO | 0o000020 | 0o000040 | 0o001000 | 0o004000 | 0o100000, // ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
            c_line: 0,
            c_cc: cc,
        }
    }
}

struct Tty {
    termios: Termios,
    /// Bytes ready for read(2) (complete lines in canonical mode).
    ready: VecDeque<u8>,
    /// The line being edited (canonical mode).
    line: VecDeque<u8>,
    winsize: [u16; 4],
    pgrp: i32,
    /// The session this is the controlling terminal of (0: none).
    session: i32,
}

static TTY: SpinLock<Tty> = SpinLock::new(Tty {
    termios: Termios::standard(),
    ready: VecDeque::new(),
    line: VecDeque::new(),
    winsize: [24, 80, 0, 0],
    pgrp: 0,
    session: 0,
});
static READERS: WaitQueue = WaitQueue::new();

/// IRQ 4: move received bytes through the line discipline.
pub fn serial_interrupt() {
    let mut woke = false;
    while let Some(b) = serial::try_read() {
        let mut t = TTY.lock();
        let mut c = b;
        if c == b'\r' && t.termios.c_iflag & ICRNL != 0 {
            c = b'\n';
        }
        let lflag = t.termios.c_lflag;
        if lflag & ISIG != 0 && c == t.termios.c_cc[0] {
            let pgrp = t.pgrp;
            t.line.clear();
            drop(t);
            serial::write_bytes(b"^C\n");
            if pgrp > 0 {
                crate::process::signal::kill_pgrp(pgrp, crate::process::signal::SIGINT);
            }
            continue;
        }
        if lflag & ICANON == 0 {
            t.ready.push_back(c);
            if lflag & ECHO != 0 {
                serial::write_bytes(&[c]);
            }
            woke = true;
            continue;
        }
        match c {
            127 | 8 => {
                if t.line.pop_back().is_some() && lflag & ECHO != 0 {
                    serial::write_bytes(b"\x08 \x08");
                }
            }
            4 => {
                // ^D: end the line without a newline (EOF when empty).
                let line: alloc::vec::Vec<u8> = t.line.drain(..).collect();
                t.ready.extend(line);
                t.ready.push_back(0xff); // EOF marker, never stored otherwise
                woke = true;
            }
            b'\n' => {
                t.line.push_back(b'\n');
                let line: alloc::vec::Vec<u8> = t.line.drain(..).collect();
                t.ready.extend(line);
                if lflag & ECHO != 0 {
                    serial::write_bytes(b"\n");
                }
                woke = true;
            }
            c => {
                t.line.push_back(c);
                if lflag & ECHO != 0 {
                    serial::write_bytes(&[c]);
                }
            }
        }
    }
    if woke {
        READERS.wake_up_all();
        super::poll_wake();
    }
}

pub struct Console;

impl FileOps for Console {
    fn read(&self, file: &File, buf: &mut [u8]) -> SysResult {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            {
                let mut t = TTY.lock();
                if !t.ready.is_empty() {
                    let mut n = 0;
                    while n < buf.len() {
                        match t.ready.pop_front() {
                            Some(0xff) => {
                                if n == 0 {
                                    return Ok(0); // EOF
                                }
                                t.ready.push_front(0xff);
                                break;
                            }
                            Some(b) => {
                                buf[n] = b;
                                n += 1;
                                if b == b'\n' && t.termios.c_lflag & ICANON != 0 {
                                    break;
                                }
                            }
                            None => break,
                        }
                    }
                    return Ok(n);
                }
            }
            if file.flags() & O_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            READERS.wait_event(true, || !TTY.lock().ready.is_empty())?;
        }
    }

    fn write(&self, _file: &File, buf: &[u8]) -> SysResult {
        crate::printk::console_write(buf);
        Ok(buf.len())
    }

    fn ioctl(&self, _file: &File, cmd: u32, arg: usize) -> SysResult {
        const TERMIOS_SIZE: usize = core::mem::size_of::<Termios>();
        match cmd {
            TCGETS => {
                let t = TTY.lock().termios;
                // SAFETY: Termios is repr(C) plain data without padding.
                let bytes: [u8; TERMIOS_SIZE] = unsafe { core::mem::transmute(t) };
                copy_to_user(arg, &bytes).map(|_| 0)
            }
            TCSETS | TCSETSW | TCSETSF => {
                let mut bytes = [0u8; TERMIOS_SIZE];
                copy_from_user(&mut bytes, arg)?;
                // SAFETY: every bit pattern is a valid Termios.
                TTY.lock().termios = unsafe { core::mem::transmute::<[u8; TERMIOS_SIZE], Termios>(bytes) };
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
                let mut t = TTY.lock();
                for i in 0..4 {
                    t.winsize[i] = u16::from_le_bytes([b[i * 2], b[i * 2 + 1]]);
                }
                Ok(0)
            }
            TIOCGPGRP => {
                let pg = TTY.lock().pgrp;
                copy_to_user(arg, &pg.to_le_bytes()).map(|_| 0)
            }
            TIOCSPGRP => {
                let mut b = [0u8; 4];
                copy_from_user(&mut b, arg)?;
                TTY.lock().pgrp = i32::from_le_bytes(b);
                Ok(0)
            }
            FIONREAD => {
                let n = TTY.lock().ready.len() as i32;
                copy_to_user(arg, &n.to_le_bytes()).map(|_| 0)
            }
            _ => Err(Errno::ENOTTY),
        }
    }

    fn poll(&self, _file: &File) -> u16 {
        use super::file::{POLLIN, POLLOUT};
        if TTY.lock().ready.is_empty() { POLLOUT } else { POLLIN | POLLOUT }
    }

    fn is_tty(&self) -> bool {
        true
    }
}

/// Open /dev/console (each open shares the one terminal).
pub fn open_console() -> Arc<dyn FileOps> {
    Arc::new(Console)
}

/// Make `pgrp` the terminal's foreground process group.
pub fn set_foreground(pgrp: i32) {
    TTY.lock().pgrp = pgrp;
}

/// The serial terminal's device number as /proc/PID/stat encodes it
/// (ttyS0, 4:64, in new_encode_dev form).
const TTY_NR: u32 = (64 & 0xff) | (4 << 8);

/// If the terminal controls `session`: its tty_nr and foreground group.
pub fn ctty_of_session(session: i32) -> Option<(u32, i32)> {
    let t = TTY.lock();
    (session != 0 && t.session == session).then_some((TTY_NR, t.pgrp))
}
