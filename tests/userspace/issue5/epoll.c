/* epoll — proves epoll as Linux has it: epoll_create/epoll_create1,
 * epoll_ctl ADD/MOD/DEL and their errors (EEXIST, ENOENT, EBADF, EPERM for
 * regular files and directories, EINVAL, ELOOP for a cycle of epoll
 * files), level-triggered items reported while ready, EPOLLET items when
 * they become ready again, EPOLLONESHOT items once until EPOLL_CTL_MOD;
 * the user data comes back; a small maxevents sees every ready item in
 * turn; items go when their file's last descriptor closes (not when a dup
 * remains); nested epoll; pipes' hang-ups and errors; epoll_wait wakes
 * when another process writes an eventfd, and for a pipe, a timerfd and a
 * signalfd in one set; timeouts; epoll_pwait's signal mask, EINTR;
 * epoll_pwait2's timespec; bad arguments give EINVAL, EBADF or EFAULT.
 */
#include "t.h"
#include "anonfd.h"
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

#define MS 1000000LL

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* epoll_wait for one event with timeout ms: its events (0 if none);
   its data in *data. */
static uint32_t wait1(int ep, int ms, uint64_t *data)
{
	struct epoll_event ev[1];
	int n = epoll_wait(ep, ev, 1, ms);
	if (n != 1)
		return 0;
	if (data)
		*data = ev[0].data.u64;
	return ev[0].events;
}

static void bump(int efd)
{
	uint64_t one = 1;
	if (write(efd, &one, 8) != 8)
		t_check(0, "eventfd write", "%s", errname(errno));
}

static void drain(int fd)
{
	char buf[256];
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (read(fd, buf, sizeof buf) > 0)
		;
	fcntl(fd, F_SETFL, fl);
}

static void create_and_ctl(void)
{
	t_err(syscall(SYS_epoll_create, 0), EINVAL, "epoll_create(0): EINVAL");
	t_err(epoll_create1(1), EINVAL, "epoll_create1 with an unknown flag: EINVAL");
	int ep = syscall(SYS_epoll_create, 1);
	int ep2 = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || ep2 < 0)
		t_die("epoll_create");
	t_ok(!(fcntl(ep, F_GETFD) & FD_CLOEXEC) && (fcntl(ep2, F_GETFD) & FD_CLOEXEC),
	     "EPOLL_CLOEXEC sets FD_CLOEXEC, epoll_create does not");
	t_ok(!strcmp(fd_link(ep), "anon_inode:[eventpoll]"), "/proc/self/fd names it anon_inode:[eventpoll]");

	int p[2], efd = eventfd(0, 0);
	int reg = open(t_self, O_RDONLY);
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	if (pipe(p) < 0 || efd < 0 || reg < 0 || dir < 0)
		t_die("pipe/eventfd/open");
	t_err(add(ep, reg, EPOLLIN, 0), EPERM, "ADD a regular file: EPERM");
	t_err(add(ep, dir, EPOLLIN, 0), EPERM, "ADD a directory: EPERM");
	t_err(add(ep, ep, EPOLLIN, 0), EINVAL, "ADD the epoll fd to itself: EINVAL");
	t_err(add(p[0], efd, EPOLLIN, 0), EINVAL, "epfd not an epoll file: EINVAL");
	t_err(add(99, efd, EPOLLIN, 0), EBADF, "epfd closed: EBADF");
	t_err(add(ep, 99, EPOLLIN, 0), EBADF, "fd closed: EBADF");
	t_sys(add(ep, p[0], EPOLLIN, 1), "ADD a pipe's read end");
	t_err(add(ep, p[0], EPOLLIN, 1), EEXIST, "ADD it again: EEXIST");
	t_err(mod(ep, efd, EPOLLIN, 2), ENOENT, "MOD a file not added: ENOENT");
	t_err(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL), ENOENT, "DEL a file not added: ENOENT");
	struct epoll_event ev = { .events = EPOLLIN };
	t_err(epoll_ctl(ep, 99, p[0], &ev), EINVAL, "an unknown op: EINVAL");
	t_err(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, efd, t_addr(8)), EFAULT, "event from a bad pointer: EFAULT");
	t_sys(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], t_addr(8)), "DEL ignores the event pointer");
	t_err(add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 2), EINVAL,
	      "EPOLLEXCLUSIVE with EPOLLONESHOT: EINVAL");
	t_err(add(ep, ep2, EPOLLIN | EPOLLEXCLUSIVE, 2), EINVAL, "EPOLLEXCLUSIVE on an epoll file: EINVAL");
	t_sys(add(ep, efd, EPOLLIN | EPOLLEXCLUSIVE, 2), "EPOLLEXCLUSIVE with EPOLLIN");
	t_err(mod(ep, efd, EPOLLIN | EPOLLEXCLUSIVE, 2), EINVAL, "MOD with EPOLLEXCLUSIVE: EINVAL");
	t_err(mod(ep, efd, EPOLLIN, 2), EINVAL, "MOD of an exclusive item: EINVAL");

	t_sys(add(ep2, ep, EPOLLIN, 3), "ADD one epoll file to another");
	t_err(add(ep, ep2, EPOLLIN, 4), ELOOP, "and back: ELOOP");

	struct epoll_event evs[4];
	t_err(epoll_wait(ep, evs, 0, 0), EINVAL, "maxevents 0: EINVAL");
	t_err(syscall(SYS_epoll_wait, ep, evs, -1, 0), EINVAL, "maxevents -1: EINVAL");
	t_err(epoll_wait(p[0], evs, 4, 0), EINVAL, "epoll_wait on a pipe: EINVAL");
	t_err(epoll_wait(99, evs, 4, 0), EBADF, "epoll_wait on a closed fd: EBADF");
	t_eq(epoll_wait(ep, evs, 4, 0), 0, "nothing ready, timeout 0: 0");
	bump(efd);
	t_err(syscall(SYS_epoll_wait, ep, t_addr(8), 4, 0), EFAULT, "events into a bad pointer: EFAULT");

	char want[128];
	const char *buf = fd_info(ep);
	snprintf(want, sizeof want, "tfd: %8d events: %8x data: %16llx  pos:", efd,
		 EPOLLIN | EPOLLEXCLUSIVE | EPOLLERR | EPOLLHUP, 2ULL);
	t_ok(strstr(buf, want) != NULL, "fdinfo lists the item: tfd, events, data");
	close(ep);
	close(ep2);
	close(efd);
	close(reg);
	close(dir);
	close(p[0]);
	close(p[1]);
}

