//! The n_tty line discipline (Linux's drivers/tty/n_tty.c) as a pure
//! state machine: bytes arrive with [`Ldisc::receive`], which applies the
//! termios input flags, the special characters (signals, flow control,
//! canonical editing) and echo; [`Ldisc::read`] hands out what a read(2)
//! may take now. Waiting (VMIN/VTIME, O_NONBLOCK), signals and the device
//! are the kernel's: this crate only decides, so it is tested on the host.
#![no_std]

extern crate alloc;

mod termios;

use alloc::collections::VecDeque;
use alloc::vec::Vec;
pub use termios::*;

/// Linux's N_TTY_BUF_SIZE: a canonical line holds at most this less one.
pub const N_TTY_BUF_SIZE: usize = 4096;
/// Unread input kept at most (more is dropped, as a full read_buf does).
const READY_MAX: usize = 16 * N_TTY_BUF_SIZE;

/// An entry of the read queue: a byte, possibly ending a line, or the
/// mark an end-of-file character leaves (Linux's __DISABLED_CHAR with the
/// delimiter bit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Byte(u8),
    /// A byte that completes a canonical line ('\n', VEOL, VEOL2).
    Eol(u8),
    /// VEOF: the line so far is pushed; alone, it reads as end of file.
    Eof,
}

/// What a received byte asks of the kernel besides echo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Send this signal to the foreground process group (ISIG).
    Signal(i32),
    /// Output stopped (VSTOP) or restarted (VSTART) under IXON.
    Stop,
    Start,
}

pub const SIGINT: i32 = 2;
pub const SIGQUIT: i32 = 3;
pub const SIGTSTP: i32 = 20;

/// The line discipline's state for one terminal.
pub struct Ldisc {
    pub termios: Termios,
    /// The canonical line being edited.
    line: Vec<u8>,
    /// What read(2) may take, in order.
    ready: VecDeque<Slot>,
    /// The next byte is literal (after VLNEXT).
    lnext: bool,
    /// Output is stopped (VSTOP under IXON, TCOOFF).
    pub stopped: bool,
}

impl Default for Ldisc {
    /// Linux's standard termios, nothing typed.
    fn default() -> Self {
        Ldisc::new()
    }
}

/// Is `c` a control character as echo sees it (iscntrl)?
fn is_cntrl(c: u8) -> bool {
    c < 0x20 || c == 0x7f
}

impl Ldisc {
    /// A line discipline with Linux's standard termios and no input.
    pub const fn new() -> Ldisc {
        Ldisc {
            termios: Termios::standard(),
            line: Vec::new(),
            ready: VecDeque::new(),
            lnext: false,
            stopped: false,
        }
    }

    /// Is this c_lflag bit set?
    fn l(&self, flag: u32) -> bool {
        self.termios.c_lflag & flag != 0
    }

    /// Is this c_iflag bit set?
    fn i(&self, flag: u32) -> bool {
        self.termios.c_iflag & flag != 0
    }

    /// Is `c` the (enabled) special character `idx`?
    fn is(&self, c: u8, idx: usize) -> bool {
        let cc = self.termios.c_cc[idx];
        cc != VDISABLE && c == cc
    }

    /// Echo one character as Linux's echo_char: control characters as ^X
    /// under ECHOCTL (tab and newline as themselves).
    fn echo_char(&self, c: u8, echo: &mut Vec<u8>) {
        if self.l(ECHOCTL) && is_cntrl(c) && c != b'\t' && c != b'\n' {
            echo.extend_from_slice(&[b'^', c ^ 0x40]);
        } else {
            echo.push(c);
        }
    }

    /// Columns a character of the line took when echoed.
    fn width(&self, c: u8) -> usize {
        if is_cntrl(c) && c != b'\t' {
            if self.l(ECHOCTL) { 2 } else { 0 }
        } else {
            1
        }
    }

