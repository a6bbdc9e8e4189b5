/* Resources and timers, as glibc documents them: getrusage (self,
   children, thread), times, limits, priorities, interval timers, alarm and
   pause, POSIX timers (SIGEV_SIGNAL with overruns, SIGEV_NONE,
   SIGEV_THREAD_ID, SIGEV_THREAD), CPU-time clocks, flock and fcntl record
   locks between processes, sysinfo, getloadavg, poll and select on a
   pipe, and the errors. Self-checking; the glibc build must pass too.
   Ends with "N passed, M failed". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;
#define CHECK(c) do { if (c) passed++; else { failed++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

/* Nanoseconds on clock c. */
static long long now(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Burn this much CPU time (process clock). */
static void spin(long long ns)
{
	long long end = now(CLOCK_PROCESS_CPUTIME_ID) + ns;
	volatile unsigned x = 0;
	while (now(CLOCK_PROCESS_CPUTIME_ID) < end)
		for (int i = 0; i < 10000; i++)
			x += i;
}

static long long tv_us(struct timeval t) { return t.tv_sec * 1000000LL + t.tv_usec; }

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static void test_rusage(void)
{
	struct rusage ru;
	spin(40000000);
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	CHECK(tv_us(ru.ru_utime) + tv_us(ru.ru_stime) >= 20000);
	CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	CHECK(getrusage(RUSAGE_THREAD, &ru) == 0 && tv_us(ru.ru_utime) + tv_us(ru.ru_stime) >= 20000);
	errno = 0;
	CHECK(getrusage(99, &ru) == -1 && errno == EINVAL);

	struct rusage before;
	getrusage(RUSAGE_CHILDREN, &before);
	struct tms t0;
	times(&t0);
	pid_t c = fork();
	if (c == 0) {
		spin(60000000);
		_exit(0);
	}
	int st;
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st));
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0);
	long long child = tv_us(ru.ru_utime) + tv_us(ru.ru_stime) - tv_us(before.ru_utime) - tv_us(before.ru_stime);
	CHECK(child >= 40000);
	struct tms t1;
	CHECK(times(&t1) != (clock_t)-1);
	CHECK(t1.tms_cutime + t1.tms_cstime - t0.tms_cutime - t0.tms_cstime >= 2);
	CHECK(t1.tms_utime + t1.tms_stime >= 2);

	/* The CPU-time clocks: ours, a thread's, and none for a gone process. */
	clockid_t clk;
	struct timespec ts;
	CHECK(clock_getcpuclockid(0, &clk) == 0 && clock_gettime(clk, &ts) == 0 && ts.tv_sec * 1000000000LL + ts.tv_nsec >= 40000000);
	CHECK(clock_getcpuclockid(getpid(), &clk) == 0 && clock_gettime(clk, &ts) == 0);
	CHECK(clock_getcpuclockid(c, &clk) == ESRCH);
	CHECK(pthread_getcpuclockid(pthread_self(), &clk) == 0 && clock_gettime(clk, &ts) == 0 && ts.tv_sec * 1000000000LL + ts.tv_nsec >= 40000000);
}

