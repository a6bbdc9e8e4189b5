/* helper — the program other tests execve() into (not a test itself):
 *   helper exit N             exit with status N
 *   helper sleep MS [N]       sleep MS milliseconds, then exit N (default 0)
 *   helper args ARG...        print argc, each argument, and $FL_HELPER_ENV
 *   helper pid PID PPID       check getpid()/getppid() survived the exec
 *   helper abi [NEXT ARG...]  print our ABI; then execve NEXT if given
 *   helper fds FD:open|closed...  check which fds the exec left open
 *   helper sigstate           check what exec keeps of signal state: handled
 *                             SIGUSR1 is reset to SIG_DFL, ignored SIGUSR2
 *                             stays ignored, blocked SIGINT stays blocked,
 *                             pending SIGTERM stays pending
 *   helper spew BYTES         print BYTES bytes of numbered lines
 *   helper linger MS          exit at once, leaving a child that keeps
 *                             stdout open for MS milliseconds
 * (spew and linger exercise the runner's output limit and its detection of
 * processes left behind.) Its checks print like any test's; the exit status
 * is 0 iff they passed.
 */
#include "t.h"
#include <fcntl.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "exit") && argc == 3)
		return atoi(argv[2]);
	if (!strcmp(mode, "sleep") && argc >= 3) {
		t_sleep_ms(atol(argv[2]));
		return argc > 3 ? atoi(argv[3]) : 0;
	}
	if (!strcmp(mode, "args")) {
		printf("helper: argc %d\n", argc);
		for (int i = 2; i < argc; i++)
			printf("helper: arg [%s]\n", argv[i]);
		const char *e = getenv("FL_HELPER_ENV");
		printf("helper: FL_HELPER_ENV [%s]\n", e ? e : "(unset)");
		return 0;
	}
	if (!strcmp(mode, "pid") && argc == 4) {
		t_eq(getpid(), atoi(argv[2]), "helper: the pid survived execve");
		t_eq(getppid(), atoi(argv[3]), "helper: the parent survived execve");
		return t_done();
	}
	if (!strcmp(mode, "abi")) {
		printf("helper: %s process\n", sizeof(void *) == 8 ? "x86_64" : "i386");
		fflush(stdout);
		if (argc > 2) {
			execv(argv[2], argv + 2);
			printf("FAIL: helper: execv %s: %s\n", argv[2], errname(errno));
			return 1;
		}
		return 0;
	}
	if (!strcmp(mode, "fds")) {
		for (int i = 2; i < argc; i++) {
			int fd = atoi(argv[i]);
			int want_open = strstr(argv[i], ":open") != NULL;
			int is_open = fcntl(fd, F_GETFD) != -1;
			char what[64];
			snprintf(what, sizeof what, "helper: fd %d is %s after execve", fd, want_open ? "open" : "closed");
			t_ok(is_open == want_open, what);
		}
		return t_done();
	}
	if (!strcmp(mode, "sigstate")) {
		struct sigaction sa;
		sigset_t set;
		sigaction(SIGUSR1, NULL, &sa);
		t_ok(sa.sa_handler == SIG_DFL, "helper: a handled signal is reset to SIG_DFL by execve");
		sigaction(SIGUSR2, NULL, &sa);
		t_ok(sa.sa_handler == SIG_IGN, "helper: an ignored signal stays ignored across execve");
		sigprocmask(SIG_SETMASK, NULL, &set);
		t_ok(sigismember(&set, SIGINT) && sigismember(&set, SIGTERM), "helper: the blocked mask survives execve");
		sigpending(&set);
		t_ok(sigismember(&set, SIGTERM), "helper: a pending signal stays pending across execve");
		return t_done();
	}
	if (!strcmp(mode, "spew") && argc == 3) {
		long n = atol(argv[2]);
		for (long i = 0; n > 0; i++) {
			char line[64];
			int len = snprintf(line, sizeof line, "line %ld of output\n", i);
			if (len > n)
				len = (int)n;
			fwrite(line, 1, (size_t)len, stdout);
			n -= len;
		}
		return 0;
	}
	if (!strcmp(mode, "linger") && argc == 3) {
		fflush(stdout);
		if (fork() == 0) {
			t_sleep_ms(atol(argv[2]));
			_exit(0);
		}
		return 0;
	}
	printf("FAIL: helper: bad arguments\n");
	return 2;
}
