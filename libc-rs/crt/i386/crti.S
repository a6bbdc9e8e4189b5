/* _init and _fini prologues (keep the stack 16-byte aligned for the code
   the linker places between these and crtn.S's epilogues). */
	.section .init,"ax",@progbits
	.globl _init
	.type _init,@function
_init:
	sub $12, %esp
	.section .fini,"ax",@progbits
	.globl _fini
	.type _fini,@function
_fini:
	sub $12, %esp
	.section .note.GNU-stack,"",@progbits
