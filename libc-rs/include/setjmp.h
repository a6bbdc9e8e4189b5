/* setjmp.h: glibc's jmp_buf (struct __jmp_buf_tag: registers, whether the
   signal mask was saved, the mask; sizeof 200 on x86_64, 156 on i386).
   As in glibc, setjmp is _setjmp (no mask), sigsetjmp(env, 1) saves the
   mask, and longjmp/_longjmp/siglongjmp restore it when it was saved. */
#ifndef _SETJMP_H
#define _SETJMP_H
#include <bits/alltypes.h>

__FL_BEGIN

#ifdef __x86_64__
typedef long __jmp_buf[8];
#else
typedef int __jmp_buf[6];
#endif

struct __jmp_buf_tag {
	__jmp_buf __jmpbuf;
	int __mask_was_saved;
	sigset_t __saved_mask;
};
typedef struct __jmp_buf_tag jmp_buf[1];
typedef struct __jmp_buf_tag sigjmp_buf[1];

int setjmp(jmp_buf) __attribute__((__returns_twice__));
int _setjmp(struct __jmp_buf_tag *) __attribute__((__returns_twice__));
int __sigsetjmp(struct __jmp_buf_tag *, int) __attribute__((__returns_twice__));
int sigsetjmp(sigjmp_buf, int) __attribute__((__returns_twice__));
#define setjmp(env) _setjmp(env)
#define sigsetjmp(env, savemask) __sigsetjmp(env, savemask)
__FL_NORETURN void longjmp(struct __jmp_buf_tag *, int);
__FL_NORETURN void _longjmp(struct __jmp_buf_tag *, int);
__FL_NORETURN void siglongjmp(struct __jmp_buf_tag *, int);

__FL_END
#endif
