/*
 * entry_64.S: exception and interrupt entry (Linux's idtentry.h/entry_64.S).
 *
 * Register ABI of every stub here: the CPU has pushed ss, rsp, rflags, cs,
 * rip (and an error code for some vectors) on the kernel stack (TSS.rsp0
 * when coming from ring 3, or an IST stack). The stub completes a struct
 * pt_regs, does `swapgs` when the interrupted context was user mode so
 * %gs addresses this CPU's per-CPU area, and calls the Rust handler with
 *     %rdi = struct pt_regs *, %rsi = error code (or vector), orig_ax = -1.
 * All returns go through `common_exit`, which undoes swapgs for user mode
 * and ends with iretq.
 */

/* idtentry: a handler for one exception vector. */
.macro idtentry sym, handler, has_error_code
    .globl \sym
    .p2align 4
\sym:
    .if \has_error_code == 0
    pushq   $-1                 /* no error code: orig_ax = -1 */
    .endif
    PUSH_REGS
    testb   $3, PT_CS(%rsp)
    jz      1f
    swapgs
1:  mov     %rsp, %rdi
    mov     PT_ORIG_RAX(%rsp), %rsi
    movq    $-1, PT_ORIG_RAX(%rsp)
    cld
    call    \handler
    jmp     common_exit
.endm

/*
 * idtentry_paranoid: NMI, #DF, #MC and #DB may arrive at any instruction,
 * including between a kernel entry and its swapgs, so CS cannot tell us
 * which GS base is live. Read MSR_GS_BASE instead: kernel bases are
 * negative. %r12 remembers whether we swapped.
 */
.macro idtentry_paranoid sym, handler, has_error_code
    .globl \sym
    .p2align 4
\sym:
    .if \has_error_code == 0
    pushq   $-1
    .endif
    PUSH_REGS
    xor     %r12d, %r12d
    mov     $0xc0000101, %ecx   /* MSR_GS_BASE */
    rdmsr
    test    %edx, %edx
    js      1f
    swapgs
    mov     $1, %r12d
1:  mov     %rsp, %rdi
    mov     PT_ORIG_RAX(%rsp), %rsi
    movq    $-1, PT_ORIG_RAX(%rsp)
    cld
    call    \handler
    test    %r12d, %r12d
    jz      2f
    swapgs
2:  POP_REGS
    add     $8, %rsp
    iretq
.endm

    .section .text.entry, "ax"

idtentry asm_exc_divide_error,              exc_divide_error,              0
idtentry_paranoid asm_exc_debug,            exc_debug,                     0
idtentry_paranoid asm_exc_nmi,              exc_nmi,                       0
idtentry asm_exc_int3,                      exc_int3,                      0
idtentry asm_exc_overflow,                  exc_overflow,                  0
idtentry asm_exc_bounds,                    exc_bounds,                    0
idtentry asm_exc_invalid_op,                exc_invalid_op,                0
idtentry asm_exc_device_not_available,      exc_device_not_available,      0
idtentry_paranoid asm_exc_double_fault,     exc_double_fault,              1
idtentry asm_exc_coproc_segment_overrun,    exc_coproc_segment_overrun,    0
idtentry asm_exc_invalid_tss,               exc_invalid_tss,               1
idtentry asm_exc_segment_not_present,       exc_segment_not_present,       1
idtentry asm_exc_stack_segment,             exc_stack_segment,             1
idtentry asm_exc_general_protection,        exc_general_protection,        1
idtentry asm_exc_page_fault,                exc_page_fault,                1
idtentry asm_exc_spurious_interrupt_bug,    exc_spurious_interrupt_bug,    0
idtentry asm_exc_coprocessor_error,         exc_coprocessor_error,         0
idtentry asm_exc_alignment_check,           exc_alignment_check,           1
idtentry_paranoid asm_exc_machine_check,    exc_machine_check,             0
idtentry asm_exc_simd_coprocessor_error,    exc_simd_coprocessor_error,    0
idtentry asm_exc_virtualization_exception,  exc_virtualization_exception,  0
idtentry asm_exc_control_protection,        exc_control_protection,        1