static void triggering(void)
{
	int ep = epoll_create1(0), lt = eventfd(0, 0), et = eventfd(0, 0), one = eventfd(0, 0);
	uint64_t data = 0;
	t_sys(add(ep, lt, EPOLLIN, 0x1122334455667788ULL), "ADD level-triggered");
	t_sys(add(ep, et, EPOLLIN | EPOLLET, 2), "ADD edge-triggered");
	t_sys(add(ep, one, EPOLLIN | EPOLLONESHOT, 3), "ADD one-shot");

	bump(lt);
	t_eq(wait1(ep, 0, &data), EPOLLIN, "level: EPOLLIN");
	t_ok(data == 0x1122334455667788ULL, "with its 64-bit data");
	t_eq(wait1(ep, 0, NULL), EPOLLIN, "level: again while ready");
	drain(lt);
	t_eq(wait1(ep, 0, NULL), 0, "level: not once read");

	bump(et);
	t_eq(wait1(ep, 0, &data), EPOLLIN, "edge: EPOLLIN once it became ready");
	t_eq(data, 2, "edge: its data");
	t_eq(wait1(ep, 0, NULL), 0, "edge: not again while nothing happens");
	bump(et);
	t_eq(wait1(ep, 0, &data), EPOLLIN, "edge: again after another write");
	t_eq(wait1(ep, 0, NULL), 0, "edge: then quiet");
	drain(et);

	bump(one);
	t_eq(wait1(ep, 0, &data), EPOLLIN, "one-shot: reported");
	t_eq(data, 3, "one-shot: its data");
	bump(one);
	t_eq(wait1(ep, 0, NULL), 0, "one-shot: not again, even after a write");
	t_sys(mod(ep, one, EPOLLIN | EPOLLONESHOT, 4), "MOD re-arms it");
	t_eq(wait1(ep, 0, &data), EPOLLIN, "one-shot: reported after MOD");
	t_eq(data, 4, "with the new data");
	t_eq(wait1(ep, 0, NULL), 0, "and disabled again");
	drain(one);

	/* Edge-triggered on a pipe: read everything, then a write reports. */
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	t_sys(add(ep, p[0], EPOLLIN | EPOLLRDHUP | EPOLLPRI | EPOLLET, 5), "ADD a pipe edge-triggered");
	t_eq(write(p[1], "ab", 2), 2, "write 2 bytes");
	t_eq(wait1(ep, 0, &data), EPOLLIN, "pipe edge: EPOLLIN only");
	t_eq(wait1(ep, 0, NULL), 0, "pipe edge: quiet");
	drain(p[0]);
	t_eq(write(p[1], "c", 1), 1, "write again after reading all");
	t_eq(wait1(ep, 0, NULL), EPOLLIN, "pipe edge: reported again");
	drain(p[0]);
	close(p[1]);
	t_ok(wait1(ep, 0, NULL) & EPOLLHUP, "the write end closed: EPOLLHUP");
	close(p[0]);

	/* Three ready, maxevents 2: the third comes next. */
	int e[3];
	int ep3 = epoll_create1(0);
	for (int i = 0; i < 3; i++) {
		e[i] = eventfd(1, 0);
		add(ep3, e[i], EPOLLIN, (uint64_t)i);
	}
	struct epoll_event evs[2];
	int seen = 0, n1 = epoll_wait(ep3, evs, 2, 0);
	for (int i = 0; i < n1; i++)
		seen |= 1 << evs[i].data.u64;
	int n2 = epoll_wait(ep3, evs, 2, 0);
	for (int i = 0; i < n2; i++)
		seen |= 1 << evs[i].data.u64;
	t_ok(n1 == 2 && n2 == 2 && seen == 7, "maxevents 2 with three ready: all three within two waits");

	/* Items are keyed by open file: a dup keeps one alive. */
	int d = dup(e[0]);
	close(e[0]);
	struct epoll_event all[3];
	int m = epoll_wait(ep3, all, 3, 0), saw0 = 0;
	for (int i = 0; i < m; i++)
		saw0 |= all[i].data.u64 == 0;
	t_ok(m == 3 && saw0, "closing fd but not its dup: the item stays");
	t_err(epoll_ctl(ep3, EPOLL_CTL_DEL, d, NULL), ENOENT, "DEL by the dup's number: ENOENT");
	close(d);
	m = epoll_wait(ep3, all, 3, 0);
	int gone = 1;
	for (int i = 0; i < m; i++)
		gone &= all[i].data.u64 != 0;
	t_ok(m == 2 && gone, "last descriptor closed: the item is gone");
	close(e[1]);
	close(e[2]);
	close(ep3);

	/* Nested: the outer epoll sees the inner one readable. */
	int inner = epoll_create1(0), outer = epoll_create1(0), efd = eventfd(0, 0);
	add(inner, efd, EPOLLIN, 7);
	t_sys(add(outer, inner, EPOLLIN, 8), "ADD an epoll file to another");
	t_eq(wait1(outer, 0, NULL), 0, "nested: quiet while the inner one is");
	bump(efd);
	t_eq(wait1(outer, 0, &data), EPOLLIN, "nested: the outer reports the inner");
	t_eq(data, 8, "with the outer item's data");
	t_eq(wait1(inner, 0, &data), EPOLLIN, "the inner reports the eventfd");
	t_eq(data, 7, "with its data");
	close(efd);
	close(inner);
	close(outer);
	close(lt);
	close(et);
	close(one);
	close(ep);
}

