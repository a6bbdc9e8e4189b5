//! Thread-local storage descriptors for i386 processes (Linux's
//! arch/x86/kernel/tls.c: set_thread_area/get_thread_area) and the FS/GS
//! bases of 64-bit processes (arch_prctl).

use super::gdt::{GDT_ENTRY_TLS_ENTRIES, GDT_ENTRY_TLS_MAX, GDT_ENTRY_TLS_MIN};
use super::process::{ThreadStruct, reload_user_segments, sync_user_segments};
use crate::errno::Errno;
use crate::uaccess::{copy_from_user, copy_to_user};

/// struct user_desc, as bytes: entry_number, base_addr, limit, then flags.
struct UserDesc {
    entry_number: u32,
    base_addr: u32,
    limit: u32,
    flags: u32,
}

impl UserDesc {
    fn read(addr: usize) -> Result<UserDesc, Errno> {
        let mut b = [0u8; 16];
        copy_from_user(&mut b, addr)?;
        let w = |i: usize| u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().unwrap());
        Ok(UserDesc {
            entry_number: w(0),
            base_addr: w(1),
            limit: w(2),
            flags: w(3),
        })
    }

    fn write(&self, addr: usize) -> Result<(), Errno> {
        let mut b = [0u8; 16];
        for (i, v) in [self.entry_number, self.base_addr, self.limit, self.flags]
            .iter()
            .enumerate()
        {
            b[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
        }
        copy_to_user(addr, &b)
    }

    fn bit(&self, n: u32) -> u64 {
        ((self.flags >> n) & 1) as u64
    }

    /// Linux's LDT_empty: the descriptor that clears a slot.
    fn is_empty(&self) -> bool {
        self.base_addr == 0 && self.limit == 0 && (self.flags & 0x7f) == (1 << 3 | 1 << 5)
            || (self.base_addr == 0 && self.limit == 0 && self.flags & 0x7f == 0)
    }

    /// Linux's fill_ldt: a DPL-3 data/code descriptor.
    fn descriptor(&self) -> u64 {
        let (base, limit) = (self.base_addr as u64, self.limit as u64);
        let contents = ((self.flags >> 1) & 3) as u64;
        let ty = ((self.bit(3) ^ 1) << 1) | (contents << 2) | 1;
        (limit & 0xffff)
            | ((base & 0xff_ffff) << 16)
            | (ty << 40)
            | (1 << 44)
            | (3 << 45)
            | ((self.bit(5) ^ 1) << 47)
            | (((limit >> 16) & 0xf) << 48)
            | (self.bit(6) << 52)
            | (self.bit(0) << 54)
            | (self.bit(4) << 55)
            | (((base >> 24) & 0xff) << 56)
    }

    fn from_descriptor(entry: u32, d: u64) -> UserDesc {
        let base = ((d >> 16) & 0xff_ffff) | (((d >> 56) & 0xff) << 24);
        let limit = (d & 0xffff) | (((d >> 48) & 0xf) << 16);
        let ty = (d >> 40) & 0xf;
        let flags = ((d >> 54) & 1) // seg_32bit
            | (((ty >> 2) & 3) << 1) // contents
            | ((((ty >> 1) & 1) ^ 1) << 3) // read_exec_only
            | (((d >> 55) & 1) << 4) // limit_in_pages
            | ((((d >> 47) & 1) ^ 1) << 5) // seg_not_present
            | (((d >> 52) & 1) << 6); // useable
        UserDesc {
            entry_number: entry,
            base_addr: base as u32,
            limit: limit as u32,
            flags: flags as u32,
        }
    }
}

/// Install the user_desc at `u_info` into `t`'s TLS slots. With
/// `can_allocate`, entry_number -1 picks a free slot and reports it back.
pub fn do_set_thread_area(
    t: &mut ThreadStruct,
    u_info: usize,
    can_allocate: bool,
) -> Result<(), Errno> {
    let mut info = UserDesc::read(u_info)?;
    let mut idx = info.entry_number;
    if idx == u32::MAX && can_allocate {
        let free = t
            .tls_array
            .iter()
            .position(|&d| d == 0)
            .ok_or(Errno::ESRCH)?;
        idx = (GDT_ENTRY_TLS_MIN + free) as u32;
        info.entry_number = idx;
        info.write(u_info)?;
    }
    if !(GDT_ENTRY_TLS_MIN as u32..=GDT_ENTRY_TLS_MAX as u32).contains(&idx) {
        return Err(Errno::EINVAL);
    }
    let slot = idx as usize - GDT_ENTRY_TLS_MIN;
    t.tls_array[slot] = if info.is_empty() {
        0
    } else {
        info.descriptor()
    };
    Ok(())
}

/// set_thread_area(2) for the running task.
pub fn set_thread_area(u_info: usize) -> Result<(), Errno> {
    sync_user_segments();
    // SAFETY: the running task's own thread state.
    let t = unsafe { crate::sched::current().thread.get() };
    do_set_thread_area(t, u_info, true)?;
    reload_user_segments();
    Ok(())
}

/// get_thread_area(2).
pub fn get_thread_area(u_info: usize) -> Result<(), Errno> {
    let info = UserDesc::read(u_info)?;
    let idx = info.entry_number;
    if !(GDT_ENTRY_TLS_MIN as u32..=GDT_ENTRY_TLS_MAX as u32).contains(&idx) {
        return Err(Errno::EINVAL);
    }
    // SAFETY: the running task's own thread state.
    let t = unsafe { crate::sched::current().thread.get() };
    UserDesc::from_descriptor(idx, t.tls_array[idx as usize - GDT_ENTRY_TLS_MIN]).write(u_info)
}

pub const ARCH_SET_GS: u32 = 0x1001;
pub const ARCH_SET_FS: u32 = 0x1002;
pub const ARCH_GET_FS: u32 = 0x1003;
pub const ARCH_GET_GS: u32 = 0x1004;
pub const ARCH_GET_CPUID: u32 = 0x1011;
pub const ARCH_SET_CPUID: u32 = 0x1012;

/// arch_prctl(2) for 64-bit processes.
pub fn arch_prctl(code: u32, addr: usize) -> Result<usize, Errno> {
    sync_user_segments();
    // SAFETY: the running task's own thread state.
    let t = unsafe { crate::sched::current().thread.get() };
    match code {
        ARCH_SET_FS | ARCH_SET_GS => {
            if addr as u64 >= super::mm::TASK_SIZE_MAX {
                return Err(Errno::EPERM);
            }
            if code == ARCH_SET_FS {
                t.fsbase = addr as u64;
                t.fsindex = 0;
            } else {
                t.gsbase = addr as u64;
                t.gsindex = 0;
            }
            reload_user_segments();
            Ok(0)
        }
        ARCH_GET_FS => copy_to_user(addr, &t.fsbase.to_le_bytes()).map(|_| 0),
        ARCH_GET_GS => copy_to_user(addr, &t.gsbase.to_le_bytes()).map(|_| 0),
        ARCH_GET_CPUID => Ok(1),
        ARCH_SET_CPUID => Err(Errno::ENODEV),
        _ => Err(Errno::EINVAL),
    }
}

const _: () = assert!(GDT_ENTRY_TLS_ENTRIES == 3);
