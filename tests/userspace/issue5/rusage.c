/* rusage — proves CPU-time accounting as Linux keeps it: the CPU-time
 * clocks are exact (not a tick at a time); a process's clock includes its
 * threads, also those that ended; getrusage(RUSAGE_SELF/THREAD/CHILDREN),
 * wait4's rusage and times() report user time spent, page faults taken
 * and voluntary context switches; a child's usage joins its parent's
 * RUSAGE_CHILDREN when it is reaped, with the grandchildren it reaped,
 * and never when it was not; clock_getcpuclockid and pthread_getcpuclockid
 * name clocks that read; /proc/PID/stat and status show the same.
 */
#include "t.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>

static long long tv_us(struct timeval tv)
{
	return tv.tv_sec * 1000000LL + tv.tv_usec;
}

static struct rusage usage(int who)
{
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	if (getrusage(who, &ru))
		t_die("getrusage(%d)", who);
	return ru;
}

/* Spin until `ms` more ms of CPU time on `clock`. */
static void spin_ms(clockid_t clock, long ms)
{
	long long end = t_ns(clock) + ms * 1000000LL;
	for (volatile unsigned long x = 0; t_ns(clock) < end; x++)
		;
}

static void *thread_spin(void *arg)
{
	(void)arg;
	spin_ms(CLOCK_THREAD_CPUTIME_ID, 60);
	return NULL;
}

static void clocks(void)
{
	/* The smallest of twenty steps: a guest stalled by a busy host sees
	   one long step now and then, which is not the clock's resolution. */
	long long step = -1;
	for (int i = 0; i < 20; i++) {
		long long t0 = t_ns(CLOCK_PROCESS_CPUTIME_ID), t1;
		while ((t1 = t_ns(CLOCK_PROCESS_CPUTIME_ID)) == t0)
			;
		if (step < 0 || t1 - t0 < step)
			step = t1 - t0;
	}
	t_check(step < 1000000, "the process CPU clock moves in steps under a millisecond", "a step of %lld ns",
		step);
	struct timespec res;
	t_sys(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res), "clock_getres(CLOCK_PROCESS_CPUTIME_ID)");
	t_check(res.tv_sec == 0 && res.tv_nsec == 1, "its resolution is 1 ns", "%ld ns", res.tv_nsec);

	/* Process clock first at the start, last at the end: a stall of a
	   busy host between two reads then only widens the margin. */
	long long proc0 = t_ns(CLOCK_PROCESS_CPUTIME_ID), main0 = t_ns(CLOCK_THREAD_CPUTIME_ID);
	pthread_t th;
	t_ok(pthread_create(&th, NULL, thread_spin, NULL) == 0, "a thread spins 60 ms of its own CPU time");
	clockid_t tc;
	t_ok(pthread_getcpuclockid(th, &tc) == 0, "pthread_getcpuclockid names its clock");
	struct timespec ts;
	int r = clock_gettime(tc, &ts);
	t_ok(r == 0, "which reads while the thread lives");
	pthread_join(th, NULL);
	long long main1 = t_ns(CLOCK_THREAD_CPUTIME_ID), proc1 = t_ns(CLOCK_PROCESS_CPUTIME_ID);
	t_check(proc1 - proc0 >= (main1 - main0) + 60000000, "the process clock kept the ended thread's time",
		"process +%lld us, main thread +%lld us", (proc1 - proc0) / 1000, (main1 - main0) / 1000);
	struct rusage me = usage(RUSAGE_THREAD), self = usage(RUSAGE_SELF);
	t_check(tv_us(self.ru_utime) + tv_us(self.ru_stime) >= tv_us(me.ru_utime) + tv_us(me.ru_stime) + 50000,
		"RUSAGE_SELF counts the thread too; RUSAGE_THREAD does not", "self %lld us, thread %lld us",
		tv_us(self.ru_utime) + tv_us(self.ru_stime), tv_us(me.ru_utime) + tv_us(me.ru_stime));

	clockid_t pc;
	t_ok(clock_getcpuclockid(getpid(), &pc) == 0, "clock_getcpuclockid(getpid())");
	long long a = t_ns(pc), b = t_ns(CLOCK_PROCESS_CPUTIME_ID);
	t_check(a > 0 && a <= b, "it reads our process CPU time", "%lld vs %lld", a, b);
	/* glibc says ESRCH, musl passes on the kernel's EINVAL. */
	r = clock_getcpuclockid(999999, &pc);
	t_check(r == ESRCH || r == EINVAL, "clock_getcpuclockid of no process fails", "returned %d", r);
}

