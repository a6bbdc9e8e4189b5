/* fork() from a threaded program, as glibc does it: only the calling
   thread goes on in the child (the others' counters stand still there);
   malloc and stdio work in the child although other threads were using
   them when it forked (their locks were taken across fork); pthread_atfork
   handlers run in order; the child is a new process whose only thread is
   the caller (pthread_self unchanged, gettid() == getpid()), can create
   threads, and sees mutexes the program held as they were. A fork from a
   second thread, whose child ends when that thread returns (exit(0) runs
   the atexit handlers). Builds against glibc too. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pt.h"

#define WORKERS 3
static volatile int stop;
static long progress[WORKERS];
static FILE *null_out;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static int held_now;

static void *worker(void *arg)
{
	long id = (long)arg;
	unsigned seed = id;
	while (!stop) {
		void *p[8];
		for (int i = 0; i < 8; i++) {
			seed = seed * 1103515245 + 12345;
			p[i] = malloc(16 + seed % 4000);
		}
		fprintf(null_out, "worker %ld %p\n", id, p[3]);
		for (int i = 0; i < 8; i++)
			free(p[i]);
		__atomic_add_fetch(&progress[id], 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&held);
	__atomic_store_n(&held_now, 1, __ATOMIC_SEQ_CST);
	while (!stop)
		usleep(1000);
	pthread_mutex_unlock(&held);
	return 0;
}

static char trace[16];
static void prep(void) { strcat(trace, "P"); }
static void in_parent(void) { strcat(trace, "p"); }
static void in_child(void) { strcat(trace, "c"); }
static void *noop(void *arg) { return arg; }

/* In the child: every check folded into the exit status (0: all good). */
static int child_checks(pthread_t parent_self)
{
	int bad = 0;
	if (strcmp(trace, "Pc") != 0)
		bad |= 1;
	if (gettid() != getpid() || !pthread_equal(pthread_self(), parent_self))
		bad |= 2;
	long before[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		before[i] = __atomic_load_n(&progress[i], __ATOMIC_SEQ_CST);
	usleep(20000);
	for (int i = 0; i < WORKERS; i++)
		if (__atomic_load_n(&progress[i], __ATOMIC_SEQ_CST) != before[i])
			bad |= 4;
	void *p[100];
	for (int i = 0; i < 100; i++)
		if (!(p[i] = malloc(100 + i * 37)))
			bad |= 8;
	for (int i = 0; i < 100; i++)
		free(p[i]);
	if (fprintf(null_out, "child %d\n", getpid()) < 0 || fflush(null_out) != 0)
		bad |= 16;
	pthread_t t;
	void *r = 0;
	if (pthread_create(&t, 0, noop, (void *)5) != 0 || pthread_join(t, &r) != 0 || (long)r != 5)
		bad |= 32;
	if (pthread_mutex_trylock(&held) != EBUSY)
		bad |= 64;
	return bad;
}

static int atexit_pipe[2];
static void at_exit(void) { if (write(atexit_pipe[1], "A", 1) != 1) _exit(9); }

/* A second thread forks; the child's only thread then returns. */
static void *forker(void *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		int bad = gettid() != getpid();
		if (bad)
			_exit(3);
		return 0;	/* the last thread: exit(0) */
	}
	*(pid_t *)arg = pid;
	return 0;
}

int main(void)
{
	pthread_t w[WORKERS], h, me = pthread_self();
	null_out = fopen("/dev/null", "w");
	CHECK(null_out != 0);
	EQ(pthread_atfork(prep, in_parent, in_child), 0);
	for (long i = 0; i < WORKERS; i++)
		EQ(pthread_create(&w[i], 0, worker, (void *)i), 0);
	EQ(pthread_create(&h, 0, holder, 0), 0);
	while (!__atomic_load_n(&held_now, __ATOMIC_SEQ_CST))
		usleep(1000);
	int good = 0;
	for (int i = 0; i < 20; i++) {
		trace[0] = 0;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			_exit(child_checks(me));
		int st = 0;
		if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
		    strcmp(trace, "Pp") == 0)
			good++;
		else
			printf("fork %d: status %#x trace %s\n", i, st, trace);
		usleep(2000);
	}
	EQ(good, 20);
	stop = 1;
	for (int i = 0; i < WORKERS; i++)
		EQ(pthread_join(w[i], 0), 0);
	EQ(pthread_join(h, 0), 0);
	for (int i = 0; i < WORKERS; i++)
		CHECK(progress[i] > 0);

	EQ(pipe(atexit_pipe), 0);
	atexit(at_exit);
	pthread_t f;
	pid_t pid = 0;
	fflush(stdout);
	EQ(pthread_create(&f, 0, forker, &pid), 0);
	EQ(pthread_join(f, 0), 0);
	int st = 0;
	EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(atexit_pipe[1]);
	char buf[4] = "";
	EQ(read(atexit_pipe[0], buf, sizeof buf), 1);
	EQ(buf[0], 'A');
	/* Our own atexit handler must not find the pipe closed: a new one. */
	EQ(pipe(atexit_pipe), 0);
	return summary("pthread_fork");
}
