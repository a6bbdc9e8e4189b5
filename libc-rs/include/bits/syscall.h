/* Syscall numbers: Linux's i386 and x86_64 tables (uapi asm/unistd_{32,64}.h),
   one file per architecture. */
#ifndef _BITS_SYSCALL_H
#define _BITS_SYSCALL_H
#if defined(__x86_64__)
#include <bits/syscall_64.h>
#elif defined(__i386__)
#include <bits/syscall_32.h>
#else
#error "libc-rs supports i386 and x86_64"
#endif
#endif
