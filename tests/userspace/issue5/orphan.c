/* orphan — proves reparenting: when a parent exits, its child is adopted by
 * the reaper (pid 1, or on Linux a child subreaper: the runner makes itself
 * one and says so in $FORKLINE_TEST_REAPER), sees that in getppid(), and
 * after it exits is reaped by its new parent (it disappears: kill(pid, 0)
 * gives ESRCH), without the original grandparent being able to wait for it.
 */
#include "t.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	const char *r = getenv("FORKLINE_TEST_REAPER");
	pid_t reaper = r ? atoi(r) : 1;
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	fflush(stdout);
	pid_t middle = fork();
	if (middle == 0) {
		pid_t g = fork();
		if (g == 0) {
			pid_t old = getppid(), now = old;
			long long t0 = t_ns(CLOCK_MONOTONIC);
			while ((now = getppid()) == old && t_ns(CLOCK_MONOTONIC) - t0 < 10000000000LL)
				t_sleep_ms(5);
			t_write_full(p[1], &now, sizeof now);
			_exit(0);
		}
		t_write_full(p[1], &g, sizeof g);
		_exit(0);
	}
	pid_t g = 0, new_parent = 0;
	t_read_full(p[0], &g, sizeof g);
	int st;
	t_waited(middle, 0, "exit 0", "the middle process exits");
	t_ok(t_read_full(p[0], &new_parent, sizeof new_parent) == sizeof new_parent, "the orphan reports its new parent");
	t_ok(new_parent != middle, "the orphan's getppid() changed when its parent exited");
	t_check(new_parent == reaper, "the orphan was adopted by the reaper (pid 1 or the runner as subreaper)",
		"adopted by %d, reaper %d", (int)new_parent, (int)reaper);
	t_err(waitpid(g, &st, WNOHANG), ECHILD, "the grandparent cannot wait for the orphan -> ECHILD");
	long long t0 = t_ns(CLOCK_MONOTONIC);
	while (kill(g, 0) == 0 && t_ns(CLOCK_MONOTONIC) - t0 < 10000000000LL)
		t_sleep_ms(10);
	t_err(kill(g, 0), ESRCH, "the orphan, once exited, is reaped by its new parent (kill(pid, 0) -> ESRCH)");
	return t_done();
}
