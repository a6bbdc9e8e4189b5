//! The FPU part of signal frames (Linux's arch/x86/kernel/fpu/signal.c):
//! the task's state written to the frame in Linux's layout (the XSAVE or
//! FXSAVE image, `struct _fpx_sw_bytes`, MAGIC2; ia32 frames start with the
//! fsave header) and read back at sigreturn, validated so that XRSTOR of
//! what user space left there cannot fault.

use super::super::signal::{rd16, rd32, rd64};
use super::{
    FX_MXCSR, FXSAVE_SIZE, FpState, MXCSR_DEFAULT, XFEATURE_MASK_FPSSE, XFEATURE_MASK_SSE,
    XFEATURE_MASK_YMM, XFEATURE_MAX, XSAVE_HDR_OFFSET, XSAVE_HDR_SIZE, cfg, fpu__clear_user_states,
};
use crate::errno::Errno;
use crate::uaccess::{copy_from_user, copy_to_user, get_user};

/// The x87 registers' place in the legacy region.
const FX_ST: usize = 32;
/// `struct _fpx_sw_bytes` lives in the legacy region's bytes 464..511.
const FX_SW_BYTES: usize = 464;
const FP_XSTATE_MAGIC1: u32 = 0x4650_5853;
const FP_XSTATE_MAGIC2: u32 = 0x4650_5845;
const FP_XSTATE_MAGIC2_SIZE: usize = 4;
/// `struct fregs_state` / the fsave header of `struct _fpstate_32`.
const FREGS_STATE_SIZE: usize = 112;
/// `struct user_i387_ia32_struct`: the fsave environment and ST0-7.
const USER_I387_IA32_SIZE: usize = 108;
/// `_fpstate_32.magic` for "FXSR data follows" (0xffff: fsave only).
const X86_FXSR_MAGIC: u16 = 0x0000;

/// Bytes of the FPU part of a frame: the image, plus MAGIC2 with XSAVE.
fn xstate_sigframe_size() -> usize {
    let c = cfg();
    if c.xsave {
        c.size + FP_XSTATE_MAGIC2_SIZE
    } else {
        c.size
    }
}

/// The largest FPU part of any frame, ia32's fsave header included
/// (Linux's fpu__get_fpstate_size, for AT_MINSIGSTKSZ).
pub fn fpu__get_fpstate_size() -> usize {
    xstate_sigframe_size() + FREGS_STATE_SIZE
}

/// Reserve the FPU part below `sp` (Linux's fpu__alloc_mathframe): returns
/// (new sp = the fpstate pointer the sigcontext gets, buf_fx = the 64-byte
/// aligned image). ia32 frames put the fsave header just below buf_fx.
pub fn fpu__alloc_mathframe(sp: u64, ia32: bool) -> (u64, u64) {
    let buf_fx = (sp - xstate_sigframe_size() as u64) & !63;
    let buf = if ia32 {
        buf_fx - FREGS_STATE_SIZE as u64
    } else {
        buf_fx
    };
    (buf, buf_fx)
}

/// ia32 tag word from the abridged FXSAVE one (Linux's twd_fxsr_to_i387).
fn twd_fxsr_to_i387(fx: &[u8]) -> u32 {
    let tos = (rd16(fx, 2) as u32 >> 11) & 7;
    let twd = fx[4] as u32;
    let mut ret = 0xffff_0000u32;
    for i in 0..8u32 {
        let tag = if twd & (1 << i) != 0 {
            let st = FX_ST + 16 * ((i.wrapping_sub(tos)) & 7) as usize;
            let exponent = rd16(fx, st + 8) & 0x7fff;
            let significand_zero = fx[st..st + 8].iter().all(|&b| b == 0);
            match exponent {
                0x7fff => 2,                              // special
                0 if significand_zero => 1,               // zero
                0 => 2,                                   // special
                _ if rd16(fx, st + 6) & 0x8000 != 0 => 0, // valid
                _ => 2,
            }
        } else {
            3 // empty
        };
        ret |= tag << (2 * i);
    }
    ret
}

/// FXSAVE's abridged tag byte from an ia32 tag word (Linux's
/// twd_i387_to_fxsr): 1 = not empty.
fn twd_i387_to_fxsr(twd: u32) -> u8 {
    let mut tmp = !twd & 0xffff;
    tmp = (tmp | (tmp >> 1)) & 0x5555;
    tmp = (tmp | (tmp >> 1)) & 0x3333;
    tmp = (tmp | (tmp >> 2)) & 0x0f0f;
    tmp = (tmp | (tmp >> 4)) & 0x00ff;
    tmp as u8
}