static void test_limits(void)
{
	struct rlimit rl, r2;
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur <= rl.rlim_max);
	r2 = rl;
	r2.rlim_cur = 64;
	CHECK(setrlimit(RLIMIT_NOFILE, &r2) == 0);
	CHECK(getrlimit(RLIMIT_NOFILE, &r2) == 0 && r2.rlim_cur == 64 && r2.rlim_max == rl.rlim_max);
	errno = 0;
	CHECK(dup2(0, 100) == -1 && errno == EBADF);
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	struct rlimit bad = {10, 5};
	errno = 0;
	CHECK(setrlimit(RLIMIT_CORE, &bad) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(getrlimit(99, &rl) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(getrlimit(RLIMIT_NOFILE, (struct rlimit *)1) == -1 && errno == EFAULT);
	CHECK(prlimit(0, RLIMIT_STACK, 0, &rl) == 0 && rl.rlim_cur > 0);
	CHECK(getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_max == RLIM_INFINITY);

	errno = 0;
	int p = getpriority(PRIO_PROCESS, 0);
	CHECK(errno == 0 && p >= -20 && p <= 19);
	if (p < 19) {
		CHECK(setpriority(PRIO_PROCESS, 0, p + 1) == 0);
		errno = 0;
		CHECK(getpriority(PRIO_PROCESS, 0) == p + 1 && errno == 0);
	}
	errno = 0;
	CHECK(getpriority(99, 0) == -1 && errno == EINVAL);
}

static volatile sig_atomic_t alrm, vtalrm, usr1, usr2, usr1_value, usr1_code, usr1_overrun;

static void on_alrm(int s) { (void)s; alrm++; }
static void on_vtalrm(int s) { (void)s; vtalrm++; }
static void on_usr1(int s, siginfo_t *si, void *ctx)
{
	(void)s, (void)ctx;
	usr1++;
	usr1_value = si->si_value.sival_int;
	usr1_code = si->si_code;
	usr1_overrun = si->si_overrun;
}
static void on_usr2(int s) { (void)s; usr2++; }

static void test_itimers(void)
{
	signal(SIGALRM, on_alrm);
	signal(SIGVTALRM, on_vtalrm);
	struct itimerval it = {{0, 0}, {0, 20000}}, cur;
	CHECK(setitimer(ITIMER_REAL, &it, 0) == 0);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0 && tv_us(cur.it_value) > 0 && tv_us(cur.it_value) <= 20000);
	for (int i = 0; i < 200 && !alrm; i++)
		sleep_ms(5);
	CHECK(alrm == 1);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0 && !timerisset(&cur.it_value));

	struct itimerval v = {{0, 10000}, {0, 10000}}, old;
	CHECK(setitimer(ITIMER_VIRTUAL, &v, 0) == 0);
	long long end = now(CLOCK_MONOTONIC) + 3000000000LL;
	while (vtalrm < 2 && now(CLOCK_MONOTONIC) < end)
		spin(1000000);
	CHECK(vtalrm >= 2);
	struct itimerval zero = {{0, 0}, {0, 0}};
	CHECK(setitimer(ITIMER_VIRTUAL, &zero, &old) == 0 && tv_us(old.it_interval) == 10000);
	errno = 0;
	CHECK(setitimer(99, &it, 0) == -1 && errno == EINVAL);
	struct itimerval badv = {{0, 0}, {0, 2000000}};
	errno = 0;
	CHECK(setitimer(ITIMER_REAL, &badv, 0) == -1 && errno == EINVAL);

	/* alarm and pause. */
	CHECK(alarm(5) == 0);
	unsigned left = alarm(0);
	CHECK(left >= 4 && left <= 5);
	alrm = 0;
	setitimer(ITIMER_REAL, &it, 0);
	errno = 0;
	CHECK(pause() == -1 && errno == EINTR && alrm == 1);

	/* timeradd/timersub/timercmp. */
	struct timeval a = {1, 700000}, b = {2, 600000}, r;
	timeradd(&a, &b, &r);
	CHECK(r.tv_sec == 4 && r.tv_usec == 300000);
	timersub(&a, &b, &r);
	CHECK(r.tv_sec == -1 && r.tv_usec == 100000);
	CHECK(timercmp(&a, &b, <) && !timercmp(&a, &b, >));
}

static pthread_t main_thread;
static volatile int thread_calls, thread_value, thread_other;

static void on_timer_thread(union sigval v)
{
	thread_value = v.sival_int;
	if (!pthread_equal(pthread_self(), main_thread))
		thread_other = 1;
	__sync_fetch_and_add(&thread_calls, 1);
}

