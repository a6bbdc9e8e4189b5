/* eventfd — proves eventfd and eventfd2 as Linux has them: a read takes
 * the whole count (one with EFD_SEMAPHORE) and blocks while it is 0, until
 * another process writes; writes add, and block while the sum would reach
 * the maximum; EFD_NONBLOCK gives EAGAIN instead, EFD_CLOEXEC sets
 * FD_CLOEXEC; poll reports POLLIN and POLLOUT from the count; a signal
 * ends a blocked read with EINTR; /proc shows "anon_inode:[eventfd]" and
 * the count in fdinfo; short reads, writes of other than 8 bytes, the
 * value 2^64-1 and bad flags are
 * EINVAL, bad pointers EFAULT.
 */
#include "t.h"
#include "anonfd.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>

static int sigs;

static void count_sig(int sig)
{
	(void)sig;
	sigs++;
}

/* One 8-byte write of v; returns write's result. */
static long put(int fd, uint64_t v)
{
	return write(fd, &v, sizeof v);
}

/* One 8-byte read; the value, or -1 with errno set. */
static long long get(int fd)
{
	uint64_t v;
	if (read(fd, &v, sizeof v) != sizeof v)
		return -1;
	return (long long)v;
}

static short revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static void basics(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);
	if (fd < 0)
		t_die("eventfd");
	t_ok(!strcmp(fd_link(fd), "anon_inode:[eventfd]"), "/proc/self/fd names it anon_inode:[eventfd]");
	int fl = fcntl(fd, F_GETFL);
	t_ok((fl & O_ACCMODE) == O_RDWR && (fl & O_NONBLOCK), "open for reading and writing, O_NONBLOCK");
	t_ok(!(fcntl(fd, F_GETFD) & FD_CLOEXEC), "no FD_CLOEXEC without EFD_CLOEXEC");
	t_err(get(fd), EAGAIN, "read of a zero count: EAGAIN");
	t_eq(revents(fd), POLLOUT, "poll at zero: POLLOUT only");
	t_eq(put(fd, 3), 8, "write 3: 8 bytes");
	t_eq(put(fd, 4), 8, "write 4: 8 bytes");
	t_eq(revents(fd), POLLIN | POLLOUT, "poll with a count: POLLIN | POLLOUT");
	t_eq(put(fd, 0), 8, "write 0: 8 bytes");
	t_eq(get(fd), 7, "read takes the sum, 7");
	t_err(get(fd), EAGAIN, "then EAGAIN again");

	uint64_t big[2] = { 5, 6 };
	t_err(write(fd, big, sizeof big), EINVAL, "a 16-byte write: EINVAL");
	t_eq(put(fd, 5), 8, "write 5");
	uint64_t two[2] = { 0, 0 };
	t_eq(read(fd, two, sizeof two), 8, "a 16-byte read gives 8");
	t_eq(two[0], 5, "holding 5");

	char small[4] = { 0 };
	t_err(read(fd, small, 4), EINVAL, "read of 4 bytes: EINVAL");
	t_err(write(fd, small, 4), EINVAL, "write of 4 bytes: EINVAL");
	t_err(put(fd, UINT64_MAX), EINVAL, "write of 2^64-1: EINVAL");

	/* Near the top: POLLOUT goes, a write that would reach the max waits. */
	t_eq(put(fd, UINT64_MAX - 1), 8, "write 2^64-2");
	t_eq(revents(fd), POLLIN, "poll at 2^64-2: POLLIN only");
	t_err(put(fd, 1), EAGAIN, "one more would reach 2^64-1: EAGAIN");
	t_eq(get(fd), (long long)(UINT64_MAX - 1), "read gives 2^64-2");

	t_eq(put(fd, 5), 8, "write 5");
	const char *buf = fd_info(fd);
	t_ok(strstr(buf, "\neventfd-count:                5\n") != NULL, "fdinfo shows eventfd-count in hex");
	t_err(syscall(SYS_read, fd, t_addr(8), 8), EFAULT, "read into a bad pointer: EFAULT");
	t_err(syscall(SYS_write, fd, t_addr(8), 8), EFAULT, "write from a bad pointer: EFAULT");
	get(fd);
	close(fd);
}

static void semaphore(void)
{
	int fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0)
		t_die("eventfd(EFD_SEMAPHORE)");
	t_ok(fcntl(fd, F_GETFD) & FD_CLOEXEC, "EFD_CLOEXEC sets FD_CLOEXEC");
	int ones = 0;
	for (int i = 0; i < 3; i++)
		ones += get(fd) == 1;
	t_eq(ones, 3, "EFD_SEMAPHORE from 3: three reads of 1");
	t_err(get(fd), EAGAIN, "the fourth: EAGAIN");
	close(fd);

	t_err(syscall(SYS_eventfd2, 0, 0x10), EINVAL, "eventfd2 with an unknown flag: EINVAL");
#ifdef SYS_eventfd
	int old = syscall(SYS_eventfd, 9);
	t_ok(old >= 0 && get(old) == 9, "eventfd (no flags) starts at its value");
	close(old);
#endif
}

/* A blocked read returns when another process writes; a blocked write
   returns when another process reads. */
static void across_fork(void)
{
	int fd = eventfd(0, 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		t_sleep_ms(50);
		put(fd, 42);
		_exit(0);
	}
	t_eq(get(fd), 42, "a blocked read wakes with the child's 42");
	t_wait_ok(c, "the writer");

	t_eq(put(fd, UINT64_MAX - 1), 8, "fill to 2^64-2");
	fflush(stdout);
	c = fork();
	if (c == 0)
		_exit(put(fd, 7) == 8 ? 0 : 1);
	t_sleep_ms(50);
	t_eq(waitpid(c, NULL, WNOHANG), 0, "a writer that would overflow waits");
	t_eq(get(fd), (long long)(UINT64_MAX - 1), "the parent reads 2^64-2");
	t_wait_ok(c, "then the child's write goes through");
	t_eq(get(fd), 7, "and its 7 is there");

	struct sigaction sa = { .sa_handler = count_sig };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pid_t parent = getpid();
	fflush(stdout);
	c = fork();
	if (c == 0) {
		t_sleep_ms(50);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	t_err(get(fd), EINTR, "a signal without SA_RESTART ends a blocked read: EINTR");
	t_eq(sigs, 1, "the handler ran");
	t_wait_ok(c, "the signaller");
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	basics();
	semaphore();
	across_fork();
	return t_done();
}
