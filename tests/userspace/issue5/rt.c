/* rt — proves the real-time policies as Linux runs them on one CPU (the
 * test pins itself to CPU 0, so the host behaves as Forkline's one CPU):
 * root takes SCHED_FIFO and SCHED_RR; sched_getparam, /proc/self/stat's
 * priority, rt_priority and policy fields and sched_rr_get_interval (0
 * under SCHED_FIFO, 100 ms under SCHED_RR) follow; fork inherits them and
 * SCHED_RESET_ON_FORK gives the child SCHED_OTHER; a SCHED_FIFO task keeps
 * the CPU from a normal one, gives it to an equal one only when it yields,
 * and loses it at once to a task raised above it; on Forkline, a runaway
 * real-time task is throttled (950 ms of every second) so normal tasks
 * still run. Policy calls are raw: musl's wrappers are ENOSYS by design.
 */
#include "t.h"
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

/* sched_setscheduler(pid, policy, prio), raw. */
static long setsched(pid_t pid, int policy, int prio)
{
	struct sched_param p = { .sched_priority = prio };
	return syscall(SYS_sched_setscheduler, pid, policy, &p);
}

static int getprio(pid_t pid)
{
	struct sched_param p = { .sched_priority = -1 };
	return syscall(SYS_sched_getparam, pid, &p) ? -1 : p.sched_priority;
}

static long getsched(pid_t pid)
{
	return syscall(SYS_sched_getscheduler, pid);
}

/* The order in which parent and child got to run, in shared memory. */
static struct {
	char log[64];
	int pos;
	volatile unsigned long counter;
} *shared;

static void mark(char c)
{
	shared->log[__atomic_fetch_add(&shared->pos, 1, __ATOMIC_SEQ_CST)] = c;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Busy for ms milliseconds without a system call that blocks. */
static void spin(int ms)
{
	long long end = now_ms() + ms;
	while (now_ms() < end)
		;
}

static void reset_log(void)
{
	memset(shared->log, 0, sizeof shared->log);
	shared->pos = 0;
}

/* Wait for pid; 1 if it exited with status 0. */
static int reaped_ok(pid_t pid)
{
	int st;
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void policies(void)
{
	t_sys(setsched(0, SCHED_FIFO, 10), "root takes SCHED_FIFO at priority 10");
	t_eq(getsched(0), SCHED_FIFO, "sched_getscheduler reads SCHED_FIFO");
	t_eq(getprio(0), 10, "sched_getparam reads 10");
	t_eq(t_stat_field(18), -11, "/proc/self/stat's priority is -1 - 10");
	t_eq(t_stat_field(40), 10, "/proc/self/stat's rt_priority is 10");
	t_eq(t_stat_field(41), SCHED_FIFO, "/proc/self/stat's policy is SCHED_FIFO");
	struct timespec ts = { 5, 5 };
	t_sys(sched_rr_get_interval(0, &ts), "sched_rr_get_interval under SCHED_FIFO");
	t_ok(ts.tv_sec == 0 && ts.tv_nsec == 0, "SCHED_FIFO has no time slice (0)");

	t_sys(setsched(0, SCHED_RR, 20), "SCHED_RR at priority 20");
	t_eq(getprio(0), 20, "sched_getparam reads 20");
	t_sys(sched_rr_get_interval(0, &ts), "sched_rr_get_interval under SCHED_RR");
	t_ok(ts.tv_sec == 0 && ts.tv_nsec == 100000000, "SCHED_RR's slice is 100 ms");

	t_err(setsched(0, SCHED_FIFO, 100), EINVAL, "SCHED_FIFO at priority 100 -> EINVAL");
	t_err(setsched(0, SCHED_OTHER, 5), EINVAL, "SCHED_OTHER at priority 5 -> EINVAL");
	t_eq(getsched(0), SCHED_RR, "the failed calls changed nothing");

	t_sys(setsched(0, SCHED_FIFO, 10), "back to SCHED_FIFO 10");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(getsched(0) == SCHED_FIFO && getprio(0) == 10 ? 0 : 1);
	t_ok(pid > 0 && reaped_ok(pid), "a forked child inherits SCHED_FIFO 10");
	t_sys(setsched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 10), "SCHED_FIFO with SCHED_RESET_ON_FORK");
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(getsched(0) == SCHED_OTHER && getprio(0) == 0 ? 0 : 1);
	t_ok(pid > 0 && reaped_ok(pid), "with it the child starts as SCHED_OTHER 0");
}

/* SCHED_FIFO at 10: an equal child waits for our yield; a normal child
   waits until we raise it above us, and then runs at once. */
static void ordering(void)
{
	t_sys(setsched(0, SCHED_FIFO, 10), "SCHED_FIFO 10 again");
	reset_log();
	fflush(stdout);
	mark('a');
	pid_t pid = fork();
	if (pid == 0) {
		mark('c');
		_exit(0);
	}
	spin(50);
	mark('b');
	sched_yield();
	mark('d');
	t_ok(reaped_ok(pid), "the equal child ran");
	t_check(!strcmp(shared->log, "abcd"), "an equal SCHED_FIFO child runs only when the parent yields",
		"order %s, want abcd", shared->log);

	t_sys(setsched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 10), "SCHED_FIFO 10, children reset");
	reset_log();
	fflush(stdout);
	mark('x');
	pid = fork();
	if (pid == 0) {
		mark('y');
		_exit(0);
	}
	spin(100);
	int before = shared->pos;
	t_sys(setsched(pid, SCHED_FIFO, 20), "raise the child to SCHED_FIFO 20");
	mark('z');
	t_ok(reaped_ok(pid), "the raised child ran");
	t_eq(before, 1, "a SCHED_OTHER child does not run beside a SCHED_FIFO parent");
	t_check(!strcmp(shared->log, "xyz"), "the raised child preempts its parent at once", "order %s, want xyz",
		shared->log);
}

/* A SCHED_FIFO task that never sleeps: does a normal one still run? */
static void throttling(void)
{
	t_sys(setsched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 10), "SCHED_FIFO 10 for the spinner");
	shared->counter = 0;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		for (;;)
			shared->counter++;
	long long start = now_ms();
	while (shared->counter == 0 && now_ms() - start < 4000)
		;
	long long waited = now_ms() - start;
	int ran = shared->counter != 0;
	setsched(0, SCHED_OTHER, 0);
	kill(pid, SIGKILL);
	int st;
	t_ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st), "the normal child is killed and reaped");
	/* The budget is 950 ms of each one-second period, and the spinner may
	   start late in one: the child runs within two periods (and a margin
	   for timer ticks that come late on a loaded host). Linux may lend
	   this CPU budget from other CPUs (RT_RUNTIME_SHARE), so only
	   Forkline's one CPU promises the throttle. */
	if (t_is_forkline())
		t_check_here(ran && waited <= 2500, "a runaway SCHED_FIFO task is throttled: a normal one runs within two periods",
			     "ran %d after %lld ms", ran, waited);
	t_info("the normal child first ran after %lld ms (ran %d)", waited, ran);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof one, &one))
		t_die("sched_setaffinity to CPU 0");
	shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		t_die("mmap");
	policies();
	ordering();
	throttling();
	setsched(0, SCHED_OTHER, 0);
	t_eq(getsched(0), SCHED_OTHER, "back to SCHED_OTHER");
	return t_done();
}
