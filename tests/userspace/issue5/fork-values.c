/* fork-values — proves fork()'s return values and what the child inherits:
 * 0 in the child, the child's new pid in the parent, the child's getppid()
 * is the parent, waitpid() returns that pid with the exit status; the
 * child shares the open fds, and inherits the signal mask, the signal
 * dispositions and __thread values, but not pending signals; a child can
 * fork again.
 */
#include "t.h"

static __thread int tls_value = 1;
static volatile int usr1_count;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

static void on_term(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	pid_t parent = getpid();
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGTERM, on_term);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	raise(SIGUSR1); /* pending in the parent only */
	tls_value = 77;

	pid_t child = fork();
	if (child == 0) {
		printf("child: fork returned 0\n");
		t_eq(getppid(), parent, "child: getppid() is the parent");
		t_ok(getpid() != parent, "child: getpid() is new");
		pid_t ids[2] = { getpid(), getppid() };
		t_ok(write(p[1], ids, sizeof ids) == sizeof ids, "child: writes to the inherited pipe");
		sigset_t m, pend;
		sigprocmask(SIG_SETMASK, NULL, &m);
		t_ok(sigismember(&m, SIGUSR1), "child: inherits the blocked mask");
		sigpending(&pend);
		t_ok(!sigismember(&pend, SIGUSR1), "child: does not inherit pending signals");
		struct sigaction sa;
		sigaction(SIGUSR2, NULL, &sa);
		t_ok(sa.sa_handler == SIG_IGN, "child: inherits SIG_IGN");
		sigaction(SIGTERM, NULL, &sa);
		t_ok(sa.sa_handler == on_term, "child: inherits handlers");
		t_eq(tls_value, 77, "child: inherits __thread values");
		pid_t grandchild = fork();
		if (grandchild == 0)
			_exit(5);
		t_waited(grandchild, 0, "exit 5", "child: forks and reaps a grandchild");
		t_child_exit();
	}
	/* The parent prints nothing before the child is done: the output must
	   be the same on every run. */
	t_wait_ok(child, "parent: the child's checks passed (waitpid returned it)");
	t_ok(child > 0 && child != parent, "parent: fork returned a new pid");
	pid_t ids[2] = { 0, 0 };
	t_ok(t_read_full(p[0], ids, sizeof ids) == sizeof ids, "parent: reads the child's ids from the pipe");
	t_eq(ids[0], child, "the child's getpid() is what fork returned");
	t_eq(ids[1], parent, "the child's getppid() is the parent");
	t_eq(usr1_count, 0, "parent: SIGUSR1 still pending, not delivered");
	sigprocmask(SIG_SETMASK, &old, NULL);
	t_eq(usr1_count, 1, "parent: unblocking delivers the pending SIGUSR1");

	pid_t c2 = fork();
	if (c2 == 0)
		_exit(42);
	int st = 0;
	t_eq(waitpid(c2, &st, 0), c2, "waitpid returns the child's pid");
	t_status_is(st, "exit 42", "exit status 42 reaches the parent");
	t_err(waitpid(c2, &st, 0), ECHILD, "a reaped child cannot be waited for again -> ECHILD");
	return t_done();
}