    /// A byte from the device (Linux's n_tty_receive_char and friends).
    /// Echo goes to `echo`; the result says what else must happen.
    pub fn receive(&mut self, c: u8, echo: &mut Vec<u8>) -> Option<Action> {
        let mut c = c;
        if self.i(ISTRIP) {
            c &= 0x7f;
        }
        if self.lnext {
            self.lnext = false;
            self.put_literal(c, echo);
            return None;
        }
        if self.i(IXON) {
            if self.is(c, VSTOP) {
                self.stopped = true;
                return Some(Action::Stop);
            }
            if self.is(c, VSTART) {
                self.stopped = false;
                return Some(Action::Start);
            }
        }
        if self.l(ISIG) {
            let sig = if self.is(c, VINTR) {
                Some(SIGINT)
            } else if self.is(c, VQUIT) {
                Some(SIGQUIT)
            } else if self.is(c, VSUSP) {
                Some(SIGTSTP)
            } else {
                None
            };
            if let Some(sig) = sig {
                if !self.l(NOFLSH) {
                    self.flush_input();
                }
                if self.l(ECHO) {
                    self.echo_char(c, echo);
                }
                return Some(Action::Signal(sig));
            }
        }
        // IXANY: any other character restarts stopped output.
        let restart = self.stopped && self.i(IXON) && self.i(IXANY);
        if restart {
            self.stopped = false;
        }
        if c == b'\r' {
            if self.i(IGNCR) {
                return restart.then_some(Action::Start);
            }
            if self.i(ICRNL) {
                c = b'\n';
            }
        } else if c == b'\n' && self.i(INLCR) {
            c = b'\r';
        }
        if !(self.l(ICANON) && self.canonical_special(c, echo)) {
            self.put_literal(c, echo);
        }
        restart.then_some(Action::Start)
    }

    /// An ordinary byte: into the line (canonical) or straight to the
    /// reader, echoed as ECHO says; a canonical '\n' ends the line.
    fn put_literal(&mut self, c: u8, echo: &mut Vec<u8>) {
        if !self.l(ICANON) {
            if self.l(ECHO) {
                self.echo_char(c, echo);
            }
            if self.ready.len() < READY_MAX {
                self.ready.push_back(Slot::Byte(c));
            }
            return;
        }
        let ends_line = c == b'\n' || self.is(c, VEOL) || (self.l(IEXTEN) && self.is(c, VEOL2));
        if ends_line {
            if self.l(ECHO) || (c == b'\n' && self.l(ECHONL)) {
                self.echo_char(c, echo);
            }
            self.push_line(Slot::Eol(c));
            return;
        }
        if self.line.len() >= N_TTY_BUF_SIZE - 1 {
            return; // a full line takes only its end
        }
        if self.l(ECHO) {
            self.echo_char(c, echo);
        }
        self.line.push(c);
    }

    /// Canonical editing characters (VERASE, VKILL, VWERASE, VEOF,
    /// VLNEXT, VREPRINT); returns whether `c` was one.
    fn canonical_special(&mut self, c: u8, echo: &mut Vec<u8>) -> bool {
        let iexten = self.l(IEXTEN);
        if self.is(c, VERASE) {
            self.erase(1, Some(c), echo);
        } else if self.is(c, VKILL) {
            self.kill(c, echo);
        } else if iexten && self.is(c, VWERASE) {
            let mut n = 0;
            while self.line.len() > n && self.line[self.line.len() - 1 - n] == b' ' {
                n += 1;
            }
            while self.line.len() > n && {
                let b = self.line[self.line.len() - 1 - n];
                b.is_ascii_alphanumeric() || b == b'_'
            } {
                n += 1;
            }
            self.erase(n.max(1), None, echo);
        } else if self.is(c, VEOF) {
            self.push_line(Slot::Eof);
        } else if iexten && self.is(c, VLNEXT) {
            self.lnext = true;
            if self.l(ECHO) && self.l(ECHOCTL) {
                echo.extend_from_slice(b"^\x08");
            }
        } else if iexten && self.is(c, VREPRINT) {
            if self.l(ECHO) {
                self.echo_char(c, echo);
                echo.push(b'\n');
                for i in 0..self.line.len() {
                    self.echo_char(self.line[i], echo);
                }
            }
        } else {
            return false;
        }
        true
    }

