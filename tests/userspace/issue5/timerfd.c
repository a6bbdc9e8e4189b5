/* timerfd — proves timerfd_create, timerfd_settime and timerfd_gettime
 * as Linux has them: a one-shot timer reads 1 once it expired and not
 * before; a periodic one counts the periods since the last read; a read
 * blocks until an expiry (also in another process sharing the file), or
 * fails EAGAIN with TFD_NONBLOCK; TFD_TIMER_ABSTIME waits for a time on
 * the timer's clock (CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME), a
 * time already past counts at once, with the periods missed; settime
 * returns the old setting and starts the count again; gettime shows what
 * is left; poll reports POLLIN; bad clocks, flags, times, descriptors and
 * pointers give EINVAL, EBADF or EFAULT.
 */
#include "t.h"
#include "anonfd.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/timerfd.h>

#define MS 1000000LL

static struct itimerspec spec(long long value_ns, long long interval_ns)
{
	struct itimerspec it = { { interval_ns / 1000000000, interval_ns % 1000000000 },
				 { value_ns / 1000000000, value_ns % 1000000000 } };
	return it;
}

static long long ts_ns(struct timespec ts)
{
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One read: the expiry count, or -1 with errno set. */
static long long ticks(int fd)
{
	uint64_t v;
	if (read(fd, &v, sizeof v) != sizeof v)
		return -1;
	return (long long)v;
}

static int readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, timeout_ms) == 1 && p.revents == POLLIN;
}

static void one_shot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	if (fd < 0)
		t_die("timerfd_create");
	t_ok(!strcmp(fd_link(fd), "anon_inode:[timerfd]"), "/proc/self/fd names it anon_inode:[timerfd]");
	t_ok(fcntl(fd, F_GETFL) & O_NONBLOCK, "TFD_NONBLOCK sets O_NONBLOCK");
	struct itimerspec cur;
	t_sys(timerfd_gettime(fd, &cur), "timerfd_gettime of a new timer");
	t_ok(ts_ns(cur.it_value) == 0 && ts_ns(cur.it_interval) == 0, "a new timer is disarmed");
	t_err(ticks(fd), EAGAIN, "read before any expiry: EAGAIN");
	t_ok(!readable(fd, 0), "poll: not readable");

	struct itimerspec it = spec(1000 * MS, 0), old;
	t_sys(timerfd_settime(fd, 0, &it, NULL), "arm in 1 s");
	t_sys(timerfd_gettime(fd, &cur), "timerfd_gettime");
	t_check(ts_ns(cur.it_value) > 0 && ts_ns(cur.it_value) <= 1000 * MS && ts_ns(cur.it_interval) == 0,
		"gettime: under 1 s left, no interval", "value %lld ns", ts_ns(cur.it_value));
	it = spec(50 * MS, 0);
	long long t0 = t_ns(CLOCK_MONOTONIC);
	t_sys(timerfd_settime(fd, 0, &it, &old), "re-arm in 50 ms");
	t_check(ts_ns(old.it_value) > 500 * MS && ts_ns(old.it_value) <= 1000 * MS, "settime returns the old value",
		"%lld ns", ts_ns(old.it_value));
	t_ok(readable(fd, 5000), "poll waits for the expiry: POLLIN");
	long long took = t_ns(CLOCK_MONOTONIC) - t0;
	t_check(took >= 50 * MS, "not before 50 ms", "%lld ms", took / MS);
	t_eq(ticks(fd), 1, "read: 1 expiry");
	t_err(ticks(fd), EAGAIN, "then EAGAIN");
	t_sys(timerfd_gettime(fd, &cur), "gettime after it fired");
	t_ok(ts_ns(cur.it_value) == 0, "an expired one-shot timer shows 0 left");

	/* settime starts the count again. */
	it = spec(1 * MS, 0);
	t_sys(timerfd_settime(fd, 0, &it, NULL), "arm in 1 ms");
	t_ok(readable(fd, 5000), "it expires");
	it = spec(1000 * MS, 0);
	t_sys(timerfd_settime(fd, 0, &it, NULL), "re-arm before reading");
	t_err(ticks(fd), EAGAIN, "the count went with the old setting");
	it = spec(0, 0);
	t_sys(timerfd_settime(fd, 0, &it, &old), "disarm");
	t_ok(ts_ns(old.it_value) > 0, "old value of the armed timer");
	t_sys(timerfd_gettime(fd, &cur), "gettime disarmed");
	t_ok(ts_ns(cur.it_value) == 0, "0 left");

	char small[4];
	t_err(read(fd, small, sizeof small), EINVAL, "read of 4 bytes: EINVAL");
	uint64_t one = 1;
	t_err(write(fd, &one, sizeof one), EINVAL, "write: EINVAL");
	close(fd);
}

