/* itimer — proves the interval timers and RLIMIT_CPU: alarm() reports
 * what was left; ITIMER_REAL repeats on the clock; ITIMER_VIRTUAL counts
 * only user time (not sleep) and ITIMER_PROF also system time, each firing
 * its signal again at its interval; fork does not inherit timers; bad
 * arguments give EINVAL or EFAULT; past RLIMIT_CPU's soft limit comes
 * SIGXCPU (its default kills), at the hard limit SIGKILL.
 */
#include "t.h"
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>

static volatile int fired[NSIG];
static int xcpu_pipe[2];

static void count(int sig)
{
	fired[sig]++;
}

static void xcpu(int sig)
{
	(void)sig;
	char c = 'x';
	write(xcpu_pipe[1], &c, 1);
}

static void on(int sig, void (*fn)(int))
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static long long usec(struct timeval tv)
{
	return tv.tv_sec * 1000000LL + tv.tv_usec;
}

static int set(int which, long value_us, long interval_us, struct itimerval *old)
{
	struct itimerval v = { { interval_us / 1000000, interval_us % 1000000 },
			       { value_us / 1000000, value_us % 1000000 } };
	return setitimer(which, &v, old);
}

/* User CPU time of this process, in microseconds. */
static long long user_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return usec(ru.ru_utime);
}

/* Spin in user space (or in getppid() if in_kernel) until `sig` has come
   `n` times, or 20 s have passed. */
static void spin_until(int sig, int n, int in_kernel)
{
	long long end = t_ns(CLOCK_MONOTONIC) + 20000000000LL;
	volatile unsigned long x = 0;
	while (fired[sig] < n && t_ns(CLOCK_MONOTONIC) < end) {
		for (int i = 0; i < 10000; i++) {
			if (in_kernel)
				getppid();
			else
				x++;
		}
	}
}

static void alarm_and_real(void)
{
	t_eq(alarm(10), 0, "alarm(10) with none pending returns 0");
	t_eq(alarm(5), 10, "alarm(5) returns the 10 s left, rounded up");
	t_eq(alarm(0), 5, "alarm(0) cancels and returns the 5 s left");

	on(SIGALRM, count);
	t_sys(set(ITIMER_REAL, 20000, 20000, NULL), "ITIMER_REAL every 20 ms");
	while (fired[SIGALRM] < 3)
		pause();
	struct itimerval v;
	t_sys(getitimer(ITIMER_REAL, &v), "getitimer(ITIMER_REAL)");
	t_check(usec(v.it_interval) == 20000 && usec(v.it_value) > 0 && usec(v.it_value) <= 20000,
		"it repeats: interval 20 ms, next expiry within it", "interval %lld us, value %lld us",
		usec(v.it_interval), usec(v.it_value));
	struct itimerval old;
	t_sys(set(ITIMER_REAL, 0, 0, &old), "disarm ITIMER_REAL");
	t_eq(usec(old.it_interval), 20000, "setitimer returns the old interval");
	t_sys(getitimer(ITIMER_REAL, &v), "getitimer after disarming");
	t_ok(usec(v.it_value) == 0 && usec(v.it_interval) == 0, "disarmed: value and interval 0");
}

static void virtual_and_prof(void)
{
	on(SIGVTALRM, count);
	long long u0 = user_us();
	t_sys(set(ITIMER_VIRTUAL, 30000, 30000, NULL), "ITIMER_VIRTUAL every 30 ms of user time");
	spin_until(SIGVTALRM, 3, 0);
	long long used = user_us() - u0;
	t_ok(fired[SIGVTALRM] >= 3, "SIGVTALRM came three times while spinning");
	/* Linux charges user time a tick at a time, so on a busy machine its
	   timer may fire before getrusage's exact time says 90 ms: only
	   Forkline, alone on its CPU, is held to it. */
	if (t_is_forkline())
		t_check_here(used >= 80000, "not before 90 ms of user time were used", "%lld us of user time", used);
	t_info("%d SIGVTALRM in %lld us of user time", fired[SIGVTALRM], used);

	t_sys(set(ITIMER_VIRTUAL, 1000000, 0, NULL), "ITIMER_VIRTUAL in 1 s of user time");
	t_sleep_ms(100);
	struct itimerval v;
	t_sys(getitimer(ITIMER_VIRTUAL, &v), "getitimer(ITIMER_VIRTUAL)");
	t_check(usec(v.it_value) > 950000 && usec(v.it_interval) == 0, "sleeping uses no user time",
		"%lld us left", usec(v.it_value));
	t_sys(set(ITIMER_VIRTUAL, 0, 0, NULL), "disarm ITIMER_VIRTUAL");

	on(SIGPROF, count);
	t_sys(set(ITIMER_PROF, 30000, 30000, NULL), "ITIMER_PROF every 30 ms of CPU time");
	spin_until(SIGPROF, 3, 1);
	t_ok(fired[SIGPROF] >= 3, "SIGPROF came three times in a loop of system calls");
	struct itimerval old;
	t_sys(set(ITIMER_PROF, 0, 0, &old), "disarm ITIMER_PROF");
	t_eq(usec(old.it_interval), 30000, "its interval was 30 ms");
}

