/* t.h — the toolkit of Forkline's user-space test programs.
 *
 * What it promises: every check prints one line, "ok: WHAT" or
 * "FAIL: WHAT: DETAIL", and counts failures; t_done() prints the verdict
 * and gives the exit status (0 iff every check passed). "ok" lines never
 * contain values that differ between machines (addresses, pids, times), so
 * the output of a passing run is identical on Linux and on Forkline; such
 * values go on "~ " lines, which comparisons ignore, and so do the "ok"
 * lines of checks only one system makes (t_check_here). Errno and signal names
 * are our own (names.h), identical on glibc and musl.
 *
 * stdout is line-buffered: each line reaches the runner whole, and fork()
 * never duplicates half-written output. Children use t_child_exit().
 */
#ifndef FORKLINE_T_H
#define FORKLINE_T_H

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "names.h"

static int t_failures;

/* The path this program's binary was executed as (set by the generated
   main of the group's multi-call binary: see xtask/src/build/programs.rs). */
extern const char *t_self;

/* Line buffering for stdout, before main prints anything. */
__attribute__((constructor)) static void t_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* One check: "ok: what" (or "~ ok: what" when tilde) or "FAIL: what:
   detail". Returns cond. */
static inline int t_vcheck(int tilde, int cond, const char *what, const char *detail_fmt, va_list ap)
{
	if (cond) {
		printf("%sok: %s\n", tilde ? "~ " : "", what);
		return 1;
	}
	printf("FAIL: %s: ", what);
	vprintf(detail_fmt, ap);
	printf("\n");
	t_failures++;
	return 0;
}

/* One check: "ok: what" or "FAIL: what: detail". Returns cond. */
__attribute__((format(printf, 3, 4))) static inline int t_check(int cond, const char *what, const char *detail_fmt, ...)
{
	va_list ap;
	va_start(ap, detail_fmt);
	int r = t_vcheck(0, cond, what, detail_fmt, ap);
	va_end(ap);
	return r;
}

/* A check made on some systems only (say, a Forkline guarantee Linux does
   not make): its "ok" line is a "~ " line, so that passing runs on both
   systems still compare equal. A failure is a failure. */
__attribute__((format(printf, 3, 4))) static inline int t_check_here(int cond, const char *what, const char *detail_fmt, ...)
{
	va_list ap;
	va_start(ap, detail_fmt);
	int r = t_vcheck(1, cond, what, detail_fmt, ap);
	va_end(ap);
	return r;
}

/* A boolean check without detail. */
#define t_ok(cond, what) t_check(!!(cond), what, "%s is false", #cond)

/* got == want, both shown on failure. */
#define t_eq(got, want, what)                                                       \
	do {                                                                            \
		long long g_ = (long long)(got), w_ = (long long)(want);                    \
		t_check(g_ == w_, what, "got %lld (%#llx), want %lld", g_, (unsigned long long)g_, w_); \
	} while (0)

/* A call that must succeed (return other than -1). */
#define t_sys(ret, what) t_check((ret) != -1, what, "failed with %s", errname(errno))

/* A call that must fail with -1 and errno == want. Evaluates ret once. */
#define t_err(ret, want, what)                                                      \
	do {                                                                            \
		errno = 0;                                                                  \
		long r_ = (long)(ret);                                                      \
		int e_ = errno;                                                             \
		t_check(r_ == -1 && e_ == (want), what, "got %ld, errno %s; want -1, %s", r_, \
			errname(e_), errname(want));                                            \
	} while (0)

/* A fact that may differ between machines; comparisons skip "~ " lines. */
#define t_info(...) (printf("~ " __VA_ARGS__), printf("\n"))

/* Give up: the test cannot continue. */
#define t_die(...) (printf("FAIL: " __VA_ARGS__), printf(": %s\n", errname(errno)), exit(2))

/* The verdict line and exit status of main. */
static inline int t_done(void)
{
	if (t_failures)
		printf("%d check(s) FAILED\n", t_failures);
	else
		printf("all checks passed\n");
	return t_failures ? 1 : 0;
}

/* The end of a forked child that ran checks: its status reports them. */
static inline void t_child_exit(void)
{
	fflush(stdout);
	_exit(t_failures ? 1 : 0);
}

/* "exit 3", "signal 11 (SIGSEGV)", "stopped by 19 (SIGSTOP)", "continued". */
static inline const char *t_status(int st)
{
	static char buf[64];
	if (WIFEXITED(st))
		snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof buf, "signal %d (%s)", WTERMSIG(st), signame(WTERMSIG(st)));
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof buf, "stopped by %d (%s)", WSTOPSIG(st), signame(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		snprintf(buf, sizeof buf, "continued");
	else
		snprintf(buf, sizeof buf, "status %#x", st);
	return buf;
}