/*
 * External interrupts, vectors 32..255 (Linux's irq_entries_start): each
 * 16-byte stub pushes its vector and joins common_interrupt, which calls
 * common_interrupt_rust(regs, vector).
 */
    .p2align 4
    .globl irq_entries_start
irq_entries_start:
    vector = 32
    .rept 224
    .p2align 4
    pushq   $vector
    jmp     asm_common_interrupt
    vector = vector + 1
    .endr

asm_common_interrupt:
    PUSH_REGS
    testb   $3, PT_CS(%rsp)
    jz      1f
    swapgs
1:  mov     %rsp, %rdi
    mov     PT_ORIG_RAX(%rsp), %rsi
    movq    $-1, PT_ORIG_RAX(%rsp)
    cld
    call    common_interrupt
    jmp     common_exit

/*
 * common_exit: back to the interrupted context. For user mode, Rust's
 * irqentry_exit_to_user_mode first handles pending work (reschedule,
 * signals) with interrupts off; then swapgs and iretq.
 */
    .globl common_exit
common_exit:
    testb   $3, PT_CS(%rsp)
    jz      1f
    cli
    mov     %rsp, %rdi
    call    irqentry_exit_to_user_mode
    swapgs
1:  POP_REGS
    add     $8, %rsp            /* orig_ax */
    iretq

/*
 * entry_SYSCALL_64: the 64-bit `syscall` instruction lands here (MSR_LSTAR).
 *
 * Register ABI (Linux's): rax = syscall number, rdi rsi rdx r10 r8 r9 =
 * arguments 1-6; the CPU saved the user rip in rcx and rflags in r11 and
 * masked rflags with MSR_SYSCALL_MASK (IF, TF, DF, AC, NT off). The user
 * stack is still in rsp. We switch to this task's kernel stack via the
 * per-CPU area, build pt_regs (ax = -ENOSYS, orig_ax = nr), call
 * do_syscall_64(regs, nr), and leave with sysretq when it says the
 * registers allow it, else with iretq. Returns: rax = result.
 */
    .globl entry_SYSCALL_64
    .p2align 4
entry_SYSCALL_64:
    swapgs
    movq    %rsp, %gs:PERCPU_USER_RSP_SCRATCH
    movq    %gs:PERCPU_TOP_OF_STACK, %rsp
    pushq   $0x2b                           /* pt_regs->ss = __USER_DS */
    pushq   %gs:PERCPU_USER_RSP_SCRATCH     /* pt_regs->sp */
    pushq   %r11                            /* pt_regs->flags */
    pushq   $0x33                           /* pt_regs->cs = __USER_CS */
    pushq   %rcx                            /* pt_regs->ip */
    pushq   %rax                            /* pt_regs->orig_ax */
    PUSH_REGS rax=$-38                      /* pt_regs->ax = -ENOSYS */
    movq    %rsp, %rdi
    movslq  %eax, %rsi
    call    do_syscall_64                   /* returns with interrupts off */
    testb   %al, %al
    jz      swapgs_restore_regs_and_return_to_usermode
    /* sysretq: rcx = rip and r11 = rflags are in pt_regs (checked). */
    POP_REGS
    movq    PT_RSP-PT_ORIG_RAX(%rsp), %rsp
    swapgs
    sysretq

/*
 * The iret way back to user mode, shared by syscalls that cannot use
 * sysret, ret_from_fork and the compat entries. Interrupts are off and
 * the exit work is done; rsp points at pt_regs.
 */
    .globl swapgs_restore_regs_and_return_to_usermode
swapgs_restore_regs_and_return_to_usermode:
    cli
    swapgs
    POP_REGS
    addq    $8, %rsp                        /* orig_ax */
    iretq
