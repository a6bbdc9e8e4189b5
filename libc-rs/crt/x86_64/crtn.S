/* _init and _fini epilogues (see crti.S). */
	.section .init,"ax",@progbits
	pop %rax
	ret
	.section .fini,"ax",@progbits
	pop %rax
	ret
	.section .note.GNU-stack,"",@progbits
