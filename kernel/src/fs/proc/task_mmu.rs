//! /proc/PID/maps (Linux's fs/proc/task_mmu.c, show_map_vma): one line
//! per VMA, "start-end perms offset major:minor inode", then the name
//! padded to column 74 exactly as Linux's seq_pad does.

use crate::mm::mmap::{Backing, VmFlags, Vma};
use crate::process::task::Task;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt::Write;

/// Device numbers maps shows: the root filesystem's (as stat's st_dev:
/// anonymous 0:0x16), and shared anonymous memory's (0:1, shmem).
const ROOT_DEV: (u32, u32) = (0, 0x16);
const SHMEM_DEV: (u32, u32) = (0, 1);

/// Width of the part before the name (Linux: 25 + sizeof(void *) * 6 - 1).
const PREFIX_WIDTH: usize = 25 + 8 * 6 - 1;

/// One line of maps for `v`.
pub fn show_map_vma(out: &mut String, v: &Vma) {
    let start_len = out.len();
    let f = v.flags;
    let (pgoff, dev, ino, path): (u64, (u32, u32), u64, Option<String>) = match &v.backing {
        Backing::File { file, offset, .. } => {
            let path = String::from_utf8_lossy(&super::fd::file_path(file)).into_owned();
            (*offset, ROOT_DEV, file.inode.ino, Some(path))
        }
        // Linux names shared anonymous memory after its shmem file.
        Backing::Shmem { offset, .. } => (
            *offset,
            SHMEM_DEV,
            0,
            Some(String::from("/dev/zero (deleted)")),
        ),
        _ => (0, (0, 0), 0, None),
    };
    let _ = write!(
        out,
        "{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {} ",
        v.start,
        v.end,
        if f.contains(VmFlags::READ) { 'r' } else { '-' },
        if f.contains(VmFlags::WRITE) { 'w' } else { '-' },
        if f.contains(VmFlags::EXEC) { 'x' } else { '-' },
        if f.contains(VmFlags::SHARED) {
            's'
        } else {
            'p'
        },
        pgoff,
        dev.0,
        dev.1,
        ino
    );
    let name = v.name.as_deref().map(String::from).or(path);
    if let Some(name) = name {
        // seq_pad: spaces up to the width, then one more, then the name.
        let used = out.len() - start_len;
        for _ in used..PREFIX_WIDTH {
            out.push(' ');
        }
        out.push(' ');
        out.push_str(&name);
    }
    out.push('\n');
}

/// /proc/PID/maps.
pub fn proc_pid_maps(t: &Arc<Task>, _thread: bool) -> Vec<u8> {
    let Some(mm) = t.mm() else { return Vec::new() };
    let mut s = String::new();
    for v in mm.vmas() {
        show_map_vma(&mut s, &v);
    }
    s.into_bytes()
}
