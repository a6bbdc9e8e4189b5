//! struct termios as Linux's TCGETS reports it (asm-generic/termbits.h),
//! its flags and special-character indices, and Linux's defaults.

/// c_cc indices.
pub const VINTR: usize = 0;
pub const VQUIT: usize = 1;
pub const VERASE: usize = 2;
pub const VKILL: usize = 3;
pub const VEOF: usize = 4;
pub const VTIME: usize = 5;
pub const VMIN: usize = 6;
pub const VSWTC: usize = 7;
pub const VSTART: usize = 8;
pub const VSTOP: usize = 9;
pub const VSUSP: usize = 10;
pub const VEOL: usize = 11;
pub const VREPRINT: usize = 12;
pub const VDISCARD: usize = 13;
pub const VWERASE: usize = 14;
pub const VLNEXT: usize = 15;
pub const VEOL2: usize = 16;
pub const NCCS: usize = 19;
/// A special character set to this is disabled (_POSIX_VDISABLE).
pub const VDISABLE: u8 = 0;

/// c_iflag.
pub const IGNBRK: u32 = 0o1;
pub const ISTRIP: u32 = 0o40;
pub const INLCR: u32 = 0o100;
pub const IGNCR: u32 = 0o200;
pub const ICRNL: u32 = 0o400;
pub const IXON: u32 = 0o2000;
pub const IXANY: u32 = 0o4000;
pub const IXOFF: u32 = 0o10000;
pub const IMAXBEL: u32 = 0o20000;
pub const IUTF8: u32 = 0o40000;
/// c_oflag.
pub const OPOST: u32 = 0o1;
pub const ONLCR: u32 = 0o4;
/// c_cflag: B38400, CS8, CREAD, HUPCL.
pub const B38400: u32 = 0o17;
pub const CS8: u32 = 0o60;
pub const CREAD: u32 = 0o200;
pub const HUPCL: u32 = 0o2000;
/// c_lflag.
pub const ISIG: u32 = 0o1;
pub const ICANON: u32 = 0o2;
pub const ECHO: u32 = 0o10;
pub const ECHOE: u32 = 0o20;
pub const ECHOK: u32 = 0o40;
pub const ECHONL: u32 = 0o100;
pub const NOFLSH: u32 = 0o200;
pub const TOSTOP: u32 = 0o400;
pub const ECHOCTL: u32 = 0o1000;
pub const ECHOPRT: u32 = 0o2000;
pub const ECHOKE: u32 = 0o4000;
pub const IEXTEN: u32 = 0o100000;

/// Size of struct termios (the kernel's, without speeds).
pub const TERMIOS_SIZE: usize = 36;
/// Size of struct termios2 (with c_ispeed and c_ospeed).
pub const TERMIOS2_SIZE: usize = 44;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Termios {
    pub c_iflag: u32,
    pub c_oflag: u32,
    pub c_cflag: u32,
    pub c_lflag: u32,
    pub c_line: u8,
    pub c_cc: [u8; NCCS],
}

impl Termios {
    /// Linux's tty_std_termios (drivers/tty/tty_io.c): ICRNL|IXON,
    /// OPOST|ONLCR, B38400|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO|ECHOE|ECHOK|
    /// ECHOCTL|ECHOKE|IEXTEN, and INIT_C_CC.
    pub const fn standard() -> Termios {
        let mut cc = [0u8; NCCS];
        cc[VINTR] = 3; // ^C
        cc[VQUIT] = 28; // ^\
        cc[VERASE] = 127; // DEL
        cc[VKILL] = 21; // ^U
        cc[VEOF] = 4; // ^D
        cc[VTIME] = 0;
        cc[VMIN] = 1;
        cc[VSTART] = 17; // ^Q
        cc[VSTOP] = 19; // ^S
        cc[VSUSP] = 26; // ^Z
        cc[VREPRINT] = 18; // ^R
        cc[VDISCARD] = 15; // ^O
        cc[VWERASE] = 23; // ^W
        cc[VLNEXT] = 22; // ^V
        Termios {
            c_iflag: ICRNL | IXON,
            c_oflag: OPOST | ONLCR,
            c_cflag: B38400 | CS8 | CREAD | HUPCL,
            c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
            c_line: 0,
            c_cc: cc,
        }
    }

    /// The 36 bytes TCGETS copies out (termios2 adds two speeds).
    pub fn to_bytes(&self) -> [u8; TERMIOS_SIZE] {
        let mut b = [0u8; TERMIOS_SIZE];
        for (i, v) in [self.c_iflag, self.c_oflag, self.c_cflag, self.c_lflag]
            .iter()
            .enumerate()
        {
            b[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
        }
        b[16] = self.c_line;
        b[17..17 + NCCS].copy_from_slice(&self.c_cc);
        b
    }

    /// From TCSETS's bytes (the first 36 of a termios2 too).
    pub fn from_bytes(b: &[u8; TERMIOS_SIZE]) -> Termios {
        let w = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut c_cc = [0u8; NCCS];
        c_cc.copy_from_slice(&b[17..17 + NCCS]);
        Termios {
            c_iflag: w(0),
            c_oflag: w(4),
            c_cflag: w(8),
            c_lflag: w(12),
            c_line: b[16],
            c_cc,
        }
    }
}
