/* fs-select — proves select and pselect6 (and on i386 _newselect and the
 * old one-argument select): pipes report readable and writable as they
 * are, EOF counts as readable, a timeout expires and the time left is
 * written back (0 when it ran out), a sleeper wakes when a child writes,
 * the signal mask of pselect6 lets a pending signal in (EINTR, handler
 * ran) and is restored after; EBADF for a closed descriptor, EINVAL for
 * a negative count or time.
 */
#include "t.h"
#include <sys/select.h>
#include <sys/time.h>

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* select as the kernel answers it (C libraries may pass a copy of the
   timeout, hiding the time left): _newselect on i386. */
static long raw_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
#ifdef __i386__
	return syscall(SYS__newselect, n, r, w, e, tv);
#else
	return syscall(SYS_select, n, r, w, e, tv);
#endif
}

static void basics(int r, int w)
{
	fd_set rs, ws, es;
	struct timeval tv = { 0, 0 };
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	FD_SET(r, &rs);
	FD_SET(w, &ws);
	FD_SET(r, &es);
	t_eq(select(w + 1, &rs, &ws, &es, &tv), 1, "an empty pipe: one descriptor ready");
	t_ok(!FD_ISSET(r, &rs) && FD_ISSET(w, &ws) && !FD_ISSET(r, &es), "the write end is writable, nothing else");
	t_eq(write(w, "x", 1), 1, "write a byte");
	FD_ZERO(&rs);
	FD_SET(r, &rs);
	tv.tv_sec = 1;
	t_eq(raw_select(r + 1, &rs, NULL, NULL, &tv), 1, "now the read end is ready");
	t_ok(FD_ISSET(r, &rs) && tv.tv_sec == 0 && tv.tv_usec > 0, "it is marked readable; the time left was written back");
	char c;
	t_eq(read(r, &c, 1), 1, "drain the byte");
	FD_ZERO(&rs);
	FD_SET(r, &rs);
	tv.tv_sec = 0, tv.tv_usec = 50000;
	long long t0 = t_ns(CLOCK_MONOTONIC);
	t_eq(raw_select(r + 1, &rs, NULL, NULL, &tv), 0, "select on an empty pipe times out");
	t_ok(t_ns(CLOCK_MONOTONIC) - t0 >= 45000000LL, "after about the 50 ms asked for");
	t_ok(tv.tv_sec == 0 && tv.tv_usec == 0 && !FD_ISSET(r, &rs), "no time left, no descriptor set");
	FD_ZERO(&rs);
	FD_SET(60, &rs); /* below 64: Linux ignores fds past its table's size */
	tv.tv_usec = 0;
	t_err(select(61, &rs, NULL, NULL, &tv), EBADF, "a closed descriptor in a set -> EBADF");
	t_err(select(-1, NULL, NULL, NULL, &tv), EINVAL, "a negative count -> EINVAL");
	tv.tv_sec = -1;
	t_err(select(1, NULL, NULL, NULL, &tv), EINVAL, "a negative time -> EINVAL");
	tv.tv_sec = 0, tv.tv_usec = 0;
	t_eq(select(0, NULL, NULL, NULL, &tv), 0, "no descriptors at all: 0 at once");
}

static void wakeup(void)
{
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		t_sleep_ms(100);
		_exit(write(p[1], "y", 1) == 1 ? 0 : 1);
	}
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	t_eq(select(p[0] + 1, &rs, NULL, NULL, NULL), 1, "select without a timeout sleeps until the child writes");
	t_wait_ok(child, "the child exited 0");
	close(p[1]);
	char c;
	t_eq(read(p[0], &c, 1), 1, "read the byte");
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	struct timeval tv = { 0, 0 };
	t_ok(select(p[0] + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &rs), "EOF (no writer left) is readable");
	close(p[0]);
}

static void masks(int r)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t block, empty, now;
	sigemptyset(&block), sigaddset(&block, SIGUSR1), sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);
	t_ok(!got_usr1, "SIGUSR1 is pending while blocked");
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(r, &rs);
	struct timespec ts = { 5, 0 };
	t_err(pselect(r + 1, &rs, NULL, NULL, &ts, &empty), EINTR, "pselect with an empty mask lets it in -> EINTR");
	t_ok(got_usr1, "the handler ran");
	sigprocmask(SIG_SETMASK, NULL, &now);
	t_ok(sigismember(&now, SIGUSR1), "the old mask is back afterwards");
	ts.tv_sec = 0, ts.tv_nsec = 1000000000;
	t_err(pselect(r + 1, &rs, NULL, NULL, &ts, NULL), EINVAL, "a timespec with a whole second of nanoseconds -> EINVAL");
	ts.tv_nsec = 1000000;
	t_eq(pselect(r + 1, &rs, NULL, NULL, &ts, &block), 0, "pselect times out with a mask given");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
}

#ifdef __i386__
/* i386's own calls: _newselect (142) and the old select (82), whose one
   argument points at the five. */
static void i386_calls(int r, int w)
{
	fd_set ws;
	FD_ZERO(&ws);
	FD_SET(w, &ws);
	struct { int32_t sec, usec; } tv = { 0, 0 };
	t_eq(syscall(SYS__newselect, w + 1, NULL, &ws, NULL, &tv), 1, "i386 _newselect: the write end is writable");
	FD_ZERO(&ws);
	FD_SET(w, &ws);
	struct { uint32_t n, in, out, ex, tvp; } args = { (uint32_t)w + 1, 0, (uint32_t)&ws, 0, (uint32_t)&tv };
	t_eq(syscall(SYS_select, &args), 1, "i386 old select through its argument block");
	t_ok(FD_ISSET(w, &ws) && !FD_ISSET(r, &ws), "it set the write end only");
}
#else
static void i386_calls(int r, int w)
{
	fd_set ws;
	FD_ZERO(&ws);
	FD_SET(w, &ws);
	struct timeval tv = { 0, 0 };
	t_eq(select(w + 1, NULL, &ws, NULL, &tv), 1, "select: the write end is writable (i386 tests _newselect here)");
	FD_ZERO(&ws);
	FD_SET(w, &ws);
	t_eq(select(w + 1, NULL, &ws, NULL, &tv), 1, "and again (i386 tests the old select here)");
	t_ok(FD_ISSET(w, &ws) && !FD_ISSET(r, &ws), "it set the write end only");
}
#endif

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	basics(p[0], p[1]);
	wakeup();
	masks(p[0]);
	i386_calls(p[0], p[1]);
	return t_done();
}
