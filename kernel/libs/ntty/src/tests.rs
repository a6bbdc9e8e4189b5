//! The line discipline against what Linux's n_tty does with the same keys.

use super::*;
use alloc::vec;
use alloc::vec::Vec;

/// Type `keys` into a fresh (or given) discipline; returns the echo and
/// the actions.
fn type_keys(ld: &mut Ldisc, keys: &[u8]) -> (Vec<u8>, Vec<Action>) {
    let mut echo = Vec::new();
    let mut acts = Vec::new();
    for &k in keys {
        if let Some(a) = ld.receive(k, &mut echo) {
            acts.push(a);
        }
    }
    (echo, acts)
}

fn read_all(ld: &mut Ldisc, max: usize) -> Vec<u8> {
    let mut buf = vec![0u8; max];
    let n = ld.read(&mut buf);
    buf.truncate(n);
    buf
}

fn raw() -> Ldisc {
    let mut ld = Ldisc::new();
    let mut t = Termios::standard();
    t.c_lflag &= !(ICANON | ECHO);
    ld.set_termios(t);
    ld
}

#[test]
fn canonical_line_waits_for_newline_and_maps_cr() {
    let mut ld = Ldisc::new();
    let (echo, _) = type_keys(&mut ld, b"ls -l");
    assert_eq!(echo, b"ls -l");
    assert!(!ld.input_available(1), "no complete line yet");
    let (echo, _) = type_keys(&mut ld, b"\r");
    assert_eq!(echo, b"\n", "ICRNL: Enter echoes and ends the line as \\n");
    assert_eq!(read_all(&mut ld, 100), b"ls -l\n");
    assert!(!ld.input_available(1));
}

#[test]
fn canonical_read_stops_at_each_line_and_splits_long_ones() {
    let mut ld = Ldisc::new();
    type_keys(&mut ld, b"one\ntwo\n");
    assert_eq!(ld.inq(), 8);
    assert_eq!(read_all(&mut ld, 100), b"one\n");
    assert_eq!(read_all(&mut ld, 2), b"tw");
    assert_eq!(read_all(&mut ld, 100), b"o\n");
}

#[test]
fn erase_kill_and_werase_edit_the_line() {
    let mut ld = Ldisc::new();
    let (echo, _) = type_keys(&mut ld, b"abc\x7f");
    assert_eq!(echo, b"abc\x08 \x08", "ECHOE rubs the character out");
    let (echo, _) = type_keys(&mut ld, b"\x01\x7f");
    assert_eq!(
        echo, b"^A\x08 \x08\x08 \x08",
        "a ^X echo takes two columns back"
    );
    type_keys(&mut ld, b" foo_bar\x17");
    type_keys(&mut ld, b"\n");
    assert_eq!(
        read_all(&mut ld, 100),
        b"ab \n",
        "^W erased the word, not the space"
    );
    let (echo, _) = type_keys(&mut ld, b"xy\x15");
    assert_eq!(
        echo, b"xy\x08 \x08\x08 \x08",
        "^U with ECHOKE rubs out the line"
    );
    type_keys(&mut ld, b"z\n");
    assert_eq!(read_all(&mut ld, 100), b"z\n");
    let (echo, _) = type_keys(&mut ld, b"\x7f");
    assert!(echo.is_empty(), "erasing an empty line echoes nothing");
}

#[test]
fn erase_without_echoe_echoes_the_erase_character() {
    let mut ld = Ldisc::new();
    let mut t = Termios::standard();
    t.c_lflag &= !(ECHOE | ECHOKE);
    ld.set_termios(t);
    let (echo, _) = type_keys(&mut ld, b"ab\x7f\x15");
    assert_eq!(
        echo, b"ab^?^U\n",
        "ERASE as ^?, KILL as ^U then ECHOK's newline"
    );
}

#[test]
fn eof_pushes_the_line_and_alone_reads_as_end_of_file() {
    let mut ld = Ldisc::new();
    let (echo, _) = type_keys(&mut ld, b"abc\x04");
    assert_eq!(echo, b"abc", "^D is not echoed");
    assert_eq!(read_all(&mut ld, 100), b"abc", "the line without a newline");
    assert!(!ld.input_available(1), "the EOF mark was consumed with it");
    type_keys(&mut ld, b"\x04");
    assert!(ld.input_available(1));
    assert_eq!(ld.inq(), 0);
    assert_eq!(
        read_all(&mut ld, 100),
        b"",
        "an empty push reads as 0 bytes"
    );
}