static void periodic(void)
{
	int fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC);
	if (fd < 0)
		t_die("timerfd_create(CLOCK_BOOTTIME)");
	t_ok(fcntl(fd, F_GETFD) & FD_CLOEXEC, "TFD_CLOEXEC sets FD_CLOEXEC");
	struct itimerspec it = spec(10 * MS, 10 * MS);
	long long t0 = t_ns(CLOCK_MONOTONIC);
	t_sys(timerfd_settime(fd, 0, &it, NULL), "every 10 ms on CLOCK_BOOTTIME");
	t_sleep_ms(105);
	long long n = ticks(fd);
	long long took = t_ns(CLOCK_MONOTONIC) - t0;
	t_check(n >= 10 && n <= took / (10 * MS), "one read counts every period that passed", "%lld in %lld ms", n,
		took / MS);
	struct itimerspec cur;
	t_sys(timerfd_gettime(fd, &cur), "gettime of a periodic timer");
	t_check(ts_ns(cur.it_interval) == 10 * MS && ts_ns(cur.it_value) > 0 && ts_ns(cur.it_value) <= 10 * MS,
		"interval 10 ms, next expiry within it", "value %lld", ts_ns(cur.it_value));
	n = ticks(fd);
	t_check(n >= 1, "a blocking read waits for the next period", "%lld", n);

	const char *buf = fd_info(fd);
	t_ok(strstr(buf, "\nclockid: 7\n") && strstr(buf, "\nit_interval: (0, 10000000)\n"),
	     "fdinfo shows the clock and the interval");
	close(fd);
}

static void absolute(void)
{
	int fd = timerfd_create(CLOCK_REALTIME, 0);
	if (fd < 0)
		t_die("timerfd_create(CLOCK_REALTIME)");
	long long now = t_ns(CLOCK_REALTIME);
	struct itimerspec it = spec(now + 30 * MS, 0);
	t_sys(timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &it, NULL),
	      "TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, 30 ms ahead on CLOCK_REALTIME");
	t_eq(ticks(fd), 1, "a blocking read returns at that time");
	t_check(t_ns(CLOCK_REALTIME) >= now + 30 * MS, "not before it", "%lld ms early",
		(now + 30 * MS - t_ns(CLOCK_REALTIME)) / MS);
	close(fd);

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	now = t_ns(CLOCK_MONOTONIC);
	it = spec(now - 100 * MS, 10 * MS);
	t_sys(timerfd_settime(fd, TFD_TIMER_ABSTIME, &it, NULL), "absolute, 100 ms ago, every 10 ms");
	t_ok(readable(fd, 5000), "a time already past: readable");
	long long n = ticks(fd);
	t_check(n >= 10, "the periods missed count", "%lld", n);
	close(fd);
}

/* A read blocked in a child returns when the parent arms the timer. */
static void across_fork(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	int go[2];
	if (fd < 0 || pipe(go) < 0)
		t_die("timerfd_create/pipe");
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		t_send(go[1], 'r');
		t_eq(ticks(fd), 1, "child: its blocked read returns 1");
		t_child_exit();
	}
	t_recv(go[0]);
	t_sleep_ms(30);
	t_eq(waitpid(c, NULL, WNOHANG), 0, "the child waits in read");
	struct itimerspec it = spec(50 * MS, 0);
	t_sys(timerfd_settime(fd, 0, &it, NULL), "parent arms the shared timer");
	t_wait_ok(c, "the child read the expiry");
	close(fd);
	close(go[0]);
	close(go[1]);
}

static void errors(void)
{
	t_err(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL, "timerfd_create on a CPU clock: EINVAL");
	t_err(timerfd_create(99, 0), EINVAL, "on an unknown clock: EINVAL");
	t_err(timerfd_create(CLOCK_MONOTONIC, 1), EINVAL, "with an unknown flag: EINVAL");
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	int p[2];
	if (fd < 0 || pipe(p) < 0)
		t_die("timerfd_create/pipe");
	struct itimerspec it = spec(MS, 0), cur;
	t_err(timerfd_settime(fd, 4, &it, NULL), EINVAL, "settime with an unknown flag: EINVAL");
	it.it_value.tv_nsec = 1000000000;
	t_err(timerfd_settime(fd, 0, &it, NULL), EINVAL, "tv_nsec of 10^9: EINVAL");
	it = spec(MS, 0);
	it.it_interval.tv_sec = -1;
	t_err(timerfd_settime(fd, 0, &it, NULL), EINVAL, "a negative interval: EINVAL");
	it = spec(MS, 0);
	t_err(timerfd_settime(99, 0, &it, NULL), EBADF, "settime on a closed fd: EBADF");
	t_err(timerfd_settime(p[0], 0, &it, NULL), EINVAL, "settime on a pipe: EINVAL");
	t_err(timerfd_gettime(p[0], &cur), EINVAL, "gettime on a pipe: EINVAL");
	t_err(timerfd_gettime(-1, &cur), EBADF, "gettime on fd -1: EBADF");
	t_err(syscall(SYS_timerfd_settime, fd, 0, t_addr(8), NULL), EFAULT, "settime from a bad pointer: EFAULT");
	t_err(syscall(SYS_timerfd_gettime, fd, t_addr(8)), EFAULT, "gettime into a bad pointer: EFAULT");
	close(fd);
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	one_shot();
	periodic();
	absolute();
	across_fork();
	errors();
	return t_done();
}
