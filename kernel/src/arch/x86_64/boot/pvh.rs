//! The PVH boot ABI (Xen's `struct hvm_start_info`, which QEMU fills for
//! `-kernel` ELF images carrying XEN_ELFNOTE_PHYS32_ENTRY).

use super::{BootParams, COMMAND_LINE_SIZE, E820_MAX, E820Entry, E820Type};
use crate::arch::x86_64::mm::phys_to_virt;

pub const XEN_HVM_START_MAGIC_VALUE: u32 = 0x336e_c578;

#[repr(C)]
struct HvmStartInfo {
    magic: u32,
    version: u32,
    flags: u32,
    nr_modules: u32,
    modlist_paddr: u64,
    cmdline_paddr: u64,
    rsdp_paddr: u64,
    // version >= 1
    memmap_paddr: u64,
    memmap_entries: u32,
    reserved: u32,
}

#[repr(C)]
struct HvmModlistEntry {
    paddr: u64,
    size: u64,
    cmdline_paddr: u64,
    reserved: u64,
}

#[repr(C)]
struct HvmMemmapTableEntry {
    addr: u64,
    size: u64,
    kind: u32,
    reserved: u32,
}

/// Copy what the boot loader left at `start_info_pa` into `bp`, so the
/// loader's pages can be reused. Returns false if the magic is wrong.
pub fn parse(start_info_pa: u64, bp: &mut BootParams) -> bool {
    // SAFETY: head.S maps the first 1 GiB at PAGE_OFFSET, where the loader
    // put hvm_start_info and everything it points to; we only read, and
    // check the magic before trusting the rest.
    unsafe {
        let si = &*(phys_to_virt(start_info_pa) as *const HvmStartInfo);
        if si.magic != XEN_HVM_START_MAGIC_VALUE {
            return false;
        }
        bp.rsdp = si.rsdp_paddr;
        if si.cmdline_paddr != 0 {
            let p = phys_to_virt(si.cmdline_paddr) as *const u8;
            let mut n = 0;
            while n < COMMAND_LINE_SIZE - 1 && *p.add(n) != 0 {
                bp.cmdline[n] = *p.add(n);
                n += 1;
            }
            bp.cmdline_len = n;
        }
        if si.nr_modules > 0 && si.modlist_paddr != 0 {
            let m = &*(phys_to_virt(si.modlist_paddr) as *const HvmModlistEntry);
            if m.size > 0 {
                bp.initrd = Some((m.paddr, m.size));
            }
        }
        if si.version >= 1 && si.memmap_paddr != 0 {
            let n = (si.memmap_entries as usize).min(E820_MAX);
            let table = phys_to_virt(si.memmap_paddr) as *const HvmMemmapTableEntry;
            for i in 0..n {
                let e = &*table.add(i);
                bp.e820[i] = E820Entry {
                    addr: e.addr,
                    size: e.size,
                    kind: E820Type::from_raw(e.kind),
                };
            }
            bp.e820_entries = n;
        }
    }
    true
}
