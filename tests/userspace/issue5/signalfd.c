/* signalfd — proves signalfd and signalfd4 as Linux has them: a read
 * takes a pending signal of the mask from the reader's own queues (a
 * forked child does not see the parent's) and returns struct
 * signalfd_siginfo with the sender's pid and uid (kill), the value
 * (sigqueue), the child's status (SIGCHLD); several fit in one read; a
 * read blocks until a signal comes, also from another process, or fails
 * EAGAIN with SFD_NONBLOCK; signals outside the mask stay pending; the
 * mask of an existing signalfd can be changed; poll reports POLLIN; bad
 * sizes, flags, descriptors and pointers give EINVAL, EBADF or EFAULT;
 * /proc shows "anon_inode:[signalfd]" and the mask in fdinfo.
 */
#include "t.h"
#include "anonfd.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>

static sigset_t set_of(int a, int b)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return s;
}

/* One struct from fd; ssi_signo is 0 (and errno set) if the read failed. */
static struct signalfd_siginfo take(int fd)
{
	struct signalfd_siginfo si;
	memset(&si, 0, sizeof si);
	if (read(fd, &si, sizeof si) != sizeof si)
		si.ssi_signo = 0;
	return si;
}

/* read's result for one structure. */
static long take_n(int fd)
{
	struct signalfd_siginfo si;
	return read(fd, &si, sizeof si);
}

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && p.revents == POLLIN;
}

static int is_pending(int sig)
{
	sigset_t p;
	sigpending(&p);
	return sigismember(&p, sig);
}

static void basics(void)
{
	sigset_t mask = set_of(SIGUSR1, 0);
	int fd = signalfd(-1, &mask, SFD_NONBLOCK);
	if (fd < 0)
		t_die("signalfd");
	t_ok(!strcmp(fd_link(fd), "anon_inode:[signalfd]"), "/proc/self/fd names it anon_inode:[signalfd]");
	t_ok(strstr(fd_info(fd), "\nsigmask:\t0000000000000200\n") != NULL, "fdinfo shows the mask (SIGUSR1)");
	t_ok(fcntl(fd, F_GETFL) & O_NONBLOCK, "SFD_NONBLOCK sets O_NONBLOCK");
	t_ok(!(fcntl(fd, F_GETFD) & FD_CLOEXEC), "no FD_CLOEXEC without SFD_CLOEXEC");
	t_err(take_n(fd), EAGAIN, "read with nothing pending: EAGAIN");
	t_ok(!readable(fd), "poll: not readable");

	kill(getpid(), SIGUSR1);
	t_ok(readable(fd), "SIGUSR1 pending: POLLIN");
	struct signalfd_siginfo si = take(fd);
	t_eq(si.ssi_signo, SIGUSR1, "read: ssi_signo SIGUSR1");
	t_eq(si.ssi_code, SI_USER, "ssi_code SI_USER");
	t_ok(si.ssi_pid == (uint32_t)getpid() && si.ssi_uid == getuid(), "ssi_pid and ssi_uid are the sender's");
	t_ok(!is_pending(SIGUSR1), "the signal was taken");
	t_err(take_n(fd), EAGAIN, "then EAGAIN");

	kill(getpid(), SIGUSR2);
	t_err(take_n(fd), EAGAIN, "SIGUSR2, not in the mask: EAGAIN");
	t_ok(is_pending(SIGUSR2), "it stays pending");
	mask = set_of(SIGUSR1, SIGUSR2);
	t_eq(signalfd(fd, &mask, 0), fd, "signalfd(fd, ...) changes the mask, returns fd");
	t_eq(take(fd).ssi_signo, SIGUSR2, "now SIGUSR2 is read");

	union sigval v = { .sival_int = 7 };
	sigqueue(getpid(), SIGRTMIN, v);
	v.sival_int = 8;
	sigqueue(getpid(), SIGRTMIN, v);
	mask = set_of(SIGRTMIN, 0);
	t_eq(signalfd(fd, &mask, 0), fd, "mask SIGRTMIN");
	struct signalfd_siginfo two[3];
	memset(two, 0, sizeof two);
	t_eq(read(fd, two, sizeof two), 2 * sizeof two[0], "a read of three structures takes both queued");
	t_ok(two[0].ssi_signo == (uint32_t)SIGRTMIN && two[0].ssi_code == SI_QUEUE && two[0].ssi_int == 7 &&
		     two[1].ssi_int == 8,
	     "sigqueue's SI_QUEUE and values 7, 8 in order");
	t_ok(two[0].ssi_pid == (uint32_t)getpid(), "with the sender's pid");

	char small[64];
	t_err(read(fd, small, sizeof small), EINVAL, "read of less than 128 bytes: EINVAL");
	t_err(write(fd, small, sizeof small), EINVAL, "write: EINVAL");
	close(fd);
}

static void errors(void)
{
	sigset_t mask = set_of(SIGUSR1, 0);
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	t_err(syscall(SYS_signalfd4, -1, &mask, 4, 0), EINVAL, "sizemask 4: EINVAL");
	t_err(syscall(SYS_signalfd4, -1, &mask, 8, 1), EINVAL, "an unknown flag: EINVAL");
	t_err(syscall(SYS_signalfd4, -1, t_addr(8), 8, 0), EFAULT, "a bad mask pointer: EFAULT");
	t_err(signalfd(p[0], &mask, 0), EINVAL, "signalfd on a pipe's fd: EINVAL");
	t_err(signalfd(99, &mask, 0), EBADF, "on a closed fd: EBADF");
	sigset_t all;
	sigfillset(&all);
	int fd = signalfd(-1, &all, SFD_CLOEXEC);
	t_ok(fd >= 0, "a mask with SIGKILL and SIGSTOP is accepted");
	t_ok(fcntl(fd, F_GETFD) & FD_CLOEXEC, "SFD_CLOEXEC sets FD_CLOEXEC");
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* Blocking reads woken by other processes; a child's queues are its own. */
static void across_fork(void)
{
	sigset_t mask = set_of(SIGUSR1, SIGCHLD);
	int fd = signalfd(-1, &mask, 0);
	if (fd < 0)
		t_die("signalfd");
	pid_t parent = getpid();
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		t_sleep_ms(50);
		kill(parent, SIGUSR1);
		t_sleep_ms(1000);
		_exit(0);
	}
	struct signalfd_siginfo si = take(fd);
	t_ok(si.ssi_signo == SIGUSR1 && si.ssi_pid == (uint32_t)c, "a blocked read wakes with the child's SIGUSR1");
	kill(c, SIGKILL);
	t_waited(c, 0, "signal 9 (SIGKILL)", "the child is gone");
	while (sigwaitinfo(&mask, NULL) < 0 && errno == EINTR)
		;

	fflush(stdout);
	c = fork();
	if (c == 0) {
		t_sleep_ms(50);
		_exit(3);
	}
	si = take(fd);
	t_ok(si.ssi_signo == SIGCHLD && si.ssi_code == CLD_EXITED && si.ssi_pid == (uint32_t)c && si.ssi_status == 3,
	     "SIGCHLD: CLD_EXITED, the child's pid and status 3");
	t_waited(c, 0, "exit 3", "reaped");

	kill(getpid(), SIGUSR1);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		fcntl(fd, F_SETFL, O_NONBLOCK);
		t_err(take_n(fd), EAGAIN, "child: the parent's pending SIGUSR1 is not its own");
		t_child_exit();
	}
	t_wait_ok(c, "the child");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	t_eq(take(fd).ssi_signo, SIGUSR1, "the parent still reads it");
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGRTMIN);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);
	basics();
	errors();
	across_fork();
	return t_done();
}
