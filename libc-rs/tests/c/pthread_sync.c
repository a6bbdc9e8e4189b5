/* Synchronisation: mutexes (normal, recursive, errorcheck; trylock,
   timedlock, clocklock; static initialisers; errors), condition variables
   (signal, broadcast, timed waits on CLOCK_REALTIME and CLOCK_MONOTONIC),
   rwlocks (shared readers, exclusive writers, preferences, errors),
   barriers, spin locks, semaphores, and a process-shared mutex and
   condition across fork. Builds against glibc too: every expectation is glibc's. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pt.h"

#define NT 4
#define ITERS 20000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t spin;
static long counter, spun;

static void *hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&m);
		long c = counter;
		if (i % 64 == 0)
			sched_yield();
		counter = c + 1;
		pthread_mutex_unlock(&m);
		pthread_spin_lock(&spin);
		spun++;
		pthread_spin_unlock(&spin);
	}
	return 0;
}

static void *try_from_other(void *arg) { return (void *)(long)pthread_mutex_trylock(arg); }
static void *unlock_from_other(void *arg) { return (void *)(long)pthread_mutex_unlock(arg); }

/* Run f(arg) in a new thread and return its value as a long. */
static long in_thread(void *(*f)(void *), void *arg)
{
	pthread_t t;
	void *r = (void *)-1L;
	if (pthread_create(&t, 0, f, arg) == 0)
		pthread_join(t, &r);
	return (long)r;
}

static void test_mutex(void)
{
	pthread_t t[NT];
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	for (int i = 0; i < NT; i++)
		EQ(pthread_create(&t[i], 0, hammer, 0), 0);
	for (int i = 0; i < NT; i++)
		pthread_join(t[i], 0);
	EQ(counter, NT * ITERS);
	EQ(spun, NT * ITERS);
	EQ(pthread_spin_trylock(&spin), 0);
	EQ(pthread_spin_trylock(&spin), EBUSY);
	EQ(pthread_spin_unlock(&spin), 0);

	pthread_mutexattr_t a;
	pthread_mutex_t rm, em, nm;
	int type;
	EQ(pthread_mutexattr_init(&a), 0);
	EQ(pthread_mutexattr_gettype(&a, &type), 0);
	EQ(type, PTHREAD_MUTEX_DEFAULT);
	EQ(pthread_mutexattr_settype(&a, 42), EINVAL);
	EQ(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE), 0);
	EQ(pthread_mutex_init(&rm, &a), 0);
	EQ(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK), 0);
	EQ(pthread_mutex_init(&em, &a), 0);
	EQ(pthread_mutex_init(&nm, 0), 0);
	pthread_mutexattr_destroy(&a);

	/* Recursive: the owner relocks; others are refused; EPERM for them. */
	EQ(pthread_mutex_lock(&rm), 0);
	EQ(pthread_mutex_lock(&rm), 0);
	EQ(pthread_mutex_trylock(&rm), 0);
	EQ(in_thread(try_from_other, &rm), EBUSY);
	EQ(in_thread(unlock_from_other, &rm), EPERM);
	EQ(pthread_mutex_unlock(&rm), 0);
	EQ(pthread_mutex_unlock(&rm), 0);
	EQ(pthread_mutex_destroy(&rm), EBUSY);
	EQ(pthread_mutex_unlock(&rm), 0);
	EQ(pthread_mutex_unlock(&rm), EPERM);
	EQ(pthread_mutex_destroy(&rm), 0);

	/* Error-checking: EDEADLK relocking, EBUSY trying, EPERM unlocking. */
	EQ(pthread_mutex_unlock(&em), EPERM);
	EQ(pthread_mutex_lock(&em), 0);
	EQ(pthread_mutex_lock(&em), EDEADLK);
	EQ(pthread_mutex_trylock(&em), EBUSY);
	EQ(in_thread(unlock_from_other, &em), EPERM);
	EQ(pthread_mutex_unlock(&em), 0);
	EQ(pthread_mutex_unlock(&em), EPERM);

	/* Normal: trylock fails for everyone while held. */
	EQ(pthread_mutex_trylock(&nm), 0);
	EQ(pthread_mutex_trylock(&nm), EBUSY);
	EQ(in_thread(try_from_other, &nm), EBUSY);
	EQ(pthread_mutex_destroy(&nm), EBUSY);

	/* Timed locks on a held mutex: EINVAL for a bad time, else they wait
	   until the time passes. */
	struct timespec bad = in_ms(CLOCK_REALTIME, 0);
	bad.tv_nsec = 1000000000;
	EQ(pthread_mutex_timedlock(&nm, &bad), EINVAL);
	long long t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec at = in_ms(CLOCK_REALTIME, 50);
	EQ(pthread_mutex_timedlock(&nm, &at), ETIMEDOUT);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 45000000LL);
	at = in_ms(CLOCK_MONOTONIC, 30);
	EQ(pthread_mutex_clocklock(&nm, CLOCK_MONOTONIC, &at), ETIMEDOUT);
	EQ(pthread_mutex_clocklock(&nm, CLOCK_PROCESS_CPUTIME_ID, &at), EINVAL);
	EQ(pthread_mutex_unlock(&nm), 0);
	at = in_ms(CLOCK_REALTIME, 50);
	EQ(pthread_mutex_timedlock(&nm, &at), 0);
	EQ(pthread_mutex_unlock(&nm), 0);
	EQ(pthread_mutex_destroy(&nm), 0);

	/* GNU static initialisers. */
	static pthread_mutex_t srm = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	static pthread_mutex_t sem = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
	EQ(pthread_mutex_lock(&srm), 0);
	EQ(pthread_mutex_lock(&srm), 0);
	EQ(pthread_mutex_lock(&sem), 0);
	EQ(pthread_mutex_lock(&sem), EDEADLK);
}

