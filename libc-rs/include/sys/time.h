/* sys/time.h: gettimeofday, interval timers (setitimer/getitimer; on
   i386 the kernel's are 32-bit: EOVERFLOW for seconds beyond 2038), and
   the BSD timeval macros. */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H
#include <bits/alltypes.h>
#include <sys/select.h>

__FL_BEGIN
struct timezone { int tz_minuteswest; int tz_dsttime; };
int gettimeofday(struct timeval *, void *);

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};
int setitimer(int, const struct itimerval *, struct itimerval *);
int getitimer(int, struct itimerval *);

#define timerisset(tvp) ((tvp)->tv_sec || (tvp)->tv_usec)
#define timerclear(tvp) ((tvp)->tv_sec = (tvp)->tv_usec = 0)
#define timercmp(a, b, CMP) \
	(((a)->tv_sec == (b)->tv_sec) ? ((a)->tv_usec CMP (b)->tv_usec) : ((a)->tv_sec CMP (b)->tv_sec))
#define timeradd(a, b, result)                                         \
	do {                                                           \
		(result)->tv_sec = (a)->tv_sec + (b)->tv_sec;          \
		(result)->tv_usec = (a)->tv_usec + (b)->tv_usec;       \
		if ((result)->tv_usec >= 1000000) {                    \
			++(result)->tv_sec;                            \
			(result)->tv_usec -= 1000000;                  \
		}                                                      \
	} while (0)
#define timersub(a, b, result)                                         \
	do {                                                           \
		(result)->tv_sec = (a)->tv_sec - (b)->tv_sec;          \
		(result)->tv_usec = (a)->tv_usec - (b)->tv_usec;       \
		if ((result)->tv_usec < 0) {                           \
			--(result)->tv_sec;                            \
			(result)->tv_usec += 1000000;                  \
		}                                                      \
	} while (0)
__FL_END
#endif
