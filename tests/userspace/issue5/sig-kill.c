/* sig-kill — proves kill() and tgkill() addressing and errors: a signal to
 * a child's pid ends it; signal 0 probes existence (ESRCH once reaped);
 * kill(-PGID) reaches every process of the group; kill(0) our own group;
 * tgkill checks the thread group (ESRCH), tid 0 and bad signals give
 * EINVAL.
 */
#include "t.h"

static volatile int got;

static void handler(int sig)
{
	(void)sig;
	got++;
}

/* A child that waits for signals (or exits 0 on SIGUSR2 if catch2). */
static pid_t sleeper(pid_t pgid, int catch2)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (pgid >= 0)
			setpgid(0, pgid);
		if (catch2) {
			sigset_t s;
			sigemptyset(&s);
			sigaddset(&s, SIGUSR2);
			int sig;
			sigwait(&s, &sig);
			_exit(0);
		}
		for (;;)
			pause();
	}
	if (pgid >= 0)
		setpgid(c, pgid ? pgid : c);
	return c;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	pid_t c = sleeper(-1, 0);
	t_sys(kill(c, 0), "kill(child, 0): it exists");
	t_sys(kill(c, SIGTERM), "kill(child, SIGTERM)");
	t_waited(c, 0, "signal 15 (SIGTERM)", "the child died of SIGTERM");
	t_err(kill(c, 0), ESRCH, "once reaped: kill(pid, 0) -> ESRCH");

	pid_t a = sleeper(0, 0), b = sleeper(a, 0);
	t_sys(kill(-a, SIGKILL), "kill(-PGID, SIGKILL)");
	t_waited(a, 0, "signal 9 (SIGKILL)", "the group's leader died");
	t_waited(b, 0, "signal 9 (SIGKILL)", "the group's other member died");

	/* kill(0): our group, us included. The child blocks SIGUSR2 to sigwait. */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	c = sleeper(-1, 1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	signal(SIGUSR2, handler);
	t_sys(kill(0, SIGUSR2), "kill(0, SIGUSR2)");
	t_waited(c, 0, "exit 0", "the child in our group got it");
	t_eq(got, 1, "and so did we");

	t_err(kill(getpid(), 65), EINVAL, "signal 65 -> EINVAL");
	t_err(kill(0x3ffffff0, SIGTERM), ESRCH, "a pid that does not exist -> ESRCH");
	long tid = syscall(SYS_gettid);
	t_sys(syscall(SYS_tgkill, getpid(), tid, SIGUSR2), "tgkill(our pid, our tid)");
	t_eq(got, 2, "tgkill delivered to us");
	t_err(syscall(SYS_tgkill, getppid(), tid, SIGUSR2), ESRCH, "tgkill with a tgid that is not the thread's -> ESRCH");
	t_err(syscall(SYS_tgkill, getpid(), 0, SIGUSR2), EINVAL, "tgkill of tid 0 -> EINVAL");
	t_err(syscall(SYS_tgkill, getpid(), tid, 65), EINVAL, "tgkill with signal 65 -> EINVAL");
	return t_done();
}
