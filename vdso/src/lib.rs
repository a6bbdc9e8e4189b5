//! Forkline's vDSOs: one crate, linked as a shared object twice.
//!
//! * vdso32 (`linux-gate.so.1`, i686): `__kernel_vsyscall`, the signal
//!   return trampolines and the 32-bit time functions.
//! * vdso64 (`linux-vdso.so.1`, x86_64): the 64-bit time functions.
//!
//! The architecture is chosen here, once, by file path: `arch` is
//! `src/arch/i386` or `src/arch/x86_64`, each with that architecture's
//! assembly and exported functions; `src/arch/x86.rs` holds the few
//! instructions both share. All the assembly is in those files.
//! The time functions read the vvar page the kernel maps below the image
//! (see `vdso_data::vvar`) and take the real system call only when the
//! kernel has no trusted counter or the clock is not one the vDSO serves.
//!
//! Nothing here may need a relocation, a writable page or a symbol from
//! elsewhere: vdso2c rejects an image that does.
#![no_std]

#[cfg_attr(target_arch = "x86", path = "arch/i386/mod.rs")]
#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64/mod.rs")]
mod arch;
mod vclock;
/// The instructions both architectures share (TSC, CPU number).
#[path = "arch/x86.rs"]
mod x86;

/// No path in the vDSO panics (the host tests check that no panic handler
/// is linked in); should one ever, trap rather than return garbage.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: ud2 raises #UD and never returns, which is what `!` promises.
    unsafe { core::arch::asm!("ud2", options(noreturn, nomem, nostack)) }
}