/* Run fn(arg) in a forked child and return its wait status (-1 if fork or
   waitpid failed). The child exits with fn's return value. */
static inline int t_in_child(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int r = fn(arg);
		fflush(stdout);
		_exit(r);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* Check a wait status, described as t_status() does ("exit 3", "signal
   15 (SIGTERM)", "stopped by 19 (SIGSTOP)"); a failure shows the status. */
static inline int t_status_is(int st, const char *want, const char *what)
{
	const char *got = t_status(st);
	return t_check(!strcmp(got, want), what, "%s, want %s", got, want);
}

/* waitpid(pid, options), then t_status_is. */
static inline int t_waited(pid_t pid, int options, const char *want, const char *what)
{
	int st = 0;
	pid_t r = waitpid(pid, &st, options);
	if (r != pid)
		return t_check(0, what, "waitpid gave %d (%s), want %d", (int)r, errname(r < 0 ? errno : 0), (int)pid);
	return t_status_is(st, want, what);
}

/* Wait for pid and check it exited 0 (its own checks passed). */
static inline void t_wait_ok(pid_t pid, const char *what)
{
	t_waited(pid, 0, "exit 0", what);
}

/* The main of an i386-only test built for x86_64: it fails, so that
   listing it for x86_64 by mistake is noticed. */
#define T_I386_ONLY_MAIN(name)                                                          \
	int main(int argc, char **argv)                                                 \
	{                                                                               \
		(void)argc, (void)argv;                                                 \
		printf("FAIL: " name " tests i386 programs only; do not list it for x86_64\n"); \
		return 2;                                                               \
	}

/* Are we on Forkline? (Its uname() sysname says so; Linux says "Linux".) */
static inline int t_is_forkline(void)
{
	struct utsname u;
	return uname(&u) == 0 && !strcmp(u.sysname, "Forkline");
}

/* Field n (1-based, as proc(5) counts) of /proc/self/stat; -999 if
   unreadable. Field 2 (comm) may hold blanks, so counting starts after
   its closing parenthesis. */
static inline long t_stat_field(int n)
{
	char buf[1024];
	FILE *f = fopen("/proc/self/stat", "r");
	if (!f)
		return -999;
	char *line = fgets(buf, sizeof buf, f);
	fclose(f);
	char *p = line ? strrchr(buf, ')') : NULL;
	if (!p)
		return -999;
	p += 2; /* field 3 */
	for (int i = 3; i < n; i++) {
		if (!(p = strchr(p, ' ')))
			return -999;
		p++;
	}
	return strtol(p, NULL, 10);
}

/* A guest path as this process sees it: under $FORKLINE_TEST_ROOT when the
   runner was given --root (host runs). Returns a static buffer per slot. */
static inline const char *t_path(const char *guest)
{
	static char bufs[4][4096];
	static int slot;
	const char *root = getenv("FORKLINE_TEST_ROOT");
	char *b = bufs[slot++ % 4];
	snprintf(b, sizeof bufs[0], "%s%s", root ? root : "", guest);
	return b;
}

/* Another binary beside ours: t_sibling("issue5-glibc32"). */
static inline const char *t_sibling(const char *name)
{
	static char buf[4096];
	const char *slash = strrchr(t_self, '/');
	int dir = slash ? (int)(slash - t_self) + 1 : 0;
	snprintf(buf, sizeof buf, "%.*s%s", dir, t_self, name);
	return buf;
}

/* An address the compiler cannot reason about, for tests that pass bad
   pointers on purpose (it would rightly warn about the constant). */
static inline void *t_addr(uintptr_t a)
{
	volatile uintptr_t v = a;
	return (void *)v;
}

/* Nanoseconds on clock c. */
static inline long long t_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleep ms milliseconds (restarting after signals). */
static inline void t_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Read exactly n bytes (or until EOF); returns bytes read or -1. */
static inline long t_read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)got;
}

/* Tell the process at the other end of a pipe to go on: one byte. */
static inline void t_send(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		t_check(0, "t_send", "write: %s", errname(errno));
}

/* Wait for the byte t_send sends; returns it, or -1 at EOF. */
static inline int t_recv(int fd)
{
	char c;
	return t_read_full(fd, &c, 1) == 1 ? c : -1;
}

/* Write all n bytes; returns n or -1. */
static inline long t_write_full(int fd, const void *buf, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, (const char *)buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		done += (size_t)w;
	}
	return (long)done;
}

#endif
