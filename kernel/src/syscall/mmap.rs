//! mmap, mmap2, munmap, mprotect, brk, madvise, mremap (Linux's mm/mmap.c,
//! mm/mprotect.c, mm/mremap.c, mm/madvise.c).

use super::SyscallArgs;
use crate::errno::{Errno, SysResult};
use crate::mm::mmap::{Backing, Shmem, VmFlags};
use crate::sched::current;
use alloc::sync::Arc;

const PAGE: u64 = 4096;
const MAP_SHARED: u32 = 0x01;
const MAP_PRIVATE: u32 = 0x02;
const MAP_SHARED_VALIDATE: u32 = 0x03;
const MAP_TYPE: u32 = 0x0f;
const MAP_FIXED: u32 = 0x10;
const MAP_ANONYMOUS: u32 = 0x20;
const MAP_GROWSDOWN: u32 = 0x0100;
const MAP_FIXED_NOREPLACE: u32 = 0x10_0000;
/// Flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK).
const LEGACY_MAP_MASK: u32 = 0x0003_ffff | MAP_FIXED_NOREPLACE;

// Anonymous memory: private pages, or a shared object for MAP_SHARED.
fn anon_backing(shared: bool) -> Backing {
    if shared {
        Backing::Shmem {
            obj: Shmem::new(),
            offset: 0,
        }
    } else {
        Backing::Anon
    }
}

/// The core of every mmap flavour (Linux's do_mmap).
pub fn do_mmap(addr: u64, len: u64, prot: u32, flags: u32, fd: i32, off: u64) -> SysResult {
    let mm = current().mm().ok_or(Errno::EINVAL)?;
    if len == 0 || off % PAGE != 0 {
        return Err(Errno::EINVAL);
    }
    let len = len.checked_add(PAGE - 1).ok_or(Errno::ENOMEM)? & !(PAGE - 1);
    if prot & !0x7 & !0x0100_0000 & !0x0200_0000 != 0 {
        return Err(Errno::EINVAL);
    }
    let kind = flags & MAP_TYPE;
    if !matches!(kind, MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE) {
        return Err(Errno::EINVAL);
    }
    if kind == MAP_SHARED_VALIDATE && flags & !LEGACY_MAP_MASK != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    let shared = kind != MAP_PRIVATE;
    let task_size = mm.layout().task_size;
    let start = if flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0 {
        if addr % PAGE != 0 {
            return Err(Errno::EINVAL);
        }
        if addr.checked_add(len).is_none_or(|e| e > task_size) {
            return Err(Errno::ENOMEM);
        }
        if flags & MAP_FIXED_NOREPLACE != 0
            && mm
                .vmas()
                .iter()
                .any(|v| v.start < addr + len && addr < v.end)
        {
            return Err(Errno::EEXIST);
        }
        addr
    } else {
        mm.get_unmapped_area(addr, len)?
    };
    let mut vmflags = VmFlags::from_prot(prot);
    if shared {
        vmflags |= VmFlags::SHARED;
    }
    if flags & MAP_GROWSDOWN != 0 {
        vmflags |= VmFlags::GROWSDOWN;
    }
    let (backing, name) = if flags & MAP_ANONYMOUS != 0 {
        (anon_backing(shared), None)
    } else {
        let file = current().files().get(fd)?;
        if !file.readable() || (shared && prot & 2 != 0 && !file.writable()) {
            return Err(Errno::EACCES);
        }
        if file.ops.is_some() {
            // /dev/zero maps as anonymous memory; other devices cannot map.
            if crate::fs::is_chardev(&file.inode) && file.path.ends_with(b"zero") {
                (anon_backing(shared), None)
            } else {
                return Err(Errno::ENODEV);
            }
        } else if !file.inode.is_reg() {
            return Err(Errno::ENODEV);
        } else {
            // A shared mapping of a file opened read-only may never become
            // writable (Linux clears VM_MAYWRITE): mprotect says EACCES.
            if shared && !file.writable() {
                vmflags -= VmFlags::MAYWRITE;
            }
            let name: Arc<str> = alloc::string::String::from_utf8_lossy(&file.path)
                .into_owned()
                .into();
            (
                Backing::File {
                    file,
                    offset: off,
                    file_end: u64::MAX,
                },
                Some(name),
            )
        }
    };
    mm.map_region(start, start + len, vmflags, backing, name)?;
    Ok(start as usize)
}

