/* wait-ignchld — proves SIGCHLD's special dispositions: with SIGCHLD set to
 * SIG_IGN, or a handler with SA_NOCLDWAIT, exited children are reaped by
 * the kernel (no zombies): waitpid waits for them and then fails with
 * ECHILD. Back at SIG_DFL, children become zombies waitpid collects.
 */
#include "t.h"

static void handler(int sig)
{
	(void)sig;
}

/* Fork a child that exits at once; returns the result of waiting for it. */
static pid_t fork_and_wait(int *st)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(1);
	t_sleep_ms(50);
	return waitpid(c, st, 0) == c ? c : -1;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int st;
	signal(SIGCHLD, SIG_IGN);
	t_err(fork_and_wait(&st), ECHILD, "SIGCHLD ignored: the child is auto-reaped, waitpid -> ECHILD");
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_NOCLDWAIT };
	sigaction(SIGCHLD, &sa, NULL);
	t_err(fork_and_wait(&st), ECHILD, "SA_NOCLDWAIT: the child is auto-reaped, waitpid -> ECHILD");
	signal(SIGCHLD, SIG_DFL);
	t_ok(fork_and_wait(&st) > 0 && WEXITSTATUS(st) == 1, "SIGCHLD at SIG_DFL: the zombie is collected");
	return t_done();
}
