/* Startup stage 1 for x86_64 (see libc-rs/src/start.rs): clear the frame
   pointer so backtraces end here, pass main and the initial stack pointer
   (argc, argv, envp, auxv) to __libc_start_main, align the stack. No data
   is touched. */
	.text
	.globl _start
	.type _start,@function
_start:
	xor %ebp, %ebp
	mov %rsp, %rsi
	lea main(%rip), %rdi
	and $-16, %rsp
	call __libc_start_main
	hlt
	.size _start, .-_start
	.section .note.GNU-stack,"",@progbits
