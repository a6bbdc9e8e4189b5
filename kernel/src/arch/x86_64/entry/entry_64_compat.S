/*
 * entry_64_compat.S: the three ways a 32-bit (compatibility-mode) process
 * enters the kernel (Linux's arch/x86/entry/entry_64_compat.S). All build
 * the same struct pt_regs; the i386 argument registers are ebx ecx edx
 * esi edi ebp, the syscall number is in eax, the result goes back in eax.
 * r8-r15 are saved as zero: compat code cannot see them, and they must
 * not leak kernel values if it far-jumps to 64-bit code.
 */

/*
 * entry_INT80_compat: `int $0x80` (IDT vector 0x80, DPL 3). The CPU
 * pushed ss, esp, eflags, cs, eip as 64-bit words on TSS.rsp0.
 */
    .globl entry_INT80_compat
    .p2align 4
entry_INT80_compat:
    pushq   %rax                    /* pt_regs->orig_ax */
    pushq   %rdi
    pushq   %rsi
    pushq   %rdx
    pushq   %rcx
    pushq   $-38                    /* pt_regs->ax = -ENOSYS */
    pushq   $0                      /* r8..r11 */
    pushq   $0
    pushq   $0
    pushq   $0
    pushq   %rbx
    pushq   %rbp
    pushq   $0                      /* r12..r15 */
    pushq   $0
    pushq   $0
    pushq   $0
    swapgs
    movq    %rsp, %rdi
    cld
    call    do_int80_syscall_32
    jmp     swapgs_restore_regs_and_return_to_usermode

/*
 * entry_SYSENTER_compat: `sysenter` from __kernel_vsyscall (Intel).
 * CPU state: CS = MSR_IA32_SYSENTER_CS (0x10), SS = 0x18, rsp = a
 * scratch stack, IF = 0; no return address or user stack is saved. The
 * vDSO put the user esp in ebp (`movl %esp, %ebp; sysenter`), so user arg 6
 * is at 0(%ebp). The exit is sysexit to int80_landing_pad with
 * edx = landing pad and ecx = user esp, or iret.
 */
    .globl entry_SYSENTER_compat
    .p2align 4
entry_SYSENTER_compat:
    swapgs
    movq    %gs:PERCPU_TOP_OF_STACK, %rsp
    movl    %eax, %eax              /* zero-extend the syscall number */
    pushq   $0x2b                   /* pt_regs->ss = __USER_DS */
    movl    %ebp, %ebp
    pushq   %rbp                    /* pt_regs->sp = user esp (from ebp) */
    pushfq
    orl     $0x200, (%rsp)          /* pt_regs->flags: the user had IF set */
    pushq   $0x23                   /* pt_regs->cs = __USER32_CS */
    pushq   $0                      /* pt_regs->ip: set by do_fast_syscall_32 */
    pushq   %rax                    /* pt_regs->orig_ax */
    pushq   %rdi
    pushq   %rsi
    pushq   %rdx
    pushq   %rcx
    pushq   $-38
    pushq   $0
    pushq   $0
    pushq   $0
    pushq   $0
    pushq   %rbx
    pushq   %rbp                    /* pt_regs->bp: replaced by arg 6 */
    pushq   $0
    pushq   $0
    pushq   $0
    pushq   $0
    /* SYSENTER does not clear TF or AC: do it, as Linux does. */
    pushq   $0x2
    popfq
    movq    %rsp, %rdi
    cld
    movq    $1, %rsi                /* came by sysenter */
    call    do_fast_syscall_32      /* returns with interrupts off */
    testb   %al, %al
    jz      swapgs_restore_regs_and_return_to_usermode
    /* sysexit: edx = rip (the landing pad), ecx = user esp. */
    movq    PT_RBX(%rsp), %rbx
    movq    PT_RBP(%rsp), %rbp
    movq    PT_RSI(%rsp), %rsi
    movq    PT_RDI(%rsp), %rdi
    movq    PT_RAX(%rsp), %rax
    movq    PT_RIP(%rsp), %rdx
    movq    PT_RSP(%rsp), %rcx
    xorl    %r8d, %r8d
    xorl    %r9d, %r9d
    xorl    %r10d, %r10d
    xorl    %r11d, %r11d
    xorl    %r12d, %r12d
    xorl    %r13d, %r13d
    xorl    %r14d, %r14d
    xorl    %r15d, %r15d
    swapgs
    sti                             /* takes effect after sysexit */
    sysexitl

/*
 * entry_SYSCALL_compat: `syscall` from compatibility mode (AMD), via
 * MSR_CSTAR. The CPU saved eip in ecx and eflags in r11; rsp is still the
 * user's. The vDSO moved arg 2 to ebp first (`movl %ecx, %ebp; syscall`),
 * and user arg 6 is at 0(%esp) (the pushed ebp). Exit by sysretl to the
 * landing pad, or iret.
 */
    .globl entry_SYSCALL_compat
    .p2align 4
entry_SYSCALL_compat:
    swapgs
    movl    %esp, %r8d              /* user esp */
    movq    %gs:PERCPU_TOP_OF_STACK, %rsp
    movl    %eax, %eax
    pushq   $0x2b                   /* pt_regs->ss */
    pushq   %r8                     /* pt_regs->sp */
    pushq   %r11                    /* pt_regs->flags */
    pushq   $0x23                   /* pt_regs->cs */
    pushq   %rcx                    /* pt_regs->ip */
    pushq   %rax                    /* pt_regs->orig_ax */
    pushq   %rdi
    pushq   %rsi
    pushq   %rdx
    pushq   %rbp                    /* pt_regs->cx: arg 2 arrived in ebp */
    pushq   $-38
    pushq   $0
    pushq   $0
    pushq   $0
    pushq   $0
    pushq   %rbx
    pushq   %rbp                    /* pt_regs->bp: replaced by arg 6 */
    pushq   $0
    pushq   $0
    pushq   $0
    pushq   $0
    movq    %rsp, %rdi
    cld
    xorl    %esi, %esi              /* came by syscall */
    call    do_fast_syscall_32
    testb   %al, %al
    jz      swapgs_restore_regs_and_return_to_usermode
    /* sysretl: ecx = eip (landing pad), r11 = eflags, rsp = user esp. */
    movq    PT_RBX(%rsp), %rbx
    movq    PT_RBP(%rsp), %rbp
    movq    PT_RSI(%rsp), %rsi
    movq    PT_RDI(%rsp), %rdi
    movq    PT_RDX(%rsp), %rdx
    movq    PT_RAX(%rsp), %rax
    movq    PT_RIP(%rsp), %rcx
    movq    PT_EFLAGS(%rsp), %r11
    movq    PT_RSP(%rsp), %rsp
    xorl    %r8d, %r8d
    xorl    %r9d, %r9d
    xorl    %r10d, %r10d
    xorl    %r12d, %r12d
    xorl    %r13d, %r13d
    xorl    %r14d, %r14d
    xorl    %r15d, %r15d
    swapgs
    sysretl
