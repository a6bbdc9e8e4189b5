/* clone-vm — proves clone(CLONE_VM|SIGCHLD) without CLONE_THREAD: a new
 * process (own pid, we are its parent, waitpid collects it) that shares our
 * memory but has its own copy of the fd table; and clone with a different
 * exit signal (SIGUSR1) is collected only with __WALL/__WCLONE.
 */
#include "t.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>

#ifndef __WALL
#define __WALL 0x40000000
#endif

static volatile int shared_word = 1;
static volatile long child_pid, child_ppid;
static volatile int closed_ok;
static int fd;
static volatile int usr1;

static int child_main(void *arg)
{
	(void)arg;
	child_pid = syscall(SYS_getpid);
	child_ppid = syscall(SYS_getppid);
	shared_word = 2;
	closed_ok = syscall(SYS_close, fd) == 0; /* our copy of the table only */
	return 3;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fd = open(t_path("/etc/forkline-tests/data/hello.txt"), O_RDONLY);
	size_t size = 256 * 1024;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t c = clone(child_main, stack + size, CLONE_VM | SIGCHLD, NULL);
	int st = 0;
	t_ok(c > 0 && waitpid(c, &st, 0) == c, "waitpid collects a CLONE_VM child");
	t_status_is(st, "exit 3", "its exit status is the function's return value");
	t_eq(child_pid, c, "it has its own pid");
	t_eq(child_ppid, getpid(), "we are its parent");
	t_eq(shared_word, 2, "its writes are in our memory (CLONE_VM)");
	t_ok(closed_ok && fcntl(fd, F_GETFD) != -1, "closing an fd in it leaves ours open (no CLONE_FILES)");

	signal(SIGUSR1, on_usr1);
	c = clone(child_main, stack + size, SIGUSR1, NULL);
	t_ok(c > 0, "clone with exit signal SIGUSR1");
	long long t0 = t_ns(CLOCK_MONOTONIC);
	while (!usr1 && t_ns(CLOCK_MONOTONIC) - t0 < 5000000000LL)
		t_sleep_ms(5);
	t_eq(usr1, 1, "its exit sends SIGUSR1, not SIGCHLD");
	t_err(waitpid(c, &st, WNOHANG), ECHILD, "waitpid without __WALL does not see it -> ECHILD");
	t_waited(c, __WALL, "exit 3", "waitpid with __WALL collects it");
	return t_done();
}
