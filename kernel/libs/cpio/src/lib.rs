//! `cpio -H newc` ("070701") archives, the format of Linux's initramfs.
//!
//! Each member is a 110-byte ASCII header (magic then 13 eight-digit hex
//! fields), the NUL-terminated name padded to a multiple of 4, then the data
//! padded to a multiple of 4. The archive ends with a member named
//! `TRAILER!!!`. The reader borrows from the archive and never panics on
//! malformed input; the writer is what `cargo xtask` uses to build images.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

pub const MAGIC: &[u8; 6] = b"070701";
pub const TRAILER: &str = "TRAILER!!!";
const HEADER_LEN: usize = 110;

/// File type bits of `mode`, as in Linux's `stat.h`.
pub const S_IFMT: u32 = 0o170000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;

/// One member of the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Path as stored, without leading "./" or "/".
    pub name: &'a str,
    pub ino: u32,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    pub mtime: u32,
    pub data: &'a [u8],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// A header does not start with "070701" at this offset.
    BadMagic(usize),
    /// A header field is not eight hex digits.
    BadField(usize),
    /// A header, name or data runs past the end of the archive.
    Truncated(usize),
    /// A name is not valid UTF-8 or lacks its terminating NUL.
    BadName(usize),
    /// The archive ended without a TRAILER!!! member.
    NoTrailer,
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        match self {
            Error::BadMagic(o) => write!(f, "bad cpio magic at offset {o}"),
            Error::BadField(o) => write!(f, "bad cpio header field at offset {o}"),
            Error::Truncated(o) => write!(f, "cpio member at offset {o} is truncated"),
            Error::BadName(o) => write!(f, "bad cpio member name at offset {o}"),
            Error::NoTrailer => write!(f, "cpio archive has no TRAILER!!!"),
        }
    }
}

/// Iterate over the members of `archive`, stopping at the trailer.
pub fn entries(archive: &[u8]) -> Entries<'_> {
    Entries {
        archive,
        offset: 0,
        done: false,
    }
}

pub struct Entries<'a> {
    archive: &'a [u8],
    offset: usize,
    done: bool,
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

fn hex_field(h: &[u8], i: usize, at: usize) -> Result<u32, Error> {
    let f = &h[6 + 8 * i..6 + 8 * (i + 1)];
    let s = core::str::from_utf8(f).map_err(|_| Error::BadField(at))?;
    u32::from_str_radix(s, 16).map_err(|_| Error::BadField(at))
}

