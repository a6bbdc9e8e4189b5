/* Startup stage 1 for i386 (see libc-rs/src/start.rs): clear the frame
   pointer, pass main and the initial stack pointer to __libc_start_main
   (cdecl, on a 16-byte aligned stack). No data is touched. */
	.text
	.globl _start
	.type _start,@function
_start:
	xor %ebp, %ebp
	mov %esp, %eax
	and $-16, %esp
	sub $8, %esp
	push %eax
	push $main
	call __libc_start_main
	hlt
	.size _start, .-_start
	.section .note.GNU-stack,"",@progbits
