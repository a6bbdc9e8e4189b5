/* exec-signals — proves what execve keeps of signal state, as POSIX and
 * Linux say: handled signals are reset to SIG_DFL, ignored ones stay
 * ignored, the blocked mask and pending signals survive (the helper
 * program checks after the exec).
 */
#include "t.h"

static void handler(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		signal(SIGUSR1, handler);
		signal(SIGUSR2, SIG_IGN);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigprocmask(SIG_BLOCK, &set, NULL);
		raise(SIGTERM);
		char *args[] = { (char *)t_self, "helper", "sigstate", NULL };
		execv(t_self, args);
		_exit(127);
	}
	t_wait_ok(c, "the exec'd helper found the signal state Linux keeps");
	return t_done();
}