static void not_inherited(void)
{
	t_sys(set(ITIMER_REAL, 10000000, 0, NULL), "ITIMER_REAL in 10 s");
	t_sys(set(ITIMER_VIRTUAL, 10000000, 0, NULL), "ITIMER_VIRTUAL in 10 s");
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct itimerval r, u;
		getitimer(ITIMER_REAL, &r);
		getitimer(ITIMER_VIRTUAL, &u);
		t_ok(usec(r.it_value) == 0 && usec(u.it_value) == 0, "a forked child starts with no timers");
		t_eq(alarm(0), 0, "and no alarm");
		t_child_exit();
	}
	t_wait_ok(c, "the child's checks passed");
	struct itimerval r;
	getitimer(ITIMER_REAL, &r);
	t_ok(usec(r.it_value) > 0, "the parent's timer is still armed");
	set(ITIMER_REAL, 0, 0, NULL);
	set(ITIMER_VIRTUAL, 0, 0, NULL);
}

static void errors(void)
{
	struct itimerval v = { { 0, 0 }, { 0, 1000000 } };
	/* Straight to the kernel: a 32-bit libc may convert structures first. */
	t_err(syscall(SYS_setitimer, ITIMER_REAL, &v, NULL), EINVAL, "tv_usec of a second -> EINVAL");
	t_err(syscall(SYS_getitimer, 3, &v), EINVAL, "an unknown timer -> EINVAL");
	t_err(syscall(SYS_setitimer, -1, &v, NULL), EINVAL, "a negative timer -> EINVAL");
	t_err(syscall(SYS_getitimer, ITIMER_PROF, t_addr(8)), EFAULT, "getitimer to a bad pointer -> EFAULT");
	t_err(syscall(SYS_setitimer, ITIMER_PROF, t_addr(8), NULL), EFAULT, "setitimer from a bad pointer -> EFAULT");
}

/* A child that spins under RLIMIT_CPU {soft, hard}; returns its status. */
static int cpu_limited(rlim_t soft, rlim_t hard, int catch)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct rlimit none = { 0, 0 }, cpu = { soft, hard };
		setrlimit(RLIMIT_CORE, &none);
		if (catch)
			on(SIGXCPU, xcpu);
		if (setrlimit(RLIMIT_CPU, &cpu))
			_exit(3);
		for (volatile unsigned long x = 0;; x++)
			;
	}
	int st = 0;
	waitpid(c, &st, 0);
	return st;
}

static void rlimit_cpu(void)
{
	t_sys(pipe(xcpu_pipe), "pipe");
	int st = cpu_limited(1, 2, 1);
	t_status_is(st, "signal 9 (SIGKILL)", "RLIMIT_CPU {1, 2}: SIGKILL at the hard limit");
	close(xcpu_pipe[1]);
	char buf[16];
	long n = read(xcpu_pipe[0], buf, sizeof buf);
	t_check(n >= 1, "SIGXCPU came first, at the soft limit", "%ld SIGXCPU", n);
	close(xcpu_pipe[0]);
	st = cpu_limited(1, RLIM_INFINITY, 0);
	t_status_is(st, "signal 24 (SIGXCPU)", "RLIMIT_CPU {1, unlimited}: SIGXCPU kills by default");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm_and_real();
	virtual_and_prof();
	not_inherited();
	errors();
	rlimit_cpu();
	return t_done();
}
