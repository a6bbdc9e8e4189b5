/* forkline-test — the test runner Forkline boots as init; the same binary
 * runs the same list on the host, which is how we know the tests are right.
 *
 * What it proves: that every listed program, run as its own process with its
 * output captured, ends as the list says (exit status or signal) within its
 * time limit. It is a static glibc program, so merely running it exercises
 * fork, execve, pipe2, dup2, setpgid, poll and waitpid in the kernel.
 *
 * USAGE
 *   forkline-test [OPTION...] [FILTER...]
 *     --list=FILE        the test list (default /etc/forkline-tests/LIST,
 *                        under the root)
 *     --root=DIR         guest paths live under DIR: the default list,
 *                        every COMMAND and the tests' working directory;
 *                        tests see FORKLINE_TEST_ROOT=DIR (host runs use it)
 *     --arch=ARCH        only tests tagged ARCH (repeatable: any of them)
 *     --timeout-scale=N  multiply every time limit by N
 *     --list-only        print the selected tests and exit
 *   "--opt value" works too. FILTER is a test name or a prefix ending in
 *   '*'; a test runs if it matches any FILTER (every test when none is
 *   given). A FILTER that matches no test counts as a failure. Linux-style
 *   kernels pass the words after "--" on the command line to init, e.g.
 *   `init=/sbin/forkline-test -- --arch=i386 issue3.*`.
 *
 * LIST FORMAT — one test per line; blank lines and lines whose first
 * non-blank character is '#' are ignored; fields are separated by blanks:
 *   NAME ARCH EXPECT OPTIONS COMMAND [ARG...]
 *   NAME     unique; letters, digits and . _ - +
 *   ARCH     the ABI of COMMAND: x86_64, i386, or mixed (crosses ABIs)
 *   EXPECT   exit=N (0..255) or signal=S (SIGSEGV, SEGV or 11)
 *   OPTIONS  "-" or a comma-separated list of: timeout=SECONDS (default
 *            60); sort and nodiff, which tell a harness comparing two runs
 *            to compare the output sorted, or not at all
 *   COMMAND  the absolute guest path of the program; each ARG is a word,
 *            and '...' quotes a word that contains blanks
 *   e.g. issue3.fault-null.glibc32 i386 signal=SIGSEGV timeout=20 \
 *            /usr/libexec/forkline-tests/fault-glibc32 null     (one line)
 *
 * HOW A TEST RUNS — fork; the child leads a new process group, has stdout
 * and stderr on a pipe (stdin stays the runner's: the console on Forkline)
 * and no other fd open,
 * default signal dispositions, an empty signal mask, a soft RLIMIT_CORE of
 * 0, the root as working directory, and in its environment
 * FORKLINE_TEST_NAME, FORKLINE_TEST_RUNNER (the runner's pid, its parent),
 * FORKLINE_TEST_REAPER (the pid orphans are reparented to) and, with
 * --root, FORKLINE_TEST_ROOT; then it execve()s COMMAND, with
 * argv[0] the path executed (under --root) and the ARGs after it. The
 * runner copies the output to its stdout line by line as it arrives and
 * reaps the child. At the time limit it SIGKILLs the process group;
 * processes that still hold the output 2 s after the test exited are killed
 * too and fail the test. Output past 1 MiB per test is counted, not shown.
 *
 * OUTPUT PROTOCOL (stdout), per test:
 *   === RUN NAME
 *   <the test's output lines>
 *   === END NAME exit=N | === END NAME signal=N (SIGNAME) | === END NAME timeout
 *   ok NAME | FAIL NAME: WHY
 * then exactly one summary, the last line: "N passed, M failed". Any other
 * line starts with "forkline-test: ". The exit status is 0 iff M is 0.
 *
 * AS PID 1 — the kernel powers off when init exits, so the runner exits
 * only after the summary, whatever happens. It reaps every orphan
 * reparented to it, and keeps SIGCHLD at SIG_DFL: SIG_IGN would make the
 * kernel reap tests itself and waitpid fail. Elsewhere it asks Linux to make
 * it a child subreaper, so orphans of tests come to it there too.
 *
 * WITHOUT poll(2) (ENOSYS) the runner falls back to non-blocking reads with
 * 10 ms sleeps, and without O_NONBLOCK to blocking reads; time limits then
 * cannot stop a test that hangs holding its output open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/names.h"

#define DEFAULT_TIMEOUT 60
#define OUTPUT_CAP (1 << 20)
#define LINGER_NS 2000000000LL
#define GIVE_UP_NS 5000000000LL

struct test {
	char *name, *arch;
	int expect_signal; /* 1: expect_code is a signal; 0: an exit status */
	int expect_code;
	int timeout;       /* seconds */
	char **argv;       /* argv[0] is COMMAND, a guest path */
	int selected;
	int passed;
};