/// x86_64 mmap: byte offset.
pub fn sys_mmap(a: &mut SyscallArgs) -> SysResult {
    do_mmap(
        a.args[0],
        a.args[1],
        a.uint(2),
        a.uint(3),
        a.int(4),
        a.args[5],
    )
}

/// i386 mmap2: offset in 4096-byte units.
pub fn sys_mmap_pgoff(a: &mut SyscallArgs) -> SysResult {
    do_mmap(
        a.args[0],
        a.args[1],
        a.uint(2),
        a.uint(3),
        a.int(4),
        (a.args[5] & 0xffff_ffff) * PAGE,
    )
}

/// i386 old_mmap: one pointer to six 32-bit words.
pub fn compat_sys_ia32_mmap(a: &mut SyscallArgs) -> SysResult {
    let mut w = [0u8; 24];
    crate::uaccess::copy_from_user(&mut w, a.arg(0))?;
    let g = |i: usize| u32::from_le_bytes(w[i * 4..i * 4 + 4].try_into().unwrap());
    do_mmap(
        g(0) as u64,
        g(1) as u64,
        g(2),
        g(3),
        g(4) as i32,
        g(5) as u64,
    )
}

pub fn sys_munmap(a: &mut SyscallArgs) -> SysResult {
    let (addr, len) = (a.args[0], a.args[1]);
    if addr % PAGE != 0 || len == 0 || addr.checked_add(len).is_none() {
        return Err(Errno::EINVAL);
    }
    let mm = current().mm().ok_or(Errno::EINVAL)?;
    let end = (addr + len).next_multiple_of(PAGE);
    if end > mm.layout().task_size {
        return Err(Errno::EINVAL);
    }
    mm.unmap(addr, end);
    Ok(0)
}

pub fn sys_mprotect(a: &mut SyscallArgs) -> SysResult {
    let (addr, len, prot) = (a.args[0], a.args[1], a.uint(2));
    if addr % PAGE != 0 || prot & !0x7 & !0x0100_0000 & !0x0200_0000 != 0 {
        return Err(Errno::EINVAL);
    }
    if len == 0 {
        return Ok(0);
    }
    let end = addr
        .checked_add(len)
        .ok_or(Errno::ENOMEM)?
        .next_multiple_of(PAGE);
    let mm = current().mm().ok_or(Errno::EINVAL)?;
    mm.mprotect(addr, end, prot & 7).map(|_| 0)
}

/// brk: returns the (possibly unchanged) break, never an error.
pub fn sys_brk(a: &mut SyscallArgs) -> SysResult {
    let mm = current().mm().ok_or(Errno::EINVAL)?;
    Ok(mm.brk(a.args[0]) as usize)
}

pub fn sys_madvise(a: &mut SyscallArgs) -> SysResult {
    const MADV_DONTNEED: i32 = 4;
    const MADV_FREE: i32 = 8;
    let (addr, len) = (a.args[0], a.args[1]);
    if addr % PAGE != 0 {
        return Err(Errno::EINVAL);
    }
    let end = addr
        .checked_add(len)
        .ok_or(Errno::EINVAL)?
        .next_multiple_of(PAGE);
    match a.int(2) {
        MADV_DONTNEED | MADV_FREE => current()
            .mm()
            .ok_or(Errno::EINVAL)?
            .zap_pages(addr, end)
            .map(|_| 0),
        0..=3 | 9..=21 | 100..=102 => Ok(0), // hints we may ignore
        _ => Err(Errno::EINVAL),
    }
}