/* Another process wakes epoll_wait; a pipe, a timerfd and a signalfd in
   one set. */
static void across_fork(void)
{
	int ep = epoll_create1(0), efd = eventfd(0, 0);
	add(ep, efd, EPOLLIN, 1);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		t_sleep_ms(50);
		bump(efd);
		_exit(0);
	}
	uint64_t data = 0;
	t_eq(wait1(ep, -1, &data), EPOLLIN, "epoll_wait(-1) wakes when a child writes the eventfd");
	t_eq(data, 1, "the eventfd's item");
	t_wait_ok(c, "the child");
	close(efd);
	close(ep);

	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	int p[2];
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0), sfd = signalfd(-1, &usr1, 0);
	ep = epoll_create1(0);
	if (pipe(p) < 0 || tfd < 0 || sfd < 0 || ep < 0)
		t_die("pipe/timerfd/signalfd/epoll");
	add(ep, p[0], EPOLLIN, 1);
	add(ep, tfd, EPOLLIN, 2);
	add(ep, sfd, EPOLLIN, 4);
	struct itimerspec it = { { 0, 0 }, { 0, 30 * MS } };
	timerfd_settime(tfd, 0, &it, NULL);
	pid_t parent = getpid();
	fflush(stdout);
	c = fork();
	if (c == 0) {
		t_sleep_ms(60);
		kill(parent, SIGUSR1);
		t_sleep_ms(30);
		t_send(p[1], 'x');
		_exit(0);
	}
	int seen = 0, waits = 0;
	while (seen != 7 && waits++ < 10) {
		struct epoll_event evs[3];
		int n = epoll_wait(ep, evs, 3, 5000);
		for (int i = 0; i < n; i++) {
			seen |= (int)evs[i].data.u64;
			if (evs[i].data.u64 == 1)
				drain(p[0]);
			else if (evs[i].data.u64 == 2)
				drain(tfd);
			else {
				struct signalfd_siginfo si;
				read(sfd, &si, sizeof si);
			}
		}
	}
	t_eq(seen, 7, "the timerfd, the signalfd and the pipe each woke epoll_wait");
	t_wait_ok(c, "the child");
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	close(p[0]);
	close(p[1]);
	close(tfd);
	close(sfd);
	close(ep);
}

