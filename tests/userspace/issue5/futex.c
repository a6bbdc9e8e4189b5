/* futex — proves FUTEX_WAIT and FUTEX_WAKE: a wait on a changed value
 * fails with EAGAIN; relative and absolute (FUTEX_WAIT_BITSET, monotonic
 * and realtime) timeouts end with ETIMEDOUT no earlier than asked; WAKE
 * wakes exactly as many waiters as asked and returns the count, in the
 * private variant between threads and the shared variant between processes
 * (MAP_SHARED memory); and the errors for a misaligned word, a bad address,
 * an unknown operation, a bad timeout and an empty bitset.
 */
#include "t.h"
#include <limits.h>
#include "futex.h"
#include <sched.h>
#include <sys/mman.h>

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_CLEARTID)

static volatile int tickets, ready, woken;

/* A thread: announce, then sleep on tickets until it can take one, and
   count itself. A thread that did not sleep in time cannot make the counts
   wrong: it takes a ticket, and the thread woken for it sleeps again.
   System calls only through syscall() (the thread shares our TLS). */
static int waiter(void *arg)
{
	(void)arg;
	__sync_fetch_and_add(&ready, 1);
	for (;;) {
		int t = tickets;
		if (t > 0 && __sync_bool_compare_and_swap(&tickets, t, t - 1))
			break;
		if (t == 0)
			futex(&tickets, FUTEX_WAIT_PRIVATE, 0, NULL, 0);
	}
	__sync_fetch_and_add(&woken, 1);
	return 0;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	volatile int w = 1;
	t_err(futex(&w, FUTEX_WAIT, 2, NULL, 0), EAGAIN, "WAIT when the value differs -> EAGAIN");
	t_err(futex(&w, FUTEX_WAIT_PRIVATE, 2, NULL, 0), EAGAIN, "WAIT_PRIVATE when the value differs -> EAGAIN");
	t_eq(futex(&w, FUTEX_WAKE, 1, NULL, 0), 0, "WAKE with no waiters returns 0");
	struct timespec rel = { 0, 50000000 };
	long long t0 = t_ns(CLOCK_MONOTONIC);
	t_err(futex(&w, FUTEX_WAIT, 1, &rel, 0), ETIMEDOUT, "WAIT with a 50 ms timeout -> ETIMEDOUT");
	t_ok(t_ns(CLOCK_MONOTONIC) - t0 >= 50000000, "after at least 50 ms");
	t0 = t_ns(CLOCK_MONOTONIC);
	t_err(futex(&w, FUTEX_WAIT_PRIVATE, 1, &rel, 0), ETIMEDOUT, "WAIT_PRIVATE with a timeout -> ETIMEDOUT");
	t_ok(t_ns(CLOCK_MONOTONIC) - t0 >= 50000000, "after at least 50 ms");
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	long long want = abs.tv_sec * 1000000000LL + abs.tv_nsec + 30000000;
	abs.tv_sec = want / 1000000000LL;
	abs.tv_nsec = want % 1000000000LL;
	t_err(futex(&w, FUTEX_WAIT_BITSET, 1, &abs, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT,
	      "WAIT_BITSET with an absolute CLOCK_MONOTONIC deadline -> ETIMEDOUT");
	t_ok(t_ns(CLOCK_MONOTONIC) >= want, "not before the deadline");
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec = abs.tv_nsec >= 980000000 ? 999999999 : abs.tv_nsec + 20000000;
	t_err(futex(&w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &abs, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT,
	      "WAIT_BITSET with a CLOCK_REALTIME deadline -> ETIMEDOUT");
	struct timespec past = { 1, 0 };
	t_err(futex(&w, FUTEX_WAIT_BITSET, 1, &past, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT, "a deadline in the past -> ETIMEDOUT at once");

	/* Three threads sleep on tickets; wake one, then the rest. */
	enum { N = 3 };
	static volatile pid_t tids[N];
	char *stacks = mmap(NULL, N * 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < N; i++) {
		tids[i] = 1;
		if (clone(waiter, stacks + (i + 1) * 65536, THREAD_FLAGS, NULL, NULL, NULL, &tids[i]) < 0)
			t_die("clone");
	}
	while (ready < N)
		sched_yield();
	t_sleep_ms(200); /* let them reach FUTEX_WAIT */
	__sync_fetch_and_add(&tickets, 1);
	t_eq(futex(&tickets, FUTEX_WAKE_PRIVATE, 1, NULL, 0), 1, "WAKE_PRIVATE 1 wakes exactly one thread");
	long long t1 = t_ns(CLOCK_MONOTONIC);
	while (woken < 1 && t_ns(CLOCK_MONOTONIC) - t1 < 5000000000LL)
		sched_yield();
	t_sleep_ms(50);
	t_eq(woken, 1, "one woke up, the others still sleep");
	__sync_fetch_and_add(&tickets, 2);
	t_eq(futex(&tickets, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, 0), 2, "WAKE_PRIVATE INT_MAX wakes the other two");
	for (int i = 0; i < N; i++)
		while (tids[i] != 0)
			futex(&tids[i], FUTEX_WAIT, tids[i], NULL, 0);
	t_eq(woken, 3, "all three threads woke and exited");

	/* Between processes, on shared memory. */
	volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shared[0] = 0;
	shared[1] = 0;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		shared[1] = 1;
		while (shared[0] == 0)
			futex(&shared[0], FUTEX_WAIT, 0, NULL, 0);
		_exit(0);
	}
	while (shared[1] == 0)
		sched_yield();
	t_sleep_ms(200);
	shared[0] = 1;
	t_eq(futex(&shared[0], FUTEX_WAKE, 1, NULL, 0), 1, "shared WAKE wakes a waiter in another process");
	t_wait_ok(c, "the woken process exits");

	t_err(futex((volatile int *)((char *)&w + 1), FUTEX_WAIT, 1, &rel, 0), EINVAL, "a misaligned word -> EINVAL");
	t_err(futex((volatile int *)(uintptr_t)8, FUTEX_WAIT, 1, &rel, 0), EFAULT, "a bad address -> EFAULT");
	t_err(futex(&w, 99, 1, NULL, 0), ENOSYS, "an unknown operation -> ENOSYS");
	struct timespec bad = { 0, 1000000000L };
	t_err(futex(&w, FUTEX_WAIT, 1, &bad, 0), EINVAL, "tv_nsec of 1e9 -> EINVAL");
	t_err(futex(&w, FUTEX_WAIT_BITSET, 1, &rel, 0), EINVAL, "WAIT_BITSET with an empty bitset -> EINVAL");
	return t_done();
}
