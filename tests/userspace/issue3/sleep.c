/* sleep — proves sleeping: nanosleep and clock_nanosleep (relative and
 * TIMER_ABSTIME) sleep at least as long as asked and not absurdly longer,
 * an absolute time in the past returns at once, zero sleeps return at once,
 * invalid times give EINVAL, and sched_yield succeeds.
 */
#include "t.h"
#include <sched.h>

static long long mono(void)
{
	return t_ns(CLOCK_MONOTONIC);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	long long t0 = mono();
	struct timespec ts = { 0, 20000000 };
	int r = nanosleep(&ts, NULL);
	long long d = mono() - t0;
	t_check(r == 0 && d >= 20000000 && d < 5000000000LL, "nanosleep(20 ms) sleeps at least 20 ms", "r %d, %lld ns", r, d);
	t_info("nanosleep(20 ms) took %lld us", d / 1000);

	t0 = mono();
	ts.tv_nsec = 10000000;
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	d = mono() - t0;
	t_check(r == 0 && d >= 10000000 && d < 5000000000LL, "clock_nanosleep(MONOTONIC, 10 ms)", "r %d, %lld ns", r, d);

	struct timespec target;
	clock_gettime(CLOCK_MONOTONIC, &target);
	target.tv_nsec += 15000000;
	if (target.tv_nsec >= 1000000000L)
		target.tv_sec++, target.tv_nsec -= 1000000000L;
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL);
	long long after = mono(), want = target.tv_sec * 1000000000LL + target.tv_nsec;
	t_check(r == 0 && after >= want && after - want < 5000000000LL, "clock_nanosleep(TIMER_ABSTIME) wakes after the target",
		"r %d, woke %lld ns after", r, after - want);

	t0 = mono();
	struct timespec past = { 1, 0 };
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
	t_check(r == 0 && mono() - t0 < 1000000000LL, "an absolute time in the past returns at once", "r %d", r);
	t0 = mono();
	struct timespec zero = { 0, 0 };
	t_check(nanosleep(&zero, NULL) == 0 && mono() - t0 < 1000000000LL, "nanosleep(0) returns at once", "took too long");

	struct timespec bad1 = { 0, 1000000000L }, bad2 = { -1, 0 };
	t_err(nanosleep(&bad1, NULL), EINVAL, "tv_nsec of 1e9 -> EINVAL");
	t_err(nanosleep(&bad2, NULL), EINVAL, "negative tv_sec -> EINVAL");
	t_eq(clock_nanosleep((clockid_t)1000, 0, &ts, NULL), EINVAL, "clock_nanosleep on clock 1000 returns EINVAL");

	int yields = 0;
	for (int i = 0; i < 100; i++)
		yields += sched_yield() == 0;
	t_eq(yields, 100, "sched_yield() succeeds 100 times");
	return t_done();
}