static struct test *tests;
static int ntests;
static const char *root = "";  /* no trailing slash; "" is "/" */
static int timeout_scale = 1;
static int passed, failed;
static pid_t reaper;
static enum { IO_POLL, IO_NONBLOCK, IO_BLOCK } io_mode = IO_POLL;

/* Write everything, retrying short writes and EINTR. */
static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* printf to stdout, unbuffered, one write per call (no stdio buffer that a
   fork could duplicate or a crash could lose). */
static void say(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n >= 0) {
		write_all(1, s, (size_t)n);
		free(s);
	}
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* A guest path as seen from here: under --root if given. */
static char *host_path(const char *guest)
{
	char *s;
	if (asprintf(&s, "%s%s", root, guest) < 0)
		abort();
	return s;
}

/* The whole file, NUL-terminated, or NULL with errno set. */
static char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	for (;;) {
		if (len + 1 >= cap)
			buf = realloc(buf, cap *= 2);
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			free(buf);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/* Split a line into words at blanks; '...' quotes a word. Modifies line;
   returns a NULL-terminated array, *n words, or NULL on an open quote. */
static char **split_words(char *line, int *n)
{
	char **w = NULL;
	int cap = 0;
	*n = 0;
	for (char *p = line;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		char *start = p, *out = p;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'') {
				char *q = strchr(p + 1, '\'');
				if (!q) {
					free(w);
					return NULL;
				}
				memmove(out, p + 1, (size_t)(q - p - 1));
				out += q - p - 1;
				p = q + 1;
			} else {
				*out++ = *p++;
			}
		}
		int more = *p != 0;
		*out = 0;
		if (more)
			p++;
		if (*n + 2 > cap)
			w = realloc(w, sizeof *w * (size_t)(cap = cap * 2 + 8));
		w[(*n)++] = start;
		if (!more)
			break;
	}
	if (!w)
		w = malloc(sizeof *w);
	w[*n] = NULL;
	return w;
}

/* Parse "exit=N" or "signal=S" into t; 0 on success. */
static int parse_expect(const char *s, struct test *t)
{
	char *end;
	if (!strncmp(s, "exit=", 5)) {
		long v = strtol(s + 5, &end, 10);
		if (!s[5] || *end || v < 0 || v > 255)
			return -1;
		t->expect_signal = 0;
		t->expect_code = (int)v;
		return 0;
	}
	if (!strncmp(s, "signal=", 7)) {
		t->expect_signal = 1;
		t->expect_code = signum(s + 7);
		return t->expect_code > 0 ? 0 : -1;
	}
	return -1;
}

/* Parse the OPTIONS field; 0 on success. */
static int parse_options(char *s, struct test *t)
{
	t->timeout = DEFAULT_TIMEOUT;
	if (!strcmp(s, "-"))
		return 0;
	for (char *o = strtok(s, ","); o; o = strtok(NULL, ",")) {
		char *end;
		if (!strncmp(o, "timeout=", 8)) {
			long v = strtol(o + 8, &end, 10);
			if (!o[8] || *end || v <= 0 || v > 86400)
				return -1;
			t->timeout = (int)v;
		} else if (strcmp(o, "sort") && strcmp(o, "nodiff")) {
			return -1;
		}
	}
	return 0;
}