/* A bounded queue: producers and consumers on two conditions. */
#define QCAP 4
#define ITEMS 2000
static pthread_mutex_t qm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static int queue[QCAP], qlen, qhead;
static long consumed_sum, consumed_n;

static void *producer(void *arg)
{
	long base = (long)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&qm);
		while (qlen == QCAP)
			pthread_cond_wait(&not_full, &qm);
		queue[(qhead + qlen++) % QCAP] = base + i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&qm);
	}
	return 0;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&qm);
		while (qlen == 0 && consumed_n < 2 * ITEMS)
			pthread_cond_wait(&not_empty, &qm);
		if (consumed_n == 2 * ITEMS) {
			pthread_mutex_unlock(&qm);
			return 0;
		}
		consumed_sum += queue[qhead];
		qhead = (qhead + 1) % QCAP;
		qlen--;
		if (++consumed_n == 2 * ITEMS)
			pthread_cond_broadcast(&not_empty);
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&qm);
	}
}

static pthread_cond_t gate = PTHREAD_COND_INITIALIZER;
static int open_gate, waiting;
static void *wait_gate(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&qm);
	waiting++;
	while (!open_gate)
		pthread_cond_wait(&gate, &qm);
	waiting--;
	pthread_mutex_unlock(&qm);
	return 0;
}

