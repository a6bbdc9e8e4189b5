/* sig-chld — proves SIGCHLD reaches the parent with the right siginfo:
 * CLD_EXITED with the pid and exit code, CLD_KILLED with the signal,
 * CLD_STOPPED and CLD_CONTINUED; with SA_NOCLDSTOP no SIGCHLD on a stop.
 */
#include "t.h"

static volatile int code, status, count;
static volatile pid_t from;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	code = si->si_code;
	status = si->si_status;
	from = si->si_pid;
	count++;
}

/* Wait (with SIGCHLD blocked outside) until the handler ran n times. */
static void await(int n, const sigset_t *unblocked)
{
	long long t0 = t_ns(CLOCK_MONOTONIC);
	while (count < n && t_ns(CLOCK_MONOTONIC) - t0 < 5000000000LL) {
		sigset_t pend;
		sigpending(&pend);
		if (sigismember(&pend, SIGCHLD))
			sigsuspend(unblocked);
		else
			t_sleep_ms(5);
	}
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | SA_RESTART };
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t chld, unblocked;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &unblocked);
	sigdelset(&unblocked, SIGCHLD);

	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(3);
	await(1, &unblocked);
	t_ok(count == 1 && code == CLD_EXITED && from == c && status == 3, "exit: SIGCHLD, CLD_EXITED, the pid, status 3");
	waitpid(c, NULL, 0);

	c = fork();
	if (c == 0)
		for (;;)
			pause();
	kill(c, SIGSTOP);
	await(2, &unblocked);
	t_ok(count == 2 && code == CLD_STOPPED && status == SIGSTOP && from == c, "stop: CLD_STOPPED, SIGSTOP");
	kill(c, SIGCONT);
	await(3, &unblocked);
	t_ok(count == 3 && code == CLD_CONTINUED && status == SIGCONT, "continue: CLD_CONTINUED, SIGCONT");
	kill(c, SIGKILL);
	await(4, &unblocked);
	t_ok(count == 4 && code == CLD_KILLED && status == SIGKILL, "kill: CLD_KILLED, SIGKILL");
	waitpid(c, NULL, 0);

	sa.sa_flags |= SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	c = fork();
	if (c == 0)
		for (;;)
			pause();
	kill(c, SIGSTOP);
	int st;
	waitpid(c, &st, WUNTRACED);
	t_sleep_ms(50);
	sigset_t pend;
	sigpending(&pend);
	t_ok(WIFSTOPPED(st) && !sigismember(&pend, SIGCHLD) && count == 4, "SA_NOCLDSTOP: no SIGCHLD for a stop");
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return t_done();
}