/* Load and check the list; returns the number of errors (each printed). */
static int load_list(const char *path)
{
	char *text = read_file(path);
	if (!text) {
		say("forkline-test: cannot read %s: %s\n", path, errname(errno));
		return 1;
	}
	int errors = 0, lineno = 0;
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		int n;
		char **w = split_words(p, &n);
		struct test t = { 0 };
		const char *why = NULL;
		if (!w)
			why = "unterminated quote";
		else if (n < 5)
			why = "want NAME ARCH EXPECT OPTIONS COMMAND [ARG...]";
		else if (strspn(w[0], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+") != strlen(w[0]))
			why = "bad character in NAME";
		else if (strcmp(w[1], "x86_64") && strcmp(w[1], "i386") && strcmp(w[1], "mixed"))
			why = "ARCH must be x86_64, i386 or mixed";
		else if (parse_expect(w[2], &t))
			why = "EXPECT must be exit=0..255 or signal=NAME|N";
		else if (parse_options(w[3], &t))
			why = "OPTIONS must be - or timeout=SECONDS,sort,nodiff";
		else if (w[4][0] != '/')
			why = "COMMAND must be an absolute path";
		for (int i = 0; !why && i < ntests; i++)
			if (!strcmp(tests[i].name, w[0]))
				why = "duplicate NAME";
		if (why) {
			say("forkline-test: %s:%d: %s\n", path, lineno, why);
			errors++;
			free(w);
			continue;
		}
		t.name = w[0];
		t.arch = w[1];
		t.argv = w + 4;
		tests = realloc(tests, sizeof *tests * (size_t)(ntests + 1));
		tests[ntests++] = t;
	}
	if (!ntests && !errors) {
		say("forkline-test: %s lists no tests\n", path);
		errors++;
	}
	return errors;
}

/* Does the filter (a name, or a prefix ending in '*') match name? */
static int matches(const char *filter, const char *name)
{
	size_t n = strlen(filter);
	if (n && filter[n - 1] == '*')
		return !strncmp(filter, name, n - 1);
	return !strcmp(filter, name);
}

/* The environment for a test: ours without FORKLINE_TEST_*, plus its own. */
static char **test_env(const struct test *t)
{
	extern char **environ;
	int n = 0;
	while (environ[n])
		n++;
	char **env = malloc(sizeof *env * (size_t)(n + 5)), **e = env;
	for (int i = 0; i < n; i++)
		if (strncmp(environ[i], "FORKLINE_TEST_", 14))
			*e++ = environ[i];
	if (asprintf(e++, "FORKLINE_TEST_NAME=%s", t->name) < 0 ||
	    asprintf(e++, "FORKLINE_TEST_RUNNER=%d", (int)getpid()) < 0 ||
	    asprintf(e++, "FORKLINE_TEST_REAPER=%d", (int)reaper) < 0)
		abort();
	if (*root && asprintf(e++, "FORKLINE_TEST_ROOT=%s", root) < 0)
		abort();
	*e = NULL;
	return env;
}

/* A close-on-exec pipe (pipe2, or pipe + fcntl where pipe2 is missing). */
static int make_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS || pipe(p) < 0)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

/* Close every fd from 3 up but keep: close_range, or one by one where the
   kernel lacks it. */
static void close_fds_except(int keep)
{
	if ((keep == 3 || syscall(SYS_close_range, 3, keep - 1, 0) == 0) &&
	    syscall(SYS_close_range, keep + 1, ~0U, 0) == 0)
		return;
	struct rlimit r;
	long max = getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < 65536 ? (long)r.rlim_cur : 65536;
	for (int fd = 3; fd < max; fd++)
		if (fd != keep)
			close(fd);
}

