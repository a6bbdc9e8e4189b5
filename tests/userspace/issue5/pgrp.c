/* pgrp — proves process groups and sessions: setpgid makes a child a group
 * leader (from the child and, race-free, from the parent), moves another
 * child into that group, refuses a group that does not exist (EPERM), a pid
 * that does not exist (ESRCH), and a child that has exec'd (EACCES);
 * setsid makes a new session and group led by the caller, fails in a group
 * leader (EPERM); setpgid across sessions fails (EPERM); getpgid/getsid of
 * a missing pid give ESRCH.
 */
#include "t.h"
#include <fcntl.h>

/* A child that does cmd and then waits on its pipe until told to exit. */
static pid_t child(int do_setsid, int release[2], int report[2])
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (do_setsid) {
			pid_t s = setsid();
			pid_t facts[3] = { s, getsid(0), getpgid(0) };
			t_write_full(report[1], facts, sizeof facts);
		}
		t_recv(release[0]);
		_exit(0);
	}
	return c;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int release[2], report[2];
	if (pipe(release) < 0 || pipe(report) < 0)
		t_die("pipe");
	pid_t me = getpid();
	t_eq(getpgid(0), me, "we lead our own group (the runner put us there)");
	t_err(setsid(), EPERM, "setsid in a group leader -> EPERM");

	pid_t a = child(0, release, report), b = child(0, release, report);
	t_eq(getpgid(a), me, "a child starts in our group");
	t_sys(setpgid(a, a), "setpgid(child, child): a new group");
	t_eq(getpgid(a), a, "the child leads it");
	t_sys(setpgid(b, a), "setpgid(other child, that group)");
	t_eq(getpgid(b), a, "the other child joined");
	t_err(setpgid(b, 0x3fffff00), EPERM, "a group that does not exist -> EPERM");
	t_err(setpgid(0x3fffff00, 0), ESRCH, "a pid that does not exist -> ESRCH");
	t_err(getpgid(0x3fffff00), ESRCH, "getpgid of a missing pid -> ESRCH");
	t_err(getsid(0x3fffff00), ESRCH, "getsid of a missing pid -> ESRCH");

	pid_t s = child(1, release, report);
	pid_t facts[3] = { 0, 0, 0 };
	t_read_full(report[0], facts, sizeof facts);
	t_eq(facts[0], s, "setsid in a child returns its pid");
	t_eq(facts[1], s, "it leads a new session");
	t_eq(facts[2], s, "and a new group");
	t_ok(getsid(s) == s && getsid(0) != s, "getsid tells the sessions apart");
	t_err(setpgid(s, me), EPERM, "moving a session leader into our group -> EPERM");
	for (int i = 0; i < 3; i++)
		t_send(release[1], 'x');
	int ok = 1;
	for (int i = 0; i < 3; i++)
		ok &= wait(NULL) > 0;
	t_ok(ok, "children reaped");

	int exec_done[2];
	if (pipe2(exec_done, O_CLOEXEC) < 0)
		t_die("pipe2");
	fflush(stdout);
	pid_t e = fork();
	if (e == 0) {
		char *args[] = { (char *)t_self, "helper", "sleep", "300", NULL };
		execv(t_self, args);
		_exit(127);
	}
	close(exec_done[1]);
	t_eq(t_recv(exec_done[0]), -1, "the child has exec'd (its close-on-exec pipe end closed)");
	t_err(setpgid(e, e), EACCES, "setpgid of a child that has exec'd -> EACCES");
	waitpid(e, NULL, 0);
	return t_done();
}