static void test_cond(void)
{
	pthread_t p[2], c[3], w[5];
	for (int i = 0; i < 3; i++)
		EQ(pthread_create(&c[i], 0, consumer, 0), 0);
	for (long i = 0; i < 2; i++)
		EQ(pthread_create(&p[i], 0, producer, (void *)(i * 100000)), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(p[i], 0);
	for (int i = 0; i < 3; i++)
		pthread_join(c[i], 0);
	EQ(consumed_n, 2 * ITEMS);
	EQ(consumed_sum, 2L * ITEMS * (ITEMS + 1) / 2 + 100000L * ITEMS);

	/* Broadcast releases every waiter (requeued onto the mutex here). */
	for (int i = 0; i < 5; i++)
		EQ(pthread_create(&w[i], 0, wait_gate, 0), 0);
	for (;;) {
		pthread_mutex_lock(&qm);
		int n = waiting;
		if (n == 5) {
			open_gate = 1;
			pthread_cond_broadcast(&gate);
		}
		pthread_mutex_unlock(&qm);
		if (n == 5)
			break;
		usleep(1000);
	}
	for (int i = 0; i < 5; i++)
		EQ(pthread_join(w[i], 0), 0);
	EQ(waiting, 0);

	/* Timed waits on each clock; attribute errors. */
	pthread_condattr_t a;
	pthread_cond_t cr, cm;
	clockid_t clk;
	EQ(pthread_condattr_init(&a), 0);
	EQ(pthread_condattr_getclock(&a, &clk), 0);
	EQ(clk, CLOCK_REALTIME);
	EQ(pthread_condattr_setclock(&a, CLOCK_PROCESS_CPUTIME_ID), EINVAL);
	EQ(pthread_cond_init(&cr, &a), 0);
	EQ(pthread_condattr_setclock(&a, CLOCK_MONOTONIC), 0);
	EQ(pthread_condattr_getclock(&a, &clk), 0);
	EQ(clk, CLOCK_MONOTONIC);
	EQ(pthread_cond_init(&cm, &a), 0);
	pthread_condattr_destroy(&a);
	pthread_mutex_lock(&qm);
	long long t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec at = in_ms(CLOCK_REALTIME, 40);
	EQ(pthread_cond_timedwait(&cr, &qm, &at), ETIMEDOUT);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 35000000LL);
	t0 = now_ns(CLOCK_MONOTONIC);
	at = in_ms(CLOCK_MONOTONIC, 40);
	EQ(pthread_cond_timedwait(&cm, &qm, &at), ETIMEDOUT);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 35000000LL);
	at = in_ms(CLOCK_MONOTONIC, 20);
	EQ(pthread_cond_clockwait(&cr, &qm, CLOCK_MONOTONIC, &at), ETIMEDOUT);
	EQ(pthread_cond_clockwait(&cr, &qm, CLOCK_PROCESS_CPUTIME_ID, &at), EINVAL);
	at.tv_nsec = -1;
	EQ(pthread_cond_timedwait(&cm, &qm, &at), EINVAL);
	/* The mutex is held again after each of those. */
	EQ(pthread_mutex_trylock(&qm), EBUSY);
	pthread_mutex_unlock(&qm);
	EQ(pthread_cond_destroy(&cr), 0);
	EQ(pthread_cond_destroy(&cm), 0);
	/* Waiting with an error-checking mutex one does not hold: EPERM. */
	static pthread_mutex_t em = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
	EQ(pthread_cond_wait(&gate, &em), EPERM);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int readers_in, max_readers, writer_in, bad;
static void *reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		pthread_rwlock_rdlock(&rw);
		int n = __atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		if (writer_in)
			bad = 1;
		if (n > max_readers)
			max_readers = n;
		usleep(100);
		__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		pthread_rwlock_unlock(&rw);
	}
	return 0;
}
static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		pthread_rwlock_wrlock(&rw);
		writer_in = 1;
		if (__atomic_load_n(&readers_in, __ATOMIC_SEQ_CST))
			bad = 1;
		writer_in = 0;
		pthread_rwlock_unlock(&rw);
	}
	return 0;
}
static void *try_rd(void *arg) { return (void *)(long)pthread_rwlock_tryrdlock(arg); }
static void *try_wr(void *arg) { return (void *)(long)pthread_rwlock_trywrlock(arg); }
static void *timed_wr(void *arg)
{
	struct timespec at = in_ms(CLOCK_REALTIME, 30);
	return (void *)(long)pthread_rwlock_timedwrlock(arg, &at);
}
/* Join the thread given as the argument; its value. */
static void *ret_join(void *arg)
{
	void *r = (void *)-1L;
	pthread_join((pthread_t)arg, &r);
	return r;
}
static void *wr_then_unlock(void *arg)
{
	long r = pthread_rwlock_wrlock(arg);
	pthread_rwlock_unlock(arg);
	return (void *)r;
}