/* In the child: the state every test starts from, then execve. Never
   returns; on failure sends errno through errfd and exits 127. */
static void exec_test(struct test *t, int out, int errfd, char *path, char **env)
{
	setpgid(0, 0);
	int e = 0;
	if (dup2(out, 1) < 0 || dup2(out, 2) < 0)
		e = errno;
	close_fds_except(errfd);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (int s = 1; s < 65; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &dfl, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	struct rlimit core;
	if (getrlimit(RLIMIT_CORE, &core) == 0) {
		core.rlim_cur = 0;
		setrlimit(RLIMIT_CORE, &core);
	}
	if (!e && chdir(*root ? root : "/") < 0)
		e = errno;
	if (!e) {
		t->argv[0] = path;
		execve(path, t->argv, env);
		e = errno;
	}
	write_all(errfd, (const char *)&e, sizeof e);
	_exit(127);
}

/* Reap every child that has exited (orphans included); note the test's. */
static void reap(pid_t test, int *reaped, int *status)
{
	int st;
	pid_t r;
	while ((r = waitpid(-1, &st, WNOHANG)) > 0)
		if (r == test) {
			*reaped = 1;
			*status = st;
		}
}

/* Wait up to ms for fd to become readable or reach EOF. Returns 1 when a
   read() will not block (it may still fail with EAGAIN in IO_NONBLOCK). */
static int input_ready(int fd, int ms)
{
	if (io_mode == IO_POLL) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, ms);
		if (r >= 0)
			return r > 0;
		if (errno == EINTR)
			return 0;
		int e = errno;
		io_mode = fcntl(fd, F_SETFL, O_NONBLOCK) == 0 ? IO_NONBLOCK : IO_BLOCK;
		say("forkline-test: poll: %s; falling back to %s reads\n", errname(e),
		    io_mode == IO_NONBLOCK ? "non-blocking" : "blocking");
	}
	return 1;
}

/* The test's output, passed on a line at a time (4 KiB pieces for longer
   lines) until OUTPUT_CAP bytes have been shown. */
struct sink {
	char line[4096];
	size_t len, shown, dropped;
	int at_line_start;
};

static void sink_flush(struct sink *s)
{
	if (!s->len)
		return;
	if (s->shown + s->len <= OUTPUT_CAP) {
		write_all(1, s->line, s->len);
		s->shown += s->len;
		s->at_line_start = s->line[s->len - 1] == '\n';
	} else {
		s->dropped += s->len;
	}
	s->len = 0;
}

static void sink_bytes(struct sink *s, const char *p, size_t n)
{
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) + 1 : n;
		if (take > sizeof s->line - s->len)
			take = sizeof s->line - s->len;
		memcpy(s->line + s->len, p, take);
		s->len += take;
		p += take;
		n -= take;
		if (s->line[s->len - 1] == '\n' || s->len == sizeof s->line)
			sink_flush(s);
	}
}

static void sink_end(struct sink *s)
{
	sink_flush(s);
	if (!s->at_line_start)
		write_all(1, "\n", 1);
	if (s->dropped)
		say("forkline-test: %zu more bytes of output not shown (limit %d)\n",
		    s->dropped, OUTPUT_CAP);
}

/* "exit=N" or "signal=N (SIGNAME)" for a wait status or an expectation. */
static const char *describe(int is_signal, int code)
{
	static char buf[64];
	if (is_signal)
		snprintf(buf, sizeof buf, "signal=%d (%s)", code, signame(code));
	else
		snprintf(buf, sizeof buf, "exit=%d", code);
	return buf;
}

/* fork, retrying for a while: a test that exhausted the process table
   (the fork bomb) leaves orphans that take a moment to be reaped. */
