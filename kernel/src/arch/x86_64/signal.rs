//! Signal frames on the user stack, for both ABIs (Linux's
//! arch/x86/kernel/signal_64.c and signal_32.c/ia32 compat).
//!
//! 64-bit: `struct rt_sigframe { pretcode; ucontext; siginfo }` with the
//! FPU state (fpu/signal.rs: XSAVE image, sw_bytes, MAGIC2) above it; the
//! handler gets (sig, &info, &uc) in rdi, rsi, rdx and returns through
//! `pretcode` = the SA_RESTORER trampoline.
//! 32-bit: `struct sigframe` (sig, sigcontext, extramask) or
//! `struct rt_sigframe_ia32` (sig, pinfo, puc, siginfo, ucontext); the
//! handler returns through the vDSO's `__kernel_sigreturn` /
//! `__kernel_rt_sigreturn` unless SA_RESTORER names another.

use super::entry::PtRegs;
use super::fpu::{
    copy_fpstate_to_sigframe, fpu__alloc_mathframe, fpu__clear_user_states, fpu__get_fpstate_size,
    fpu__restore_sig, use_xsave,
};
use super::gdt::{USER_CS, USER_DS, USER32_CS};
use super::process::sync_user_segments;
use crate::errno::Errno;
use crate::process::signal::{SA_ONSTACK, SA_RESTORER, SA_SIGINFO, SigAction, SigInfo, sigmask};
use crate::sched::current;
use crate::uaccess::{copy_from_user, copy_to_user};
use alloc::vec::Vec;

/// A little-endian byte builder for frames.
struct Frame(Vec<u8>);

impl Frame {
    fn new(size: usize) -> Frame {
        Frame(alloc::vec![0; size])
    }
    fn u16(&mut self, off: usize, v: u16) {
        self.0[off..off + 2].copy_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, off: usize, v: u32) {
        self.0[off..off + 4].copy_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, off: usize, v: u64) {
        self.0[off..off + 8].copy_from_slice(&v.to_le_bytes());
    }
}

/// Little-endian reads at `off` (frames, FPU images).
pub(super) fn rd16(b: &[u8], off: usize) -> u16 {
    u16::from_le_bytes(b[off..off + 2].try_into().unwrap())
}
pub(super) fn rd32(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
}
pub(super) fn rd64(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().unwrap())
}

/// siginfo_t (128 bytes), in the layout of the given ABI.
pub fn siginfo_bytes(info: &SigInfo, compat: bool) -> [u8; 128] {
    let mut f = Frame::new(128);
    f.u32(0, info.signo as u32);
    f.u32(4, info.errno as u32);
    f.u32(8, info.code as u32);
    let body = if compat { 12 } else { 16 };
    if info.code == crate::time::posix_timers::SI_TIMER {
        // A POSIX timer: si_tid (the timer id), si_overrun, si_value.
        f.u32(body, info.timerid as u32);
        f.u32(body + 4, info.overrun as u32);
        if compat {
            f.u32(body + 8, info.value as u32)
        } else {
            f.u64(body + 8, info.value)
        }
        return f.0.try_into().unwrap();
    }
    match info.signo {
        4 | 7 | 8 | 11 => {
            // SIGILL, SIGBUS, SIGFPE, SIGSEGV: si_addr.
            if compat {
                f.u32(body, info.addr as u32)
            } else {
                f.u64(body, info.addr)
            }
        }
        17 => {
            // SIGCHLD: si_pid, si_uid, si_status, then utime/stime.
            f.u32(body, info.pid as u32);
            f.u32(body + 4, info.uid);
            f.u32(body + 8, info.status as u32);
        }
        _ => {
            // kill/tkill/sigqueue: si_pid, si_uid, si_value.
            f.u32(body, info.pid as u32);
            f.u32(body + 4, info.uid);
            if compat {
                f.u32(body + 8, info.value as u32)
            } else {
                f.u64(body + 8, info.value)
            }
        }
    }
    f.0.try_into().unwrap()
}

