/* fsh: jobs. A job is the processes of one pipeline. With job control (an
   interactive shell on its controlling terminal) each job gets its own
   process group, and the shell hands the terminal to a foreground job with
   tcsetpgrp() so that ^C (SIGINT), ^\ and ^Z go to the job and not to the
   shell; when the job ends or stops the shell takes the terminal back and
   restores its modes. Background jobs are collected with waitpid(WNOHANG)
   before each prompt, and reported then. */
#include "fsh.h"
#include "../lib/signames.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

enum pstate { RUNNING, STOPPED, DONE };

struct proc {
	pid_t pid;
	int status; /* wait status once stopped or done */
	enum pstate state;
};

struct job {
	int id;     /* 0 until it is in the table (background or stopped) */
	pid_t pgid;
	struct proc *procs;
	int nprocs;
	char *text;
	int reported_stop;
	struct termios tmodes; /* the terminal as the job left it when stopped */
	int has_tmodes;
	struct job *next;
};

static struct job *table;  /* background and stopped jobs, oldest first */
static struct job *fg_job; /* the job being waited for */
static int job_control;
static pid_t shell_pgid;
static struct termios shell_tmodes;

/* Take the terminal for the shell's own group and ignore the job-control signals. */
void jobs_init(int interactive)
{
	if (!interactive || !isatty(0))
		return;
	if (tcgetpgrp(0) < 0) {
		/* on a terminal that is nobody's (started as init): make it ours */
		setsid();
		ioctl(0, TIOCSCTTY, 0);
	}
	/* A job-control shell started in the background waits to be foreground. */
	pid_t fg;
	while ((fg = tcgetpgrp(0)) > 0 && fg != getpgrp())
		kill(-getpgrp(), SIGTTIN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	shell_pgid = getpid();
	if (getpgrp() != shell_pgid && setpgid(0, shell_pgid) < 0) {
		warn("cannot make a process group: %s; no job control", strerror(errno));
		return;
	}
	if (tcsetpgrp(0, shell_pgid) < 0) {
		warn("cannot take the terminal: %s; no job control", strerror(errno));
		return;
	}
	tcgetattr(0, &shell_tmodes);
	job_control = 1;
}

/* A job with no processes yet, named by its command text. */
struct job *job_new(const char *text)
{
	struct job *j = xmalloc(sizeof *j);
	memset(j, 0, sizeof *j);
	j->text = xstrdup(text);
	return j;
}

/* One more process; the first one's pid is the group's id. */
void job_add(struct job *j, pid_t pid)
{
	j->procs = xrealloc(j->procs, (j->nprocs + 1) * sizeof *j->procs);
	j->procs[j->nprocs++] = (struct proc){.pid = pid, .state = RUNNING};
	if (!j->pgid)
		j->pgid = pid;
}

/* The group children join (0 without job control: stay in the shell's). */
pid_t job_pgid(const struct job *j)
{
	return job_control ? j->pgid : 0;
}

/* How many processes were started for the job. */
int job_size(const struct job *j)
{
	return j->nprocs;
}

/* Did jobs_init get the terminal? */
int job_control_enabled(void)
{
	return job_control;
}

/* $? from a wait status: the exit code, or 128 + the signal. */
int status_of(int w)
{
	if (WIFEXITED(w))
		return WEXITSTATUS(w);
	if (WIFSIGNALED(w))
		return 128 + WTERMSIG(w);
	if (WIFSTOPPED(w))
		return 128 + WSTOPSIG(w);
	return 0;
}

/* Is any process of the job in state s? */
static int has_state(const struct job *j, enum pstate s)
{
	for (int i = 0; i < j->nprocs; i++)
		if (j->procs[i].state == s)
			return 1;
	return 0;
}

/* Record what waitpid said about `pid` if it is one of j's processes. */
static int update_in(struct job *j, pid_t pid, int w)
{
	for (int i = 0; i < j->nprocs; i++) {
		struct proc *p = &j->procs[i];
		if (p->pid != pid)
			continue;
		p->status = w;
		p->state = WIFSTOPPED(w) ? STOPPED : WIFCONTINUED(w) ? RUNNING : DONE;
		if (p->state != STOPPED)
			j->reported_stop = 0;
		return 1;
	}
	return 0;
}

/* Record what waitpid said about `pid`, in whichever job has it (a child
   in no job is an orphan we inherited as init: nothing to record). */
static void update(pid_t pid, int w)
{
	if (fg_job && update_in(fg_job, pid, w))
		return;
	for (struct job *j = table; j; j = j->next)
		if (update_in(j, pid, w))
			return;
}

/* Put a job in the table with the next free number. */
static void enter(struct job *j)
{
	if (j->id)
		return;
	int id = 1;
	struct job **tail = &table;
	for (; *tail; tail = &(*tail)->next)
		if ((*tail)->id >= id)
			id = (*tail)->id + 1;
	j->id = id;
	j->next = 0;
	*tail = j;
}

/* Take a job out of the table and free it. */
void job_drop(struct job *j)
{
	for (struct job **p = &table; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	free(j->procs);
	free(j->text);
	free(j);
}

/* "+" for the current (newest) job, "-" for the one before, else " ". */
static char mark(const struct job *j)
{
	const struct job *last = 0, *prev = 0;
	for (const struct job *k = table; k; k = k->next)
		prev = last, last = k;
	return j == last ? '+' : j == prev ? '-' : ' ';
}

/* How a finished process ended, for reports: "" for a normal exit. */
static void describe_signal(int sig, char *buf, size_t n)
{
	char rt[16];
	const char *name = sig_name(sig, rt);
	snprintf(buf, n, "Killed by signal %d (SIG%s: %s)", sig, name ? name : "?", strsignal(sig));
}

/* Say how the processes of a finished foreground job died, if by a signal
   other than ^C's SIGINT or a closed pipe's SIGPIPE. */
static void report_signals(const struct job *j)
{
	int interrupted = 0;
	for (int i = 0; i < j->nprocs; i++) {
		int w = j->procs[i].status;
		if (!WIFSIGNALED(w))
			continue;
		if (WTERMSIG(w) == SIGINT) {
			interrupted = 1;
		} else if (WTERMSIG(w) != SIGPIPE) {
			char buf[96];
			describe_signal(WTERMSIG(w), buf, sizeof buf);
			fprintf(stderr, "%s%s\n", buf, WCOREDUMP(w) ? " (core dumped)" : "");
		}
	}
	if (interrupted && sh.interactive)
		fputc('\n', stderr);
}

/* Hand the terminal to the job, wait until it ends or stops, take the terminal back. */
int job_wait_fg(struct job *j)
{
	fg_job = j;
	if (job_control) {
		tcsetpgrp(0, j->pgid);
		if (j->has_tmodes)
			tcsetattr(0, TCSADRAIN, &j->tmodes);
	}
	while (has_state(j, RUNNING)) {
		int w;
		pid_t pid = waitpid(-1, &w, WUNTRACED);
		if (pid > 0) {
			update(pid, w);
		} else if (errno == ECHILD) {
			for (int i = 0; i < j->nprocs; i++)
				if (j->procs[i].state == RUNNING)
					j->procs[i].state = DONE;
		}
	}
	fg_job = 0;
	if (job_control) {
		tcsetpgrp(0, shell_pgid);
		if (has_state(j, STOPPED))
			j->has_tmodes = tcgetattr(0, &j->tmodes) == 0;
		tcsetattr(0, TCSADRAIN, &shell_tmodes);
	}
	int last = j->procs[j->nprocs - 1].status;
	if (has_state(j, STOPPED)) {
		enter(j);
		j->reported_stop = 1;
		fprintf(stderr, "\n[%d]%c  Stopped                 %s\n", j->id, mark(j), j->text);
		return status_of(last) ? status_of(last) : 128 + SIGTSTP;
	}
	report_signals(j);
	if (j->id)
		job_drop(j);
	else
		free(j->procs), free(j->text), free(j);
	return status_of(last);
}

/* Number the job and announce it ("[1] 42") when interactive. */
void job_background(struct job *j)
{
	enter(j);
	sh.last_bg = j->procs[j->nprocs - 1].pid;
	if (sh.interactive)
		fprintf(stderr, "[%d] %d\n", j->id, sh.last_bg);
}

/* One line of `jobs` or of a report at the prompt. */
static void print_job(const struct job *j, FILE *f)
{
	char state[96] = "Running";
	int w = j->procs[j->nprocs - 1].status;
	if (has_state(j, STOPPED))
		strcpy(state, "Stopped");
	else if (has_state(j, RUNNING))
		strcpy(state, "Running");
	else if (WIFSIGNALED(w))
		describe_signal(WTERMSIG(w), state, sizeof state);
	else if (WEXITSTATUS(w))
		snprintf(state, sizeof state, "Exit %d", WEXITSTATUS(w));
	else
		strcpy(state, "Done");
	fprintf(f, "[%d]%c  %-22s  %s\n", j->id, mark(j), state, j->text);
}

/* Collect exited children without blocking; at a prompt, report finished or stopped jobs. */
void jobs_reap(int report)
{
	int w;
	pid_t pid;
	while ((pid = waitpid(-1, &w, WNOHANG | WUNTRACED | WCONTINUED)) > 0)
		update(pid, w);
	if (!report)
		return; /* a script keeps finished jobs for `wait` */
	for (struct job *j = table, *next; j; j = next) {
		next = j->next;
		if (!has_state(j, RUNNING) && !has_state(j, STOPPED)) {
			print_job(j, stderr);
			job_drop(j);
		} else if (has_state(j, STOPPED) && !j->reported_stop) {
			print_job(j, stderr);
			j->reported_stop = 1;
		}
	}
}

/* Resolve %N, %%, %+, %-, %prefix or a pid to a job. */
struct job *job_find(const char *spec)
{
	struct job *last = 0, *prev = 0;
	for (struct job *k = table; k; k = k->next)
		prev = last, last = k;
	if (!spec || !strcmp(spec, "%") || !strcmp(spec, "%%") || !strcmp(spec, "%+"))
		return last;
	if (!strcmp(spec, "%-"))
		return prev;
	for (struct job *k = table; k; k = k->next) {
		if (spec[0] == '%' && spec[1] >= '0' && spec[1] <= '9') {
			if (k->id == atoi(spec + 1))
				return k;
		} else if (spec[0] == '%') {
			if (!strncmp(k->text, spec + 1, strlen(spec + 1)))
				return k;
		} else {
			for (int i = 0; i < k->nprocs; i++)
				if (k->procs[i].pid == atoi(spec))
					return k;
		}
	}
	return 0;
}

/* Continue a stopped job's processes (its group, or each one). */
static void resume(struct job *j)
{
	for (int i = 0; i < j->nprocs; i++)
		if (j->procs[i].state == STOPPED)
			j->procs[i].state = RUNNING;
	j->reported_stop = 0;
	if (job_control)
		kill(-j->pgid, SIGCONT);
	else
		for (int i = 0; i < j->nprocs; i++)
			kill(j->procs[i].pid, SIGCONT);
}

/* jobs: list the table, forgetting finished jobs once listed. */
int builtin_jobs(int argc, char **argv)
{
	jobs_reap(0);
	for (struct job *j = table, *next; j; j = next) {
		next = j->next;
		print_job(j, stdout);
		if (!has_state(j, RUNNING) && !has_state(j, STOPPED))
			job_drop(j);
	}
	return 0;
}

/* fg [%N]: continue a job in the foreground and wait for it. */
int builtin_fg(int argc, char **argv)
{
	struct job *j = job_find(argc > 1 ? argv[1] : 0);
	if (!j) {
		warn("fg: %s: no such job", argc > 1 ? argv[1] : "current");
		return 1;
	}
	printf("%s\n", j->text);
	fflush(stdout);
	resume(j);
	return job_wait_fg(j);
}

/* bg [%N]: continue a stopped job in the background. */
int builtin_bg(int argc, char **argv)
{
	struct job *j = job_find(argc > 1 ? argv[1] : 0);
	if (!j) {
		warn("bg: %s: no such job", argc > 1 ? argv[1] : "current");
		return 1;
	}
	resume(j);
	printf("[%d]%c %s &\n", j->id, mark(j), j->text);
	return 0;
}

/* Block until a job has no running process; its last process's status. */
static int wait_job(struct job *j)
{
	while (has_state(j, RUNNING)) {
		int w;
		pid_t pid = waitpid(-1, &w, WUNTRACED);
		if (pid > 0)
			update(pid, w);
		else if (errno == ECHILD)
			break;
	}
	int status = status_of(j->procs[j->nprocs - 1].status);
	if (!has_state(j, STOPPED))
		job_drop(j);
	return status;
}

/* wait [%N|PID…]: wait for those (or all background jobs); the last one's status. */
int builtin_wait(int argc, char **argv)
{
	if (argc < 2) {
		while (table)
			wait_job(table);
		return 0;
	}
	int status = 127;
	for (int i = 1; i < argc; i++) {
		struct job *j = job_find(argv[i]);
		if (j) {
			status = wait_job(j);
		} else if (argv[i][0] != '%') {
			int w;
			status = waitpid(atoi(argv[i]), &w, 0) > 0 ? status_of(w) : 127;
		} else {
			warn("wait: %s: no such job", argv[i]);
			status = 127;
		}
	}
	return status;
}

/* kill: like /bin/kill, and %N sends to a job's whole group. */
int builtin_kill(int argc, char **argv)
{
	int sig, i, status;
	if (argc > 1 && !strcmp(argv[1], "-l"))
		return sig_list("fsh: kill", argc > 2 ? argv[2] : 0);
	if ((status = kill_options("fsh: kill", argc, argv, &sig, &i)))
		return status;
	for (; i < argc; i++) {
		int r;
		if (argv[i][0] == '%') {
			struct job *j = job_find(argv[i]);
			if (!j) {
				warn("kill: %s: no such job", argv[i]);
				status = 1;
				continue;
			}
			r = job_control ? kill(-j->pgid, sig) : 0;
			for (int k = 0; !job_control && k < j->nprocs; k++)
				r |= kill(j->procs[k].pid, sig);
			if (r == 0 && has_state(j, STOPPED) && sig != SIGSTOP && sig != SIGCONT)
				resume(j); /* a stopped job acts on the signal only once continued */
		} else {
			char *end;
			long pid = strtol(argv[i], &end, 10);
			if (*end || end == argv[i]) {
				warn("kill: %s: not a pid or job", argv[i]);
				status = 1;
				continue;
			}
			r = kill((pid_t)pid, sig);
		}
		if (r < 0) {
			warn("kill: %s: %s", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
