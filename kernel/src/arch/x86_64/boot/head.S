/*
 * head.S: the first instructions Forkline runs.
 *
 * Entered through the PVH ELF note (Xen's hvm_start_info boot ABI, which
 * QEMU implements for `-kernel` ELF images):
 *   32-bit protected mode, paging off, flat 4 GiB CS/DS/ES/SS, IF=0,
 *   %ebx = physical address of struct hvm_start_info; no stack.
 *
 * We build early page tables mapping the first 1 GiB three times with 2 MiB
 * pages (identity; the direct map at PAGE_OFFSET = 0xffff888000000000; and
 * the kernel image at __START_KERNEL_map, as Linux does), enable PAE + long
 * mode (+NX when the CPU has it), jump to 64-bit code, move to the higher
 * half, zero .bss, and call x86_64_start_kernel(start_info_phys).
 * Selectors follow Linux's GDT: 0x08 KERNEL32_CS, 0x10 KERNEL_CS, 0x18
 * KERNEL_DS. In gdb this code is `set architecture i386` until startup_64.
 */

/* ---- PVH entry note: XEN_ELFNOTE_PHYS32_ENTRY (18) ---- */
    .section .note.Xen, "a"
    .p2align 2
    .long 4                         /* namesz: "Xen\0" */
    .long 4                         /* descsz */
    .long 18                        /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long pvh_start

    .section .head.text, "ax"
    .code32
    .globl pvh_start
pvh_start:
    cli
    cld
    mov     %ebx, %esi                      /* start_info, kept in %esi */

    /* early_pd: 512 x 2 MiB pages = physical 0..1 GiB, P|RW|PS */
    mov     $early_pd, %edi
    mov     $0x83, %eax
    xor     %ecx, %ecx
1:  mov     %eax, (%edi,%ecx,8)
    movl    $0, 4(%edi,%ecx,8)
    add     $0x200000, %eax
    inc     %ecx
    cmp     $512, %ecx
    jne     1b

    movl    $early_pd + 3, early_pdpt_low           /* 0 .. 1 GiB */
    movl    $early_pd + 3, early_pdpt_high + 510*8  /* -2 GiB .. -1 GiB */
    movl    $early_pdpt_low + 3, early_pml4
    movl    $early_pdpt_low + 3, early_pml4 + 273*8  /* PAGE_OFFSET */
    movl    $early_pdpt_high + 3, early_pml4 + 511*8

    mov     %cr4, %eax
    or      $0x20, %eax                     /* CR4.PAE */
    mov     %eax, %cr4
    mov     $early_pml4, %eax
    mov     %eax, %cr3

    /* EFER.LME, and EFER.NXE if CPUID.80000001h:EDX.NX */
    mov     $0x80000001, %eax
    cpuid
    mov     $0x100, %edi                    /* LME */
    bt      $20, %edx
    jnc     2f
    or      $0x800, %edi                    /* NXE */
2:  mov     $0xc0000080, %ecx
    rdmsr
    or      %edi, %eax
    wrmsr

    mov     %cr0, %eax
    or      $0x80010001, %eax               /* PG | WP | PE */
    mov     %eax, %cr0

    lgdt    early_gdt_desc
    ljmp    $0x10, $startup_64_identity

    .code64
startup_64_identity:
    movabs  $startup_64, %rax
    jmp     *%rax

    .section .head.data, "aw"
    .p2align 12
early_pml4:       .fill 512, 8, 0
early_pdpt_low:   .fill 512, 8, 0
early_pdpt_high:  .fill 512, 8, 0
early_pd:         .fill 512, 8, 0
    .p2align 3
early_gdt:
    .quad 0                                 /* null */
    .quad 0x00cf9b000000ffff                /* 0x08 KERNEL32_CS */
    .quad 0x00af9b000000ffff                /* 0x10 KERNEL_CS, L=1 */
    .quad 0x00cf93000000ffff                /* 0x18 KERNEL_DS */
early_gdt_desc:
    .word early_gdt_desc - early_gdt - 1
    .long early_gdt

/* ---- 64-bit, higher half ---- */
    .section .text.startup_64, "ax"
    .globl startup_64
startup_64:
    mov     $0x18, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs

    lea     __bss_start(%rip), %rdi         /* .bss may hold boot garbage */
    lea     __bss_stop(%rip), %rcx
    sub     %rdi, %rcx
    shr     $3, %rcx
    xor     %eax, %eax
    rep stosq

    lea     init_stack_top(%rip), %rsp
    xor     %ebp, %ebp
    mov     %esi, %edi                      /* zero-extends start_info */
    call    x86_64_start_kernel
1:  hlt
    jmp     1b

    .section .bss.init_stack, "aw", @nobits
    .p2align 12
    .globl init_stack
init_stack:
    .skip 65536
    .globl init_stack_top
init_stack_top:
