//! termios.h: tcgetattr, tcsetattr, the speed functions, cfmakeraw,
//! tcgetpgrp/tcsetpgrp, tcgetsid, tcflush, tcdrain, tcflow, tcsendbreak.
//!
//! `struct termios` is glibc's (32 control characters and two speed
//! fields); the kernel's (TCGETS: 19 control characters) is converted as
//! glibc 2.36 does.

use crate::arch::nr;
use crate::errno::{EINVAL, set_errno};
use crate::sys::ret_int;
use crate::{c_int, c_ulong, pid_t};

pub type tcflag_t = u32;
pub type cc_t = u8;
pub type speed_t = u32;

const NCCS: usize = 32;
const KERNEL_NCCS: usize = 19;

/// glibc's `struct termios` (60 bytes).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct termios {
    pub c_iflag: tcflag_t,
    pub c_oflag: tcflag_t,
    pub c_cflag: tcflag_t,
    pub c_lflag: tcflag_t,
    pub c_line: cc_t,
    pub c_cc: [cc_t; NCCS],
    pub c_ispeed: speed_t,
    pub c_ospeed: speed_t,
}

/// The kernel's `struct termios` (asm-generic/termbits.h).
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct KernelTermios {
    c_iflag: tcflag_t,
    c_oflag: tcflag_t,
    c_cflag: tcflag_t,
    c_lflag: tcflag_t,
    c_line: cc_t,
    c_cc: [cc_t; KERNEL_NCCS],
}

const TCGETS: c_ulong = 0x5401;
const TCSETS: c_ulong = 0x5402;
const TCSBRK: c_ulong = 0x5409;
const TCXONC: c_ulong = 0x540a;
const TCFLSH: c_ulong = 0x540b;
const TIOCGPGRP: c_ulong = 0x540f;
const TIOCSPGRP: c_ulong = 0x5410;
const TIOCGSID: c_ulong = 0x5429;

const CBAUD: tcflag_t = 0o10017;
const CBAUDEX: tcflag_t = 0o10000;
const CSIZE: tcflag_t = 0o60;
const CS8: tcflag_t = 0o60;
const PARENB: tcflag_t = 0o400;
/// glibc's private c_iflag bit: "input speed 0" (the same as the output).
const IBAUD0: tcflag_t = 0o20000000000;
const B57600: speed_t = 0o10001;
const MAX_BAUD: speed_t = 0o10017; /* B4000000 */

/// `ioctl(fd, req, arg)` as a C result.
fn ioctl(fd: c_int, req: c_ulong, arg: usize) -> c_int {
    ret_int(syscall!(nr::IOCTL, fd, req, arg))
}

/// `tcgetattr(fd, t)`: the terminal's settings (ENOTTY for other files).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcgetattr(fd: c_int, t: *mut termios) -> c_int {
    let mut k = KernelTermios::default();
    if ioctl(fd, TCGETS, &raw mut k as usize) < 0 {
        return -1;
    }
    let speed = k.c_cflag & (CBAUD | CBAUDEX);
    let mut cc = [0; NCCS];
    cc[..KERNEL_NCCS].copy_from_slice(&k.c_cc);
    // SAFETY: the caller's structure.
    unsafe {
        t.write(termios {
            c_iflag: k.c_iflag,
            c_oflag: k.c_oflag,
            c_cflag: k.c_cflag,
            c_lflag: k.c_lflag,
            c_line: k.c_line,
            c_cc: cc,
            c_ispeed: speed,
            c_ospeed: speed,
        })
    };
    0
}

/// `tcsetattr(fd, when, t)`: TCSANOW, TCSADRAIN (after output drains) or
/// TCSAFLUSH (also dropping pending input); EINVAL for another `when`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tcsetattr(fd: c_int, when: c_int, t: *const termios) -> c_int {
    if !(0..=2).contains(&when) {
        set_errno(EINVAL);
        return -1;
    }
    // SAFETY: the caller's structure.
    let t = unsafe { &*t };
    let mut k = KernelTermios {
        c_iflag: t.c_iflag & !IBAUD0,
        c_oflag: t.c_oflag,
        c_cflag: t.c_cflag,
        c_lflag: t.c_lflag,
        c_line: t.c_line,
        c_cc: [0; KERNEL_NCCS],
    };
    k.c_cc.copy_from_slice(&t.c_cc[..KERNEL_NCCS]);
    ioctl(fd, TCSETS + when as c_ulong, &raw const k as usize)
}

/// `cfgetospeed(t)`: the B* code in c_cflag.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cfgetospeed(t: *const termios) -> speed_t {
    // SAFETY: the caller's structure.
    unsafe { (*t).c_cflag & (CBAUD | CBAUDEX) }
}

