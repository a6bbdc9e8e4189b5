/* Differential test of time.h's calendar functions: gmtime_r, localtime_r
   (TZ empty, i.e. UTC, then fixed offsets), timegm/mktime round trips and the
   normalisation of random out-of-range struct tm values, asctime(_r),
   ctime(_r), difftime, and strftime of every conversion with random flags,
   widths, modifiers and buffer sizes. tests/libc.rs requires glibc's
   output. With glibc, i386 uses the 64-bit time_t ABI (libc-rs's). */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#define _TIME_BITS 64
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RNG_SEED 0x2545f4914f6cdd1dULL
#include "rng.h"

static int count;

/* Print a struct tm's fields (tm_zone as text). */
static void pr_tm(const struct tm *t)
{
	printf(" %d:%d:%d %d/%d/%d w%d y%d d%d %ld %s", t->tm_hour, t->tm_min,
	       t->tm_sec, t->tm_mday, t->tm_mon, t->tm_year, t->tm_wday,
	       t->tm_yday, t->tm_isdst, t->tm_gmtoff,
	       t->tm_zone ? t->tm_zone : "(null)");
}

/* gmtime_r and localtime_r of t, and timegm/mktime of the results. */
static void convert(long long t)
{
	time_t tt = t;
	struct tm g, l;
	printf("%d t=%lld", count++, t);
	errno = 0;
	if (gmtime_r(&tt, &g)) {
		pr_tm(&g);
		struct tm c = g;
		c.tm_wday = c.tm_yday = -7;
		errno = 0;
		long long back = timegm(&c);
		printf(" timegm=%lld/%d", back, errno);
	} else {
		printf(" gmtime NULL/%d", errno);
	}
	errno = 0;
	if (localtime_r(&tt, &l)) {
		pr_tm(&l);
		struct tm c = l;
		c.tm_isdst = -1;
		errno = 0;
		long long back = mktime(&c);
		printf(" mktime=%lld/%d", back, errno);
	} else {
		printf(" localtime NULL/%d", errno);
	}
	putchar('\n');
}

/* A random int near 0, a field's range, or anywhere. */
static int rnd_field(int range)
{
	switch (pick(8)) {
	case 0:
		return (int)next();
	case 1:
		return pick(3) - 1 + (pick(2) ? INT_MAX : INT_MIN);
	case 2:
	case 3:
		return pick(2 * range + 1) - range;
	default:
		return pick(range);
	}
}

/* A random, often out-of-range, struct tm. */
static void rnd_tm(struct tm *t)
{
	memset(t, 0, sizeof *t);
	t->tm_sec = pick(4) ? pick(61) : rnd_field(200);
	t->tm_min = pick(4) ? pick(60) : rnd_field(200);
	t->tm_hour = pick(4) ? pick(24) : rnd_field(100);
	t->tm_mday = pick(4) ? 1 + pick(31) : rnd_field(400);
	t->tm_mon = pick(4) ? pick(12) : rnd_field(40);
	switch (pick(6)) {
	case 0:
		t->tm_year = rnd_field(20000);
		break;
	case 1:
		t->tm_year = INT_MAX - pick(3000);
		break;
	case 2:
		t->tm_year = INT_MIN + pick(3000);
		break;
	default:
		t->tm_year = pick(600) - 300 + (pick(2) ? 70 : 100);
	}
	t->tm_wday = pick(4) ? pick(7) : rnd_field(10);
	t->tm_yday = pick(4) ? pick(366) : rnd_field(400);
	t->tm_isdst = pick(3) - 1;
	t->tm_gmtoff = pick(2) ? 0 : (long)(pick(100000) - 50000);
	static const char *zones[] = {"GMT", "UTC", "", NULL, "ABC"};
	t->tm_zone = zones[pick(5)];
}

/* timegm and mktime of one random struct tm. */
static void normalise(void)
{
	struct tm t, a, b;
	rnd_tm(&t);
	a = b = t;
	printf("%d n", count++);
	pr_tm(&t);
	errno = 0;
	long long r = timegm(&a);
	printf(" => timegm %lld/%d", r, errno);
	if (r != -1 || errno == 0)
		pr_tm(&a);
	errno = 0;
	r = mktime(&b);
	printf(" mktime %lld/%d", r, errno);
	if (r != -1 || errno == 0)
		pr_tm(&b);
	putchar('\n');
}

/* asctime, asctime_r, ctime, ctime_r. */
static void asc(const struct tm *t, long long tv)
{
	char buf[26], buf2[26];
	time_t tt = tv;
	printf("%d a", count++);
	errno = 0;
	char *s = asctime(t);
	printf(" [%s]/%d", s ? s : "NULL", errno);
	errno = 0;
	s = asctime_r(t, buf);
	printf(" [%s]/%d", s ? s : "NULL", errno);
	errno = 0;
	s = ctime(&tt);
	printf(" %lld [%s]/%d", tv, s ? s : "NULL", errno);
	errno = 0;
	s = ctime_r(&tt, buf2);
	printf(" [%s]/%d\n", s ? s : "NULL", errno);
}

static const char convs[] = "aAbBcCdDeFgGhHIjklmMnprRsStTuUVwWxXyYzZ%Pq";

/* One strftime call, printed with its result. */
static void sf(const char *fmt, const struct tm *t, size_t max)
{
	char buf[512];
	memset(buf, 'x', sizeof buf);
	size_t n = strftime(buf, max, fmt, t);
	printf("%d f [%s] %zu: %zu", count++, fmt, max, n);
	if (n)
		printf(" [%s]", buf);
	putchar('\n');
}

