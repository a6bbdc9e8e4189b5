/* waitid — proves waitid(): siginfo for an exit (CLD_EXITED, the plain
 * status), a kill (CLD_KILLED) and a stop (CLD_STOPPED); WNOWAIT leaves the
 * child waitable; WNOHANG with nothing to report returns 0 with si_pid 0;
 * P_ALL and P_PGID select; no event bits or a bad idtype give EINVAL.
 */
#include "t.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	siginfo_t si;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(3);
	memset(&si, 0, sizeof si);
	t_sys(waitid(P_PID, c, &si, WEXITED | WNOWAIT), "waitid(P_PID, WEXITED|WNOWAIT)");
	t_ok(si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_pid == c && si.si_status == 3,
	     "siginfo: SIGCHLD, CLD_EXITED, the pid, status 3");
	t_ok(si.si_uid == getuid(), "siginfo: si_uid");
	t_waited(c, 0, "exit 3", "after WNOWAIT the child is still waitable");

	c = fork();
	if (c == 0)
		for (;;)
			pause();
	memset(&si, 0xff, sizeof si);
	t_ok(waitid(P_PID, c, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0 && si.si_signo == 0,
	     "WNOHANG with nothing to report: 0, si_pid 0");
	kill(c, SIGSTOP);
	memset(&si, 0, sizeof si);
	t_ok(waitid(P_PID, c, &si, WSTOPPED) == 0 && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP,
	     "a stop: CLD_STOPPED, si_status SIGSTOP");
	kill(c, SIGKILL);
	memset(&si, 0, sizeof si);
	t_ok(waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == c && si.si_code == CLD_KILLED && si.si_status == SIGKILL,
	     "P_ALL: a kill, CLD_KILLED, si_status SIGKILL");

	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		_exit(9);
	}
	setpgid(c, c);
	memset(&si, 0, sizeof si);
	t_ok(waitid(P_PGID, c, &si, WEXITED) == 0 && si.si_pid == c && si.si_status == 9, "P_PGID selects by group");
	t_err(waitid(P_ALL, 0, &si, WNOHANG), EINVAL, "no WEXITED/WSTOPPED/WCONTINUED -> EINVAL");
	t_err(waitid((idtype_t)99, 0, &si, WEXITED), EINVAL, "a bad idtype -> EINVAL");
	t_err(waitid(P_ALL, 0, &si, WEXITED), ECHILD, "no children -> ECHILD");
	return t_done();
}
