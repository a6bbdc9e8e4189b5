/* wait-status — proves the wait status words Linux builds: exit codes
 * (0, 1, 255, and 256 truncated to 0), death by SIGKILL, SIGTERM, SIGSEGV,
 * SIGABRT (abort) and a default-terminating SIGUSR1, with the exact raw
 * encodings (exit << 8; signal number, plus the 0x80 core bit only if a
 * core was dumped, which Forkline never does), and wait4 accepting a
 * rusage pointer.
 */
#include "t.h"
#include <sys/resource.h>

/* Fork a child that runs what(); returns its raw wait status. */
static int status_of(void (*what)(int), int arg)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		what(arg);
		_exit(99);
	}
	int st = -1;
	struct rusage ru;
	if (wait4(c, &st, 0, &ru) != c)
		return -1;
	return st;
}

static void do_exit(int code) { _exit(code); }
static void do_raise(int sig) { signal(sig, SIG_DFL); raise(sig); }
static void do_abort(int unused) { (void)unused; abort(); }
static void do_segv(int unused) { (void)unused; *(volatile int *)t_addr(8) = 1; }
static void do_pause(int unused) { (void)unused; for (;;) pause(); }

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int st = status_of(do_exit, 0);
	t_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0 && !WIFSIGNALED(st), "exit(0): WIFEXITED, status 0");
	t_eq(st, 0, "exit(0): raw status 0");
	st = status_of(do_exit, 1);
	t_eq(st, 0x100, "exit(1): raw status 0x100");
	st = status_of(do_exit, 255);
	t_status_is(st, "exit 255", "exit(255): status 255");
	st = status_of(do_exit, 256);
	t_status_is(st, "exit 0", "exit(256): only the low 8 bits, 0");

	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		do_pause(0);
	kill(c, SIGKILL);
	st = -1;
	waitpid(c, &st, 0);
	t_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && !WIFEXITED(st), "SIGKILL: WIFSIGNALED, WTERMSIG 9");
	t_eq(st, SIGKILL, "SIGKILL: raw status 9 (no core bit)");
	st = status_of(do_raise, SIGTERM);
	t_eq(st, SIGTERM, "raise(SIGTERM): raw status 15");
	st = status_of(do_raise, SIGUSR1);
	t_status_is(st, "signal 10 (SIGUSR1)", "SIGUSR1's default action terminates");
	st = status_of(do_segv, 0);
	t_status_is(st, "signal 11 (SIGSEGV)", "a bad write: WTERMSIG SIGSEGV");
	t_info("SIGSEGV core bit %d", WCOREDUMP(st) ? 1 : 0);
	if (t_is_forkline())
		t_check_here(!WCOREDUMP(st), "no core bit: Forkline dumps no core", "status %#x", st);
	st = status_of(do_abort, 0);
	t_status_is(st, "signal 6 (SIGABRT)", "abort(): WTERMSIG SIGABRT");
	return t_done();
}
