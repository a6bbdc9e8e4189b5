//! vdso32 (i386): `__kernel_vsyscall`, the signal return trampolines, the
//! vvar address and the fallback through `__kernel_vsyscall`. All of
//! vdso32's hand-written code is in this file.

mod vclock;

use core::arch::{asm, global_asm};
use vdso_data::VvarPage;
use vdso_data::image::{X86_FEATURE_SYSCALL32, X86_FEATURE_SYSENTER32};

/// i386 system call numbers (Linux's syscall_32.tbl).
pub const NR_GETTIMEOFDAY: usize = 78;
pub const NR_SIGRETURN: usize = 119;
pub const NR_RT_SIGRETURN: usize = 173;
pub const NR_CLOCK_GETTIME: usize = 265;
pub const NR_CLOCK_GETRES: usize = 266;
pub const NR_GETCPU: usize = 318;
pub const NR_CLOCK_GETTIME64: usize = 403;
pub const NR_CLOCK_GETRES_TIME64: usize = 406;

/// Offsets in Linux's `struct sigcontext_32`, for the unwind info.
mod sigcontext {
    pub const DI: usize = 16;
    pub const SI: usize = 20;
    pub const BP: usize = 24;
    pub const SP: usize = 28;
    pub const BX: usize = 32;
    pub const DX: usize = 36;
    pub const CX: usize = 40;
    pub const AX: usize = 44;
    pub const IP: usize = 56;
}

/// Where the sigcontext is above %esp when `__kernel_sigreturn` starts: the
/// handler's `ret` popped `pretcode` of `struct sigframe_ia32`, leaving
/// `sig`, then `sc`.
const SIGFRAME_SC: usize = 4;
/// The same for `__kernel_rt_sigreturn` and `struct rt_sigframe_ia32`:
/// sig, pinfo, puc, a 128-byte siginfo, then the ucontext's flags, link and
/// 12-byte stack_t before `uc_mcontext`.
const RT_SIGFRAME_SC: usize = 4 + 4 + 4 + 128 + 4 + 4 + 12;

