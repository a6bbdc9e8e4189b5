/* The pthread types, with glibc's sizes on i386 and x86_64 (and, for the
   mutex, glibc's offsets of the lock word, count, owner and kind, so that
   its static initialisers mean the same). Opaque: use the functions. */
#ifndef _BITS_PTHREADTYPES_H
#define _BITS_PTHREADTYPES_H

typedef unsigned long pthread_t;
typedef unsigned int pthread_key_t;
typedef int pthread_once_t;
typedef volatile int pthread_spinlock_t;

#ifdef __x86_64__
#define __FL_SIZEOF_ATTR 56
#define __FL_SIZEOF_MUTEX 40
#define __FL_SIZEOF_RWLOCK 56
#define __FL_SIZEOF_BARRIER 32
#else
#define __FL_SIZEOF_ATTR 36
#define __FL_SIZEOF_MUTEX 24
#define __FL_SIZEOF_RWLOCK 32
#define __FL_SIZEOF_BARRIER 20
#endif

typedef union { char __size[__FL_SIZEOF_ATTR]; long __align; } pthread_attr_t;

typedef union {
	struct {
		int __lock;
		unsigned int __count;
		int __owner;
#ifdef __x86_64__
		unsigned int __nusers;
		int __kind;
#else
		int __kind;
		unsigned int __nusers;
#endif
	} __data;
	char __size[__FL_SIZEOF_MUTEX];
	long __align;
} pthread_mutex_t;

typedef union { char __size[48]; long long __align; } pthread_cond_t;
typedef union { char __size[__FL_SIZEOF_RWLOCK]; long __align; } pthread_rwlock_t;
typedef union { char __size[__FL_SIZEOF_BARRIER]; long __align; } pthread_barrier_t;
typedef union { char __size[4]; int __align; } pthread_mutexattr_t;
typedef union { char __size[4]; int __align; } pthread_condattr_t;
typedef union { char __size[8]; long __align; } pthread_rwlockattr_t;
typedef union { char __size[4]; int __align; } pthread_barrierattr_t;

#endif