/// Where the frame and its FPU state go (Linux's get_sigframe): below the
/// interrupted stack (less the 64-bit red zone), or from the top of the
/// alternate stack for SA_ONSTACK when not on it already; the FPU area
/// first (fpu__alloc_mathframe), then `frame_size` bytes aligned as each
/// ABI expects at function entry. A frame that would overflow the alternate
/// stack is an error (the task gets SIGSEGV), as in Linux. Returns (frame,
/// fpstate pointer, 64-byte aligned image).
fn get_sigframe(
    regs: &PtRegs,
    ka: &SigAction,
    ia32: bool,
    frame_size: usize,
) -> Result<(u64, u64, u64), Errno> {
    let (ss_sp, ss_size, ss_flags) = *current().sigaltstack.lock();
    let on_sig_stack =
        |sp: u64| ss_size != 0 && ss_flags & 2 == 0 && sp > ss_sp && sp - ss_sp <= ss_size;
    let nested = on_sig_stack(regs.sp);
    let mut sp = if ia32 {
        regs.sp
    } else {
        regs.sp.wrapping_sub(128)
    };
    let mut entering = false;
    if ka.flags & SA_ONSTACK != 0 && ss_size != 0 && ss_flags & 2 == 0 && !on_sig_stack(sp) {
        sp = ss_sp + ss_size;
        entering = true;
    }
    let (buf, buf_fx) = fpu__alloc_mathframe(sp, ia32);
    let sp = buf.wrapping_sub(frame_size as u64);
    let sp = if ia32 {
        (sp.wrapping_add(4) & !15).wrapping_sub(4)
    } else {
        (sp & !15).wrapping_sub(8)
    };
    if (nested || entering) && !on_sig_stack(sp) {
        crate::pr_info!(
            "{}[{}] overflowed sigaltstack",
            current().comm_str(),
            current().pid()
        );
        return Err(Errno::EFAULT);
    }
    Ok((sp, buf, buf_fx))
}

/// AT_MINSIGSTKSZ (Linux's get_sigframe_size): the largest frame
/// (sigframe_ia32) and its alignment padding, the FPU part with the ia32
/// fsave header and MAGIC2, and 63 bytes of XSAVE alignment; rounded to 16.
pub fn get_sigframe_size() -> u64 {
    const MAX_FRAME_PADDING: usize = 15;
    const MAX_XSAVE_PADDING: usize = 63;
    let size = SIGFRAME_IA32 + MAX_FRAME_PADDING + fpu__get_fpstate_size() + MAX_XSAVE_PADDING;
    size.next_multiple_of(16) as u64
}

/// The uc_stack to save: the sigaltstack, SS_ONSTACK if `regs` run on it.
fn sigaltstack_now(regs: &PtRegs) -> (u64, i32, u64) {
    let (ss_sp, ss_size, ss_flags) = *current().sigaltstack.lock();
    let on = ss_size != 0 && regs.sp > ss_sp && regs.sp - ss_sp <= ss_size;
    (ss_sp, if on { 1 } else { ss_flags }, ss_size)
}

/// Build the handler's frame and point the registers at the handler.
pub fn setup_rt_frame(
    sig: i32,
    info: &SigInfo,
    ka: &SigAction,
    oldmask: u64,
    regs: &mut PtRegs,
) -> Result<(), Errno> {
    if regs.compat_mode() {
        setup_frame_ia32(sig, info, ka, oldmask, regs)
    } else {
        setup_rt_frame_64(sig, info, ka, oldmask, regs)
    }
}

// struct rt_sigframe (64-bit): pretcode 0, uc 8, info 312; size 440.
const UC: usize = 8;
const UC_STACK: usize = UC + 16;
const UC_MCONTEXT: usize = UC + 40;
const UC_SIGMASK: usize = UC + 296;
const INFO64: usize = 312;
const RT_FRAME64: usize = 440;
// ucontext.uc_flags bits (Linux's asm/ucontext.h).
const UC_FP_XSTATE: u64 = 0x1;
const UC_SIGCONTEXT_SS: u64 = 0x2;
const UC_STRICT_RESTORE_SS: u64 = 0x4;

/// The 64-bit sigcontext (struct sigcontext_64) at `off`.
fn put_sigcontext64(f: &mut Frame, off: usize, r: &PtRegs, mask: u64, fp: u64) {
    let regs = [
        r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.di, r.si, r.bp, r.bx, r.dx, r.ax,
        r.cx, r.sp, r.ip, r.flags,
    ];
    for (i, v) in regs.iter().enumerate() {
        f.u64(off + i * 8, *v);
    }
    f.u16(off + 144, r.cs as u16);
    f.u16(off + 150, r.ss as u16);
    f.u64(off + 168, mask); // oldmask
    f.u64(off + 184, fp); // fpstate
}

