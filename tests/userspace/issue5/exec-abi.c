/* exec-abi — proves execve switches ABIs in place: a 32-bit process execs a
 * 64-bit program and the other way round, keeping its pid, and a chain
 * 32 -> 64 -> 32 (or 64 -> 32 -> 64) runs in one process.
 */
#include "t.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int is64 = sizeof(void *) == 8;
	char self[4096], other[4096];
	snprintf(self, sizeof self, "%s", t_sibling(is64 ? "issue5-glibc64" : "issue5-glibc32"));
	snprintf(other, sizeof other, "%s", t_sibling(is64 ? "issue5-glibc32" : "issue5-glibc64"));
	printf("parent: %s process\n", is64 ? "x86_64" : "i386");
	fflush(stdout);

	pid_t c = fork();
	if (c == 0) {
		char pid_s[16], ppid_s[16];
		snprintf(pid_s, sizeof pid_s, "%d", (int)getpid());
		snprintf(ppid_s, sizeof ppid_s, "%d", (int)getppid());
		char *args[] = { other, "helper", "pid", pid_s, ppid_s, NULL };
		execv(other, args);
		printf("FAIL: execv %s: %s\n", other, errname(errno));
		_exit(127);
	}
	t_wait_ok(c, "a child execs the other ABI, keeping its pid and parent");

	fflush(stdout);
	c = fork();
	if (c == 0) {
		char *args[] = { other, "helper", "abi", self, "helper", "abi", NULL };
		execv(other, args);
		_exit(127);
	}
	t_wait_ok(c, "a child execs the other ABI and back");
	return t_done();
}