static pid_t fork_retrying(void)
{
	for (int i = 0;; i++) {
		pid_t p = fork();
		if (p >= 0 || (errno != EAGAIN && errno != ENOMEM) || i == 50)
			return p;
		int dummy_reaped = 0, dummy;
		reap(0, &dummy_reaped, &dummy);
		sleep_ms(100);
	}
}

/* Run one test and print its record; returns 1 if it passed. */
static int run_test(struct test *t)
{
	char *path = host_path(t->argv[0]);
	char **env = test_env(t);
	int out[2], errp[2];
	say("=== RUN %s\n", t->name);
	if (make_pipe(out) < 0 || make_pipe(errp) < 0) {
		say("=== END %s exit=127\nFAIL %s: pipe: %s\n", t->name, t->name, errname(errno));
		return 0;
	}
	if (io_mode == IO_NONBLOCK)
		fcntl(out[0], F_SETFL, O_NONBLOCK);
	pid_t pid = fork_retrying();
	if (pid < 0) {
		int e = errno;
		close(out[0]), close(out[1]), close(errp[0]), close(errp[1]);
		say("=== END %s exit=127\nFAIL %s: fork: %s\n", t->name, t->name, errname(e));
		return 0;
	}
	if (pid == 0)
		exec_test(t, out[1], errp[1], path, env);
	setpgid(pid, pid); /* also here, so kill(-pid) works at once */
	close(out[1]);
	close(errp[1]);

	struct sink s = { .at_line_start = 1 };
	char buf[65536];
	int eof = 0, reaped = 0, status = 0, timed_out = 0, lingered = 0, killed = 0;
	long long start = now_ns(), deadline = start + (long long)t->timeout * timeout_scale * 1000000000LL;
	long long reaped_at = 0, killed_at = 0;
	while (!eof || !reaped) {
		if (!eof) {
			if (input_ready(out[0], 50)) {
				ssize_t n = read(out[0], buf, sizeof buf);
				if (n > 0)
					sink_bytes(&s, buf, (size_t)n);
				else if (n == 0)
					eof = 1;
				else if (errno == EAGAIN)
					sleep_ms(10);
				else if (errno != EINTR)
					eof = 1;
			}
		} else {
			sleep_ms(2);
		}
		if (!reaped) {
			reap(pid, &reaped, &status);
			if (reaped)
				reaped_at = now_ns();
		}
		long long now = now_ns();
		if (!killed && !reaped && now > deadline)
			timed_out = killed = 1;
		else if (!killed && reaped && !eof && now > reaped_at + LINGER_NS)
			lingered = killed = 1;
		else if (killed && now > killed_at + GIVE_UP_NS)
			break;
		if (killed && !killed_at) {
			killed_at = now;
			kill(-pid, SIGKILL);
			if (!reaped)
				kill(pid, SIGKILL);
		}
	}
	sink_end(&s);
	close(out[0]);
	int exec_errno = 0;
	if (!reaped || read(errp[0], &exec_errno, sizeof exec_errno) != sizeof exec_errno)
		exec_errno = 0;
	close(errp[0]);

	int is_signal = reaped && WIFSIGNALED(status);
	int code = is_signal ? WTERMSIG(status) : WEXITSTATUS(status);
	char got[64];
	snprintf(got, sizeof got, "%s", describe(is_signal, code));
	say("=== END %s %s\n", t->name, timed_out || !reaped ? "timeout" : got);
	int ok = 0;
	if (exec_errno)
		say("FAIL %s: cannot execute %s: %s\n", t->name, path, errname(exec_errno));
	else if (timed_out)
		say("FAIL %s: timed out after %d s\n", t->name, t->timeout * timeout_scale);
	else if (!reaped)
		say("FAIL %s: still not reaped 5 s after SIGKILL\n", t->name);
	else if (is_signal != t->expect_signal || code != t->expect_code)
		say("FAIL %s: %s, expected %s\n", t->name, got, describe(t->expect_signal, t->expect_code));
	else if (lingered)
		say("FAIL %s: processes still held its output 2 s after it ended (killed)\n", t->name);
	else
		ok = 1;
	if (ok)
		say("ok %s\n", t->name);
	free(path);
	for (char **e = env; *e; e++)
		if (!strncmp(*e, "FORKLINE_TEST_", 14))
			free(*e);
	free(env);
	return ok;
}

