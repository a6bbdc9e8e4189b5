/* Shared by the pthread test programs: CHECK, EQ (with both values in the
   failure line), a monotonic clock in nanoseconds, and an absolute time
   some milliseconds from now on a clock. Each program ends with
   "NAME: N passed, M failed" and builds against glibc too. */
#ifndef PT_H
#define PT_H
#include <stdio.h>
#include <string.h>
#include <time.h>

static int passed, failed;
#define CHECK(c) do { if (c) __atomic_add_fetch(&passed, 1, __ATOMIC_SEQ_CST); \
	else { __atomic_add_fetch(&failed, 1, __ATOMIC_SEQ_CST); \
	printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define EQ(a, b) do { long __a = (long)(a), __b = (long)(b); if (__a == __b) \
	__atomic_add_fetch(&passed, 1, __ATOMIC_SEQ_CST); \
	else { __atomic_add_fetch(&failed, 1, __ATOMIC_SEQ_CST); \
	printf("FAIL %s:%d: %s == %s (%ld vs %ld)\n", __FILE__, __LINE__, #a, #b, __a, __b); } } while (0)

static long long now_ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

__attribute__((unused)) static struct timespec in_ms(clockid_t c, long ms)
{
	long long t = now_ns(c) + ms * 1000000LL;
	struct timespec ts;
	memset(&ts, 0, sizeof ts);
	ts.tv_sec = t / 1000000000LL;
	ts.tv_nsec = t % 1000000000LL;
	return ts;
}

static int summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, passed, failed);
	fflush(stdout);
	return failed != 0;
}
#endif