/* A random conversion: flags, width, modifier, conversion character. */
static void rnd_conv(char *f)
{
	*f++ = '%';
	for (int k = pick(3); k > 0; k--)
		*f++ = "_-0^#"[pick(5)];
	if (pick(3) == 0)
		f += sprintf(f, "%d", pick(4) ? pick(12) : pick(300));
	if (pick(5) == 0)
		*f++ = pick(2) ? 'E' : 'O';
	*f++ = convs[pick(sizeof convs - 1)];
	*f = 0;
}

/* The interesting timestamps: era boundaries, leap days, the limits. */
static const long long specials[] = {
	0, -1, 1, 86399, 86400, -86400, -86401, 2147483647LL, 2147483648LL,
	-2147483648LL, -2147483649LL, -2208988800LL, -11676096000LL,
	-62167219200LL, -62198755200LL, -62135596800LL, 2145916800LL,
	4102444800LL, 13569465600LL, 253370764800LL, 253402300800LL,
	253402300799LL, -377705116800LL, 3093527980800LL, 951782400LL,
	951868800LL, 951868799LL, 4107542400LL, 13574563200LL, 10000000000LL,
	-10000000000LL, 1000000000000LL, 67767976201996800LL,
	67768036191676799LL, 67768036191676800LL, -67768040609740800LL,
	-67768040609740801LL, LLONG_MAX, LLONG_MIN, LLONG_MAX / 86400,
};

int main(void)
{
	/* An empty TZ is UTC in glibc whatever /etc/localtime says (an unset
	   one would read the host's zone); libc-rs reads both as UTC. */
	setenv("TZ", "", 1);
	tzset();
	int ns = sizeof specials / sizeof specials[0];
	for (int i = 0; i < ns; i++)
		for (int d = -2; d <= 2; d++)
			convert(specials[i] + (specials[i] > LLONG_MAX - 2 || specials[i] < LLONG_MIN + 2 ? 0 : d));
	for (int i = 0; i < 3000; i++) {
		long long t;
		switch (pick(6)) {
		case 0:
			t = (long long)next();
			break;
		case 1:
			t = (long long)(next() >> pick(64));
			t = pick(2) ? t : -t;
			break;
		case 2:
			t = specials[pick(ns)] + pick(400000) - 200000;
			break;
		case 3:
			t = (long long)(next() % 20000000000ULL) - 10000000000LL;
			break;
		default:
			t = (long long)(next() % 600000000000ULL) - 300000000000LL;
		}
		convert(t);
	}
	for (int i = 0; i < 4000; i++)
		normalise();

	for (int i = 0; i < 600; i++) {
		struct tm t;
		long long tv;
		if (pick(2)) {
			rnd_tm(&t);
			tv = (long long)(next() % 800000000000ULL) - 400000000000LL;
		} else {
			time_t x = tv = (long long)(next() % 800000000000ULL) - 400000000000LL;
			gmtime_r(&x, &t);
		}
		asc(&t, tv);
	}
	errno = 0;
	printf("asctime(NULL) %p/%d\n", (void *)asctime(NULL), errno);

	/* strftime: every conversion, every flag, plain, on a few dates. */
	static const long long dates[] = {0, 951782400LL, -62198755200LL, 1700000000LL, 253402300799LL, 1230681600LL};
	for (int di = 0; di < 6; di++) {
		time_t x = dates[di];
		struct tm t;
		localtime_r(&x, &t);
		for (const char *c = convs; *c; c++) {
			static const char *pre[] = {"", "_", "-", "0", "^", "#", "E", "O", "10", "_10", "-10", "010", "^#", "3"};
			for (int p = 0; p < 14; p++) {
				char f[16];
				snprintf(f, sizeof f, "%%%s%c", pre[p], *c);
				sf(f, &t, 512);
			}
		}
	}
	/* Random conversions on random times and struct tm values. */
	for (int i = 0; i < 8000; i++) {
		struct tm t;
		if (pick(2)) {
			rnd_tm(&t);
			if (t.tm_year > INT_MAX - 1900 || t.tm_year < INT_MIN + 1900)
				t.tm_year = 100;
		} else {
			time_t x = (long long)(next() % 800000000000ULL) - 400000000000LL;
			localtime_r(&x, &t);
		}
		char f[200];
		int len = 0;
		for (int k = 1 + pick(3); k > 0; k--) {
			if (pick(3) == 0)
				f[len++] = "ab :-/"[pick(6)];
			rnd_conv(f + len);
			len += strlen(f + len);
		}
		if (pick(10) == 0)
			f[len++] = '%';
		f[len] = 0;
		sf(f, &t, pick(4) ? 512 : (size_t)pick(40));
	}

	/* Fixed-offset zones. */
	static const char *zones[] = {"ABC-5:30", "XYZ7", "<+0330>-3:30", "QQQ+12:45:30", "UTC0"};
	for (int z = 0; z < 5; z++) {
		setenv("TZ", zones[z], 1);
		tzset();
		printf("TZ=%s tzname %s %s\n", zones[z], tzname[0], tzname[1]);
		for (int i = 0; i < 200; i++) {
			long long t = i < ns ? specials[i] : (long long)(next() % 20000000000ULL) - 10000000000LL;
			convert(t);
			struct tm l;
			time_t x = t;
			if (localtime_r(&x, &l))
				sf("%c %z %Z %s %#Z %5z", &l, 512);
			normalise();
		}
	}
	unsetenv("TZ");
	tzset();

	/* difftime */
	for (int i = 0; i < 300; i++) {
		long long a = (long long)(next() >> (11 + pick(40))), b = (long long)(next() >> (11 + pick(40)));
		if (pick(2))
			a = -a;
		printf("%d d %lld %lld %.17g\n", count++, a, b, difftime(a, b));
	}
	printf("%d lines\n", count);
	return 0;
}