static void test_posix_timers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, 0);
	signal(SIGUSR2, on_usr2);

	/* SIGEV_SIGNAL, periodic, blocked for a while: one signal, overruns. */
	sigset_t s1;
	sigemptyset(&s1);
	sigaddset(&s1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s1, 0);
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_int = 77;
	timer_t t;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
	struct itimerspec its = {{0, 5000000}, {0, 5000000}}, cur;
	CHECK(timer_settime(t, 0, &its, 0) == 0);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_interval.tv_nsec == 5000000 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0);
	sleep_ms(60);
	sigprocmask(SIG_UNBLOCK, &s1, 0);
	CHECK(usr1 >= 1 && usr1_value == 77 && usr1_code == SI_TIMER);
	CHECK(usr1_overrun >= 3);
	CHECK(timer_delete(t) == 0);
	errno = 0;
	CHECK(timer_getoverrun(t) == -1 && errno == EINVAL);

	/* SIGEV_NONE: nothing is delivered, the time still counts down. */
	ev.sigev_notify = SIGEV_NONE;
	CHECK(timer_create(CLOCK_REALTIME, &ev, &t) == 0);
	struct itimerspec one = {{0, 0}, {1, 0}};
	CHECK(timer_settime(t, 0, &one, 0) == 0);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec * 1000000000LL + cur.it_value.tv_nsec > 0 && cur.it_value.tv_sec <= 1);
	struct itimerspec badts = {{0, 0}, {0, 2000000000}};
	errno = 0;
	CHECK(timer_settime(t, 0, &badts, 0) == -1 && errno == EINVAL);
	CHECK(timer_delete(t) == 0);

	/* SIGEV_THREAD_ID: to this thread. */
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR2;
	ev._sigev_un._tid = syscall(SYS_gettid);
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
	struct itimerspec soon = {{0, 0}, {0, 2000000}};
	CHECK(timer_settime(t, 0, &soon, 0) == 0);
	for (int i = 0; i < 200 && !usr2; i++)
		sleep_ms(5);
	CHECK(usr2 == 1);
	CHECK(timer_delete(t) == 0);

	/* SIGEV_THREAD: the function runs in another thread, per expiry. */
	main_thread = pthread_self();
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = on_timer_thread;
	ev.sigev_value.sival_int = 99;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
	struct itimerspec per = {{0, 10000000}, {0, 10000000}};
	CHECK(timer_settime(t, 0, &per, 0) == 0);
	for (int i = 0; i < 400 && thread_calls < 3; i++)
		sleep_ms(5);
	CHECK(thread_calls >= 3 && thread_value == 99 && thread_other);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_interval.tv_nsec == 10000000);
	CHECK(timer_delete(t) == 0);
	sleep_ms(30);
	int calls = thread_calls;
	sleep_ms(40);
	CHECK(thread_calls == calls);

	errno = 0;
	CHECK(timer_create(99, 0, &t) == -1 && errno == EINVAL);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 999;
	errno = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == -1 && errno == EINVAL);
	/* NULL sigevent: SIGALRM. */
	alrm = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, 0, &t) == 0);
	CHECK(timer_settime(t, 0, &soon, 0) == 0);
	for (int i = 0; i < 200 && !alrm; i++)
		sleep_ms(5);
	CHECK(alrm == 1);
	CHECK(timer_delete(t) == 0);
}

/* A child that tries the locks on path; its exit status is a bit mask of
   what it saw, checked by the parent. */
static int lock_child(const char *path, pid_t parent)
{
	int st = 0;
	int fd = open(path, O_RDWR);
	errno = 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK)
		st |= 1;
	if (flock(fd, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK)
		st |= 2;
	struct flock fl = {F_WRLCK, SEEK_SET, 5, 10, 0};
	errno = 0;
	if (fcntl(fd, F_SETLK, &fl) == -1 && (errno == EAGAIN || errno == EACCES))
		st |= 4;
	struct flock q = {F_WRLCK, SEEK_SET, 0, 100, 0};
	if (fcntl(fd, F_GETLK, &q) == 0 && q.l_type == F_WRLCK && q.l_pid == parent && q.l_start == 0 && q.l_len == 10)
		st |= 8;
	struct flock free_range = {F_WRLCK, SEEK_SET, 50, 10, 0};
	if (fcntl(fd, F_SETLK, &free_range) == 0)
		st |= 16;
	return st;
}

