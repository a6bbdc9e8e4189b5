/* Date and time (C99 7.23, POSIX clocks). time_t is 64-bit.
   Calendar functions as glibc's, in the C locale. There is no time-zone
   database: local time is UTC (tm_zone "UTC", as glibc with TZ unset and no
   /etc/localtime) unless TZ is a fixed offset "NAME[+-]hh[:mm[:ss]]" (or
   "<NAME>offset"), which is applied as glibc parses it. Every other TZ
   (DST rules, ":file", zone names such as "Europe/Paris") is taken as UTC. */
#ifndef _TIME_H
#define _TIME_H
#include <bits/alltypes.h>
#include <bits/sigevent.h>
#include <bits/pthreadtypes.h>

__FL_BEGIN

/* POSIX timers: timer_t is glibc's (a pointer-sized handle). */
typedef void *timer_t;
struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1
#define CLOCKS_PER_SEC 1000000L

struct tm {
	int tm_sec;
	int tm_min;
	int tm_hour;
	int tm_mday;
	int tm_mon;
	int tm_year;
	int tm_wday;
	int tm_yday;
	int tm_isdst;
	long tm_gmtoff;
	const char *tm_zone;
};

extern char *tzname[2];

time_t time(time_t *);
double difftime(time_t, time_t);
time_t mktime(struct tm *);
time_t timegm(struct tm *);
struct tm *gmtime(const time_t *);
struct tm *gmtime_r(const time_t *, struct tm *);
struct tm *localtime(const time_t *);
struct tm *localtime_r(const time_t *, struct tm *);
char *asctime(const struct tm *);
char *asctime_r(const struct tm *, char *);
char *ctime(const time_t *);
char *ctime_r(const time_t *, char *);
size_t strftime(char *, size_t, const char *, const struct tm *);
void tzset(void);
int clock_gettime(clockid_t, struct timespec *);
int clock_getres(clockid_t, struct timespec *);
int clock_nanosleep(clockid_t, int, const struct timespec *, struct timespec *);
int nanosleep(const struct timespec *, struct timespec *);
int clock_getcpuclockid(pid_t, clockid_t *);
int timer_create(clockid_t, struct sigevent *, timer_t *);
int timer_settime(timer_t, int, const struct itimerspec *, struct itimerspec *);
int timer_gettime(timer_t, struct itimerspec *);
int timer_getoverrun(timer_t);
int timer_delete(timer_t);

__FL_END
#endif