    /// Take up to `n` characters off the line (Linux's eraser), rubbing
    /// them out on screen under ECHOE, or echoing the erase character.
    fn erase(&mut self, n: usize, erase_char: Option<u8>, echo: &mut Vec<u8>) {
        for _ in 0..n {
            let Some(c) = self.line.pop() else { break };
            if !self.l(ECHO) {
                continue;
            }
            match erase_char {
                Some(e) if !self.l(ECHOE) => self.echo_char(e, echo),
                _ if c == b'\t' => {
                    // Back to where the tab started: recount the line.
                    let col = self.line.iter().fold(0, |col, &b| {
                        if b == b'\t' {
                            (col | 7) + 1
                        } else {
                            col + self.width(b)
                        }
                    });
                    let tab = 8 - col % 8;
                    echo.extend(core::iter::repeat_n(8u8, tab));
                }
                _ => {
                    for _ in 0..self.width(c) {
                        echo.extend_from_slice(b"\x08 \x08");
                    }
                }
            }
        }
    }

    /// VKILL: the whole line goes; on screen, rubbed out (ECHOKE with
    /// ECHOE) or the kill character and, with ECHOK, a newline.
    fn kill(&mut self, c: u8, echo: &mut Vec<u8>) {
        if self.line.is_empty() {
            return;
        }
        if self.l(ECHO) && self.l(ECHOK) && self.l(ECHOKE) && self.l(ECHOE) {
            let n = self.line.len();
            self.erase(n, None, echo);
            return;
        }
        self.line.clear();
        if self.l(ECHO) {
            self.echo_char(c, echo);
            if self.l(ECHOK) {
                echo.push(b'\n');
            }
        }
    }

    /// A canonical line is complete: hand it, with its end, to readers.
    fn push_line(&mut self, end: Slot) {
        let line: Vec<u8> = core::mem::take(&mut self.line);
        if self.ready.len() + line.len() < READY_MAX {
            self.ready.extend(line.into_iter().map(Slot::Byte));
            self.ready.push_back(end);
        }
    }

    /// New termios (TCSETS): leaving canonical mode makes the line being
    /// edited readable, as Linux's n_tty_set_termios does.
    pub fn set_termios(&mut self, t: Termios) {
        let was_canon = self.l(ICANON);
        self.termios = t;
        if was_canon && !self.l(ICANON) {
            let line: Vec<u8> = core::mem::take(&mut self.line);
            self.ready.extend(line.into_iter().map(Slot::Byte));
        }
        if !self.i(IXON) {
            self.stopped = false;
        }
    }

    /// Discard unread input (TCIFLUSH, a signal character without NOFLSH).
    pub fn flush_input(&mut self) {
        self.line.clear();
        self.ready.clear();
        self.lnext = false;
    }

    /// Bytes a reader may take now (end-of-file marks aside): TIOCINQ.
    pub fn inq(&self) -> usize {
        self.ready
            .iter()
            .filter(|s| !matches!(s, Slot::Eof))
            .count()
    }

    /// Would a read return now (Linux's input_available_p)? Canonical:
    /// a line or an end of file; otherwise `amt` bytes (the caller passes
    /// VMIN when polling with VTIME 0, else 1).
    pub fn input_available(&self, amt: usize) -> bool {
        if self.l(ICANON) {
            !self.ready.is_empty()
        } else {
            self.inq() >= amt.max(1)
        }
    }

    /// Take what a read may have now (Linux's canon_copy_from_read_buf /
    /// copy_from_read_buf): canonical reads stop after a line's end and
    /// consume an end-of-file mark (alone, it reads as 0 bytes: EOF).
    /// Returns the bytes copied.
    pub fn read(&mut self, buf: &mut [u8]) -> usize {
        let canon = self.l(ICANON);
        let mut n = 0;
        while n < buf.len() {
            match self.ready.front().copied() {
                None => break,
                Some(Slot::Eof) => {
                    if canon {
                        self.ready.pop_front();
                        break;
                    }
                    self.ready.pop_front();
                }
                Some(Slot::Byte(b)) => {
                    self.ready.pop_front();
                    buf[n] = b;
                    n += 1;
                }
                Some(Slot::Eol(b)) => {
                    self.ready.pop_front();
                    buf[n] = b;
                    n += 1;
                    if canon {
                        break;
                    }
                }
            }
        }
        n
    }
}

#[cfg(test)]
mod tests;