#[test]
fn signal_characters_flush_and_echo() {
    let mut ld = Ldisc::new();
    let (echo, acts) = type_keys(&mut ld, b"half\x03");
    assert_eq!(acts, [Action::Signal(SIGINT)]);
    assert_eq!(echo, b"half^C");
    type_keys(&mut ld, b"\n");
    assert_eq!(read_all(&mut ld, 100), b"\n", "the half line was flushed");
    assert_eq!(type_keys(&mut ld, b"\x1c").1, [Action::Signal(SIGQUIT)]);
    assert_eq!(type_keys(&mut ld, b"\x1a").1, [Action::Signal(SIGTSTP)]);
    let mut t = ld.termios;
    t.c_lflag |= NOFLSH;
    t.c_lflag &= !ISIG;
    ld.set_termios(t);
    assert!(
        type_keys(&mut ld, b"\x03").1.is_empty(),
        "without ISIG ^C is a character"
    );
    type_keys(&mut ld, b"\n");
    assert_eq!(read_all(&mut ld, 100), b"\x03\n");
}

#[test]
fn lnext_quotes_the_next_character() {
    let mut ld = Ldisc::new();
    let (echo, acts) = type_keys(&mut ld, b"\x16\x03\x16\x7f\n");
    assert!(acts.is_empty(), "a quoted ^C raises nothing");
    assert_eq!(echo, b"^\x08^C^\x08^?\n");
    assert_eq!(read_all(&mut ld, 100), b"\x03\x7f\n");
}

#[test]
fn raw_mode_delivers_each_byte_without_editing() {
    let mut ld = raw();
    let (echo, _) = type_keys(&mut ld, b"a\x7f\x04\r");
    assert!(echo.is_empty(), "no ECHO");
    assert_eq!(ld.inq(), 4);
    assert!(
        ld.input_available(4) && !ld.input_available(5),
        "VMIN-style availability"
    );
    assert_eq!(read_all(&mut ld, 2), b"a\x7f");
    assert_eq!(read_all(&mut ld, 100), b"\x04\n", "ICRNL still maps CR");
}

#[test]
fn leaving_canonical_mode_releases_the_partial_line() {
    let mut ld = Ldisc::new();
    type_keys(&mut ld, b"partial");
    assert!(!ld.input_available(1));
    let mut t = ld.termios;
    t.c_lflag &= !ICANON;
    ld.set_termios(t);
    assert_eq!(read_all(&mut ld, 100), b"partial");
}

#[test]
fn input_flags_strip_ignore_and_map() {
    let mut ld = raw();
    let mut t = ld.termios;
    t.c_iflag = ISTRIP | IGNCR;
    ld.set_termios(t);
    type_keys(&mut ld, b"\xc1\r\n");
    assert_eq!(
        read_all(&mut ld, 100),
        b"A\n",
        "ISTRIP clears bit 7; IGNCR drops CR"
    );
    t.c_iflag = INLCR;
    ld.set_termios(t);
    type_keys(&mut ld, b"\n");
    assert_eq!(read_all(&mut ld, 100), b"\r", "INLCR maps NL to CR");
}

#[test]
fn ixon_stops_and_starts_output() {
    let mut ld = Ldisc::new();
    assert_eq!(type_keys(&mut ld, b"\x13").1, [Action::Stop]);
    assert!(ld.stopped);
    assert_eq!(type_keys(&mut ld, b"\x11").1, [Action::Start]);
    assert!(!ld.stopped);
    assert_eq!(ld.inq(), 0, "neither reaches the reader");
    let mut t = ld.termios;
    t.c_iflag |= IXANY;
    ld.set_termios(t);
    type_keys(&mut ld, b"\x13");
    assert_eq!(
        type_keys(&mut ld, b"x").1,
        [Action::Start],
        "IXANY: any key restarts"
    );
}

#[test]
fn echoctl_off_and_echonl() {
    let mut ld = Ldisc::new();
    let mut t = ld.termios;
    t.c_lflag &= !(ECHO | ECHOCTL);
    t.c_lflag |= ECHONL;
    ld.set_termios(t);
    let (echo, _) = type_keys(&mut ld, b"secret\n");
    assert_eq!(
        echo, b"\n",
        "ECHONL echoes the newline alone (password prompts)"
    );
    t.c_lflag |= ECHO;
    ld.set_termios(t);
    let (echo, _) = type_keys(&mut ld, b"\x01");
    assert_eq!(
        echo, b"\x01",
        "without ECHOCTL a control character echoes as itself"
    );
}

#[test]
fn a_full_line_takes_only_its_end() {
    let mut ld = Ldisc::new();
    let mut t = ld.termios;
    t.c_lflag &= !ECHO;
    ld.set_termios(t);
    type_keys(&mut ld, &vec![b'x'; N_TTY_BUF_SIZE + 10]);
    type_keys(&mut ld, b"\n");
    assert_eq!(ld.inq(), N_TTY_BUF_SIZE);
}

#[test]
fn termios_bytes_round_trip_and_match_the_kernel_layout() {
    let t = Termios::standard();
    let b = t.to_bytes();
    assert_eq!(&b[0..4], &(ICRNL | IXON).to_le_bytes());
    assert_eq!(b[17 + VINTR], 3);
    assert_eq!(b[17 + VMIN], 1);
    assert_eq!(Termios::from_bytes(&b), t);
}
