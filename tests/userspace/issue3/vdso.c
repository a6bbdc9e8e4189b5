/* vdso — proves the vDSO mapped into this process is a usable ELF shared
 * object with Linux's symbols and versions (design.md decision 3): it finds
 * each symbol through DT_HASH, DT_SYMTAB and the version tables, as a libc
 * does, then calls the time functions directly and checks them against the
 * system calls (each vDSO reading between two system-call readings, with
 * 10 ms of slack for clocks of different granularity; time() against the
 * coarse clock it may be served from; getres equal; getcpu a valid CPU).
 */
#include "t.h"
#include "vdso.h"

/* Look up and report one symbol. */
static void *need(const char *name, const char *version)
{
	void *p = vdso_lookup(name, version);
	char what[96];
	snprintf(what, sizeof what, "vDSO exports %s@%s", name, version);
	t_ok(p != NULL, what);
	return p;
}

static long long ts_ns(long long sec, long long nsec)
{
	return sec * 1000000000LL + nsec;
}

/* vDSO clock vs the syscall: sandwiched between two syscall readings,
   with 10 ms of slack for clocks of different granularity. */
static void compare_clock(int (*vgettime)(clockid_t, struct timespec *), clockid_t c, const char *what)
{
	struct timespec a, v, b;
	int ok = syscall(SYS_clock_gettime, c, &a) == 0 && vgettime(c, &v) == 0 &&
		 syscall(SYS_clock_gettime, c, &b) == 0;
	long long na = ts_ns(a.tv_sec, a.tv_nsec), nv = ts_ns(v.tv_sec, v.tv_nsec), nb = ts_ns(b.tv_sec, b.tv_nsec);
	t_check(ok && nv >= na - 10000000 && nv <= nb + 10000000 && v.tv_nsec < 1000000000L, what,
		"syscall %lld, vDSO %lld, syscall %lld", na, nv, nb);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!t_ok(parse_vdso() == 0, "vDSO has PT_LOAD, PT_DYNAMIC, DT_SYMTAB, DT_STRTAB, DT_HASH"))
		return t_done();
	t_ok(vd.has_gnu_hash, "vDSO has DT_GNU_HASH");
	t_ok(vd.versym && vd.verdef, "vDSO has symbol versions");

	int (*vgettime)(clockid_t, struct timespec *) = need("__vdso_clock_gettime", "LINUX_2.6");
	int (*vgtod)(struct timeval *, void *) = need("__vdso_gettimeofday", "LINUX_2.6");
	time_t (*vtime)(time_t *) = need("__vdso_time", "LINUX_2.6");
	int (*vgetres)(clockid_t, struct timespec *) = need("__vdso_clock_getres", "LINUX_2.6");
	int (*vgetcpu)(unsigned *, unsigned *, void *) = need("__vdso_getcpu", "LINUX_2.6");
#ifdef __i386__
	need("__kernel_vsyscall", "LINUX_2.5");
	need("__kernel_sigreturn", "LINUX_2.5");
	need("__kernel_rt_sigreturn", "LINUX_2.5");
	struct { long long sec, nsec; } t64;
	int (*vgettime64)(clockid_t, void *) = need("__vdso_clock_gettime64", "LINUX_2.6");
	if (vgettime64) {
		struct timespec a, b;
		syscall(SYS_clock_gettime, CLOCK_REALTIME, &a);
		int r = vgettime64(CLOCK_REALTIME, &t64);
		syscall(SYS_clock_gettime, CLOCK_REALTIME, &b);
		t_check(r == 0 && t64.sec >= a.tv_sec && t64.sec <= b.tv_sec && t64.nsec < 1000000000,
			"__vdso_clock_gettime64 fills a 64-bit timespec", "r %d, %lld s", r, t64.sec);
	}
#else
	/* Linux's x86_64 vDSO also exports the plain names. */
	need("clock_gettime", "LINUX_2.6");
	need("gettimeofday", "LINUX_2.6");
	need("time", "LINUX_2.6");
	need("getcpu", "LINUX_2.6");
#endif
	if (vgettime) {
		compare_clock(vgettime, CLOCK_MONOTONIC, "vDSO CLOCK_MONOTONIC matches the syscall");
		compare_clock(vgettime, CLOCK_REALTIME, "vDSO CLOCK_REALTIME matches the syscall");
		compare_clock(vgettime, CLOCK_BOOTTIME, "vDSO CLOCK_BOOTTIME matches the syscall");
		struct timespec a, b;
		int mono = 1;
		vgettime(CLOCK_MONOTONIC, &a);
		for (int i = 0; i < 100000; i++) {
			vgettime(CLOCK_MONOTONIC, &b);
			mono &= ts_ns(b.tv_sec, b.tv_nsec) >= ts_ns(a.tv_sec, a.tv_nsec);
			a = b;
		}
		t_ok(mono, "vDSO CLOCK_MONOTONIC never goes back in 100000 reads");
	}
	/* Sandwiched between system-call readings, as compare_clock does. */
	if (vgtod) {
		struct timeval tv;
		struct timespec a, b;
		syscall(SYS_clock_gettime, CLOCK_REALTIME, &a);
		int r = vgtod(&tv, NULL);
		syscall(SYS_clock_gettime, CLOCK_REALTIME, &b);
		long long v = ts_ns(tv.tv_sec, tv.tv_usec * 1000LL);
		t_check(r == 0 && v >= ts_ns(a.tv_sec, a.tv_nsec) - 10000000 && v <= ts_ns(b.tv_sec, b.tv_nsec) + 10000000 &&
				tv.tv_usec < 1000000,
			"vDSO gettimeofday matches CLOCK_REALTIME", "r %d, %lld not in [%lld, %lld]", r, v,
			ts_ns(a.tv_sec, a.tv_nsec), ts_ns(b.tv_sec, b.tv_nsec));
	}
	/* time() may lag CLOCK_REALTIME by a tick (Linux serves it from the
	   coarse clock): between the coarse clock before and the fine after. */
	if (vtime) {
		struct timespec a, b;
		syscall(SYS_clock_gettime, CLOCK_REALTIME_COARSE, &a);
		time_t t2, t3 = vtime(&t2);
		syscall(SYS_clock_gettime, CLOCK_REALTIME, &b);
		t_check(t2 == t3 && a.tv_sec <= t3 && t3 <= b.tv_sec, "vDSO time matches the syscall", "%lld <= %lld <= %lld",
			(long long)a.tv_sec, (long long)t3, (long long)b.tv_sec);
	}
	if (vgetres) {
		struct timespec v, s;
		int ok = vgetres(CLOCK_MONOTONIC, &v) == 0 && syscall(SYS_clock_getres, CLOCK_MONOTONIC, &s) == 0;
		t_check(ok && v.tv_sec == s.tv_sec && v.tv_nsec == s.tv_nsec, "vDSO clock_getres matches the syscall",
			"%ld vs %ld ns", (long)v.tv_nsec, (long)s.tv_nsec);
	}
	if (vgetcpu) {
		unsigned cpu = 999999, node = 999999;
		int r = vgetcpu(&cpu, &node, NULL);
		long n = sysconf(_SC_NPROCESSORS_CONF);
		t_check(r == 0 && cpu < (unsigned)(n > 0 ? n : 1024) && node < 1024, "vDSO getcpu gives a valid CPU",
			"r %d cpu %u node %u of %ld", r, cpu, node, n);
	}
	return t_done();
}
