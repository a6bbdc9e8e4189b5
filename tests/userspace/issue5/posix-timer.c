/* posix-timer — proves timer_create and friends as Linux has them: a
 * periodic timer on CLOCK_MONOTONIC queues its signal with SI_TIMER and
 * its value; expiries while the signal is pending become overruns,
 * reported in si_overrun and by timer_getoverrun; SIGEV_NONE only counts
 * down; with no sigevent the kernel sends SIGALRM carrying the timer id;
 * TIMER_ABSTIME waits for a time on the timer's clock; a timer on
 * CLOCK_PROCESS_CPUTIME_ID counts CPU time, not sleep; SIGEV_THREAD runs
 * a function in a new thread; fork does not pass timers on; deleted and
 * unknown timers and bad arguments give EINVAL or EFAULT.
 */
#include "t.h"
#include <pthread.h>
#include <sys/syscall.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static sigset_t only(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

static struct itimerspec spec(long value_ns, long interval_ns)
{
	struct itimerspec it = { { interval_ns / 1000000000, interval_ns % 1000000000 },
				 { value_ns / 1000000000, value_ns % 1000000000 } };
	return it;
}

static long long ts_ns(struct timespec ts)
{
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Wait up to 5 s for `sig` (blocked); its siginfo, or signo 0. */
static siginfo_t wait_for(int sig)
{
	sigset_t s = only(sig);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	struct timespec five = { 5, 0 };
	while (sigtimedwait(&s, &si, &five) < 0 && errno == EINTR)
		;
	return si;
}

/* A timer on `clock` that queues `sig` (blocked, for wait_for) with `value`. */
static timer_t signal_timer(clockid_t clock, int sig, int value, const char *what)
{
	sigset_t s = only(sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig };
	ev.sigev_value.sival_int = value;
	timer_t t = 0;
	t_sys(timer_create(clock, &ev, &t), what);
	return t;
}

static void periodic(void)
{
	int sig = SIGRTMIN;
	sigset_t s = only(sig);
	timer_t t = signal_timer(CLOCK_MONOTONIC, sig, 42, "timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL)");
	struct itimerspec it = spec(20000000, 20000000);
	long long t0 = t_ns(CLOCK_MONOTONIC);
	t_sys(timer_settime(t, 0, &it, NULL), "timer_settime every 20 ms");
	int good = 0;
	for (int i = 0; i < 3; i++) {
		siginfo_t si = wait_for(sig);
		good += si.si_signo == sig && si.si_code == SI_TIMER && si.si_value.sival_int == 42;
	}
	long long took = t_ns(CLOCK_MONOTONIC) - t0;
	t_eq(good, 3, "three signals with SI_TIMER and the timer's value");
	t_check(took >= 55000000, "not before three periods", "%lld ms", took / 1000000);
	struct itimerspec cur;
	t_sys(timer_gettime(t, &cur), "timer_gettime");
	t_check(ts_ns(cur.it_interval) == 20000000 && ts_ns(cur.it_value) > 0 && ts_ns(cur.it_value) <= 20000000,
		"interval 20 ms, next expiry within it", "interval %lld, value %lld ns", ts_ns(cur.it_interval),
		ts_ns(cur.it_value));

	/* Ten periods pass while the signal waits: overruns. */
	t_sys(timer_settime(t, 0, &(struct itimerspec){ { 0, 10000000 }, { 0, 10000000 } }, NULL), "every 10 ms");
	t_sleep_ms(105);
	siginfo_t si = wait_for(sig);
	int ov = timer_getoverrun(t);
	/* At least the ten periods less a few; more if the sleep overslept. */
	t_check(si.si_code == SI_TIMER && si.si_overrun >= 5,
		"the signal reports the periods missed while it was pending", "si_overrun %d", si.si_overrun);
	t_check(ov == si.si_overrun, "timer_getoverrun says the same", "%d vs %d", ov, si.si_overrun);
	struct itimerspec old;
	it = spec(0, 0);
	t_sys(timer_settime(t, 0, &it, &old), "disarm");
	t_eq(ts_ns(old.it_interval), 10000000, "timer_settime returns the old interval");
	t_sys(timer_delete(t), "timer_delete");
	t_err(timer_gettime(t, &cur), EINVAL, "timer_gettime of a deleted timer -> EINVAL");
	/* Straight to the kernel: musl returns the error without errno here. */
	t_err(syscall(SYS_timer_delete, (int)(intptr_t)t), EINVAL, "deleting it again -> EINVAL");
	/* Drain a signal that may have been queued before the disarm. */
	struct timespec zero = { 0, 0 };
	while (sigtimedwait(&s, NULL, &zero) > 0)
		;
}

static void sigev_none_and_default(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	timer_t t;
	t_sys(timer_create(CLOCK_MONOTONIC, &ev, &t), "timer_create(SIGEV_NONE)");
	struct itimerspec it = spec(50000000, 0), cur;
	timer_settime(t, 0, &it, NULL);
	timer_gettime(t, &cur);
	t_check(ts_ns(cur.it_value) > 0 && ts_ns(cur.it_value) <= 50000000, "SIGEV_NONE counts down",
		"%lld ns left", ts_ns(cur.it_value));
	t_sleep_ms(80);
	timer_gettime(t, &cur);
	t_eq(ts_ns(cur.it_value), 0, "and reads 0 once expired");
	timer_delete(t);

	/* No sigevent at all (straight to the kernel: libcs fill one in). */
	sigset_t s = only(SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int kid = -1;
	t_sys(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &kid), "timer_create with no sigevent");
	struct itimerspec k = spec(10000000, 0);
	t_sys(syscall(SYS_timer_settime, kid, 0, &k, NULL), "armed for 10 ms");
	siginfo_t si = wait_for(SIGALRM);
	t_check(si.si_signo == SIGALRM && si.si_code == SI_TIMER && si.si_value.sival_int == kid,
		"SIGALRM with the timer id as its value", "signo %d code %d value %d id %d", si.si_signo,
		si.si_code, si.si_value.sival_int, kid);
	syscall(SYS_timer_delete, kid);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void absolute(void)
{
	int sig = SIGRTMIN + 2;
	timer_t t = signal_timer(CLOCK_REALTIME, sig, 0, "timer_create(CLOCK_REALTIME)");
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	long long when = ts_ns(now) + 30000000;
	struct itimerspec it = { { 0, 0 }, { when / 1000000000, when % 1000000000 } };
	t_sys(timer_settime(t, TIMER_ABSTIME, &it, NULL), "TIMER_ABSTIME on CLOCK_REALTIME, 30 ms ahead");
	siginfo_t si = wait_for(sig);
	clock_gettime(CLOCK_REALTIME, &now);
	t_check(si.si_signo == sig && ts_ns(now) >= when, "it fired, not before the time", "%lld ns early",
		when - ts_ns(now));
	timer_delete(t);
}

static void cpu_time(void)
{
	int sig = SIGRTMIN + 3;
	timer_t t = signal_timer(CLOCK_PROCESS_CPUTIME_ID, sig, 0, "timer_create(CLOCK_PROCESS_CPUTIME_ID)");
	struct itimerspec it = spec(30000000, 0), cur;
	timer_settime(t, 0, &it, NULL);
	t_sleep_ms(100);
	sigset_t p;
	sigpending(&p);
	timer_gettime(t, &cur);
	t_check(!sigismember(&p, sig) && ts_ns(cur.it_value) > 20000000, "sleeping does not run it down",
		"%lld ns left", ts_ns(cur.it_value));
	long long c0 = t_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (volatile unsigned long x = 0;; x++) {
		sigpending(&p);
		if (sigismember(&p, sig) || t_ns(CLOCK_PROCESS_CPUTIME_ID) - c0 > 2000000000LL)
			break;
	}
	long long used = t_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
	siginfo_t si = wait_for(sig);
	t_check(si.si_signo == sig && used >= 20000000, "spinning: the signal after its CPU time",
		"after %lld ms of CPU", used / 1000000);
	timer_delete(t);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int notified, same_thread = -1;
static pthread_t main_thread;

static void notify(union sigval v)
{
	pthread_mutex_lock(&lock);
	notified = v.sival_int;
	same_thread = pthread_equal(pthread_self(), main_thread);
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

static void thread_notify(void)
{
	main_thread = pthread_self();
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = notify };
	ev.sigev_value.sival_int = 7;
	timer_t t;
	t_sys(timer_create(CLOCK_MONOTONIC, &ev, &t), "timer_create(SIGEV_THREAD)");
	struct itimerspec it = spec(10000000, 0);
	timer_settime(t, 0, &it, NULL);
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 5;
	pthread_mutex_lock(&lock);
	while (!notified && pthread_cond_timedwait(&cond, &lock, &dl) == 0)
		;
	pthread_mutex_unlock(&lock);
	t_check(notified == 7 && same_thread == 0, "the function ran in another thread with the value",
		"value %d, same thread %d", notified, same_thread);
	timer_delete(t);
}

static void not_inherited(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	int kid;
	syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &kid);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct itimerspec cur;
		t_err(syscall(SYS_timer_gettime, kid, &cur), EINVAL, "a forked child has no timers");
		t_child_exit();
	}
	t_wait_ok(c, "the child's check passed");
	syscall(SYS_timer_delete, kid);
}

static void errors(void)
{
	int kid;
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	t_err(syscall(SYS_timer_create, 99, &ev, &kid), EINVAL, "an unknown clock -> EINVAL");
	ev.sigev_notify = 99;
	t_err(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &kid), EINVAL, "an unknown sigev_notify -> EINVAL");
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 0;
	t_err(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &kid), EINVAL, "signal 0 -> EINVAL");
	ev.sigev_signo = 65;
	t_err(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &kid), EINVAL, "signal 65 -> EINVAL");
	ev.sigev_signo = SIGUSR1;
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_notify_thread_id = 999999;
	t_err(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &kid), EINVAL, "SIGEV_THREAD_ID of no thread -> EINVAL");
	t_err(syscall(SYS_timer_create, CLOCK_MONOTONIC, t_addr(8), &kid), EFAULT, "a bad sigevent pointer -> EFAULT");
	ev.sigev_notify = SIGEV_NONE;
	t_err(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, t_addr(8)), EFAULT, "a bad id pointer -> EFAULT");
	t_sys(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &kid), "a SIGEV_NONE timer");
	struct itimerspec bad = spec(0, 0);
	bad.it_value.tv_nsec = 1000000000;
	t_err(syscall(SYS_timer_settime, kid, 0, &bad, NULL), EINVAL, "tv_nsec of a second -> EINVAL");
	t_err(syscall(SYS_timer_settime, kid, 0, t_addr(8), NULL), EFAULT, "a bad itimerspec -> EFAULT");
	t_err(syscall(SYS_timer_gettime, kid + 1000, &bad), EINVAL, "an unknown timer id -> EINVAL");
	t_err(syscall(SYS_timer_getoverrun, kid + 1000), EINVAL, "timer_getoverrun of one -> EINVAL");
	syscall(SYS_timer_delete, kid);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	periodic();
	sigev_none_and_default();
	absolute();
	cpu_time();
	thread_notify();
	not_inherited();
	errors();
	return t_done();
}