pub fn sys_mremap(a: &mut SyscallArgs) -> SysResult {
    const MREMAP_MAYMOVE: u32 = 1;
    const MREMAP_FIXED: u32 = 2;
    let (old, old_len, new_len, flags) = (a.args[0], a.args[1], a.args[2], a.uint(3));
    if old % PAGE != 0 || flags & !(MREMAP_MAYMOVE | MREMAP_FIXED) != 0 || new_len == 0 {
        return Err(Errno::EINVAL);
    }
    if flags & MREMAP_FIXED != 0 {
        return Err(Errno::EINVAL); // not supported: callers fall back
    }
    let (old_len, new_len) = (
        old_len.next_multiple_of(PAGE),
        new_len.next_multiple_of(PAGE),
    );
    let mm = current().mm().ok_or(Errno::EINVAL)?;
    mm.mremap(old, old_len, new_len, flags & MREMAP_MAYMOVE != 0)
        .map(|v| v as usize)
}

/// Does every page of [addr, addr+len) lie in some mapping? (ENOMEM if not.)
fn check_mapped(addr: u64, len: u64) -> Result<(), Errno> {
    let mm = current().mm().ok_or(Errno::ENOMEM)?;
    let end = addr
        .checked_add(len)
        .ok_or(Errno::ENOMEM)?
        .next_multiple_of(PAGE);
    let mut at = addr & !(PAGE - 1);
    while at < end {
        let v = mm.find_vma(at).ok_or(Errno::ENOMEM)?;
        at = v.end;
    }
    Ok(())
}

/// mlock and friends: memory is never swapped here, so locking only
/// checks the range (Linux's ENOMEM for unmapped pages).
pub fn sys_mlock(a: &mut SyscallArgs) -> SysResult {
    check_mapped(a.args[0], a.args[1]).map(|_| 0)
}

pub fn sys_mlockall(a: &mut SyscallArgs) -> SysResult {
    if a.uint(0) == 0 || a.uint(0) & !7 != 0 {
        Err(Errno::EINVAL)
    } else {
        Ok(0)
    }
}

pub fn sys_munlockall(_a: &mut SyscallArgs) -> SysResult {
    Ok(0)
}

/// msync: no backing store to write; validate like Linux.
pub fn sys_msync(a: &mut SyscallArgs) -> SysResult {
    const MS_ASYNC: u32 = 1;
    const MS_INVALIDATE: u32 = 2;
    const MS_SYNC: u32 = 4;
    let flags = a.uint(2);
    if a.args[0] % PAGE != 0
        || flags & !(MS_ASYNC | MS_INVALIDATE | MS_SYNC) != 0
        || flags & (MS_ASYNC | MS_SYNC) == (MS_ASYNC | MS_SYNC)
    {
        return Err(Errno::EINVAL);
    }
    check_mapped(a.args[0], a.args[1]).map(|_| 0)
}

/// mincore: one byte per page, 1 if it is resident.
pub fn sys_mincore(a: &mut SyscallArgs) -> SysResult {
    let (addr, len) = (a.args[0], a.args[1]);
    if addr % PAGE != 0 {
        return Err(Errno::EINVAL);
    }
    check_mapped(addr, len)?;
    let mm = current().mm().ok_or(Errno::ENOMEM)?;
    let pages = len.div_ceil(PAGE) as usize;
    let vec: alloc::vec::Vec<u8> = (0..pages)
        .map(|i| mm.is_resident(addr + i as u64 * PAGE) as u8)
        .collect();
    crate::uaccess::copy_to_user(a.arg(2), &vec).map(|_| 0)
}

/// membarrier: with one CPU every barrier is already complete.
pub fn sys_membarrier(a: &mut SyscallArgs) -> SysResult {
    const CMD_QUERY: i32 = 0;
    // GLOBAL, GLOBAL_EXPEDITED, REGISTER_GLOBAL_EXPEDITED, PRIVATE_EXPEDITED,
    // REGISTER_PRIVATE_EXPEDITED.
    const SUPPORTED: i32 = 1 | 2 | 4 | 8 | 16;
    match a.int(0) {
        CMD_QUERY => Ok(SUPPORTED as usize),
        c if c & SUPPORTED == c && c.count_ones() == 1 => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}
