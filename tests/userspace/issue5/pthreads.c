/* pthreads — proves POSIX threads of the C library (glibc's NPTL, musl's)
 * work on the kernel's clone and futex: create/join with return values,
 * pthread_exit, detach, mutexes under contention, condition variables,
 * barriers, pthread_once, keys with destructors, per-thread __thread
 * variables and errno, distinct tids in one pid, and pthread_kill
 * delivering to the chosen thread.
 */
#include "t.h"
#include <pthread.h>

#define N 6
static __thread int tls_slot = -1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_key_t key;
static int destructed;
static pthread_barrier_t barrier;
static volatile long tids[N];

static void init_once(void)
{
	once_runs++;
}

static void destructor(void *v)
{
	pthread_mutex_lock(&lock);
	destructed += (int)(intptr_t)v;
	pthread_mutex_unlock(&lock);
}

/* Each worker: TLS, errno, once, key, barrier, contended increments. */
static void *worker(void *arg)
{
	int i = (int)(intptr_t)arg;
	tls_slot = i;
	tids[i] = syscall(SYS_gettid);
	pthread_once(&once, init_once);
	pthread_setspecific(key, (void *)(intptr_t)(i + 1));
	errno = 0;
	close(-1); /* errno = EBADF in this thread only */
	int my_errno = errno;
	pthread_barrier_wait(&barrier);
	for (int k = 0; k < 20000; k++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	int ok = tls_slot == i && pthread_getspecific(key) == (void *)(intptr_t)(i + 1) && my_errno == EBADF;
	if (i == N - 1)
		pthread_exit((void *)(intptr_t)(ok ? i * 2 : -1));
	return (void *)(intptr_t)(ok ? i * 2 : -1);
}

/* Set *flag under the lock and wake everyone waiting on cond. */
static void announce(volatile int *flag)
{
	pthread_mutex_lock(&lock);
	*flag = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static int queue[16], qlen;
static volatile int produced_done;

static void *producer(void *arg)
{
	(void)arg;
	for (int v = 1; v <= 1000; v++) {
		pthread_mutex_lock(&lock);
		while (qlen == 16)
			pthread_cond_wait(&cond, &lock);
		queue[qlen++] = v;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
	announce(&produced_done);
	return NULL;
}

static volatile int detached_ran;

static void *detached(void *arg)
{
	(void)arg;
	announce(&detached_ran);
	return NULL;
}

static volatile long signalled_tid;

static void on_usr1(int sig)
{
	(void)sig;
	signalled_tid = syscall(SYS_gettid);
}

static void *sleeper(void *arg)
{
	(void)arg;
	while (!signalled_tid)
		usleep(1000);
	return NULL;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	pthread_t th[N];
	pthread_key_create(&key, destructor);
	pthread_barrier_init(&barrier, NULL, N);
	tls_slot = 100;
	int created = 0;
	for (int i = 0; i < N; i++)
		created += pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i) == 0;
	if (!t_check(created == N, "pthread_create x6", "%d created", created))
		return t_done(); /* joining threads that do not exist would hang */
	int joined = 1;
	for (int i = 0; i < N; i++) {
		void *ret = NULL;
		joined &= pthread_join(th[i], &ret) == 0 && ret == (void *)(intptr_t)(i * 2);
	}
	t_ok(joined, "pthread_join returns each thread's value (pthread_exit too); TLS, keys and errno were per thread");
	t_eq(counter, N * 20000L, "a mutex under contention: no increment lost");
	t_eq(once_runs, 1, "pthread_once ran its function once");
	t_eq(destructed, N * (N + 1) / 2, "key destructors ran with each thread's value");
	t_eq(tls_slot, 100, "the main thread's __thread variable is its own");
	int distinct = 1;
	for (int i = 0; i < N; i++) {
		distinct &= tids[i] != getpid() && tids[i] > 0;
		for (int j = 0; j < i; j++)
			distinct &= tids[i] != tids[j];
	}
	t_ok(distinct, "every thread had its own tid, none the pid");

	pthread_t prod;
	if (pthread_create(&prod, NULL, producer, NULL) != 0)
		return t_done();
	long sum = 0, expect = 1;
	int in_order = 1;
	pthread_mutex_lock(&lock);
	while (!produced_done || qlen) {
		while (qlen == 0 && !produced_done)
			pthread_cond_wait(&cond, &lock);
		for (int k = 0; k < qlen; k++) {
			in_order &= queue[k] == expect++;
			sum += queue[k];
		}
		qlen = 0;
		pthread_cond_broadcast(&cond);
	}
	pthread_mutex_unlock(&lock);
	pthread_join(prod, NULL);
	t_ok(sum == 500500 && in_order, "condition variables: 1000 items passed in order");

	pthread_t d;
	if (pthread_create(&d, NULL, detached, NULL) != 0)
		return t_done();
	t_eq(pthread_detach(d), 0, "pthread_detach");
	pthread_mutex_lock(&lock);
	while (!detached_ran)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	t_ok(detached_ran, "the detached thread ran");

	signal(SIGUSR1, on_usr1);
	pthread_t s;
	long main_tid = syscall(SYS_gettid);
	if (pthread_create(&s, NULL, sleeper, NULL) != 0)
		return t_done();
	usleep(10000);
	t_eq(pthread_kill(s, SIGUSR1), 0, "pthread_kill");
	pthread_join(s, NULL);
	t_ok(signalled_tid != 0 && signalled_tid != main_tid, "the signal was handled in the target thread");
	t_ok(pthread_equal(pthread_self(), pthread_self()) && !pthread_equal(pthread_self(), s), "pthread_self/pthread_equal");
	return t_done();
}
