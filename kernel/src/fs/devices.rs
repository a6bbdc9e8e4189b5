//! Character devices under /dev: console and tty (the serial terminal),
//! null, zero, full, random and urandom (Linux's drivers/char/mem.c and
//! random.c), with Linux's device numbers.

use super::file::{File, FileOps};
use super::inode::{Inode, InodeKind, S_IFCHR};
use crate::errno::{Errno, SysResult};
use alloc::sync::{Arc, Weak};

const fn mkdev(major: u64, minor: u64) -> u64 {
    (major << 8) | minor
}

struct Null;
impl FileOps for Null {
    fn read(&self, _: &File, _: &mut [u8]) -> SysResult {
        Ok(0)
    }
    fn write(&self, _: &File, buf: &[u8]) -> SysResult {
        Ok(buf.len())
    }
}

struct Zero;
impl FileOps for Zero {
    fn read(&self, _: &File, buf: &mut [u8]) -> SysResult {
        buf.fill(0);
        Ok(buf.len())
    }
    fn write(&self, _: &File, buf: &[u8]) -> SysResult {
        Ok(buf.len())
    }
}

struct Full;
impl FileOps for Full {
    fn read(&self, _: &File, buf: &mut [u8]) -> SysResult {
        buf.fill(0);
        Ok(buf.len())
    }
    fn write(&self, _: &File, _: &[u8]) -> SysResult {
        Err(Errno::ENOSPC)
    }
}

struct Random;
impl FileOps for Random {
    fn read(&self, _: &File, buf: &mut [u8]) -> SysResult {
        crate::random::get_random_bytes(buf);
        Ok(buf.len())
    }
    fn write(&self, _: &File, buf: &[u8]) -> SysResult {
        Ok(buf.len())
    }
}

fn open_null() -> Arc<dyn FileOps> {
    Arc::new(Null)
}
fn open_zero() -> Arc<dyn FileOps> {
    Arc::new(Zero)
}
fn open_full() -> Arc<dyn FileOps> {
    Arc::new(Full)
}
fn open_random() -> Arc<dyn FileOps> {
    Arc::new(Random)
}

/// The devices, as (name, mode, major, minor, open).
const DEVICES: &[(&str, u32, u64, u64, fn() -> Arc<dyn FileOps>)] = &[
    ("null", 0o666, 1, 3, open_null),
    ("zero", 0o666, 1, 5, open_zero),
    ("full", 0o666, 1, 7, open_full),
    ("random", 0o666, 1, 8, open_random),
    ("urandom", 0o666, 1, 9, open_random),
    ("tty", 0o666, 5, 0, super::tty::open_console),
    ("console", 0o600, 5, 1, super::tty::open_console),
    ("ttyS0", 0o620, 4, 64, super::tty::open_console),
];

/// Create /dev and its nodes.
pub fn populate_dev(root: &Arc<Inode>) {
    let dev = match root.lookup(b"dev") {
        Ok(d) => d,
        Err(_) => {
            let d = Inode::new_dir(0o755, Weak::new());
            let _ = root.link(b"dev", d.clone());
            d
        }
    };
    for &(name, perm, major, minor, open) in DEVICES {
        let node = Inode::new(
            S_IFCHR | perm,
            InodeKind::CharDev {
                rdev: mkdev(major, minor),
                open,
            },
        );
        let _ = dev.unlink(name.as_bytes());
        let _ = dev.link(name.as_bytes(), node);
    }
}

/// The driver of device `rdev` of type `kind` (S_IFCHR or S_IFBLK), for
/// mknod: the character devices above; no block devices.
pub fn driver(kind: u32, rdev: u64) -> Option<fn() -> Arc<dyn FileOps>> {
    if kind != S_IFCHR {
        return None;
    }
    DEVICES
        .iter()
        .find(|d| mkdev(d.2, d.3) == rdev)
        .map(|d| d.4)
}
