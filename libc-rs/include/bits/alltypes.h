/* The basic types of libc-rs's ABI, for i386 (ILP32) and x86_64 (LP64).
   time_t and off_t are 64-bit on both (year-2038 safe, as musl). */
#ifndef _BITS_ALLTYPES_H
#define _BITS_ALLTYPES_H
#include <features.h>

#if !defined(__x86_64__) && !defined(__i386__)
#error "libc-rs supports i386 and x86_64"
#endif

#define __need_size_t
#define __need_NULL
#define __need_wchar_t
#include <stddef.h>

typedef long ssize_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef long long off_t;
typedef long long off64_t;
typedef long long time_t;
typedef int clockid_t;
typedef long suseconds_t;
typedef unsigned int useconds_t;
typedef long clock_t;
typedef unsigned int wint_t;

struct timespec {
	time_t tv_sec;
	long tv_nsec;
#ifdef __i386__
	int __pad;
#endif
};

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
#ifdef __i386__
	int __pad;
#endif
};

typedef struct { unsigned long __bits[1024 / (8 * sizeof(long))]; } sigset_t;

#ifdef __cplusplus
#define __FL_BEGIN extern "C" {
#define __FL_END }
#else
#define __FL_BEGIN
#define __FL_END
#endif

#define __FL_NORETURN __attribute__((__noreturn__))
#define __FL_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))

#endif