/// `cfgetispeed(t)`: the output speed, or 0 if set so by cfsetispeed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cfgetispeed(t: *const termios) -> speed_t {
    // SAFETY: the caller's structure.
    unsafe {
        if (*t).c_iflag & IBAUD0 != 0 {
            0
        } else {
            cfgetospeed(t)
        }
    }
}

/// Whether `speed` is a B* code.
fn valid_speed(speed: speed_t) -> bool {
    if speed & !CBAUD != 0 && !(B57600..=MAX_BAUD).contains(&speed) {
        set_errno(EINVAL);
        return false;
    }
    true
}

/// `cfsetospeed(t, speed)`: EINVAL unless speed is a B* code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cfsetospeed(t: *mut termios, speed: speed_t) -> c_int {
    if !valid_speed(speed) {
        return -1;
    }
    // SAFETY: the caller's structure.
    let t = unsafe { &mut *t };
    t.c_ospeed = speed;
    t.c_cflag = (t.c_cflag & !(CBAUD | CBAUDEX)) | speed;
    0
}

/// `cfsetispeed(t, speed)`: 0 means "as the output speed".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cfsetispeed(t: *mut termios, speed: speed_t) -> c_int {
    if !valid_speed(speed) {
        return -1;
    }
    // SAFETY: the caller's structure.
    let t = unsafe { &mut *t };
    t.c_ispeed = speed;
    if speed == 0 {
        t.c_iflag |= IBAUD0;
    } else {
        t.c_iflag &= !IBAUD0;
        t.c_cflag = (t.c_cflag & !(CBAUD | CBAUDEX)) | speed;
    }
    0
}

/// `cfsetspeed(t, speed)` (BSD): both speeds.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cfsetspeed(t: *mut termios, speed: speed_t) -> c_int {
    // SAFETY: as the two.
    unsafe {
        if cfsetospeed(t, speed) < 0 {
            return -1;
        }
        cfsetispeed(t, speed)
    }
}

/// `cfmakeraw(t)`: no echo, no line editing, no signals, 8 bits, reads
/// return each byte.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cfmakeraw(t: *mut termios) {
    // SAFETY: the caller's structure.
    let t = unsafe { &mut *t };
    // IGNBRK BRKINT PARMRK ISTRIP INLCR IGNCR ICRNL IXON
    t.c_iflag &= !(0o1 | 0o2 | 0o10 | 0o40 | 0o100 | 0o200 | 0o400 | 0o2000);
    t.c_oflag &= !0o1; // OPOST
    // ECHO ECHONL ICANON ISIG IEXTEN
    t.c_lflag &= !(0o10 | 0o100 | 0o2 | 0o1 | 0o100000);
    t.c_cflag = (t.c_cflag & !(CSIZE | PARENB)) | CS8;
    t.c_cc[6] = 1; // VMIN
    t.c_cc[5] = 0; // VTIME
}

/// `tcgetpgrp(fd)`: the terminal's foreground process group.
#[unsafe(no_mangle)]
pub extern "C" fn tcgetpgrp(fd: c_int) -> pid_t {
    let mut pgrp: pid_t = 0;
    if ioctl(fd, TIOCGPGRP, &raw mut pgrp as usize) < 0 {
        return -1;
    }
    pgrp
}

/// `tcsetpgrp(fd, pgrp)`: make pgrp the foreground group.
#[unsafe(no_mangle)]
pub extern "C" fn tcsetpgrp(fd: c_int, pgrp: pid_t) -> c_int {
    ioctl(fd, TIOCSPGRP, &raw const pgrp as usize)
}

/// `tcgetsid(fd)`: the session the terminal controls.
#[unsafe(no_mangle)]
pub extern "C" fn tcgetsid(fd: c_int) -> pid_t {
    let mut sid: pid_t = 0;
    if ioctl(fd, TIOCGSID, &raw mut sid as usize) < 0 {
        return -1;
    }
    sid
}

/// `tcflush(fd, queue)`: drop pending input and/or output.
#[unsafe(no_mangle)]
pub extern "C" fn tcflush(fd: c_int, queue: c_int) -> c_int {
    ioctl(fd, TCFLSH, queue as usize)
}

/// `tcdrain(fd)`: wait until the output is sent.
#[unsafe(no_mangle)]
pub extern "C" fn tcdrain(fd: c_int) -> c_int {
    ioctl(fd, TCSBRK, 1)
}

/// `tcflow(fd, action)`: suspend or restart output or input.
#[unsafe(no_mangle)]
pub extern "C" fn tcflow(fd: c_int, action: c_int) -> c_int {
    ioctl(fd, TCXONC, action as usize)
}

/// `tcsendbreak(fd, duration)`: a break (Linux ignores the duration).
#[unsafe(no_mangle)]
pub extern "C" fn tcsendbreak(fd: c_int, _duration: c_int) -> c_int {
    ioctl(fd, TCSBRK, 0)
}