/// The fsave environment an ia32 frame starts with, from the FXSAVE image
/// (Linux's convert_from_fxsr on x86_64: fcs is the user CS, fos the DS).
fn convert_from_fxsr(fx: &[u8], cs: u16, ds: u16) -> [u8; USER_I387_IA32_SIZE] {
    let mut env = [0u8; USER_I387_IA32_SIZE];
    let words = [
        rd16(fx, 0) as u32 | 0xffff_0000,
        rd16(fx, 2) as u32 | 0xffff_0000,
        twd_fxsr_to_i387(fx),
        rd64(fx, 8) as u32,
        cs as u32,
        rd64(fx, 16) as u32,
        ds as u32 | 0xffff_0000,
    ];
    for (i, w) in words.iter().enumerate() {
        env[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    for i in 0..8 {
        env[28 + i * 10..38 + i * 10].copy_from_slice(&fx[FX_ST + i * 16..FX_ST + i * 16 + 10]);
    }
    env
}

/// Fold an ia32 fsave environment into the FXSAVE image (Linux's
/// convert_to_fxsr): for ia32 frames the x87 state comes from the header.
fn convert_to_fxsr(fx: &mut [u8], env: &[u8]) {
    fx[0..2].copy_from_slice(&env[0..2]); // cwd
    fx[2..4].copy_from_slice(&env[4..6]); // swd
    fx[4] = twd_i387_to_fxsr(rd32(env, 8));
    fx[5] = 0;
    fx[6..8].copy_from_slice(&env[18..20]); // fop = fcs >> 16
    fx[8..16].copy_from_slice(&(rd32(env, 12) as u64).to_le_bytes()); // fip
    fx[16..24].copy_from_slice(&(rd32(env, 20) as u64).to_le_bytes()); // foo
    for i in 0..8 {
        fx[FX_ST + i * 16..FX_ST + i * 16 + 10].copy_from_slice(&env[28 + i * 10..38 + i * 10]);
    }
}

/// Write the task's live FPU state to a signal frame (Linux's
/// copy_fpstate_to_sigframe): the image at the 64-byte aligned `buf_fx`
/// with `struct _fpx_sw_bytes` in its bytes 464..511 (save_xstate_epilog),
/// FP|SSE forced into XSTATE_BV and MAGIC2 after it; for ia32 frames
/// (`ia32 = Some((cs, ds))`) the fsave header at `buf` = buf_fx - 112.
pub fn copy_fpstate_to_sigframe(
    fps: &mut FpState,
    buf: u64,
    buf_fx: u64,
    ia32: Option<(u16, u16)>,
) -> Result<(), Errno> {
    let c = cfg();
    fps.save();
    let hdr = (buf_fx - buf) as usize;
    let mut img = alloc::vec![0u8; hdr + xstate_sigframe_size()];
    let fx = &mut img[hdr..];
    fx[..c.size].copy_from_slice(fps.bytes());
    // save_sw_bytes: the frame announces the extended state.
    let sw = &mut fx[FX_SW_BYTES..FXSAVE_SIZE];
    sw.fill(0);
    sw[0..4].copy_from_slice(&FP_XSTATE_MAGIC1.to_le_bytes());
    let extended = (c.size + FP_XSTATE_MAGIC2_SIZE + hdr) as u32;
    sw[4..8].copy_from_slice(&extended.to_le_bytes());
    sw[8..16].copy_from_slice(&c.xfeatures.to_le_bytes());
    sw[16..20].copy_from_slice(&(c.size as u32).to_le_bytes());
    if c.xsave {
        // The header as XSAVE leaves it on a cleared buffer, with FP|SSE
        // always set so legacy edits of the FXSAVE part take effect.
        let h = &mut fx[XSAVE_HDR_OFFSET..XSAVE_HDR_OFFSET + XSAVE_HDR_SIZE];
        let bv = rd64(h, 0) | XFEATURE_MASK_FPSSE;
        h.fill(0);
        h[0..8].copy_from_slice(&bv.to_le_bytes());
        fx[c.size..c.size + 4].copy_from_slice(&FP_XSTATE_MAGIC2.to_le_bytes());
    }
    if let Some((cs, ds)) = ia32 {
        // save_fsave_header: env, status = FSW, magic = X86_FXSR_MAGIC.
        let env = convert_from_fxsr(fps.bytes(), cs, ds);
        img[..USER_I387_IA32_SIZE].copy_from_slice(&env);
        img[108..110].copy_from_slice(&fps.bytes()[2..4]);
        img[110..112].copy_from_slice(&X86_FXSR_MAGIC.to_le_bytes());
    }
    copy_to_user(buf as usize, &img)
}

/// Is there extended state at `buf_fx` (Linux's check_xstate_in_sigframe)?
/// Returns (fx_only, xfeatures): a missing or inconsistent MAGIC1/sizes or
/// MAGIC2 means a plain FXSAVE frame (fx_only, FP|SSE).
fn check_xstate_in_sigframe(buf_fx: u64) -> Result<(bool, u64), Errno> {
    let c = cfg();
    let mut sw = [0u8; 20];
    copy_from_user(&mut sw, buf_fx as usize + FX_SW_BYTES)?;
    let (magic1, extended_size, xfeatures, xstate_size) = (
        rd32(&sw, 0),
        rd32(&sw, 4),
        rd64(&sw, 8),
        rd32(&sw, 16) as usize,
    );
    if magic1 != FP_XSTATE_MAGIC1
        || xstate_size < FXSAVE_SIZE + XSAVE_HDR_SIZE
        || xstate_size > c.size
        || xstate_size > extended_size as usize
    {
        return Ok((true, XFEATURE_MASK_FPSSE));
    }
    let magic2: u32 = get_user(buf_fx as usize + xstate_size)?;
    if magic2 == FP_XSTATE_MAGIC2 {
        Ok((false, xfeatures))
    } else {
        Ok((true, XFEATURE_MASK_FPSSE))
    }
}

/// Restore the FPU state from a signal frame's fpstate pointer (Linux's
/// fpu__restore_sig): NULL means init state; anything user space got wrong
/// (header bits outside XCR0, xcomp_bv or reserved bytes set, MXCSR
/// reserved bits, an unreadable or misaligned area) is an error, for which
/// the caller raises SIGSEGV, with the registers in init state. The image
/// is validated in the kernel's copy before XRSTOR, so XRSTOR never faults.
pub fn fpu__restore_sig(fps: &mut FpState, buf: u64, ia32: bool) -> Result<(), Errno> {
    if buf == 0 {
        fpu__clear_user_states();
        return Ok(());
    }
    let r = __fpu_restore_sig(fps, buf, ia32);
    if r.is_err() {
        fpu__clear_user_states();
    }
    r
}

/// The body of fpu__restore_sig: the user image is built and validated in
/// a new state (copy_from_user may fault and even schedule, and a context
/// switch saves into `fps`), which then replaces `fps` and is loaded.
fn __fpu_restore_sig(fps: &mut FpState, buf: u64, ia32: bool) -> Result<(), Errno> {
    let c = cfg();
    let buf_fx = if ia32 {
        buf + FREGS_STATE_SIZE as u64
    } else {
        buf
    };
    let (fx_only, user_xfeatures) = if c.xsave {
        check_xstate_in_sigframe(buf_fx)?
    } else {
        (true, XFEATURE_MASK_FPSSE)
    };
    // 64-bit frames are restored by (F)XRSTOR from user memory in Linux,
    // which needs the architectural alignment.
    if !ia32 && buf_fx % if fx_only { 16 } else { 64 } != 0 {
        return Err(Errno::EFAULT);
    }
    let xrestore = user_xfeatures & c.xfeatures;
    let mut new = FpState::new();
    let img = new.bytes_mut();
    copy_from_user(&mut img[..FXSAVE_SIZE], buf_fx as usize)?;
    let mut bv = XFEATURE_MASK_FPSSE;
    if c.xsave && !fx_only {
        let mut h = [0u8; XSAVE_HDR_SIZE];
        copy_from_user(&mut h, buf_fx as usize + XSAVE_HDR_OFFSET)?;
        // validate_user_xstate_header.
        bv = rd64(&h, 0);
        if bv & !c.xfeatures != 0 || h[8..].iter().any(|&b| b != 0) {
            return Err(Errno::EINVAL);
        }
        for i in 2..XFEATURE_MAX {
            if bv & xrestore & (1 << i) != 0 {
                let (off, len) = (c.offsets[i] as usize, c.sizes[i] as usize);
                copy_from_user(&mut img[off..off + len], buf_fx as usize + off)?;
            }
        }
    }
    // MXCSR is loaded whenever SSE or AVX state is restored: its reserved
    // bits would make (F)XRSTOR fault. Otherwise it takes the init value.
    if xrestore & (XFEATURE_MASK_SSE | XFEATURE_MASK_YMM) != 0 {
        if rd32(img, FX_MXCSR) & !c.mxcsr_mask != 0 {
            return Err(Errno::EINVAL);
        }
    } else {
        img[FX_MXCSR..FX_MXCSR + 4].copy_from_slice(&MXCSR_DEFAULT.to_le_bytes());
    }
    if ia32 {
        // The FP part of an ia32 FX frame is ignored: the fsave header's
        // environment and registers are folded in.
        let mut env = [0u8; USER_I387_IA32_SIZE];
        copy_from_user(&mut env, buf as usize)?;
        convert_to_fxsr(img, &env);
    }
    if c.xsave {
        // Components not restored from the frame go to their init state.
        let h = &mut img[XSAVE_HDR_OFFSET..XSAVE_HDR_OFFSET + XSAVE_HDR_SIZE];
        h.fill(0);
        h[0..8].copy_from_slice(&(bv & xrestore).to_le_bytes());
    }
    *fps = new;
    fps.restore();
    Ok(())
}
