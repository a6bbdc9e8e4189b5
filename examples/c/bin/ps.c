/* ps: every process, from /proc: PID, parent, process group, session,
   terminal, state, CPU time, whether it is a 32- or 64-bit program, and
   its command line.

   STAT is /proc/PID/stat's state letter (R running, S sleeping, D
   uninterruptible, T stopped, Z zombie) with "s" for a session leader and
   "+" for a member of its terminal's foreground group, as procps prints. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct proc {
	int pid, ppid, pgrp, sid, tty, tpgid;
	char state;
	unsigned long long ticks;
	char comm[64];
};

/* Read a small /proc file whole; its length, or -1. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

/* Parse /proc/PID/stat; the command name is in parentheses and may itself
   hold spaces and parentheses, so the fields start after the last ')'. */
static int read_stat(int pid, struct proc *p)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (slurp(path, buf, sizeof buf) <= 0)
		return -1;
	char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren)
		return -1;
	size_t len = (size_t)(close_paren - open_paren - 1);
	if (len >= sizeof p->comm)
		len = sizeof p->comm - 1;
	memcpy(p->comm, open_paren + 1, len);
	p->comm[len] = 0;
	p->pid = pid;
	/* after ')': state ppid pgrp session tty_nr tpgid flags minflt
	   cminflt majflt cmajflt utime stime */
	char *f = close_paren + 2;
	p->state = *f;
	long long v[12];
	f += 2;
	for (int k = 0; k < 12; k++)
		v[k] = strtoll(f, &f, 10);
	p->ppid = (int)v[0], p->pgrp = (int)v[1], p->sid = (int)v[2];
	p->tty = (int)v[3], p->tpgid = (int)v[4];
	p->ticks = (unsigned long long)(v[10] + v[11]);
	return 0;
}

/* The terminal's name from its device number (Linux's encoding). */
static void tty_name(int dev, char *s, size_t n)
{
	int major = (dev >> 8) & 0xfff, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
	if (dev == 0)
		snprintf(s, n, "?");
	else if (major == 5 && minor == 1)
		snprintf(s, n, "console");
	else if (major == 5 && minor == 0)
		snprintf(s, n, "tty");
	else if (major == 4 && minor >= 64)
		snprintf(s, n, "ttyS%d", minor - 64);
	else
		snprintf(s, n, "%d,%d", major, minor);
}

/* "32" or "64" from the ELF class of the program the process runs. */
static const char *bits(int pid)
{
	char path[64], ident[8];
	snprintf(path, sizeof path, "/proc/%d/exe", pid);
	if (slurp(path, ident, sizeof ident) < 5 || memcmp(ident, "\177ELF", 4))
		return "-";
	return ident[4] == 1 ? "32" : ident[4] == 2 ? "64" : "?";
}

/* The command line, arguments joined by spaces; [comm] when it has none
   (a kernel thread, or a zombie). */
static void command(const struct proc *p, char *s, size_t n)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cmdline", p->pid);
	ssize_t len = slurp(path, s, n);
	if (len <= 0) {
		snprintf(s, n, "[%s]", p->comm);
		return;
	}
	for (ssize_t i = 0; i < len - 1; i++)
		if (!s[i])
			s[i] = ' ';
}

/* qsort order: by pid. */
static int by_pid(const void *a, const void *b)
{
	return ((const struct proc *)a)->pid - ((const struct proc *)b)->pid;
}

/* Collect the numeric entries of /proc, sort them, print a table. */
int main(void)
{
	DIR *d = opendir("/proc");
	if (!d) {
		perror("ps: /proc");
		return 1;
	}
	struct proc *procs = 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		procs = realloc(procs, (n + 1) * sizeof *procs);
		if (read_stat(atoi(e->d_name), &procs[n]) == 0)
			n++;
	}
	closedir(d);
	qsort(procs, n, sizeof *procs, by_pid);
	long hz = sysconf(_SC_CLK_TCK);
	printf("  PID  PPID  PGID   SID TTY      STAT  TIME BITS COMMAND\n");
	for (int i = 0; i < n; i++) {
		struct proc *p = &procs[i];
		char tty[16], stat[4] = {p->state, 0, 0, 0}, cmd[256];
		int k = 1;
		if (p->pid == p->sid)
			stat[k++] = 's';
		if (p->tty && p->pgrp == p->tpgid)
			stat[k++] = '+';
		tty_name(p->tty, tty, sizeof tty);
		command(p, cmd, sizeof cmd);
		unsigned long long secs = p->ticks / (unsigned long long)(hz > 0 ? hz : 100);
		printf("%5d %5d %5d %5d %-8s %-4s %2llu:%02llu %4s %s\n", p->pid, p->ppid, p->pgrp,
		       p->sid, tty, stat, secs / 60, secs % 60, bits(p->pid), cmd);
	}
	free(procs);
	return 0;
}
