/* fsh: running what the parser built. A pipeline of n commands is n
   fork()s joined by n-1 pipes; each child puts itself in the job's process
   group, takes its ends of the pipes, applies its redirections and execs
   the program found on PATH. A lone builtin (cd, exit, export…) runs in
   the shell itself, with its redirections undone afterwards, because it
   must change the shell and not a child. */
#include "fsh.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* A command after expansion: NAME=value words, then argv. */
struct expanded {
	char **assigns;
	int nassigns;
	char **argv;
	int argc;
};

/* A descriptor as it was before a builtin's redirection. */
struct saved {
	int fd, copy; /* copy -1: fd was closed */
	struct saved *next;
};

/* NAME=value, with NAME a valid name (checked on the raw word). */
int is_assignment(const char *word)
{
	const char *eq = strchr(word, '=');
	return eq && is_name(word, (size_t)(eq - word));
}

/* Free an expanded command's strings. */
static void free_expanded(struct expanded *e)
{
	free_argv(e->assigns);
	free_argv(e->argv);
}

/* Expand a command's words: leading assignments (values expanded without
   splitting; set at once when the command is nothing else), then the rest
   into argv. -1 on an expansion error. */
static int expand_command(const struct command *c, struct expanded *e)
{
	int k = 0, only_assignments = 1;
	for (int i = 0; i < c->nwords; i++)
		only_assignments &= is_assignment(c->words[i]);
	memset(e, 0, sizeof *e);
	e->assigns = xmalloc((c->nwords + 1) * sizeof *e->assigns);
	for (; k < c->nwords && is_assignment(c->words[k]); k++) {
		const char *eq = strchr(c->words[k], '=');
		char *value = expand_word(eq + 1);
		if (!value) {
			e->assigns[e->nassigns] = 0;
			free_expanded(e);
			return -1;
		}
		char *a = xmalloc((size_t)(eq - c->words[k]) + strlen(value) + 2);
		sprintf(a, "%.*s=%s", (int)(eq - c->words[k]), c->words[k], value);
		if (only_assignments) { /* A=1 B=$A: each is set before the next expands */
			char *name = xstrndup(a, (size_t)(eq - c->words[k]));
			var_set(name, value, 0);
			free(name);
		}
		free(value);
		e->assigns[e->nassigns++] = a;
	}
	e->assigns[e->nassigns] = 0;
	e->argv = expand_words(c->words + k, c->nwords - k, &e->argc);
	if (!e->argv) {
		free_expanded(e);
		return -1;
	}
	return 0;
}

/* set -x: show the command about to run. */
static void trace(const struct expanded *e)
{
	if (!sh.xtrace)
		return;
	fputs("+", stderr);
	for (int i = 0; i < e->nassigns; i++)
		fprintf(stderr, " %s", e->assigns[i]);
	for (int i = 0; i < e->argc; i++)
		fprintf(stderr, " %s", e->argv[i]);
	fputs("\n", stderr);
}

/* Apply redirections in order; with `save`, remember what they replaced
   so that restore_redirs can undo them. -1 (reported) on failure. */
static int apply_redirs(const struct redir *r, struct saved **save)
{
	for (; r; r = r->next) {
		char *target = expand_word(r->target);
		if (!target)
			return -1;
		int fd;
		if (r->kind == R_DUP) {
			char *end;
			fd = strcmp(target, "-") ? (int)strtol(target, &end, 10) : -1;
			if (fd >= 0 && (*end || end == target || fcntl(fd, F_GETFD) < 0)) {
				warn("%s: bad file descriptor", target);
				free(target);
				return -1;
			}
		} else {
			int flags = r->kind == R_IN ? O_RDONLY
				  : r->kind == R_OUT ? O_WRONLY | O_CREAT | O_TRUNC
				  : O_WRONLY | O_CREAT | O_APPEND;
			fd = open(target, flags, 0666);
			if (fd < 0) {
				warn("%s: %s", target, strerror(errno));
				free(target);
				return -1;
			}
		}
		free(target);
		if (save) {
			struct saved *s = xmalloc(sizeof *s);
			s->fd = r->fd;
			s->copy = fcntl(r->fd, F_DUPFD_CLOEXEC, 10);
			s->next = *save;
			*save = s;
		}
		if (fd < 0) {
			close(r->fd);
		} else if (fd != r->fd) {
			dup2(fd, r->fd);
			if (r->kind != R_DUP)
				close(fd);
		}
	}
	return 0;
}

/* Undo a builtin's redirections, newest first. */
static void restore_redirs(struct saved *s)
{
	fflush(0);
	while (s) {
		struct saved *next = s->next;
		if (s->copy >= 0) {
			dup2(s->copy, s->fd);
			close(s->copy);
		} else {
			close(s->fd);
		}
		free(s);
		s = next;
	}
}

