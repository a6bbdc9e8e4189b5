/* POSIX threads: for now only pthread_atfork (threads come with issue 5). */
#ifndef _PTHREAD_H
#define _PTHREAD_H
#include <bits/alltypes.h>

__FL_BEGIN
int pthread_atfork(void (*)(void), void (*)(void), void (*)(void));
__FL_END
#endif
