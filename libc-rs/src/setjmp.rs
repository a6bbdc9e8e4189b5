//! setjmp.h: the signal-mask half of setjmp/sigsetjmp and longjmp (the
//! register half is `arch/*/setjmp.rs`). A `jmp_buf` is glibc's
//! `struct __jmp_buf_tag`: the registers, whether the mask was saved, the
//! mask. longjmp, _longjmp and siglongjmp are one function, as in glibc:
//! each restores the mask when the buffer holds one.

use crate::arch::setjmp::JMP_REGS;
use crate::c_int;
use crate::signal::{SIG_SETMASK, sigprocmask, sigset_t};

/// glibc's `struct __jmp_buf_tag` (200 bytes on x86_64, 156 on i386).
#[repr(C)]
pub struct JmpBuf {
    regs: [usize; JMP_REGS],
    mask_was_saved: c_int,
    saved_mask: sigset_t,
}

unsafe extern "C" {
    fn __fl_longjmp(env: *mut JmpBuf, val: c_int) -> !;
}

/// The end of sigsetjmp/setjmp/_setjmp after the registers are saved:
/// record (and with `save`, save) the signal mask; setjmp returns 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_sigjmp_save(env: *mut JmpBuf, save: c_int) -> c_int {
    // SAFETY: env is the caller's jmp_buf.
    unsafe {
        (*env).mask_was_saved = (save != 0) as c_int;
        if save != 0 {
            sigprocmask(SIG_SETMASK, core::ptr::null(), &mut (*env).saved_mask);
        }
    }
    0
}

/// setjmp's end on i386, where the argument slot for `save` is the
/// caller's: sigsetjmp's end with the mask saved.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __fl_setjmp_save_mask(env: *mut JmpBuf) -> c_int {
    // SAFETY: env is the caller's jmp_buf.
    unsafe { __fl_sigjmp_save(env, 1) }
}

/// `longjmp(env, val)`: restore the mask if setjmp saved it, then resume
/// at setjmp's return with val (1 for 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn longjmp(env: *mut JmpBuf, val: c_int) -> ! {
    // SAFETY: env was filled by a setjmp whose frame is still live (the
    // caller's promise, as in C).
    unsafe {
        if (*env).mask_was_saved != 0 {
            sigprocmask(SIG_SETMASK, &(*env).saved_mask, core::ptr::null_mut());
        }
        __fl_longjmp(env, val)
    }
}

/// `_longjmp(env, val)`: longjmp.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _longjmp(env: *mut JmpBuf, val: c_int) -> ! {
    // SAFETY: as longjmp.
    unsafe { longjmp(env, val) }
}

/// `siglongjmp(env, val)`: longjmp.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn siglongjmp(env: *mut JmpBuf, val: c_int) -> ! {
    // SAFETY: as longjmp.
    unsafe { longjmp(env, val) }
}
