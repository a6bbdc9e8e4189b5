/* wait-stop — proves stop and continue as wait reports them: SIGSTOP stops
 * a child and waitpid(WUNTRACED) reports WIFSTOPPED/WSTOPSIG with the raw
 * status 0x137f (once only); SIGCONT resumes it and waitpid(WCONTINUED)
 * reports WIFCONTINUED, raw 0xffff; a child that stops itself is reported
 * the same; SIGKILL ends a stopped child; without WUNTRACED a stop is not
 * reported.
 */
#include "t.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		for (;;)
			pause();
	int st = -1;
	t_sys(kill(c, SIGSTOP), "kill(child, SIGSTOP)");
	t_eq(waitpid(c, &st, WUNTRACED), c, "waitpid(WUNTRACED) reports the stop");
	t_ok(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && !WIFEXITED(st) && !WIFSIGNALED(st), "WIFSTOPPED, WSTOPSIG SIGSTOP");
	t_eq(st, 0x137f, "raw status 0x137f");
	t_eq(waitpid(c, &st, WUNTRACED | WNOHANG), 0, "a stop is reported once");
	t_sys(kill(c, SIGCONT), "kill(child, SIGCONT)");
	st = -1;
	t_eq(waitpid(c, &st, WCONTINUED), c, "waitpid(WCONTINUED) reports the continue");
	t_ok(WIFCONTINUED(st) && !WIFSTOPPED(st), "WIFCONTINUED");
	t_eq(st, 0xffff, "raw status 0xffff");
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	t_sys(kill(c, SIGKILL), "SIGKILL to a stopped child");
	t_waited(c, 0, "signal 9 (SIGKILL)", "the stopped child dies of SIGKILL");

	fflush(stdout);
	c = fork();
	if (c == 0) {
		raise(SIGSTOP);
		_exit(4);
	}
	t_waited(c, WUNTRACED, "stopped by 19 (SIGSTOP)", "a child that stops itself");
	kill(c, SIGCONT);
	t_waited(c, 0, "exit 4", "without WUNTRACED/WCONTINUED only the exit is reported");

	fflush(stdout);
	c = fork();
	if (c == 0)
		for (;;)
			pause();
	kill(c, SIGSTOP);
	t_sleep_ms(100);
	t_eq(waitpid(c, &st, WNOHANG), 0, "without WUNTRACED a stopped child is not reported");
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	return t_done();
}