static void test_locks(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/libc_res.%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "0123456789abcdefghij", 20) == 20);
	CHECK(flock(fd, LOCK_EX) == 0);
	struct flock fl = {F_WRLCK, SEEK_SET, 0, 10, 0};
	CHECK(fcntl(fd, F_SETLK, &fl) == 0);
	pid_t c = fork();
	if (c == 0)
		_exit(lock_child(path, getppid()));
	int st;
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st));
	CHECK(WEXITSTATUS(st) == 31);
	/* Unlocked: the child gets both. */
	CHECK(flock(fd, LOCK_UN) == 0);
	fl.l_type = F_UNLCK;
	CHECK(fcntl(fd, F_SETLK, &fl) == 0);
	c = fork();
	if (c == 0)
		_exit(lock_child(path, getppid()));
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 16);

	/* An open file description lock conflicts with another description of
	   the same process; F_OFD_GETLK reports l_pid -1. */
	struct flock ofd = {F_WRLCK, SEEK_SET, 0, 5, 0};
	CHECK(fcntl(fd, F_OFD_SETLK, &ofd) == 0);
	int fd2 = open(path, O_RDWR);
	struct flock q = {F_RDLCK, SEEK_SET, 0, 1, 0};
	CHECK(fcntl(fd2, F_OFD_GETLK, &q) == 0 && q.l_type == F_WRLCK && q.l_pid == -1);
	struct flock w = {F_WRLCK, SEEK_SET, 2, 1, 0};
	errno = 0;
	CHECK(fcntl(fd2, F_OFD_SETLK, &w) == -1 && errno == EAGAIN);
	struct flock bad = {F_WRLCK, SEEK_SET, 0, 1, 1};
	errno = 0;
	CHECK(fcntl(fd2, F_OFD_SETLK, &bad) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(flock(fd, 0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(flock(-1, LOCK_SH) == -1 && errno == EBADF);
	errno = 0;
	fl.l_type = 99;
	CHECK(fcntl(fd, F_SETLK, &fl) == -1 && errno == EINVAL);
	close(fd2);
	close(fd);
	unlink(path);
}

static void test_system(void)
{
	struct sysinfo si;
	CHECK(sysinfo(&si) == 0);
	CHECK(si.uptime >= 0 && si.totalram > 0 && si.freeram <= si.totalram && si.mem_unit >= 1 && si.procs >= 1);
	errno = 0;
	CHECK(sysinfo((struct sysinfo *)1) == -1 && errno == EFAULT);
	double l[3] = {-1, -1, -1};
	CHECK(getloadavg(l, 3) == 3 && l[0] >= 0 && l[1] >= 0 && l[2] >= 0);
	CHECK(getloadavg(l, 1) == 1);
	CHECK(get_nprocs() >= 1 && get_nprocs_conf() >= get_nprocs());
}

static void test_poll_select(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	struct pollfd fds[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	CHECK(poll(fds, 1, 0) == 0 && fds[0].revents == 0);
	CHECK(poll(fds, 2, 0) == 1 && fds[1].revents == POLLOUT);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(poll(fds, 2, 100) == 2 && fds[0].revents == POLLIN);
	struct timespec ts = {0, 10000000};
	CHECK(ppoll(fds, 1, &ts, 0) == 1 && ts.tv_nsec == 10000000);

	fd_set r, w;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timeval tv = {0, 0};
	CHECK(select(p[0] + 1, &r, 0, 0, &tv) == 1 && FD_ISSET(p[0], &r));
	char c;
	CHECK(read(p[0], &c, 1) == 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_usec = 20000;
	CHECK(select(p[0] + 1, &r, 0, 0, &tv) == 0 && !FD_ISSET(p[0], &r) && tv.tv_sec == 0 && tv.tv_usec == 0);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	struct timespec t0 = {0, 0};
	sigset_t m;
	sigemptyset(&m);
	CHECK(pselect(p[1] + 1, &r, &w, 0, &t0, &m) == 1 && FD_ISSET(p[1], &w) && !FD_ISSET(p[0], &r));
	errno = 0;
	CHECK(select(-1, 0, 0, 0, &tv) == -1 && errno == EINVAL);
	errno = 0;
	struct pollfd *volatile badp = (struct pollfd *)1;
	CHECK(poll(badp, 1, 0) == -1 && errno == EFAULT);
	close(p[1]);
	fds[0].revents = 0;
	CHECK(poll(fds, 1, 0) == 1 && (fds[0].revents & POLLHUP));
	close(p[0]);
	struct pollfd closed = {p[0], POLLIN, 0};
	CHECK(poll(&closed, 1, 0) == 1 && closed.revents == POLLNVAL);
}

static void test_layouts(void)
{
#if defined(__x86_64__) || defined(__LIBC_RS__)
	int l64 = sizeof(long) == 8;
	CHECK(sizeof(struct rusage) == (l64 ? 144 : 88));
	CHECK(sizeof(struct flock) == (l64 ? 32 : 24) && offsetof(struct flock, l_start) == (l64 ? 8 : 4));
	CHECK(sizeof(struct sysinfo) == (l64 ? 112 : 64));
	CHECK(sizeof(struct itimerspec) == 32 && sizeof(struct itimerval) == 32);
	CHECK(offsetof(siginfo_t, si_value) == (l64 ? 24 : 20) && offsetof(siginfo_t, si_overrun) == (l64 ? 20 : 16));
	CHECK(offsetof(siginfo_t, si_pid) == (l64 ? 16 : 12));
	CHECK(sizeof(rlim_t) == 8);
#endif
	CHECK(sizeof(struct sigevent) == 64 && sizeof(siginfo_t) == 128);
	CHECK(offsetof(struct sigevent, sigev_notify) == sizeof(void *) + 4);
}

int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	test_layouts();
	test_rusage();
	test_limits();
	test_itimers();
	test_posix_timers();
	test_locks();
	test_system();
	test_poll_select();
	printf("libc_res: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
