/* exec — proves execve: a forked child becomes another program with the
 * arguments and environment it was given, keeps its pid and parent, and
 * its exit status reaches the parent; failures return to the caller with
 * Linux's errors (ENOENT, EACCES for a directory and a non-executable
 * file, ENOEXEC for a text file, a wrong-machine ELF and a truncated ELF,
 * ENOTDIR, EFAULT, E2BIG) and leave the process intact.
 */
#include "t.h"

#define DATA "/etc/forkline-tests/data/"

/* Run helper with args in a child; returns its wait status. */
static int run_helper(char *const args[], char *const env[])
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		execve(t_self, args, env);
		printf("FAIL: execve: %s\n", errname(errno));
		_exit(127);
	}
	int st = -1;
	waitpid(c, &st, 0);
	return st;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	char *args[] = { (char *)t_self, "helper", "args", "one", "two words", "", NULL };
	char *env[] = { "FL_HELPER_ENV=from exec", "OTHER=1", NULL };
	int st = run_helper(args, env);
	t_status_is(st, "exit 0", "execve with arguments and environment");

	char pid_s[16], ppid_s[16];
	pid_t c = fork();
	if (c == 0) {
		snprintf(pid_s, sizeof pid_s, "%d", (int)getpid());
		snprintf(ppid_s, sizeof ppid_s, "%d", (int)getppid());
		char *pargs[] = { (char *)t_self, "helper", "pid", pid_s, ppid_s, NULL };
		execv(t_self, pargs);
		_exit(127);
	}
	t_wait_ok(c, "execve keeps the pid and the parent");

	char *eargs[] = { (char *)t_self, "helper", "exit", "42", NULL };
	st = run_helper(eargs, env);
	t_status_is(st, "exit 42", "the new program's exit status reaches the parent");

	char *none[] = { "x", NULL };
	t_err(execv(t_path(DATA "missing"), none), ENOENT, "a missing file -> ENOENT");
	t_err(execv(t_path(DATA "dir"), none), EACCES, "a directory -> EACCES");
	t_err(execv(t_path(DATA "noexec"), none), EACCES, "a file without execute permission -> EACCES");
	t_err(execv(t_path(DATA "not-elf"), none), ENOEXEC, "an executable text file without #! -> ENOEXEC");
	t_err(execv(t_path(DATA "elf-wrong-machine"), none), ENOEXEC, "an ELF for another machine -> ENOEXEC");
	t_err(execv(t_path(DATA "elf-truncated"), none), ENOEXEC, "an ELF header without the rest -> ENOEXEC");
	t_err(execv(t_path(DATA "hello.txt/x"), none), ENOTDIR, "a file used as a directory -> ENOTDIR");
	t_err(execv(t_addr(1), none), EFAULT, "a bad path pointer -> EFAULT");
	static char huge[200 * 1024];
	memset(huge, 'a', sizeof huge - 1);
	char *bigargs[] = { (char *)t_self, huge, NULL };
	t_err(execv(t_self, bigargs), E2BIG, "a 200 KiB argument (over MAX_ARG_STRLEN) -> E2BIG");
	printf("still running after every failed execve\n");
	return t_done();
}