global_asm!(
    // DWARF for "register r was saved at %esp + off" and "the caller's
    // %esp (CFA) is the one saved at %esp + off", as Linux's sigreturn.S
    // writes them: DW_CFA_expression / DW_CFA_def_cfa_expression over
    // DW_OP_breg4 (%esp). Offsets are two-byte (padded) SLEB128.
    ".macro sigcontext_cfi base",
    "    .cfi_escape 0x0f, 4, 0x74, ((\\base + {sp}) & 0x7f) | 0x80, ((\\base + {sp}) >> 7) & 0x7f, 0x06",
    "    .cfi_escape 0x10, 0, 3, 0x74, ((\\base + {ax}) & 0x7f) | 0x80, ((\\base + {ax}) >> 7) & 0x7f",
    "    .cfi_escape 0x10, 1, 3, 0x74, ((\\base + {cx}) & 0x7f) | 0x80, ((\\base + {cx}) >> 7) & 0x7f",
    "    .cfi_escape 0x10, 2, 3, 0x74, ((\\base + {dx}) & 0x7f) | 0x80, ((\\base + {dx}) >> 7) & 0x7f",
    "    .cfi_escape 0x10, 3, 3, 0x74, ((\\base + {bx}) & 0x7f) | 0x80, ((\\base + {bx}) >> 7) & 0x7f",
    "    .cfi_escape 0x10, 5, 3, 0x74, ((\\base + {bp}) & 0x7f) | 0x80, ((\\base + {bp}) >> 7) & 0x7f",
    "    .cfi_escape 0x10, 6, 3, 0x74, ((\\base + {si}) & 0x7f) | 0x80, ((\\base + {si}) >> 7) & 0x7f",
    "    .cfi_escape 0x10, 7, 3, 0x74, ((\\base + {di}) & 0x7f) | 0x80, ((\\base + {di}) >> 7) & 0x7f",
    "    .cfi_escape 0x10, 8, 3, 0x74, ((\\base + {ip}) & 0x7f) | 0x80, ((\\base + {ip}) >> 7) & 0x7f",
    ".endm",
    "",
    "    .text",
    // __kernel_vsyscall: AT_SYSINFO, the way into the kernel for 32-bit
    // code (`call *%gs:16`). In: %eax = number, %ebx %ecx %edx %esi %edi
    // %ebp = arguments 1-6. Out: %eax = result or -errno; every other
    // register preserved.
    //
    // The entry sequence is chosen at boot (vdso-data's patch_vsyscall):
    //  - int80: the site stays NOPs and falls through to int $0x80.
    //  - sysenter: `movl %esp,%ebp; sysenter`. SYSENTER loses %esp and
    //    %eip: the kernel takes the user %esp from %ebp, argument 6 from
    //    0(%ebp) (the %ebp pushed here) and returns to int80_landing_pad
    //    (SYSEXIT: %edx = int80_landing_pad, %ecx = user %esp).
    //  - syscall: `movl %ecx,%ebp; syscall`. SYSCALL overwrites %ecx, so
    //    argument 2 travels in %ebp and argument 6 is read from 0(%esp).
    //    The kernel returns to int80_landing_pad too (SYSRETL with %ecx =
    //    int80_landing_pad), never to the int $0x80 after the syscall.
    // A fast entry the kernel wants to restart resumes at
    // int80_landing_pad - 2, the int $0x80, as Linux does.
    "    .globl __kernel_vsyscall",
    "    .type __kernel_vsyscall, @function",
    "    .p2align 4",
    "__kernel_vsyscall:",
    "    .cfi_startproc",
    "    pushl %ecx",
    "    .cfi_adjust_cfa_offset 4",
    "    .cfi_rel_offset %ecx, 0",
    "    pushl %edx",
    "    .cfi_adjust_cfa_offset 4",
    "    .cfi_rel_offset %edx, 0",
    "    pushl %ebp",
    "    .cfi_adjust_cfa_offset 4",
    "    .cfi_rel_offset %ebp, 0",
    "661:",
    "    .byte 0x0f, 0x1f, 0x40, 0x00", // nopl 0(%eax): the patch site
    "662:",
    "    int $0x80",
    "    .globl int80_landing_pad",
    "int80_landing_pad:",
    "    popl %ebp",
    "    .cfi_adjust_cfa_offset -4",
    "    .cfi_restore %ebp",
    "    popl %edx",
    "    .cfi_adjust_cfa_offset -4",
    "    .cfi_restore %edx",
    "    popl %ecx",
    "    .cfi_adjust_cfa_offset -4",
    "    .cfi_restore %ecx",
    "    ret",
    "    .cfi_endproc",
    "    .size __kernel_vsyscall, . - __kernel_vsyscall",
    "",
    "    .pushsection .altinstr_replacement, \"ax\"",
    "663:",
    "    movl %esp, %ebp",
    "    sysenter",
    "664:",
    "    movl %ecx, %ebp",
    "    syscall",
    "665:",
    "    .popsection",
    "    .pushsection .altinstructions, \"a\"",
    "    .long 661b - .",
    "    .long 663b - .",
    "    .short {sysenter32}",
    "    .byte 662b - 661b, 664b - 663b",
    "    .long 661b - .",
    "    .long 664b - .",
    "    .short {syscall32}",
    "    .byte 662b - 661b, 665b - 664b",
    "    .popsection",
    "",
    // __kernel_sigreturn: the restorer of non-RT signal frames. Entered by
    // the handler's `ret` with %esp at the frame's `sig`; pops it and calls
    // sigreturn(2), which never returns here. The unwind info describes the
    // interrupted context saved in the frame (a signal frame, "zRS"), so
    // debuggers and unwinders step through handlers. The FDE starts at the
    // nop before the symbol: unwinders look up return address - 1.
    "    .globl __kernel_sigreturn",
    "    .type __kernel_sigreturn, @function",
    "    .p2align 4",
    "    .cfi_startproc simple",
    "    .cfi_signal_frame",
    "    sigcontext_cfi {sigframe_sc}",
    "    nop",
    "__kernel_sigreturn:",
    "    popl %eax",
    "    sigcontext_cfi {sigframe_sc} - 4",
    "    movl ${nr_sigreturn}, %eax",
    "    int $0x80",
    "    .cfi_endproc",
    "    .size __kernel_sigreturn, . - __kernel_sigreturn",
    "",
    // __kernel_rt_sigreturn: the restorer of RT signal frames (%esp at
    // `sig` of rt_sigframe); calls rt_sigreturn(2), which never returns.
    "    .globl __kernel_rt_sigreturn",
    "    .type __kernel_rt_sigreturn, @function",
    "    .p2align 4",
    "    .cfi_startproc simple",
    "    .cfi_signal_frame",
    "    sigcontext_cfi {rt_sigframe_sc}",
    "    nop",
    "__kernel_rt_sigreturn:",
    "    movl ${nr_rt_sigreturn}, %eax",
    "    int $0x80",
    "    .cfi_endproc",
    "    .size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn",
    sysenter32 = const X86_FEATURE_SYSENTER32,
    syscall32 = const X86_FEATURE_SYSCALL32,
    nr_sigreturn = const NR_SIGRETURN,
    nr_rt_sigreturn = const NR_RT_SIGRETURN,
    sigframe_sc = const SIGFRAME_SC,
    rt_sigframe_sc = const RT_SIGFRAME_SC,
    sp = const sigcontext::SP,
    ax = const sigcontext::AX,
    cx = const sigcontext::CX,
    dx = const sigcontext::DX,
    bx = const sigcontext::BX,
    bp = const sigcontext::BP,
    si = const sigcontext::SI,
    di = const sigcontext::DI,
    ip = const sigcontext::IP,
    options(att_syntax),
);

/// Where the kernel maps the vvar page: below this image (`vvar_page` in
/// vdso-layout.lds), found PC-relatively with call/pop: no relocation.
#[inline(always)]
pub fn vvar_page() -> *const VvarPage {
    let p: *const VvarPage;
    // SAFETY: call/pop only reads the program counter through the stack.
    unsafe {
        asm!(
            "calll 2f",
            "2:",
            "popl {p}",
            "leal vvar_page-2b({p}), {p}",
            p = out(reg) p,
            options(att_syntax, pure, nomem, preserves_flags),
        )
    };
    p
}

/// The real system call through `__kernel_vsyscall`, as Linux's vdso32
/// fallbacks make it: number in %eax, arguments in %ebx %ecx %edx. %ebx is
/// LLVM's PIC register, so argument 1 is swapped into it and back.
///
/// # Safety
/// The arguments are valid for system call `nr`.
#[inline(always)]
pub unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller vouches for the arguments; __kernel_vsyscall
    // preserves every register but %eax, and %ebx is restored here.
    unsafe {
        asm!(
            "xchgl {a1}, %ebx",
            "calll __kernel_vsyscall",
            "xchgl {a1}, %ebx",
            a1 = inout(reg) a1 => _,
            inlateout("eax") nr as isize => ret,
            in("ecx") a2,
            in("edx") a3,
            options(att_syntax),
        )
    };
    ret
}
