//! The i386 thread control block header: glibc's `tcbhead_t`, so that
//! `call *%gs:16` finds `sysinfo` and gcc's `-fstack-protector` finds its
//! canary at `%gs:0x14`.

/// glibc's `tcbhead_t` for i386 (offsets asserted below).
#[repr(C)]
pub struct TcbHead {
    /// Points at itself: `%gs:0` is the thread pointer (TLS variant II).
    pub tcb: usize,
    pub dtv: usize,
    /// The thread descriptor (`struct pthread`), read by `%gs:8`.
    pub self_: usize,
    pub multiple_threads: i32,
    /// AT_SYSINFO or `_dl_sysinfo_int80`: the target of `call *%gs:16`.
    pub sysinfo: usize,
    /// `-fstack-protector`'s canary, `%gs:0x14`.
    pub stack_guard: usize,
    pub pointer_guard: usize,
}

const _: () = {
    assert!(core::mem::offset_of!(TcbHead, tcb) == 0);
    assert!(core::mem::offset_of!(TcbHead, dtv) == 4);
    assert!(core::mem::offset_of!(TcbHead, self_) == 8);
    assert!(core::mem::offset_of!(TcbHead, multiple_threads) == 12);
    assert!(core::mem::offset_of!(TcbHead, sysinfo) == 16);
    assert!(core::mem::offset_of!(TcbHead, stack_guard) == 20);
    assert!(core::mem::offset_of!(TcbHead, pointer_guard) == 24);
};

/// The kernel's `struct user_desc` for set_thread_area and clone's
/// CLONE_SETTLS.
#[repr(C)]
#[derive(Default)]
pub struct UserDesc {
    entry_number: u32,
    base_addr: u32,
    limit: u32,
    /// seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1
    /// seg_not_present:1 useable:1
    flags: u32,
}

impl UserDesc {
    /// A flat 4 GiB data segment based at `tp` in GDT slot `entry` (-1: the
    /// kernel picks a free TLS slot), as glibc fills it.
    pub fn tls(entry: u32, tp: usize) -> UserDesc {
        UserDesc {
            entry_number: entry,
            base_addr: tp as u32,
            limit: 0xfffff,
            flags: 0x51,
        }
    }
}

/// Make `tp` this thread's thread pointer: `set_thread_area` with
/// entry_number -1 (the kernel picks a GDT TLS slot), then load `%gs` with
/// that slot's selector `(entry << 3) | 3`. Uses the early syscall form.
pub unsafe fn set_thread_pointer(tp: usize) -> isize {
    let mut d = UserDesc::tls(u32::MAX, tp);
    // SAFETY: d is a valid user_desc on our stack.
    let r = unsafe {
        super::early_syscall6(
            super::nr::SET_THREAD_AREA,
            &raw mut d as usize,
            0,
            0,
            0,
            0,
            0,
        )
    };
    if r < 0 {
        return r;
    }
    let sel = (d.entry_number << 3) | 3;
    // SAFETY: the kernel just installed this descriptor for us.
    unsafe { core::arch::asm!("mov gs, {0:x}", in(reg) sel, options(nostack, preserves_flags)) };
    0
}

/// The current thread's descriptor, read from `%gs:8` (glibc's THREAD_SELF).
#[inline(always)]
pub fn thread_self() -> usize {
    let p: usize;
    // SAFETY: %gs points at our TCB from startup on; reading self is a load.
    unsafe {
        core::arch::asm!("mov {}, dword ptr gs:[8]", out(reg) p, options(nostack, readonly, preserves_flags))
    };
    p
}

/// The GDT slot the calling thread's `%gs` selects (new threads reuse it:
/// the kernel keeps one descriptor per thread in the same slot).
pub fn gs_entry() -> u32 {
    let sel: u32;
    // SAFETY: reading a segment register has no side effect.
    unsafe {
        core::arch::asm!("mov {0:e}, gs", out(reg) sel, options(nomem, nostack, preserves_flags))
    };
    (sel & 0xffff) >> 3
}
