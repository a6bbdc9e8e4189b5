/*
 * calling.h.S: struct pt_regs offsets and the macros that save and restore
 * it, shared by every entry point (as Linux's arch/x86/entry/calling.h).
 *
 * struct pt_regs (arch/x86/include/asm/ptrace.h), lowest address first:
 *   r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax
 *   ip cs flags sp ss            <- pushed by the CPU (or built by entry code)
 */
.set PT_R15, 0*8
.set PT_R14, 1*8
.set PT_R13, 2*8
.set PT_R12, 3*8
.set PT_RBP, 4*8
.set PT_RBX, 5*8
.set PT_R11, 6*8
.set PT_R10, 7*8
.set PT_R9, 8*8
.set PT_R8, 9*8
.set PT_RAX, 10*8
.set PT_RCX, 11*8
.set PT_RDX, 12*8
.set PT_RSI, 13*8
.set PT_RDI, 14*8
.set PT_ORIG_RAX, 15*8
.set PT_RIP, 16*8
.set PT_CS, 17*8
.set PT_EFLAGS, 18*8
.set PT_RSP, 19*8
.set PT_SS, 20*8
.set SIZEOF_PTREGS, 21*8

/* Per-CPU fields (percpu.rs), addressed through %gs. */
.set PERCPU_TOP_OF_STACK, 8
.set PERCPU_USER_RSP_SCRATCH, 16

/* Push the general registers below an existing ip/cs/flags/sp/ss/orig_ax. */
.macro PUSH_REGS rax=%rax
    pushq   %rdi
    pushq   %rsi
    pushq   %rdx
    pushq   %rcx
    pushq   \rax
    pushq   %r8
    pushq   %r9
    pushq   %r10
    pushq   %r11
    pushq   %rbx
    pushq   %rbp
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
.endm

.macro POP_REGS
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbp
    popq    %rbx
    popq    %r11
    popq    %r10
    popq    %r9
    popq    %r8
    popq    %rax
    popq    %rcx
    popq    %rdx
    popq    %rsi
    popq    %rdi
.endm
