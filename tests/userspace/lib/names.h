/* names.h — symbolic names for signal and errno numbers, shared by the test
 * runner and the test programs.
 *
 * Why our own tables: strsignal()/strerror() texts differ between glibc and
 * musl, and output must be byte-identical on every libc and kernel. The
 * numbers are Linux's (x86, both ABIs use the same ones).
 */
#ifndef FORKLINE_NAMES_H
#define FORKLINE_NAMES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "SIGSEGV" for 11; "SIG34" for real-time and unknown numbers. */
static inline const char *signame(int sig)
{
	static const char *const names[32] = {
		"SIG0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
		"SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
		"SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
		"SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU",
		"SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
		"SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
	};
	static char buf[16];
	if (sig > 0 && sig < 32)
		return names[sig];
	snprintf(buf, sizeof buf, "SIG%d", sig);
	return buf;
}

/* The number for "SIGSEGV", "SEGV" or "11"; -1 if unknown. */
static inline int signum(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s && !*end)
		return n > 0 && n < 65 ? (int)n : -1;
	for (int i = 1; i < 32; i++) {
		const char *nm = signame(i);
		if (!strcmp(s, nm) || !strcmp(s, nm + 3))
			return i;
	}
	return -1;
}

/* "ENOENT" for 2; "E123" for numbers not in the table. */
static inline const char *errname(int e)
{
	static const struct { int n; const char *s; } t[] = {
		{0, "0"}, {1, "EPERM"}, {2, "ENOENT"}, {3, "ESRCH"}, {4, "EINTR"},
		{5, "EIO"}, {6, "ENXIO"}, {7, "E2BIG"}, {8, "ENOEXEC"},
		{9, "EBADF"}, {10, "ECHILD"}, {11, "EAGAIN"}, {12, "ENOMEM"},
		{13, "EACCES"}, {14, "EFAULT"}, {16, "EBUSY"}, {17, "EEXIST"},
		{18, "EXDEV"}, {19, "ENODEV"}, {20, "ENOTDIR"}, {21, "EISDIR"},
		{22, "EINVAL"}, {23, "ENFILE"}, {24, "EMFILE"}, {25, "ENOTTY"},
		{26, "ETXTBSY"}, {27, "EFBIG"}, {28, "ENOSPC"}, {29, "ESPIPE"},
		{30, "EROFS"}, {31, "EMLINK"}, {32, "EPIPE"}, {33, "EDOM"},
		{34, "ERANGE"}, {35, "EDEADLK"}, {36, "ENAMETOOLONG"},
		{37, "ENOLCK"}, {38, "ENOSYS"}, {39, "ENOTEMPTY"}, {40, "ELOOP"},
		{61, "ENODATA"}, {75, "EOVERFLOW"}, {95, "EOPNOTSUPP"},
		{110, "ETIMEDOUT"}, {512, "ERESTARTSYS"},
	};
	static char buf[16];
	for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].n == e)
			return t[i].s;
	snprintf(buf, sizeof buf, "E%d", e);
	return buf;
}

#endif