static void test_rwlock(void)
{
	pthread_t t[6];
	for (int i = 0; i < 4; i++)
		EQ(pthread_create(&t[i], 0, reader, 0), 0);
	for (int i = 4; i < 6; i++)
		EQ(pthread_create(&t[i], 0, writer, 0), 0);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], 0);
	EQ(bad, 0);
	CHECK(max_readers > 1);

	EQ(pthread_rwlock_rdlock(&rw), 0);
	EQ(in_thread(try_wr, &rw), EBUSY);
	EQ(in_thread(timed_wr, &rw), ETIMEDOUT);
	EQ(in_thread(try_rd, &rw), 0);	/* the try's lock is still held */
	EQ(pthread_rwlock_unlock(&rw), 0);
	EQ(pthread_rwlock_unlock(&rw), 0);
	EQ(pthread_rwlock_wrlock(&rw), 0);
	EQ(pthread_rwlock_wrlock(&rw), EDEADLK);
	EQ(pthread_rwlock_rdlock(&rw), EDEADLK);
	EQ(pthread_rwlock_trywrlock(&rw), EBUSY);
	EQ(in_thread(try_rd, &rw), EBUSY);
	EQ(pthread_rwlock_unlock(&rw), 0);

	/* Readers first (the default): a reader gets in while a writer waits,
	   so recursive read locks cannot deadlock. */
	pthread_t w;
	EQ(pthread_rwlock_rdlock(&rw), 0);
	EQ(pthread_create(&w, 0, wr_then_unlock, &rw), 0);
	usleep(20000);
	EQ(pthread_rwlock_tryrdlock(&rw), 0);
	EQ(pthread_rwlock_unlock(&rw), 0);
	EQ(pthread_rwlock_unlock(&rw), 0);
	EQ(in_thread(ret_join, (void *)w), 0);

	/* Writers first (GNU's non-recursive kind): new readers wait. */
	pthread_rwlockattr_t a;
	pthread_rwlock_t wl;
	int kind;
	EQ(pthread_rwlockattr_init(&a), 0);
	EQ(pthread_rwlockattr_getkind_np(&a, &kind), 0);
	EQ(kind, PTHREAD_RWLOCK_PREFER_READER_NP);
	EQ(pthread_rwlockattr_setkind_np(&a, 9), EINVAL);
	EQ(pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP), 0);
	EQ(pthread_rwlock_init(&wl, &a), 0);
	EQ(pthread_rwlock_rdlock(&wl), 0);
	EQ(pthread_create(&w, 0, wr_then_unlock, &wl), 0);
	/* Once the writer waits (it may take a while to get there on a busy
	   machine), tryrdlock says EBUSY. */
	int r, tries = 0;
	while ((r = pthread_rwlock_tryrdlock(&wl)) == 0 && tries++ < 2000) {
		pthread_rwlock_unlock(&wl);
		usleep(1000);
	}
	EQ(r, EBUSY);
	EQ(pthread_rwlock_unlock(&wl), 0);
	EQ(in_thread(ret_join, (void *)w), 0);
	EQ(pthread_rwlock_destroy(&wl), 0);
	EQ(pthread_rwlockattr_destroy(&a), 0);
}

#define BN 4
#define ROUNDS 50
static pthread_barrier_t bar;
static int serials, round_seen[ROUNDS];
static void *at_barrier(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		__atomic_add_fetch(&round_seen[r], 1, __ATOMIC_SEQ_CST);
		int v = pthread_barrier_wait(&bar);
		if (v == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&serials, 1, __ATOMIC_SEQ_CST);
		else if (v != 0)
			bad = 1;
		/* Nobody passes before everyone arrived. */
		if (__atomic_load_n(&round_seen[r], __ATOMIC_SEQ_CST) != BN)
			bad = 1;
	}
	return 0;
}

static void test_barrier(void)
{
	pthread_t t[BN];
	EQ(pthread_barrier_init(&bar, 0, 0), EINVAL);
	EQ(pthread_barrier_init(&bar, 0, BN), 0);
	bad = 0;
	for (int i = 0; i < BN; i++)
		EQ(pthread_create(&t[i], 0, at_barrier, 0), 0);
	for (int i = 0; i < BN; i++)
		pthread_join(t[i], 0);
	EQ(bad, 0);
	EQ(serials, ROUNDS);
	EQ(pthread_barrier_destroy(&bar), 0);
}

