//! getdents64 and the old getdents (Linux's fs/readdir.c). The directory
//! position counts entries: 0 is ".", 1 is "..", then the children in
//! name order.

use super::SyscallArgs;
use super::stat::d_type;
use crate::errno::{Errno, SysResult};
use crate::fs::inode::S_IFDIR;
use crate::sched::current;
use crate::uaccess::copy_to_user;
use alloc::vec::Vec;

/// Fill `count` bytes of records from the directory behind `fd`;
/// `old` selects struct linux_dirent (word-sized fields, d_type last).
fn do_getdents(a: &SyscallArgs, old: bool) -> SysResult {
    let file = current().files().get(a.int(0))?;
    if !file.inode.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    let mut entries: Vec<(Vec<u8>, u64, u32)> = alloc::vec![
        (b".".to_vec(), file.inode.ino, S_IFDIR),
        (b"..".to_vec(), file.inode.lookup(b"..")?.ino, S_IFDIR),
    ];
    for (name, inode) in file.inode.children()? {
        entries.push((name, inode.ino, inode.mode()));
    }
    let word = if old && a.compat() { 4 } else { 8 };
    let mut pos = file.pos.lock();
    let mut out = Vec::new();
    let count = a.arg(2);
    while (*pos as usize) < entries.len() {
        let (name, ino, mode) = &entries[*pos as usize];
        let reclen = if old {
            (2 * word + 2 + name.len() + 2).next_multiple_of(word)
        } else {
            (8 + 8 + 2 + 1 + name.len() + 1).next_multiple_of(8)
        };
        if out.len() + reclen > count {
            break;
        }
        let mut rec = alloc::vec![0u8; reclen];
        let next = *pos + 1;
        if word == 4 {
            rec[0..4].copy_from_slice(&(*ino as u32).to_le_bytes());
            rec[4..8].copy_from_slice(&(next as u32).to_le_bytes());
        } else {
            rec[0..8].copy_from_slice(&ino.to_le_bytes());
            rec[8..16].copy_from_slice(&next.to_le_bytes());
        }
        rec[2 * word..2 * word + 2].copy_from_slice(&(reclen as u16).to_le_bytes());
        if old {
            rec[2 * word + 2..2 * word + 2 + name.len()].copy_from_slice(name);
            rec[reclen - 1] = d_type(*mode);
        } else {
            rec[18] = d_type(*mode);
            rec[19..19 + name.len()].copy_from_slice(name);
        }
        out.extend(rec);
        *pos = next;
    }
    if out.is_empty() && (*pos as usize) < entries.len() {
        return Err(Errno::EINVAL); // buffer too small for one entry
    }
    copy_to_user(a.arg(1), &out)?;
    Ok(out.len())
}

pub fn sys_getdents64(a: &mut SyscallArgs) -> SysResult {
    do_getdents(a, false)
}

pub fn sys_getdents(a: &mut SyscallArgs) -> SysResult {
    do_getdents(a, true)
}