/* The first executable PATH/name (PATH unset: /bin:/sbin:/usr/bin). */
char *path_search(const char *name)
{
	const char *path = var_get("PATH");
	if (!path)
		path = "/bin:/sbin:/usr/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		char *file = xmalloc(len + strlen(name) + 2);
		sprintf(file, "%.*s%s%s", (int)len, path, len ? "/" : "", name);
		if (access(file, X_OK) == 0)
			return file;
		free(file);
		path += len + (path[len] == ':');
	}
	return 0;
}

/* exec the program (a path, or a name found on PATH); a file that is no
   program runs as a script in this process. Never returns. */
static void exec_program(char **argv, char **assigns, int nassigns)
{
	char **env = var_environ(assigns, nassigns);
	char *file = strchr(argv[0], '/') ? xstrdup(argv[0]) : path_search(argv[0]);
	if (!file) {
		warn("%s: command not found", argv[0]);
		exit(127);
	}
	execve(file, argv, env);
	int err = errno;
	if (err == ENOEXEC) {
		sh.argv0 = file;
		sh.args = argv + 1;
		for (sh.nargs = 0; argv[sh.nargs + 1]; sh.nargs++)
			;
		exit(run_file(file));
	}
	warn("%s: %s", argv[0], strerror(err));
	exit(err == ENOENT ? 127 : 126);
}

/* In a new child: join the job's group (and the terminal's foreground),
   restore the signals the shell ignores, and for a background job without
   job control keep ^C away and stdin off the terminal. */
static void setup_child(pid_t pgid, int background)
{
	if (job_control_enabled()) {
		setpgid(0, pgid ? pgid : getpid());
		if (!background)
			tcsetpgrp(0, pgid ? pgid : getpid());
	}
	int sigs[] = {SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD, SIGPIPE};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, 0);
	if (background && !(job_control_enabled())) {
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0 && null != 0) {
			dup2(null, 0);
			close(null);
		}
	}
}

static int run_compound(const struct command *c);

/* Run one command inside a child of a pipeline; never returns. */
static void run_in_child(const struct command *c, struct expanded *pre)
{
	struct expanded e;
	if (apply_redirs(c->redirs, 0) < 0)
		exit(1);
	if (c->kind != C_SIMPLE)
		exit(run_compound(c));
	if (pre)
		e = *pre;
	else if (expand_command(c, &e) < 0)
		exit(1);
	if (!pre)
		trace(&e);
	if (e.argc == 0)
		exit(0);
	if (!strcmp(e.argv[0], "exec")) { /* in a child, exec is just the command */
		if (e.argc == 1)
			exit(0);
		e.argv++;
		e.argc--;
	}
	builtin_fn b = find_builtin(e.argv[0]);
	if (b)
		exit(b(e.argc, e.argv));
	exec_program(e.argv, e.assigns, e.nassigns);
}

/* A lone command that must run in the shell: assignments only, a
   builtin, or `exec`. */
static int run_in_shell(const struct command *c, struct expanded *e)
{
	struct saved *save = 0;
	int status = 0;
	if (e->argc > 0 && !strcmp(e->argv[0], "exec")) {
		if (apply_redirs(c->redirs, 0) < 0)
			return 1;
		if (e->argc == 1)
			return 0;
		fflush(0);
		exec_program(e->argv + 1, e->assigns, e->nassigns);
	}
	for (int i = 0; i < e->nassigns; i++) {
		char *eq = strchr(e->assigns[i], '=');
		*eq = 0;
		var_set(e->assigns[i], eq + 1, 0);
		*eq = '=';
	}
	if (apply_redirs(c->redirs, &save) < 0)
		status = 1;
	else if (e->argc > 0)
		status = find_builtin(e->argv[0])(e->argc, e->argv);
	restore_redirs(save);
	return status;
}

/* Run a pipeline in the foreground or the background; its status. */
static int run_pipeline(const struct pipeline *p, const char *text, int background)
{
	struct expanded pre, *prep = 0;
	int n = 0;
	for (const struct command *c = p->cmds; c; c = c->next)
		n++;
	if (n == 1 && p->cmds->kind != C_SIMPLE && !background) {
		/* a compound command alone runs in the shell: `for` sets its variable here */
		struct saved *save = 0;
		int status = apply_redirs(p->cmds->redirs, &save) < 0 ? 1 : run_compound(p->cmds);
		restore_redirs(save);
		return status;
	}
	if (n == 1 && p->cmds->kind == C_SIMPLE) {
		/* expand here: a builtin or assignment must run in the shell */
		if (expand_command(p->cmds, &pre) < 0)
			return 1;
		trace(&pre);
		if (!background && (pre.argc == 0 || find_builtin(pre.argv[0]) ||
				    !strcmp(pre.argv[0], "exec"))) {
			int status = run_in_shell(p->cmds, &pre);
			free_expanded(&pre);
			return status;
		}
		prep = &pre;
	}
	struct job *j = job_new(text);
	int in = -1;
	fflush(0); /* what the shell buffered must not be printed again by children */
	for (const struct command *c = p->cmds; c; c = c->next) {
		int fds[2] = {-1, -1};
		if (c->next && pipe(fds) < 0) {
			warn("pipe: %s", strerror(errno));
			break;
		}
		pid_t pid = fork();
		if (pid == 0) {
			setup_child(job_pgid(j), background);
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (fds[1] >= 0) {
				dup2(fds[1], 1);
				close(fds[1]);
				close(fds[0]);
			}
			run_in_child(c, prep);
		}
		if (pid < 0) {
			warn("fork: %s", strerror(errno));
		} else {
			if (job_control_enabled())
				setpgid(pid, job_pgid(j) ? job_pgid(j) : pid);
			job_add(j, pid);
		}
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
		if (pid < 0)
			break;
	}
	if (in >= 0)
		close(in);
	if (prep)
		free_expanded(prep);
	if (job_size(j) == 0) {
		job_drop(j);
		return 1;
	}
	if (background) {
		job_background(j);
		return 0;
	}
	return job_wait_fg(j);
}

