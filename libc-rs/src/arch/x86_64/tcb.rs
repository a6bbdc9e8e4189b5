//! The x86_64 thread control block header: glibc's `tcbhead_t`, so that code
//! compiled by gcc (`-fstack-protector` reads `%fs:0x28`) works unchanged.

/// glibc's `tcbhead_t` for x86_64 (offsets asserted below).
#[repr(C)]
pub struct TcbHead {
    /// Points at itself: `%fs:0` is the thread pointer (TLS variant II).
    pub tcb: usize,
    pub dtv: usize,
    /// The thread descriptor (`struct pthread`), read by `%fs:16`.
    pub self_: usize,
    pub multiple_threads: i32,
    pub gscope_flag: i32,
    pub sysinfo: usize,
    /// `-fstack-protector`'s canary, `%fs:0x28`.
    pub stack_guard: usize,
    pub pointer_guard: usize,
}

const _: () = {
    assert!(core::mem::offset_of!(TcbHead, tcb) == 0);
    assert!(core::mem::offset_of!(TcbHead, dtv) == 8);
    assert!(core::mem::offset_of!(TcbHead, self_) == 16);
    assert!(core::mem::offset_of!(TcbHead, multiple_threads) == 24);
    assert!(core::mem::offset_of!(TcbHead, gscope_flag) == 28);
    assert!(core::mem::offset_of!(TcbHead, sysinfo) == 32);
    assert!(core::mem::offset_of!(TcbHead, stack_guard) == 40);
    assert!(core::mem::offset_of!(TcbHead, pointer_guard) == 48);
};

/// Make `tp` this thread's thread pointer: `arch_prctl(ARCH_SET_FS, tp)`.
/// Runs before the TCB exists, so it uses the early syscall form.
pub unsafe fn set_thread_pointer(tp: usize) -> isize {
    const ARCH_SET_FS: usize = 0x1002;
    // SAFETY: tp points at a TcbHead that lives as long as the thread.
    unsafe { super::early_syscall6(super::nr::ARCH_PRCTL, ARCH_SET_FS, tp, 0, 0, 0, 0) }
}

/// The current thread's descriptor, read from `%fs:16` (glibc's THREAD_SELF).
#[inline(always)]
pub fn thread_self() -> usize {
    let p: usize;
    // SAFETY: %fs points at our TCB from startup on; reading self is a load.
    unsafe {
        core::arch::asm!("mov {}, qword ptr fs:[16]", out(reg) p, options(nostack, readonly, preserves_flags))
    };
    p
}
