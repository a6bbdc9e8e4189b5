//! kallsyms: kernel symbol names for addresses, so an oops says
//! `kernel::ktest::run+0x42/0x180` instead of a bare number.
//!
//! Linux links the kernel twice to embed its symbol table. We reserve a
//! fixed-size `.kallsyms` section (linker.ld) and `cargo xtask build`
//! fills it after linking (xtask/src/build/kallsyms.rs), so no address
//! moves. Layout, little endian:
//!
//! ```text
//! "KSYM" u32 count, then count × { u64 addr, u32 size, u32 name_offset },
//! then NUL-terminated names; entries sorted by address.
//! ```

use crate::arch::x86_64::mm::init::kernel_page_table;
use crate::printk::emergency_write as out;

unsafe extern "C" {
    static __kallsyms_start: u8;
    static __kallsyms_end: u8;
}

fn table() -> &'static [u8] {
    // SAFETY: linker-defined bounds of the read-only .kallsyms section.
    unsafe {
        let start = &raw const __kallsyms_start;
        let len = (&raw const __kallsyms_end) as usize - start as usize;
        core::slice::from_raw_parts(start, len)
    }
}

fn u32_at(t: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_le_bytes(t.get(off..off + 4)?.try_into().ok()?))
}

fn u64_at(t: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_le_bytes(t.get(off..off + 8)?.try_into().ok()?))
}

/// The symbol containing `addr`: (name, offset into it, its size).
pub fn lookup(addr: u64) -> Option<(&'static str, u64, u64)> {
    let t = table();
    if t.get(0..4)? != b"KSYM" {
        return None;
    }
    let count = u32_at(t, 4)? as usize;
    let entry = |i: usize| -> Option<(u64, u64, usize)> {
        let off = 8 + i * 16;
        Some((
            u64_at(t, off)?,
            u32_at(t, off + 8)? as u64,
            u32_at(t, off + 12)? as usize,
        ))
    };
    // Last entry with start <= addr.
    let (mut lo, mut hi) = (0, count);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if entry(mid)?.0 <= addr {
            lo = mid + 1
        } else {
            hi = mid
        }
    }
    let (start, size, name_off) = entry(lo.checked_sub(1)?)?;
    if size != 0 && addr >= start + size {
        return None;
    }
    let names = 8 + count * 16;
    let name = t.get(names + name_off..)?;
    let end = name.iter().position(|&b| b == 0)?;
    Some((core::str::from_utf8(&name[..end]).ok()?, addr - start, size))
}

/// Print `name+0xoff/0xsize`, or `?` when unknown.
pub fn print_symbol(addr: u64) {
    match lookup(addr) {
        Some((name, off, size)) => out(format_args!("{name}+{off:#x}/{size:#x}")),
        None => out(format_args!("?")),
    }
}

/// As print_symbol, for a return address: the call that pushed it may be
/// the function's last instruction, so look up the byte before it.
pub fn print_return_address(addr: u64) {
    match lookup(addr - 1) {
        Some((name, off, size)) => out(format_args!("{name}+{:#x}/{size:#x}", off + 1)),
        None => out(format_args!("?")),
    }
}

/// Is `va` mapped in the kernel's page tables?
fn mapped(va: u64) -> bool {
    va >= 0xffff_8000_0000_0000 && kernel_page_table().translate(va).is_some()
}

/// Is `va` in a kernel-stack guard page (an unmapped page in the stack area)?
pub fn is_guard_page(va: u64) -> bool {
    use crate::arch::x86_64::mm::VMALLOC_START;
    (VMALLOC_START..VMALLOC_START + (1 << 30)).contains(&va) && !mapped(va)
}

/// Walk frame pointers from `bp`, calling `f` with each return address.
pub fn backtrace(mut bp: u64, mut f: impl FnMut(u64)) {
    for _ in 0..64 {
        if bp == 0 || bp % 8 != 0 || !mapped(bp) || !mapped(bp + 8) {
            return;
        }
        // SAFETY: both words were just checked to be mapped kernel memory.
        let (next, ret) = unsafe { (*(bp as *const u64), *((bp + 8) as *const u64)) };
        if ret == 0 {
            return;
        }
        f(ret);
        if next <= bp {
            return;
        }
        bp = next;
    }
}
