/* "fork done right": stdio data buffered at fork is duplicated (both
   processes flush it at exit), pthread_atfork handlers run in the
   documented order, the child's ids are fresh. Output is deterministic
   (the parent waits); tests/libc.rs requires glibc's exact bytes when
   stdout is a pipe. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char trace[64];
static void add(const char *s) { strcat(trace, s); }
static void prep1(void) { add("P1"); }
static void prep2(void) { add("P2"); }
static void par1(void) { add("p1"); }
static void par2(void) { add("p2"); }
static void chi1(void) { add("c1"); }
static void chi2(void) { add("c2"); }

int main(void)
{
	/* On a terminal (Forkline's console when booted as init) stdout would
	   be line buffered; make it what it is on a pipe, so the output is the
	   same everywhere. */
	if (isatty(1))
		setvbuf(stdout, 0, _IOFBF, BUFSIZ);
	pthread_atfork(prep1, par1, chi1);
	pthread_atfork(prep2, par2, chi2);
	/* No newline: with stdout on a pipe this stays in the buffer. */
	printf("buffered before fork;");
	fputs(" more;", stdout);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		printf(" child handlers=%s ppid_ok=%d pid_new=%d\n", trace, getppid() == parent, getpid() != parent);
		exit(3);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 2;
	printf(" parent handlers=%s child_exit=%d\n", trace, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	/* A second round with a flush before fork: nothing duplicated. */
	printf("flushed;");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		printf(" child2\n");
		_exit(0); /* _exit: the child's buffer is discarded... */
	}
	waitpid(pid, &st, 0);
	printf(" parent2\n");
	return 0;
}