static void self_usage(void)
{
	struct rusage r0 = usage(RUSAGE_SELF);
	spin_ms(CLOCK_PROCESS_CPUTIME_ID, 100);
	struct rusage r1 = usage(RUSAGE_SELF);
	long long du = tv_us(r1.ru_utime) - tv_us(r0.ru_utime), ds = tv_us(r1.ru_stime) - tv_us(r0.ru_stime);
	t_check(du + ds >= 95000 && du + ds < 150000, "100 ms of CPU show in ru_utime + ru_stime", "+%lld us user, +%lld us system", du, ds);

	long pages = 100;
	char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (long i = 0; i < pages; i++)
		p[i * 4096] = 1;
	struct rusage r2 = usage(RUSAGE_SELF);
	t_check(r2.ru_minflt - r1.ru_minflt >= pages, "touching 100 new pages: 100 minor faults or more",
		"%ld faults", r2.ru_minflt - r1.ru_minflt);
	t_check(r2.ru_maxrss >= pages * 4, "ru_maxrss counts them (KiB)", "%ld KiB", r2.ru_maxrss);
	munmap(p, pages * 4096);

	struct rusage before = usage(RUSAGE_THREAD);
	for (int i = 0; i < 5; i++)
		t_sleep_ms(1);
	struct rusage r3 = usage(RUSAGE_THREAD);
	t_check(r3.ru_nvcsw - before.ru_nvcsw >= 5, "five sleeps: five voluntary context switches or more",
		"%ld", r3.ru_nvcsw - before.ru_nvcsw);
	t_info("%ld voluntary, %ld involuntary switches", r3.ru_nvcsw, r3.ru_nivcsw);

	/* /proc/self/stat fields 10 (minflt) and 14 (utime) and status. */
	long minflt = t_stat_field(10), utime = t_stat_field(14);
	struct rusage r4 = usage(RUSAGE_SELF);
	t_check(minflt > 0 && minflt <= r4.ru_minflt, "/proc/self/stat minflt agrees", "%ld vs %ld", minflt,
		r4.ru_minflt);
	t_check(utime * 10000 <= tv_us(r4.ru_utime) + 10000 && utime * 10000 + 30000 >= tv_us(r4.ru_utime),
		"/proc/self/stat utime agrees (in 1/100 s)", "%ld vs %lld us", utime, tv_us(r4.ru_utime));
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long vol = -1;
	while (f && fgets(line, sizeof line, f))
		sscanf(line, "voluntary_ctxt_switches: %ld", &vol);
	if (f)
		fclose(f);
	t_check(vol >= 5, "/proc/self/status counts voluntary switches", "%ld", vol);

	t_err(syscall(SYS_getrusage, 2, &r4), EINVAL, "getrusage(2) -> EINVAL");
	t_err(syscall(SYS_getrusage, RUSAGE_SELF, t_addr(8)), EFAULT, "getrusage to a bad pointer -> EFAULT");
}

/* Fork a child that spins `ms` ms of CPU, first reaping a grandchild that
   spins `grand_ms` if nonzero. */
static pid_t spinner(long ms, long grand_ms)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (grand_ms) {
			pid_t g = spinner(grand_ms, 0);
			waitpid(g, NULL, 0);
		}
		spin_ms(CLOCK_PROCESS_CPUTIME_ID, ms);
		_exit(0);
	}
	return c;
}

static void children_usage(void)
{
	struct rusage c0 = usage(RUSAGE_CHILDREN);
	pid_t c = spinner(100, 0);
	struct rusage ru;
	int st;
	t_eq(wait4(c, &st, 0, &ru), c, "wait4 reaps the spinner");
	long long spent = tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
	t_check(spent >= 95000 && spent < 200000, "wait4's rusage: its 100 ms", "%lld us", spent);
	t_ok(ru.ru_minflt > 0, "and its page faults");
	t_ok(ru.ru_maxrss > 0, "and its largest resident set");
	struct rusage c1 = usage(RUSAGE_CHILDREN);
	long long d1 = tv_us(c1.ru_utime) + tv_us(c1.ru_stime) - tv_us(c0.ru_utime) - tv_us(c0.ru_stime);
	/* Each timeval is rounded down on its own: allow a microsecond each. */
	t_check(d1 >= spent - 2 && d1 <= spent + 2, "RUSAGE_CHILDREN grew by the same", "+%lld us, wait4 said %lld us",
		d1, spent);
	t_ok(c1.ru_minflt - c0.ru_minflt == ru.ru_minflt, "and by its faults");
	t_ok(c1.ru_maxrss >= ru.ru_maxrss, "and keeps the largest resident set");

	c = spinner(50, 100);
	t_eq(wait4(c, &st, 0, &ru), c, "wait4 reaps a child that reaped a grandchild");
	spent = tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
	t_check(spent >= 145000, "the child's rusage includes its reaped grandchild", "%lld us", spent);
	struct tms tm;
	times(&tm);
	struct rusage c2 = usage(RUSAGE_CHILDREN);
	long long all = tv_us(c2.ru_utime) + tv_us(c2.ru_stime);
	t_check(all >= 240000, "RUSAGE_CHILDREN: all three spinners", "%lld us", all);
	long long ticks = (long long)tm.tms_cutime + tm.tms_cstime;
	/* Each field is rounded down to 1/100 s; Linux's i386 times() rounds
	   it through jiffies once more: up to two ticks lost per field. */
	t_check(ticks * 10000 <= all && ticks * 10000 + 40000 >= all, "times(): cutime + cstime say the same",
		"%lld + %lld ticks vs %lld + %lld us", (long long)tm.tms_cutime, (long long)tm.tms_cstime,
		tv_us(c2.ru_utime), tv_us(c2.ru_stime));

	signal(SIGCHLD, SIG_IGN);
	c = spinner(50, 0);
	t_err(waitpid(c, &st, 0), ECHILD, "with SIGCHLD ignored the spinner reaps itself");
	signal(SIGCHLD, SIG_DFL);
	struct rusage c3 = usage(RUSAGE_CHILDREN);
	t_ok(tv_us(c3.ru_utime) + tv_us(c3.ru_stime) == all, "and its time is not counted");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	clocks();
	self_usage();
	children_usage();
	return t_done();
}