/* Semaphores: a counting hand-off between threads, and the errors. */
static sem_t items, slots;
static long sem_sum;
static void *sem_producer(void *arg)
{
	for (long i = 1; i <= 1000; i++) {
		while (sem_wait(&slots) != 0)
			;
		__atomic_add_fetch(&sem_sum, i * (long)arg, __ATOMIC_SEQ_CST);
		sem_post(&items);
	}
	return 0;
}

static void test_semaphore(void)
{
	pthread_t t[2];
	int v = -1;
	EQ(sem_init(&items, 0, 0), 0);
	EQ(sem_init(&slots, 0, 3), 0);
	for (long i = 0; i < 2; i++)
		EQ(pthread_create(&t[i], 0, sem_producer, (void *)(i + 1)), 0);
	int got = 0;
	for (int i = 0; i < 2000; i++)
		if (sem_wait(&items) == 0 && sem_post(&slots) == 0)
			got++;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], 0);
	EQ(got, 2000);
	EQ(sem_sum, 3L * 1000 * 1001 / 2);
	EQ(sem_getvalue(&items, &v), 0);
	EQ(v, 0);
	errno = 0;
	EQ(sem_trywait(&items), -1);
	EQ(errno, EAGAIN);
	struct timespec at = in_ms(CLOCK_REALTIME, 30);
	long long t0 = now_ns(CLOCK_MONOTONIC);
	EQ(sem_timedwait(&items, &at), -1);
	EQ(errno, ETIMEDOUT);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 25000000LL);
	at.tv_nsec = 1000000000;
	EQ(sem_timedwait(&items, &at), -1);
	EQ(errno, EINVAL);
	EQ(sem_post(&items), 0);
	EQ(sem_timedwait(&items, &at), -1);	/* checked even when no wait */
	EQ(errno, EINVAL);
	EQ(sem_trywait(&items), 0);
	sem_t big;
	EQ(sem_init(&big, 0, SEM_VALUE_MAX), 0);
	EQ(sem_post(&big), -1);
	EQ(errno, EOVERFLOW);
	EQ(sem_init(&big, 0, (unsigned)SEM_VALUE_MAX + 1), -1);
	EQ(errno, EINVAL);
	EQ(sem_destroy(&items), 0);
	EQ(sem_destroy(&slots), 0);
}

/* A process-shared mutex and condition in a MAP_SHARED page: the child
   waits for the parent's signal, the parent for the child's. */
struct shared { pthread_mutex_t m; pthread_cond_t c; int stage; };

static void test_pshared(void)
{
	struct shared *sh = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int v;
	pthread_mutexattr_init(&ma);
	EQ(pthread_mutexattr_setpshared(&ma, 5), EINVAL);
	EQ(pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED), 0);
	EQ(pthread_mutexattr_getpshared(&ma, &v), 0);
	EQ(v, PTHREAD_PROCESS_SHARED);
	pthread_condattr_init(&ca);
	EQ(pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED), 0);
	EQ(pthread_mutex_init(&sh->m, &ma), 0);
	EQ(pthread_cond_init(&sh->c, &ca), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(&sh->m);
		while (sh->stage != 1)
			pthread_cond_wait(&sh->c, &sh->m);
		sh->stage = 2;
		pthread_cond_broadcast(&sh->c);
		pthread_mutex_unlock(&sh->m);
		_exit(0);
	}
	usleep(20000);
	pthread_mutex_lock(&sh->m);
	sh->stage = 1;
	pthread_cond_broadcast(&sh->c);
	while (sh->stage != 2)
		pthread_cond_wait(&sh->c, &sh->m);
	pthread_mutex_unlock(&sh->m);
	int st;
	EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EQ(sh->stage, 2);
	munmap(sh, 4096);
}

int main(void)
{
	test_mutex();
	test_cond();
	test_rwlock();
	test_barrier();
	test_semaphore();
	test_pshared();
	return summary("pthread_sync");
}
