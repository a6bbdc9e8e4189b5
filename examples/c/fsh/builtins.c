/* fsh: the builtins, commands the shell runs itself. Some must (cd, exit,
   export, unset, set, source, fg, wait, read: they change the shell), the
   others are here because every shell has them (echo, test, type, true). A
   lone builtin runs in the shell; in a pipeline it runs in a child like
   any other command. */
#include "fsh.h"
#include "../lib/escapes.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cd [DIR | -]: change directory (default $HOME), keeping PWD and OLDPWD. */
static int builtin_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	int print = 0;
	if (dir && !strcmp(dir, "-")) {
		dir = var_get("OLDPWD");
		print = 1;
	}
	if (!dir || !*dir) {
		warn("cd: %s not set", argc > 1 ? "OLDPWD" : "HOME");
		return 1;
	}
	if (chdir(dir) < 0) {
		warn("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	char cwd[4096];
	const char *old = var_get("PWD");
	if (old)
		var_set("OLDPWD", old, 0);
	if (getcwd(cwd, sizeof cwd))
		var_set("PWD", cwd, 1);
	if (print)
		printf("%s\n", cwd);
	return 0;
}

/* pwd: print the working directory. */
static int builtin_pwd(int argc, char **argv)
{
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd)) {
		warn("pwd: %s", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

/* exit [N]: leave the shell with N (default: the last status). */
static int builtin_exit(int argc, char **argv)
{
	sh.exiting = 1;
	sh.exit_status = argc > 1 ? atoi(argv[1]) & 0xff : sh.last_status;
	return sh.exit_status;
}

/* export [NAME[=VALUE]…]: export variables, or list the exported ones. */
static int builtin_export(int argc, char **argv)
{
	if (argc == 1)
		var_print(1);
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!is_name(argv[i], eq ? (size_t)(eq - argv[i]) : strlen(argv[i]))) {
			warn("export: %s: not a valid name", argv[i]);
			return 1;
		}
		if (eq) {
			*eq = 0;
			var_set(argv[i], eq + 1, 1);
			*eq = '=';
		} else {
			var_export(argv[i]);
		}
	}
	return 0;
}

/* unset NAME…: forget variables. */
static int builtin_unset(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		var_unset(argv[i]);
	return 0;
}

/* set [-ex] [+ex] [-- ARGS…]: options, positional parameters, or list. */
static int builtin_set(int argc, char **argv)
{
	if (argc == 1) {
		var_print(0);
		return 0;
	}
	int i = 1;
	for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'e')
				sh.errexit = argv[i][0] == '-';
			else if (*o == 'x')
				sh.xtrace = argv[i][0] == '-';
			else {
				warn("set: -%c: unknown option (fsh knows -e and -x)", *o);
				return 2;
			}
		}
	}
	if (i < argc || (i > 1 && !strcmp(argv[i - 1], "--"))) {
		sh.nargs = argc - i;
		sh.args = xmalloc((sh.nargs + 1) * sizeof *sh.args);
		for (int k = 0; k <= sh.nargs; k++)
			sh.args[k] = k < sh.nargs ? xstrdup(argv[i + k]) : 0;
	}
	return 0;
}

/* shift [N]: drop the first N positional parameters. */
static int builtin_shift(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	if (n < 0 || n > sh.nargs) {
		warn("shift: %d: not that many parameters", n);
		return 1;
	}
	sh.args += n;
	sh.nargs -= n;
	return 0;
}

/* echo [-neE] ARGS…: print the arguments (lib/escapes.h, as /bin/echo). */
static int builtin_echo(int argc, char **argv)
{
	return echo_main(argc, argv);
}

/* break [N], continue [N]: leave N loops, or go on with the Nth one's next
   round (the loops see sh.breaking / sh.continuing on their way out). */
static int builtin_break(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	if (n < 1) {
		warn("%s: %s: a loop count is needed", argv[0], argv[1]);
		return 1;
	}
	if (!sh.loops)
		return 0; /* as in other shells: meaningless outside a loop, not an error */
	if (n > sh.loops)
		n = sh.loops;
	if (argv[0][0] == 'b')
		sh.breaking = n;
	else
		sh.continuing = n;
	return 0;
}

static int builtin_true(int argc, char **argv) { return 0; }
static int builtin_false(int argc, char **argv) { return 1; }

/* ---- test / [ ---- */