/* The value of "--name=value" or "--name value"; NULL if arg is not --name. */
static const char *option(const char *name, char **argv, int *i)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == 0 && argv[*i + 1])
		return argv[++*i];
	return NULL;
}

int main(int argc, char **argv)
{
	/* Known starting state whatever we inherited (exec keeps SIG_IGN). */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	reaper = 1;
	if (getpid() == 1)
		say("forkline-test: running as init (pid 1)\n");
	else if (prctl(PR_SET_CHILD_SUBREAPER, 1) == 0)
		reaper = getpid();

	const char *list = NULL, *v;
	char **filters = calloc((size_t)argc, sizeof *filters), **archs = calloc((size_t)argc, sizeof *archs);
	int nfilters = 0, narchs = 0, list_only = 0, errors = 0;
	for (int i = 1; i < argc; i++) {
		if ((v = option("--list", argv, &i)))
			list = v;
		else if ((v = option("--root", argv, &i)))
			root = v;
		else if ((v = option("--arch", argv, &i)))
			archs[narchs++] = (char *)v;
		else if ((v = option("--timeout-scale", argv, &i)) && atoi(v) > 0)
			timeout_scale = atoi(v);
		else if (!strcmp(argv[i], "--list-only"))
			list_only = 1;
		else if (argv[i][0] == '-' && strcmp(argv[i], "--")) {
			say("forkline-test: unknown or incomplete option %s\n", argv[i]);
			errors++;
		} else if (strcmp(argv[i], "--"))
			filters[nfilters++] = argv[i];
	}
	char *r = strdup(root);
	while (*r && r[strlen(r) - 1] == '/')
		r[strlen(r) - 1] = 0;
	root = r;
	char *list_path = list ? strdup(list) : host_path("/etc/forkline-tests/LIST");
	if (!errors)
		errors = load_list(list_path);

	int selected = 0;
	for (int i = 0; i < ntests; i++) {
		struct test *t = &tests[i];
		int arch_ok = !narchs, name_ok = !nfilters;
		for (int a = 0; a < narchs; a++)
			arch_ok |= !strcmp(archs[a], t->arch);
		for (int f = 0; f < nfilters; f++)
			name_ok |= matches(filters[f], t->name);
		t->selected = arch_ok && name_ok;
		selected += t->selected;
	}
	for (int f = 0; f < nfilters && !errors; f++) {
		int hit = 0;
		for (int i = 0; i < ntests; i++)
			hit |= matches(filters[f], tests[i].name);
		if (!hit) {
			say("FAIL filter %s: matches no test in %s\n", filters[f], list_path);
			failed++;
		}
	}
	if (list_only) {
		for (int i = 0; i < ntests; i++)
			if (tests[i].selected)
				say("%s %s %s\n", tests[i].name, tests[i].arch,
				    describe(tests[i].expect_signal, tests[i].expect_code));
		return errors ? 2 : 0;
	}
	if (errors) {
		say("%d passed, %d failed\n", 0, errors);
		return 2;
	}
	say("forkline-test: %d of %d tests from %s\n", selected, ntests, list_path);
	for (int i = 0; i < ntests; i++) {
		if (!tests[i].selected)
			continue;
		tests[i].passed = run_test(&tests[i]);
		if (tests[i].passed)
			passed++;
		else
			failed++;
	}
	int dummy_reaped = 0, dummy;
	reap(0, &dummy_reaped, &dummy);
	if (failed) {
		say("forkline-test: failed:");
		for (int i = 0; i < ntests; i++)
			if (tests[i].selected && !tests[i].passed)
				say(" %s", tests[i].name);
		say("\n");
	}
	say("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
