/* sys/resource.h: resource usage, limits and priorities. rlim_t is
   64-bit on both architectures (glibc's with _FILE_OFFSET_BITS=64), so the
   limit calls are prlimit64. */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H
#include <bits/alltypes.h>
#include <sys/time.h>

__FL_BEGIN
typedef unsigned long long rlim_t;
typedef unsigned long long rlim64_t;
#define RLIM_INFINITY (~0ULL)
#define RLIM64_INFINITY (~0ULL)
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIM_SAVED_CUR RLIM_INFINITY

#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_OFILE RLIMIT_NOFILE
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIMIT_NLIMITS 16
#define RLIM_NLIMITS RLIMIT_NLIMITS

struct rlimit {
	rlim_t rlim_cur;
	rlim_t rlim_max;
};
#define rlimit64 rlimit

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1
struct rusage {
	struct timeval ru_utime;
	struct timeval ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#define PRIO_MIN (-20)
#define PRIO_MAX 20
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

int getrusage(int, struct rusage *);
int getrlimit(int, struct rlimit *);
int setrlimit(int, const struct rlimit *);
int prlimit(pid_t, int, const struct rlimit *, struct rlimit *);
#define getrlimit64 getrlimit
#define setrlimit64 setrlimit
#define prlimit64 prlimit
int getpriority(int, unsigned int);
int setpriority(int, unsigned int, int);
__FL_END
#endif
