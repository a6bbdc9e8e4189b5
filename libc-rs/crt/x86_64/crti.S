/* _init and _fini prologues; crtn.S holds the epilogues and the linker
   puts every object's .init/.fini code in between. */
	.section .init,"ax",@progbits
	.globl _init
	.type _init,@function
_init:
	push %rax
	.section .fini,"ax",@progbits
	.globl _fini
	.type _fini,@function
_fini:
	push %rax
	.section .note.GNU-stack,"",@progbits
