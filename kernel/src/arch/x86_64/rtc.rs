//! The CMOS real-time clock: wall-clock time at boot (read once; the TSC
//! carries it forward).

use x86::io::{inb, outb};

fn cmos_read(reg: u8) -> u8 {
    // SAFETY: CMOS index/data ports; NMI-disable bit set while indexing.
    unsafe {
        outb(0x70, 0x80 | reg);
        inb(0x71)
    }
}

fn read_all() -> [u8; 7] {
    [0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32].map(cmos_read)
}

/// Seconds since the Unix epoch, read from the RTC (Linux's mc146818_get_time).
pub fn read_persistent_clock() -> u64 {
    // Wait out an update in progress, then read until two reads agree.
    while cmos_read(0x0a) & 0x80 != 0 {}
    let mut v = read_all();
    loop {
        let w = read_all();
        if w == v {
            break;
        }
        v = w;
    }
    let status_b = cmos_read(0x0b);
    let bcd = |x: u8| {
        if status_b & 0x04 == 0 {
            (x & 0x0f) + (x >> 4) * 10
        } else {
            x
        }
    };
    let [s, m, h, day, mon, yr, cent] = v;
    let hour = if status_b & 0x02 == 0 && h & 0x80 != 0 {
        (bcd(h & 0x7f) % 12) + 12
    } else {
        bcd(h)
    };
    let century = match bcd(cent) {
        c @ 19..=21 => c as u64,
        _ => 20,
    };
    mktime64(
        century * 100 + bcd(yr) as u64,
        bcd(mon) as u64,
        bcd(day) as u64,
        hour as u64,
        bcd(m) as u64,
        bcd(s) as u64,
    )
}

/// Gregorian date to Unix time (Linux's mktime64).
pub fn mktime64(year: u64, mon: u64, day: u64, hour: u64, min: u64, sec: u64) -> u64 {
    let (mut y, mut m) = (year, mon);
    if m <= 2 {
        m += 10;
        y -= 1;
    } else {
        m -= 2;
    }
    let days = y / 4 - y / 100 + y / 400 + 367 * m / 12 + day + y * 365 - 719_499;
    ((days * 24 + hour) * 60 + min) * 60 + sec
}
