/* time — proves the C library's clocks (which go through the vDSO on both
 * glibc and musl) agree with the kernel: every clock Linux's vDSO serves
 * answers, CLOCK_MONOTONIC never goes back, CLOCK_REALTIME is a plausible
 * date, gettimeofday/time agree with it and with the raw system calls, and
 * clock_getres/bad clock ids behave as on Linux (i386: also the *_time64
 * system calls).
 */
#include "t.h"
#include <sys/time.h>

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	static const struct { clockid_t id; const char *name; } clocks[] = {
		{ CLOCK_REALTIME, "CLOCK_REALTIME" }, { CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
		{ CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW" }, { CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE" },
		{ CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE" }, { CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
	};
	for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
		struct timespec t = { -1, -1 };
		char what[64];
		snprintf(what, sizeof what, "clock_gettime(%s)", clocks[i].name);
		int r = clock_gettime(clocks[i].id, &t);
		t_check(r == 0 && t.tv_sec >= 0 && t.tv_nsec >= 0 && t.tv_nsec < 1000000000L, what,
			"r %d (%s), %lld.%09ld", r, errname(errno), (long long)t.tv_sec, (long)t.tv_nsec);
	}

	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	int mono = 1;
	for (int i = 0; i < 100000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		mono &= ns(&b) >= ns(&a);
		a = b;
	}
	t_ok(mono, "CLOCK_MONOTONIC never goes back in 100000 reads");

	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	/* After 2024-01-01 (QEMU's RTC follows the host's clock), before 2100. */
	long long secs = rt.tv_sec;
	t_check(secs > 1704067200LL && secs < 4102444800LL, "CLOCK_REALTIME is a plausible date", "%lld", secs);

	struct timespec s1, s2;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &s1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &s2);
	t_check(ns(&a) >= ns(&s1) - 10000000 && ns(&a) <= ns(&s2) + 10000000,
		"clock_gettime(CLOCK_MONOTONIC) agrees with the system call", "%lld <= %lld <= %lld", ns(&s1), ns(&a),
		ns(&s2));

	struct timeval tv;
	struct timespec before;
	clock_gettime(CLOCK_REALTIME, &before);
	gettimeofday(&tv, NULL);
	clock_gettime(CLOCK_REALTIME, &rt);
	long long tv_ns = tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
	t_check(tv_ns >= ns(&before) - 1000 && tv_ns <= ns(&rt) && tv.tv_usec < 1000000,
		"gettimeofday agrees with CLOCK_REALTIME (read between two of its readings)", "%lld <= %lld <= %lld",
		ns(&before), tv_ns, ns(&rt));
	/* Each reading between two readings of the other kind: exact however
	   long the machine makes us wait in between. */
	struct timeval stv, tv2;
	gettimeofday(&tv, NULL);
	syscall(SYS_gettimeofday, &stv, NULL);
	gettimeofday(&tv2, NULL);
	t_check(timercmp(&tv, &stv, <=) && timercmp(&stv, &tv2, <=), "gettimeofday agrees with the system call",
		"%lld.%06ld, %lld.%06ld, %lld.%06ld", (long long)tv.tv_sec, (long)tv.tv_usec, (long long)stv.tv_sec,
		(long)stv.tv_usec, (long long)tv2.tv_sec, (long)tv2.tv_usec);
	/* time() may lag CLOCK_REALTIME by a tick (Linux serves it from the
	   coarse clock): between the coarse clock before and the fine after. */
	clock_gettime(CLOCK_REALTIME_COARSE, &before);
	time_t t1 = time(NULL);
#ifdef SYS_time
	long t_sys = syscall(SYS_time, NULL);
#else
	long t_sys = (long)t1;
#endif
	clock_gettime(CLOCK_REALTIME, &rt);
	t_check(before.tv_sec <= t1 && t1 <= rt.tv_sec, "time() agrees with CLOCK_REALTIME", "%lld <= %lld <= %lld",
		(long long)before.tv_sec, (long long)t1, (long long)rt.tv_sec);
	t_check(before.tv_sec <= t_sys && t_sys <= rt.tv_sec, "time() agrees with the time system call",
		"%lld <= %ld <= %lld", (long long)before.tv_sec, t_sys, (long long)rt.tv_sec);

	struct timespec res = { -1, -1 };
	t_check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000,
		"clock_getres(CLOCK_MONOTONIC) is at most 1 ms", "%ld ns", (long)res.tv_nsec);
	t_info("CLOCK_MONOTONIC resolution %ld ns", (long)res.tv_nsec);
	clock_getres(CLOCK_MONOTONIC_COARSE, &res);
	t_info("CLOCK_MONOTONIC_COARSE resolution %ld ns", (long)res.tv_nsec);
	t_sys(clock_getres(CLOCK_REALTIME, NULL), "clock_getres with a NULL result is allowed");

	t_err(clock_gettime((clockid_t)1000, &a), EINVAL, "clock_gettime(1000) -> EINVAL");
	t_err(syscall(SYS_clock_gettime, 1000, &a), EINVAL, "clock_gettime system call, clock 1000 -> EINVAL");
	t_err(clock_getres((clockid_t)1000, &res), EINVAL, "clock_getres(1000) -> EINVAL");
#ifdef __i386__
	/* The y2038-safe system calls i386 has since Linux 5.1. */
	struct { long long sec, nsec; } t64;
	clock_gettime(CLOCK_REALTIME, &before);
	long r64 = syscall(403 /* clock_gettime64 */, CLOCK_REALTIME, &t64);
	clock_gettime(CLOCK_REALTIME, &rt);
	t_check(r64 == 0 && t64.sec >= before.tv_sec && t64.sec <= rt.tv_sec && t64.nsec < 1000000000,
		"clock_gettime64 system call", "r %ld (%s), %lld s", r64, errname(errno), t64.sec);
	t_check(syscall(406 /* clock_getres_time64 */, CLOCK_MONOTONIC, &t64) == 0 && t64.sec == 0 && t64.nsec > 0,
		"clock_getres_time64 system call", "%s", errname(errno));
#endif
	return t_done();
}
