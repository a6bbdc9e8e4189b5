/* wait-select — proves which children waitpid selects: -1 (any), a pid,
 * 0 (our process group), -PGID (that group); WNOHANG returns 0 while the
 * child runs; ECHILD when nothing matches (no children, a pid that is not
 * our child, a grandchild, a group without our children); EINVAL for
 * unknown option bits.
 */
#include "t.h"

/* Fork a child that (optionally) moves to process group pgid, then exits
   with code after ms milliseconds. */
static pid_t child(pid_t pgid, int code, int ms)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (pgid >= 0)
			setpgid(0, pgid);
		t_sleep_ms(ms);
		_exit(code);
	}
	if (pgid >= 0)
		setpgid(c, pgid ? pgid : c); /* as a shell does: no race */
	return c;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int st;
	pid_t a = child(-1, 1, 0), b = child(-1, 2, 0), c = child(-1, 3, 0);
	int seen = 0;
	for (int i = 0; i < 3; i++) {
		pid_t r = waitpid(-1, &st, 0);
		seen |= (r == a) << 0 | (r == b) << 1 | (r == c) << 2;
	}
	t_eq(seen, 7, "waitpid(-1) collects each of three children once");
	t_err(waitpid(-1, &st, 0), ECHILD, "no children left -> ECHILD");

	a = child(-1, 5, 300);
	t_eq(waitpid(a, &st, WNOHANG), 0, "WNOHANG on a running child returns 0");
	t_waited(a, 0, "exit 5", "waitpid(pid) collects it");

	pid_t same = child(-1, 6, 100);   /* stays in our group */
	pid_t other = child(0, 7, 50);    /* leads a new group */
	pid_t joiner = child(other, 8, 50); /* joins that group */
	t_ok(waitpid(0, &st, 0) == same && WEXITSTATUS(st) == 6, "waitpid(0) collects the child in our group");
	t_err(waitpid(0, &st, 0), ECHILD, "waitpid(0) with children only in other groups -> ECHILD");
	seen = 0;
	for (int i = 0; i < 2; i++) {
		pid_t r = waitpid(-other, &st, 0);
		seen |= (r == other) << 0 | (r == joiner) << 1;
	}
	t_eq(seen, 3, "waitpid(-PGID) collects both children of that group");

	t_err(waitpid(getppid(), &st, 0), ECHILD, "waitpid of our parent -> ECHILD");
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	fflush(stdout);
	a = fork();
	if (a == 0) {
		pid_t g = fork();
		if (g == 0) {
			t_sleep_ms(200);
			_exit(0);
		}
		t_write_full(p[1], &g, sizeof g);
		waitpid(g, NULL, 0);
		_exit(0);
	}
	pid_t g = 0;
	t_read_full(p[0], &g, sizeof g);
	t_err(waitpid(g, &st, 0), ECHILD, "waitpid of a grandchild -> ECHILD");
	waitpid(a, &st, 0);
	t_err(waitpid(-1, &st, 0x100), EINVAL, "unknown option bits -> EINVAL");
	a = child(-1, 0, 0);
	t_eq(waitpid(a, NULL, 0), a, "a NULL status pointer is allowed");
	return t_done();
}