/// The 64-bit rt frame (Linux's x64_setup_rt_frame): FPU state, ucontext,
/// siginfo; the handler gets (sig, &info, &uc) with the init FPU state.
fn setup_rt_frame_64(
    sig: i32,
    info: &SigInfo,
    ka: &SigAction,
    oldmask: u64,
    regs: &mut PtRegs,
) -> Result<(), Errno> {
    if ka.flags & SA_RESTORER == 0 {
        // x86_64 has no vDSO trampoline: Linux requires SA_RESTORER.
        return Err(Errno::EFAULT);
    }
    let (frame_addr, fp_addr, _) = get_sigframe(regs, ka, false, RT_FRAME64)?;
    // SAFETY: the running task's own thread state.
    let t = unsafe { current().thread.get() };
    copy_fpstate_to_sigframe(&mut t.fpu, fp_addr, fp_addr, None)?;
    let mut f = Frame::new(RT_FRAME64);
    f.u64(0, ka.restorer);
    let xstate = if use_xsave() { UC_FP_XSTATE } else { 0 };
    f.u64(UC, xstate | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
    let (ss_sp, ss_flags, ss_size) = sigaltstack_now(regs);
    f.u64(UC_STACK, ss_sp);
    f.u32(UC_STACK + 8, ss_flags as u32);
    f.u64(UC_STACK + 16, ss_size);
    put_sigcontext64(&mut f, UC_MCONTEXT, regs, oldmask, fp_addr);
    f.u64(UC_SIGMASK, oldmask);
    f.0[INFO64..INFO64 + 128].copy_from_slice(&siginfo_bytes(info, false));
    copy_to_user(frame_addr as usize, &f.0)?;
    regs.di = sig as u64;
    regs.si = frame_addr + INFO64 as u64;
    regs.dx = frame_addr + UC as u64;
    regs.ax = 0;
    regs.sp = frame_addr;
    regs.ip = ka.handler;
    regs.cs = USER_CS as u64;
    regs.ss = USER_DS as u64;
    regs.flags &= !((1 << 8) | (1 << 10) | (1 << 18)); // TF, DF, AC
    // The handler starts with a clean FPU, as in Linux.
    fpu__clear_user_states();
    Ok(())
}

/// Restore registers, mask and FPU state from a 64-bit ucontext.
fn restore_sigcontext64(uc: &[u8], regs: &mut PtRegs) -> Result<u64, Errno> {
    let sc = UC_MCONTEXT - UC;
    let g = |i: usize| rd64(uc, sc + i * 8);
    regs.r8 = g(0);
    regs.r9 = g(1);
    regs.r10 = g(2);
    regs.r11 = g(3);
    regs.r12 = g(4);
    regs.r13 = g(5);
    regs.r14 = g(6);
    regs.r15 = g(7);
    regs.di = g(8);
    regs.si = g(9);
    regs.bp = g(10);
    regs.bx = g(11);
    regs.dx = g(12);
    regs.ax = g(13);
    regs.cx = g(14);
    regs.sp = g(15);
    regs.ip = g(16);
    // User-changeable flags only (FIX_EFLAGS).
    const FIX: u64 = 0x0004_0dd5; // AC OF DF TF SF ZF AF PF CF + RF
    regs.flags = (regs.flags & !FIX) | (g(17) & FIX);
    regs.cs = USER_CS as u64;
    regs.ss = USER_DS as u64;
    regs.orig_ax = u64::MAX; // no syscall restart after sigreturn
    // SAFETY: the running task's own thread state.
    let t = unsafe { current().thread.get() };
    fpu__restore_sig(&mut t.fpu, rd64(uc, sc + 184), false)?;
    Ok(rd64(uc, UC_SIGMASK - UC))
}

/// rt_sigreturn(2), 64-bit: the frame sits where pretcode was popped.
pub fn sys_rt_sigreturn_64(regs: &mut PtRegs) -> Result<u64, Errno> {
    let frame = regs.sp - 8;
    let mut uc = alloc::vec![0u8; UC_SIGMASK - UC + 8];
    copy_from_user(&mut uc, (frame + UC as u64) as usize)?;
    let mask = restore_sigcontext64(&uc, regs)?;
    restore_altstack(
        rd64(&uc, UC_STACK - UC),
        rd32(&uc, UC_STACK - UC + 8) as i32,
        rd64(&uc, UC_STACK - UC + 16),
    );
    crate::process::signal::set_current_blocked(mask);
    Ok(regs.ax)
}

fn restore_altstack(sp: u64, flags: i32, size: u64) {
    // Like Linux's restore_altstack: re-apply only a sane, disabled/enabled state.
    if flags & !1 == 0 || flags == 2 {
        *current().sigaltstack.lock() = (sp, size, flags & 2);
    }
}

// ---- ia32 ----
// struct sigcontext_32 (88 bytes).
fn put_sigcontext32(
    f: &mut Frame,
    off: usize,
    r: &PtRegs,
    mask: u32,
    fp: u32,
    segs: (u16, u16, u16, u16),
) {
    let (gs, fs, es, ds) = segs;
    f.u16(off, gs);
    f.u16(off + 4, fs);
    f.u16(off + 8, es);
    f.u16(off + 12, ds);
    let regs = [r.di, r.si, r.bp, r.sp, r.bx, r.dx, r.cx, r.ax];
    for (i, v) in regs.iter().enumerate() {
        f.u32(off + 16 + i * 4, *v as u32);
    }
    f.u32(off + 56, r.ip as u32);
    f.u16(off + 60, r.cs as u16);
    f.u32(off + 64, r.flags as u32);
    f.u32(off + 68, r.sp as u32); // sp_at_signal
    f.u16(off + 72, r.ss as u16);
    f.u32(off + 76, fp);
    f.u32(off + 80, mask);
}

/// sizeof(struct sigframe_ia32), the largest frame of either ABI.
const SIGFRAME_IA32: usize = 732;

/// The ia32 frame, rt (SA_SIGINFO) or plain (Linux's ia32_setup_rt_frame /
/// ia32_setup_frame), with the fsave-headed FPU state below it.
fn setup_frame_ia32(
    sig: i32,
    info: &SigInfo,
    ka: &SigAction,
    oldmask: u64,
    regs: &mut PtRegs,
) -> Result<(), Errno> {
    sync_user_segments();
    // SAFETY: the running task's own thread state (segments just synced).
    let t = unsafe { current().thread.get() };
    let segs = (t.gsindex, t.fsindex, t.es, t.ds);
    let trampolines = super::vdso::sigreturn_trampolines();
    let rt = ka.flags & SA_SIGINFO != 0;
    // rt_sigframe_ia32: pretcode, sig, pinfo, puc, info (128), uc (116,
    // its sigcontext at +164), retcode. sigframe_ia32: pretcode, sig,
    // sc (88) at +8, fpstate_unused (624), extramask at +720, retcode.
    let (size, sc_off) = if rt {
        (268usize, 164usize)
    } else {
        (SIGFRAME_IA32, 8)
    };
    let (frame_addr, fp_addr, buf_fx) = get_sigframe(regs, ka, true, size)?;
    copy_fpstate_to_sigframe(&mut t.fpu, fp_addr, buf_fx, Some((regs.cs as u16, t.ds)))?;
    let mut f = Frame::new(size);
    let retcode_off = size - 8;
    let pretcode = if ka.flags & SA_RESTORER != 0 {
        ka.restorer as u32
    } else {
        match (trampolines, rt) {
            (Some((_, rt_tramp)), true) => rt_tramp as u32,
            (Some((plain, _)), false) => plain as u32,
            // No vDSO: the frame's own retcode, as Linux writes it.
            (None, _) => (frame_addr + retcode_off as u64) as u32,
        }
    };
    f.u32(0, pretcode);
    f.u32(4, sig as u32);
    if rt {
        f.u32(8, (frame_addr + 16) as u32); // pinfo
        f.u32(12, (frame_addr + 144) as u32); // puc
        f.0[16..144].copy_from_slice(&siginfo_bytes(info, true));
        f.u32(144, if use_xsave() { UC_FP_XSTATE as u32 } else { 0 });
        let (ss_sp, ss_flags, ss_size) = sigaltstack_now(regs);
        f.u32(144 + 8, ss_sp as u32);
        f.u32(144 + 12, ss_flags as u32);
        f.u32(144 + 16, ss_size as u32);
        put_sigcontext32(&mut f, sc_off, regs, oldmask as u32, fp_addr as u32, segs);
        f.u32(144 + 108, oldmask as u32);
        f.u32(144 + 112, (oldmask >> 32) as u32);
        // movl $__NR_rt_sigreturn, %eax; int $0x80
        f.0[retcode_off..retcode_off + 7].copy_from_slice(&[0xb8, 173, 0, 0, 0, 0xcd, 0x80]);
    } else {
        put_sigcontext32(&mut f, sc_off, regs, oldmask as u32, fp_addr as u32, segs);
        f.u32(720, (oldmask >> 32) as u32); // extramask
        // popl %eax; movl $__NR_sigreturn, %eax; int $0x80
        f.0[retcode_off..retcode_off + 8].copy_from_slice(&[0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80]);
    }
    copy_to_user(frame_addr as usize, &f.0)?;
    regs.sp = frame_addr;
    regs.ip = ka.handler & 0xffff_ffff;
    regs.ax = sig as u64;
    regs.dx = if rt { frame_addr + 16 } else { 0 };
    regs.cx = if rt { frame_addr + 144 } else { 0 };
    regs.cs = USER32_CS as u64;
    regs.ss = USER_DS as u64;
    regs.flags &= !((1 << 8) | (1 << 10) | (1 << 18));
    fpu__clear_user_states();
    Ok(())
}

/// Restore from an ia32 sigcontext at user address `sc`; returns the mask
/// word stored in it.
fn restore_sigcontext32(sc: u64, regs: &mut PtRegs) -> Result<u32, Errno> {
    let mut b = [0u8; 88];
    copy_from_user(&mut b, sc as usize)?;
    regs.di = rd32(&b, 16) as u64;
    regs.si = rd32(&b, 20) as u64;
    regs.bp = rd32(&b, 24) as u64;
    regs.sp = rd32(&b, 28) as u64;
    regs.bx = rd32(&b, 32) as u64;
    regs.dx = rd32(&b, 36) as u64;
    regs.cx = rd32(&b, 40) as u64;
    regs.ax = rd32(&b, 44) as u64;
    regs.ip = rd32(&b, 56) as u64;
    const FIX: u64 = 0x0004_0dd5;
    regs.flags = (regs.flags & !FIX) | (rd32(&b, 64) as u64 & FIX);
    regs.cs = USER32_CS as u64;
    regs.ss = USER_DS as u64;
    regs.orig_ax = u64::MAX;
    // SAFETY: the running task's own thread state.
    let t = unsafe { current().thread.get() };
    fpu__restore_sig(&mut t.fpu, rd32(&b, 76) as u64, true)?;
    Ok(rd32(&b, 80))
}

/// sigreturn(2), i386: `ret` popped pretcode and __kernel_sigreturn's
/// `popl %eax` popped sig, so esp points at the sigcontext.
pub fn sys_sigreturn_32(regs: &mut PtRegs) -> Result<u64, Errno> {
    let frame = regs.sp - 8;
    let sc = frame + 8;
    let lo = restore_sigcontext32(sc, regs)?;
    let mut hi = [0u8; 4];
    copy_from_user(&mut hi, (frame + 720) as usize)?;
    let mask = lo as u64 | ((u32::from_le_bytes(hi) as u64) << 32);
    crate::process::signal::set_current_blocked(mask);
    Ok(regs.ax)
}

/// rt_sigreturn(2), i386: `ret` popped pretcode; esp points at .sig.
pub fn sys_rt_sigreturn_32(regs: &mut PtRegs) -> Result<u64, Errno> {
    let frame = regs.sp - 4;
    let uc = frame + 144;
    restore_sigcontext32(uc + 20, regs)?;
    let mut m = [0u8; 8];
    copy_from_user(&mut m, (uc + 108) as usize)?;
    let mut st = [0u8; 12];
    copy_from_user(&mut st, (uc + 8) as usize)?;
    restore_altstack(
        rd32(&st, 0) as u64,
        rd32(&st, 4) as i32,
        rd32(&st, 8) as u64,
    );
    crate::process::signal::set_current_blocked(u64::from_le_bytes(m));
    let _ = sigmask(1);
    Ok(regs.ax)
}