static int handled;

static void on_usr2(int sig)
{
	(void)sig;
	handled++;
}

static void timeouts_and_masks(void)
{
	int ep = epoll_create1(0), efd = eventfd(0, 0);
	add(ep, efd, EPOLLIN, 1);
	struct epoll_event evs[2];
	long long t0 = t_ns(CLOCK_MONOTONIC);
	t_eq(epoll_wait(ep, evs, 2, 50), 0, "epoll_wait with nothing ready times out: 0");
	long long took = t_ns(CLOCK_MONOTONIC) - t0;
	t_check(took >= 49 * MS, "after its 50 ms", "%lld ms", took / MS);

	struct { int64_t sec, nsec; } ts = { 0, 50 * MS };
	t0 = t_ns(CLOCK_MONOTONIC);
	t_eq(syscall(SYS_epoll_pwait2, ep, evs, 2, &ts, NULL, 8), 0, "epoll_pwait2 with a 50 ms timespec: 0");
	took = t_ns(CLOCK_MONOTONIC) - t0;
	t_check(took >= 50 * MS, "after its 50 ms", "%lld ms", took / MS);
	ts.nsec = 1000000000;
	t_err(syscall(SYS_epoll_pwait2, ep, evs, 2, &ts, NULL, 8), EINVAL, "epoll_pwait2 with tv_nsec 10^9: EINVAL");
	bump(efd);
	t_eq(syscall(SYS_epoll_pwait2, ep, evs, 2, NULL, NULL, 8), 1, "epoll_pwait2 without a timeout: the ready one");
	drain(efd);

	struct sigaction sa = { .sa_handler = on_usr2, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	sigset_t usr2, none, now;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigemptyset(&none);
	t_err(syscall(SYS_epoll_pwait, ep, evs, 2, 0, &none, 4), EINVAL, "epoll_pwait with sigsetsize 4: EINVAL");
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	pid_t parent = getpid();
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		t_sleep_ms(50);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	t_err(epoll_pwait(ep, evs, 2, 5000, &none), EINTR, "epoll_pwait unblocks SIGUSR2 while waiting: EINTR, even with SA_RESTART");
	t_eq(handled, 1, "the handler ran");
	sigprocmask(SIG_BLOCK, NULL, &now);
	t_ok(sigismember(&now, SIGUSR2), "the old mask is back afterwards");
	t_wait_ok(c, "the child");
	kill(getpid(), SIGUSR2);
	t_eq(epoll_pwait(ep, evs, 2, 0, &usr2), 0, "epoll_pwait with SIGUSR2 kept blocked: 0");
	t_eq(handled, 1, "no handler");
	sigprocmask(SIG_UNBLOCK, &usr2, NULL);
	t_eq(handled, 2, "it runs once unblocked");
	close(efd);
	close(ep);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	create_and_ctl();
	triggering();
	across_fork();
	timeouts_and_masks();
	return t_done();
}