/* Must what runs now stop: `exit`, or a break or continue on its way out? */
static int stopping(void)
{
	return sh.exiting || sh.breaking || sh.continuing;
}

/* A condition's status (set -e does not look at conditions). */
static int run_condition(struct andor *cond)
{
	sh.conditions++;
	int status = run_list(cond);
	sh.conditions--;
	return status;
}

/* After one round of a loop's body: 1 if the loop must end (break, exit,
   or a continue aimed at an outer loop). */
static int loop_ends(void)
{
	if (sh.breaking) {
		sh.breaking--;
		return 1;
	}
	if (sh.continuing && --sh.continuing)
		return 1;
	return sh.exiting;
}

/* if, while, until, for and { }; the status of the last command run. */
static int run_compound(const struct command *c)
{
	int status = 0;
	switch (c->kind) {
	case C_IF:
		if (run_condition(c->cond) == 0)
			status = run_list(c->body);
		else if (c->orelse)
			status = run_compound(c->orelse);
		break;
	case C_WHILE:
	case C_UNTIL:
		sh.loops++;
		while (!stopping() && (run_condition(c->cond) == 0) == (c->kind == C_WHILE)) {
			status = run_list(c->body);
			if (loop_ends())
				break;
		}
		sh.loops--;
		break;
	case C_FOR: {
		int n = sh.nargs;
		char **items = c->items ? expand_words(c->items, c->nitems, &n) : sh.args;
		if (!items)
			return 1;
		sh.loops++;
		for (int i = 0; i < n && !stopping(); i++) {
			var_set(c->var, items[i], 0);
			status = run_list(c->body);
			if (loop_ends())
				break;
		}
		sh.loops--;
		if (c->items)
			free_argv(items);
		break;
	}
	case C_GROUP:
		status = run_list(c->body);
		break;
	case C_SIMPLE:
		break;
	}
	return sh.last_status = status;
}

/* Run an and-or list: each pipeline unless && / || says to skip it. Sets
   *final when the pipeline that ran last is the list's last (set -e
   looks only at that one). */
static int run_andor(const struct andor *a, int *final)
{
	int status = 0;
	for (const struct pipeline *p = a->pipes; p && !stopping(); p = p->next) {
		if ((p->join == J_AND && status != 0) || (p->join == J_OR && status == 0))
			continue;
		status = run_pipeline(p, a->text, 0);
		if (p->negate)
			status = !status;
		sh.last_status = status;
		*final = !p->next && !p->negate;
	}
	return status;
}

/* An and-or list in the background: a single pipeline becomes a job of
   its own; a longer list runs in a forked copy of the shell. */
static void run_background(const struct andor *a)
{
	if (!a->pipes->next && !a->pipes->negate) {
		run_pipeline(a->pipes, a->text, 1);
		return;
	}
	struct job *j = job_new(a->text);
	fflush(0);
	pid_t pid = fork();
	if (pid == 0) {
		setup_child(0, 1);
		sh.interactive = 0;
		int final;
		exit(run_andor(a, &final));
	}
	if (pid < 0) {
		warn("fork: %s", strerror(errno));
		job_drop(j);
		return;
	}
	if (job_control_enabled())
		setpgid(pid, pid);
	job_add(j, pid);
	job_background(j);
}

/* Run a list in order; stops early after `exit` or a set -e failure. */
int run_list(struct andor *l)
{
	int status = sh.last_status;
	for (; l && !stopping(); l = l->next) {
		int final = 0;
		if (l->background) {
			run_background(l);
			status = sh.last_status = 0;
		} else {
			status = run_andor(l, &final);
		}
		if (!sh.interactive)
			jobs_reap(0);
		if (sh.errexit && status && final && !sh.exiting && !sh.conditions) {
			sh.exiting = 1;
			sh.exit_status = status;
		}
	}
	return status;
}

/* Parse all of src first, then run it (a syntax error runs nothing). */
int run_string(const char *src)
{
	struct andor *l;
	enum parse_result r = parse(src, &l);
	if (r == P_INCOMPLETE) {
		warn("syntax error: unexpected end of input");
		return sh.last_status = 2;
	}
	if (r == P_ERROR)
		return sh.last_status = 2;
	int status = run_list(l);
	free_list(l);
	return status;
}