impl<'a> Entries<'a> {
    fn parse(&mut self) -> Result<Option<Entry<'a>>, Error> {
        let at = self.offset;
        let a = self.archive;
        if at >= a.len() {
            return Err(Error::NoTrailer);
        }
        let h = a.get(at..at + HEADER_LEN).ok_or(Error::Truncated(at))?;
        if &h[..6] != MAGIC {
            return Err(Error::BadMagic(at));
        }
        let field = |i| hex_field(h, i, at);
        let (ino, mode, uid, gid, nlink, mtime) = (
            field(0)?,
            field(1)?,
            field(2)?,
            field(3)?,
            field(4)?,
            field(5)?,
        );
        let filesize = field(6)? as usize;
        let namesize = field(11)? as usize;
        let name_start = at + HEADER_LEN;
        let name_end = name_start
            .checked_add(namesize)
            .ok_or(Error::Truncated(at))?;
        let raw = a.get(name_start..name_end).ok_or(Error::Truncated(at))?;
        let (nul, raw) = raw.split_last().ok_or(Error::BadName(at))?;
        if *nul != 0 {
            return Err(Error::BadName(at));
        }
        let name = core::str::from_utf8(raw).map_err(|_| Error::BadName(at))?;
        let data_start = align4(name_end);
        let data_end = data_start
            .checked_add(filesize)
            .ok_or(Error::Truncated(at))?;
        let data = a.get(data_start..data_end).ok_or(Error::Truncated(at))?;
        self.offset = align4(data_end);
        if name == TRAILER {
            return Ok(None);
        }
        let name = name.trim_start_matches("./").trim_start_matches('/');
        Ok(Some(Entry {
            name,
            ino,
            mode,
            uid,
            gid,
            nlink,
            mtime,
            data,
        }))
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<Entry<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.parse() {
            Ok(Some(e)) => Some(Ok(e)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Builds a newc archive in memory.
#[derive(Default)]
pub struct Writer {
    buf: Vec<u8>,
    ino: u32,
}

impl Writer {
    pub fn new() -> Writer {
        Writer {
            buf: Vec::new(),
            ino: 1,
        }
    }

    fn member(&mut self, name: &str, mode: u32, nlink: u32, data: &[u8]) {
        let fields = [
            self.ino,
            mode,
            0, // uid
            0, // gid
            nlink,
            0, // mtime: reproducible images
            data.len() as u32,
            0,
            0,
            0,
            0,
            name.len() as u32 + 1,
            0, // check
        ];
        self.ino += 1;
        self.buf.extend_from_slice(MAGIC);
        for f in fields {
            for shift in (0..8).rev() {
                let d = (f >> (shift * 4)) & 0xf;
                self.buf.push(b"0123456789ABCDEF"[d as usize]);
            }
        }
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(0);
        self.buf.resize(align4(self.buf.len()), 0);
        self.buf.extend_from_slice(data);
        self.buf.resize(align4(self.buf.len()), 0);
    }

    /// A directory; `perm` is the permission bits, e.g. 0o755.
    pub fn dir(&mut self, name: &str, perm: u32) {
        self.member(name, S_IFDIR | (perm & 0o7777), 2, &[]);
    }

    /// A regular file.
    pub fn file(&mut self, name: &str, perm: u32, data: &[u8]) {
        self.member(name, S_IFREG | (perm & 0o7777), 1, data);
    }

    /// A symbolic link to `target`.
    pub fn symlink(&mut self, name: &str, target: &str) {
        self.member(name, S_IFLNK | 0o777, 1, target.as_bytes());
    }

    /// Append the trailer and return the archive.
    pub fn finish(mut self) -> Vec<u8> {
        self.member(TRAILER, 0, 1, &[]);
        self.buf
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    fn sample() -> Vec<u8> {
        let mut w = Writer::new();
        w.dir("bin", 0o755);
        w.file("bin/hello", 0o755, b"\x7fELF...");
        w.file("etc/empty", 0o644, b"");
        w.symlink("bin/sh", "hello");
        w.finish()
    }

    #[test]
    fn round_trip() {
        let a = sample();
        let es: Vec<_> = entries(&a).collect::<Result<_, _>>().unwrap();
        assert_eq!(es.len(), 4);
        assert_eq!(es[0].name, "bin");
        assert_eq!(es[0].mode & S_IFMT, S_IFDIR);
        assert_eq!(es[1].name, "bin/hello");
        assert_eq!(es[1].mode, S_IFREG | 0o755);
        assert_eq!(es[1].data, b"\x7fELF...");
        assert_eq!(es[2].data, b"");
        assert_eq!(es[3].mode & S_IFMT, S_IFLNK);
        assert_eq!(es[3].data, b"hello");
        assert_eq!(a.len() % 4, 0);
    }

    #[test]
    fn matches_gnu_cpio_layout() {
        // Header of `echo -n hi > a; echo a | cpio -o -H newc` with ino,
        // mode and times normalised: name "a\0" makes header+name 112 bytes.
        let mut w = Writer::new();
        w.file("a", 0o644, b"hi");
        let a = w.finish();
        assert_eq!(&a[..6], b"070701");
        assert_eq!(&a[6 + 8..6 + 16], b"000081A4"); // S_IFREG|0644
        assert_eq!(&a[6 + 48..6 + 56], b"00000002"); // filesize
        assert_eq!(&a[6 + 88..6 + 96], b"00000002"); // namesize incl. NUL
        assert_eq!(&a[110..112], b"a\0");
        assert_eq!(&a[112..114], b"hi");
    }

    #[test]
    fn leading_dot_slash_is_stripped() {
        let mut w = Writer::new();
        w.file("./init", 0o755, b"x");
        let a = w.finish();
        assert_eq!(entries(&a).next().unwrap().unwrap().name, "init");
    }

    #[test]
    fn malformed_archives_are_errors_not_panics() {
        let good = sample();
        assert_eq!(entries(b"").next(), Some(Err(Error::NoTrailer)));
        assert_eq!(entries(b"070702").next(), Some(Err(Error::Truncated(0))));
        let mut bad = good.clone();
        bad[0] = b'1';
        assert_eq!(entries(&bad).next(), Some(Err(Error::BadMagic(0))));
        let mut bad = good.clone();
        bad[6] = b'x';
        assert_eq!(entries(&bad).next(), Some(Err(Error::BadField(0))));
        // Every truncation of a valid archive ends in an error, never a panic.
        for n in 0..good.len() {
            let r: Result<Vec<_>, _> = entries(&good[..n]).collect();
            assert!(r.is_err(), "truncated at {n} parsed");
        }
        // Every single-byte corruption is handled without panicking.
        for i in 0..good.len() {
            let mut c = good.clone();
            c[i] ^= 0xff;
            let _ = entries(&c).count();
        }
        // A huge filesize cannot overflow the offset arithmetic.
        let mut w = Writer::new();
        w.file("f", 0o644, b"");
        let mut huge = w.finish();
        huge[6 + 48..6 + 56].copy_from_slice(b"FFFFFFFF");
        assert!(matches!(
            entries(&huge).next(),
            Some(Err(Error::Truncated(0)))
        ));
    }
}
