/* Unnamed POSIX semaphores (libc-rs/src/pthread/semaphore.rs); sem_t has
   glibc's size. Named semaphores (sem_open) are not provided. */
#ifndef _SEMAPHORE_H
#define _SEMAPHORE_H
#include <bits/alltypes.h>
#include <time.h>

__FL_BEGIN

typedef union {
#ifdef __x86_64__
	char __size[32];
#else
	char __size[16];
#endif
	long __align;
} sem_t;

#define SEM_VALUE_MAX 2147483647
#define SEM_FAILED ((sem_t *)0)

int sem_init(sem_t *, int, unsigned);
int sem_destroy(sem_t *);
int sem_wait(sem_t *);
int sem_trywait(sem_t *);
int sem_timedwait(sem_t *, const struct timespec *);
int sem_clockwait(sem_t *, clockid_t, const struct timespec *);
int sem_post(sem_t *);
int sem_getvalue(sem_t *, int *);

__FL_END
#endif
