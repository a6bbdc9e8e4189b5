/* gettimeofday (POSIX, obsolescent but everywhere). */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H
#include <bits/alltypes.h>

__FL_BEGIN
struct timezone { int tz_minuteswest; int tz_dsttime; };
int gettimeofday(struct timeval *, void *);
__FL_END
#endif
