/* sleep SECONDS: pause for a number of seconds, fractions allowed
   ("0.25"), with nanosleep(2). */
#include <errno.h>
#include <stdio.h>
#include <time.h>

/* Parse "12", "0.5", "3." into a timespec (libc-rs has no strtod yet);
   0 on success. */
static int parse_seconds(const char *s, struct timespec *t)
{
	long long sec = 0, nsec = 0, scale = 100000000;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++)
		sec = sec * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			nsec += (*p - '0') * scale;
	if (*p || p == s)
		return -1;
	t->tv_sec = (time_t)sec;
	t->tv_nsec = (long)nsec;
	return 0;
}

/* Sleep the whole time, going on after a signal handler interrupts. */
int main(int argc, char **argv)
{
	struct timespec t;
	if (argc != 2 || parse_seconds(argv[1], &t) < 0) {
		fprintf(stderr, "usage: sleep SECONDS (e.g. 2 or 0.5)\n");
		return 1;
	}
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
	return 0;
}
