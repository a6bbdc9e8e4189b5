/* ids — proves the identity system calls: getpid, getppid (the runner is our
 * parent), gettid (== pid in a single-threaded process), the process group
 * and session the runner gave us, and getuid/geteuid/getgid/getegid agreeing
 * with getresuid/getresgid and the raw system calls.
 */
#include "t.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	pid_t pid = getpid(), ppid = getppid();
	t_ok(pid > 0, "getpid() > 0");
	t_ok(ppid > 0 && ppid != pid, "getppid() > 0 and differs from getpid()");
	t_eq(syscall(SYS_getpid), pid, "raw getpid equals getpid()");
	t_eq(syscall(SYS_gettid), pid, "gettid equals getpid in a single-threaded process");
	const char *runner = getenv("FORKLINE_TEST_RUNNER");
	if (runner)
		t_eq(ppid, atoi(runner), "getppid() is the runner");
	t_eq(getpgid(0), pid, "we lead our own process group (the runner's setpgid)");
	t_eq(getpgrp(), pid, "getpgrp() agrees");
	/* A session whose leader lives outside our pid namespace reads as 0 on
	 * Linux (containers, CI), so only equality with the runner is certain. */
	t_ok(getsid(0) >= 0 && getsid(0) == getsid(ppid), "same session as the runner");

	uid_t r, e, s;
	gid_t gr, ge, gs;
	t_ok(getresuid(&r, &e, &s) == 0 && r == getuid() && e == geteuid(), "getresuid agrees with getuid/geteuid");
	t_ok(getresgid(&gr, &ge, &gs) == 0 && gr == getgid() && ge == getegid(), "getresgid agrees with getgid/getegid");
#ifdef __i386__
	/* glibc uses the 32-bit-id calls; the 16-bit ones remain for old code. */
	t_eq(syscall(SYS_getuid32), getuid(), "getuid32 system call");
	if (getuid() < 65535)
		t_eq(syscall(SYS_getuid), getuid(), "16-bit getuid system call");
#else
	t_eq(syscall(SYS_getuid), getuid(), "raw getuid");
#endif
	t_info("pid %d ppid %d uid %d gid %d", (int)pid, (int)ppid, (int)getuid(), (int)getgid());
	return t_done();
}
