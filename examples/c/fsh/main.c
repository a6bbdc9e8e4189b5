/* fsh, the Forkline shell: startup and the read-parse-run loop.

     fsh                          interactive on a terminal, else commands from stdin
     fsh -c 'COMMANDS' [NAME [ARG…]]
     fsh FILE [ARG…]              a script
     options before these: -i (interactive), -e, -x (as `set -e`, `set -x`)

   Line editing is the terminal's: the kernel's line discipline (n_tty)
   collects a line with backspace, ^U, ^W and echo, and read() returns it
   whole. ^C at the prompt throws the line away (the SIGINT interrupts the
   read); while a command runs, ^C goes to the command's process group
   instead (jobs.c). */
#include "fsh.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct shell sh;

/* "fsh: message" on stderr, after what stdout has buffered. */
void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fflush(stdout);
	fputs("fsh: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* malloc, or end the shell (status 127) when memory is gone. */
void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		write(2, "fsh: out of memory\n", 19);
		_exit(127);
	}
	return p;
}

/* realloc, or end the shell (status 127) when memory is gone. */
void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		write(2, "fsh: out of memory\n", 19);
		_exit(127);
	}
	return p;
}

/* A malloc'ed copy of s. */
char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* A malloc'ed, terminated copy of the first n bytes of s. */
char *xstrndup(const char *s, size_t n)
{
	char *r = xmalloc(n + 1);
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

/* Where lines come from: a string, or a file descriptor. */
struct input {
	const char *text; /* -c, a script, or `source` */
	size_t pos;
	int fd;           /* stdin when text is NULL */
	int bytewise;     /* a pipe: read a byte at a time, leaving the rest to commands */
};

static volatile sig_atomic_t interrupted;

/* ^C at the prompt: note it; the interrupted read() does the rest. */
static void on_sigint(int sig)
{
	interrupted = 1;
}

/* The next line, '\n' included (malloc'ed); NULL at the end of input or,
   with `interrupted` set, when ^C interrupted the read. */
static char *read_line(struct input *in)
{
	if (in->text) {
		if (!in->text[in->pos])
			return 0;
		size_t len = strcspn(in->text + in->pos, "\n");
		len += in->text[in->pos + len] == '\n';
		char *line = xstrndup(in->text + in->pos, len);
		in->pos += len;
		return line;
	}
	size_t len = 0, cap = 256;
	char *line = xmalloc(cap);
	for (;;) {
		ssize_t n = read(in->fd, line + len, in->bytewise ? 1 : cap - len - 1);
		if (n < 0 && errno == EINTR && !interrupted)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (line[len - 1] == '\n')
			break;
		if (len + 2 >= cap)
			line = xrealloc(line, cap *= 2);
	}
	if (len == 0 || interrupted) {
		free(line);
		return 0;
	}
	line[len] = 0;
	return line;
}

/* PS1, or "fsh:DIR# " (or $ for users other than root). */
static void prompt(int continuation)
{
	const char *ps = var_get(continuation ? "PS2" : "PS1");
	if (ps) {
		fputs(ps, stderr);
	} else if (continuation) {
		fputs("> ", stderr);
	} else {
		char cwd[4096];
		fprintf(stderr, "fsh:%s%c ", getcwd(cwd, sizeof cwd) ? cwd : "?", getuid() ? '$' : '#');
	}
	fflush(stderr);
}

/* Read, parse and run until the input ends or `exit`; returns the status
   the shell should end with. */
static int run_input(struct input *in, int interactive)
{
	char *pending = 0; /* lines of a command not yet complete */
	for (;;) {
		if (interactive) {
			jobs_reap(1);
			prompt(pending != 0);
		}
		interrupted = 0;
		char *line = read_line(in);
		if (!line && interrupted) {
			fputc('\n', stderr);
			free(pending);
			pending = 0;
			sh.last_status = 130;
			continue;
		}
		if (!line) {
			if (pending) {
				warn("syntax error: unexpected end of input");
				sh.last_status = 2;
			}
			if (interactive)
				fputc('\n', stderr);
			break;
		}
		size_t plen = pending ? strlen(pending) : 0;
		pending = xrealloc(pending, plen + strlen(line) + 1);
		strcpy(pending + plen, line);
		free(line);
		struct andor *list;
		enum parse_result r = parse(pending, &list);
		if (r == P_INCOMPLETE)
			continue;
		free(pending);
		pending = 0;
		if (r == P_ERROR) {
			sh.last_status = 2;
			if (!interactive)
				break;
			continue;
		}
		run_list(list);
		free_list(list);
		fflush(stdout);
		if (sh.exiting)
			break;
	}
	free(pending);
	return sh.exiting ? sh.exit_status : sh.last_status;
}

/* Read a whole script, then run it line by line as input. */
int run_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s: %s", path, strerror(errno));
		return 127;
	}
	size_t len = 0, cap = 4096;
	char *text = xmalloc(cap);
	ssize_t n;
	while ((n = read(fd, text + len, cap - len - 1)) > 0)
		if ((len += (size_t)n) + 1 >= cap)
			text = xrealloc(text, cap *= 2);
	close(fd);
	text[len] = 0;
	struct input in = {.text = text};
	int status = run_input(&in, 0);
	free(text);
	return status;
}

/* Positional parameters from argv[i…]. */
static void set_args(char **argv, int i, int argc)
{
	sh.args = argv + i;
	sh.nargs = argc > i ? argc - i : 0;
}

/* Options, then -c, a script file, or the read-parse-run loop. */
int main(int argc, char **argv, char **envp)
{
	char cwd[4096];
	int force_interactive = 0, i = 1;
	sh.pid = getpid();
	sh.argv0 = argv[0];
	vars_init(envp);
	if (!var_get("PWD") && getcwd(cwd, sizeof cwd))
		var_set("PWD", cwd, 1);
	for (; i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "-c"); i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'i')
				force_interactive = 1;
			else if (*o == 'e')
				sh.errexit = 1;
			else if (*o == 'x')
				sh.xtrace = 1;
			else {
				warn("-%c: unknown option (usage: fsh [-iex] [-c COMMANDS [NAME [ARG…]] | FILE [ARG…]])", *o);
				return 2;
			}
		}
	}
	if (i < argc && !strcmp(argv[i], "-c")) {
		if (i + 1 >= argc) {
			warn("-c: a command string is needed");
			return 2;
		}
		if (i + 2 < argc)
			sh.argv0 = argv[i + 2];
		set_args(argv, i + 3, argc);
		int status = run_string(argv[i + 1]);
		fflush(0);
		return sh.exiting ? sh.exit_status : status;
	}
	if (i < argc) {
		sh.argv0 = argv[i];
		set_args(argv, i + 1, argc);
		int status = run_file(argv[i]);
		fflush(0);
		return status;
	}
	sh.interactive = force_interactive || (isatty(0) && isatty(2));
	struct input in = {.fd = 0};
	if (sh.interactive) {
		jobs_init(1);
		struct sigaction sa = {0};
		sa.sa_handler = on_sigint; /* no SA_RESTART: ^C ends the read */
		sigaction(SIGINT, &sa, 0);
		signal(SIGTERM, SIG_IGN);
	} else {
		in.bytewise = 1; /* leave unread input to the commands that read stdin */
	}
	int status = run_input(&in, sh.interactive);
	fflush(0);
	return status;
}