/* A unary test; -1 if `op` is none. */
static int test_unary(const char *op, const char *arg)
{
	struct stat st;
	if (!strcmp(op, "-n")) return *arg != 0;
	if (!strcmp(op, "-z")) return *arg == 0;
	if (!strcmp(op, "-t")) return isatty(atoi(arg));
	if (!strcmp(op, "-r")) return access(arg, R_OK) == 0;
	if (!strcmp(op, "-w")) return access(arg, W_OK) == 0;
	if (!strcmp(op, "-x")) return access(arg, X_OK) == 0;
	if (!strcmp(op, "-L") || !strcmp(op, "-h"))
		return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
	if (strlen(op) != 2 || op[0] != '-' || !strchr("efdspcb", op[1]))
		return -1;
	if (stat(arg, &st) < 0)
		return 0;
	switch (op[1]) {
	case 'e': return 1;
	case 'f': return S_ISREG(st.st_mode);
	case 'd': return S_ISDIR(st.st_mode);
	case 's': return st.st_size > 0;
	case 'p': return S_ISFIFO(st.st_mode);
	case 'c': return S_ISCHR(st.st_mode);
	default: return S_ISBLK(st.st_mode);
	}
}

/* A binary test; -1 if `op` is none, -2 if an operand is no integer. */
static int test_binary(const char *a, const char *op, const char *b)
{
	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return strcmp(a, b) == 0;
	if (!strcmp(op, "!="))
		return strcmp(a, b) != 0;
	static const char *ops[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
	for (int k = 0; k < 6; k++) {
		if (strcmp(op, ops[k]))
			continue;
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
		if (*ea || *eb || !*a || !*b)
			return -2;
		int r[] = {x == y, x != y, x < y, x <= y, x > y, x >= y};
		return r[k];
	}
	return -1;
}

/* POSIX's rules by argument count; 1 true, 0 false, negative on error. */
static int test_eval(int n, char **a)
{
	int r;
	switch (n) {
	case 0: return 0;
	case 1: return *a[0] != 0;
	case 2:
		if (!strcmp(a[0], "!"))
			return !test_eval(1, a + 1);
		return test_unary(a[0], a[1]);
	case 3:
		if ((r = test_binary(a[0], a[1], a[2])) != -1)
			return r;
		if (!strcmp(a[0], "!"))
			return (r = test_eval(2, a + 1)) < 0 ? r : !r;
		return -1;
	case 4:
		if (!strcmp(a[0], "!"))
			return (r = test_eval(3, a + 1)) < 0 ? r : !r;
		/* fall through */
	default:
		return -1;
	}
}

/* test EXPR, [ EXPR ]: 0 true, 1 false, 2 a malformed expression. */
static int builtin_test(int argc, char **argv)
{
	if (!strcmp(argv[0], "[")) {
		if (strcmp(argv[argc - 1], "]")) {
			warn("[: missing ]");
			return 2;
		}
		argc--;
	}
	int r = test_eval(argc - 1, argv + 1);
	if (r == -2)
		warn("%s: integer expected", argv[0]);
	else if (r < 0)
		warn("%s: malformed expression", argv[0]);
	return r < 0 ? 2 : !r;
}

/* ---- read, type, source, help ---- */

/* read [-r] NAME…: one line of stdin into variables, split at blanks,
   the last one taking the rest. Reads byte by byte so as not to consume
   input meant for the commands that follow. */
static int builtin_read(int argc, char **argv)
{
	int raw = argc > 1 && !strcmp(argv[1], "-r");
	char *line = xmalloc(64);
	size_t len = 0, cap = 64;
	char c;
	ssize_t n;
	while ((n = read(0, &c, 1)) > 0 && c != '\n') {
		if (c == '\\' && !raw && read(0, &c, 1) <= 0)
			break;
		if (len + 2 >= cap)
			line = xrealloc(line, cap *= 2);
		line[len++] = c;
	}
	line[len] = 0;
	char *p = line;
	for (int i = 1 + raw; i < argc; i++) {
		p += strspn(p, " \t");
		size_t w = i == argc - 1 ? strlen(p) : strcspn(p, " \t");
		while (i == argc - 1 && w && strchr(" \t", p[w - 1]))
			w--;
		char *v = xstrndup(p, w);
		var_set(argv[i], v, 0);
		free(v);
		p += w;
	}
	free(line);
	return n <= 0 && len == 0 ? 1 : 0;
}

static int builtin_type(int argc, char **argv);
static int builtin_source(int argc, char **argv);
static int builtin_help(int argc, char **argv);

static const struct builtin {
	const char *name;
	builtin_fn fn;
	const char *help;
} builtins[] = {
	{".", builtin_source, "FILE: run FILE's commands in this shell"},
	{":", builtin_true, "do nothing, successfully"},
	{"[", builtin_test, "EXPR ]: same as test"},
	{"bg", builtin_bg, "[%N]: continue a stopped job in the background"},
	{"break", builtin_break, "[N]: leave the innermost N loops"},
	{"cd", builtin_cd, "[DIR|-]: change directory (default $HOME)"},
	{"continue", builtin_break, "[N]: next round of the Nth enclosing loop"},
	{"echo", builtin_echo, "[-neE] ARGS…: print the arguments"},
	{"exit", builtin_exit, "[N]: leave the shell"},
	{"export", builtin_export, "[NAME[=VALUE]…]: export to programs (alone: list)"},
	{"false", builtin_false, "fail"},
	{"fg", builtin_fg, "[%N]: bring a job to the foreground"},
	{"help", builtin_help, "this list"},
	{"jobs", builtin_jobs, "list the jobs"},
	{"kill", builtin_kill, "[-SIG] PID|%N…: send a signal (-l: list them)"},
	{"pwd", builtin_pwd, "print the working directory"},
	{"read", builtin_read, "[-r] NAME…: read a line into variables"},
	{"set", builtin_set, "[-ex] [-- ARGS…]: exit on error, trace; set $1…"},
	{"shift", builtin_shift, "[N]: drop positional parameters"},
	{"source", builtin_source, "FILE: run FILE's commands in this shell"},
	{"test", builtin_test, "EXPR: -e -f -d -r -w -x -s -n -z, = !=, -eq -lt …, !"},
	{"true", builtin_true, "succeed"},
	{"type", builtin_type, "NAME…: builtin or which file"},
	{"unset", builtin_unset, "NAME…: forget variables"},
	{"wait", builtin_wait, "[PID|%N…]: wait for background jobs"},
	{0, 0, 0},
};

/* type NAME…: say what each name runs. */
static int builtin_type(int argc, char **argv)
{
	int status = 0;
	for (int i = 1; i < argc; i++) {
		char *path;
		if (find_builtin(argv[i]) || !strcmp(argv[i], "exec")) {
			printf("%s is a shell builtin\n", argv[i]);
		} else if ((path = strchr(argv[i], '/') ? xstrdup(argv[i]) : path_search(argv[i]))) {
			printf("%s is %s\n", argv[i], path);
			free(path);
		} else {
			warn("type: %s: not found", argv[i]);
			status = 1;
		}
	}
	return status;
}

/* source FILE, . FILE: run a file's commands in this shell. */
static int builtin_source(int argc, char **argv)
{
	if (argc < 2) {
		warn("%s: a file name is needed", argv[0]);
		return 2;
	}
	return run_file(argv[1]);
}

/* help: the builtins, one line each. */
static int builtin_help(int argc, char **argv)
{
	printf("fsh, the Forkline shell. Builtins:\n");
	for (const struct builtin *b = builtins; b->name; b++)
		printf("  %-8s %s\n", b->name, b->help);
	printf("  %-8s %s\n", "exec", "exec CMD…: replace the shell with CMD; alone, keep the redirections");
	printf("Syntax: a | b, a && b, a || b, a; b, a &, ! a, < > >> N>&M 2>&1, { a; },\n"
	       "if a; then b; elif c; then d; else e; fi, while a; do b; done, until …,\n"
	       "for x in a b c; do echo $x; done,\n"
	       "'…', \"…\", \\x, $VAR ${VAR} ${VAR:-default} $? $$ $! $# $1… \"$@\", $(cmd), $((1+2)),\n"
	       "~, * ? [..].\n"
	       "Programs are in /bin: ls cat ps kill … (ls /bin). ^C interrupts, ^Z stops (fg, bg).\n");
	return 0;
}

/* Look a name up in the table. */
builtin_fn find_builtin(const char *name)
{
	for (const struct builtin *b = builtins; b->name; b++)
		if (!strcmp(b->name, name))
			return b->fn;
	return 0;
}
