/* Differential: what the pthread API says, printed one fact a line, so the
   libc-rs build and the glibc build of this file can be compared byte for
   byte (tests/libc.rs): type sizes and constants (the ABI), attribute
   defaults, sysconf limits, and the results and errors of call sequences
   whose outcome does not depend on timing. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SHOW(x) printf("%s = %ld\n", #x, (long)(x))
/* A call's result as the error's name. */
static const char *err(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{0, "0"}, {EINVAL, "EINVAL"}, {EBUSY, "EBUSY"}, {EDEADLK, "EDEADLK"}, {EPERM, "EPERM"},
		{EAGAIN, "EAGAIN"}, {ETIMEDOUT, "ETIMEDOUT"}, {ESRCH, "ESRCH"}, {ENOTSUP, "ENOTSUP"},
	};
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].e == e)
			return names[i].n;
	return "other";
}
#define CALL(x) printf("%s -> %s\n", #x, err(x))

static pthread_key_t keys[3];
static char order[16];
static void destroy(void *v) { strcat(order, v); }
static void *set_keys(void *arg)
{
	(void)arg;
	pthread_setspecific(keys[2], "c");
	pthread_setspecific(keys[0], "a");
	pthread_setspecific(keys[1], "b");
	return (void *)"done";
}
static void undo(void *v) { strcat(order, v); }
static void *cleanups(void *arg)
{
	pthread_cleanup_push(undo, "1");
	pthread_cleanup_push(undo, "2");
	pthread_cleanup_pop(arg != 0);
	pthread_exit(arg);
	pthread_cleanup_pop(0);
}
static int ran;
static void init_once(void) { ran++; }
static void *ret(void *arg) { return arg; }

int main(void)
{
	SHOW(sizeof(pthread_t));
	SHOW(sizeof(pthread_attr_t));
	SHOW(sizeof(pthread_mutex_t));
	SHOW(sizeof(pthread_mutexattr_t));
	SHOW(sizeof(pthread_cond_t));
	SHOW(sizeof(pthread_condattr_t));
	SHOW(sizeof(pthread_rwlock_t));
	SHOW(sizeof(pthread_rwlockattr_t));
	SHOW(sizeof(pthread_barrier_t));
	SHOW(sizeof(pthread_barrierattr_t));
	SHOW(sizeof(pthread_key_t));
	SHOW(sizeof(pthread_once_t));
	SHOW(sizeof(pthread_spinlock_t));
	SHOW(sizeof(cpu_set_t));
	SHOW(sizeof(sem_t));
	SHOW(SEM_VALUE_MAX);
	SHOW(PTHREAD_CREATE_DETACHED);
	SHOW(PTHREAD_MUTEX_RECURSIVE);
	SHOW(PTHREAD_MUTEX_ERRORCHECK);
	SHOW(PTHREAD_MUTEX_DEFAULT);
	SHOW(PTHREAD_PROCESS_SHARED);
	SHOW(PTHREAD_BARRIER_SERIAL_THREAD);
	SHOW(PTHREAD_STACK_MIN);
	SHOW(PTHREAD_KEYS_MAX);
	SHOW(PTHREAD_DESTRUCTOR_ITERATIONS);
	SHOW(sysconf(_SC_THREAD_KEYS_MAX));
	SHOW(sysconf(_SC_THREAD_DESTRUCTOR_ITERATIONS));
	SHOW(sysconf(_SC_THREAD_STACK_MIN));
	cpu_set_t cpus;
	SHOW(sched_getaffinity(0, sizeof cpus, &cpus));
	SHOW(CPU_COUNT(&cpus) == sysconf(_SC_NPROCESSORS_ONLN));

	pthread_attr_t a;
	size_t sz;
	int v;
	pthread_attr_init(&a);
	pthread_attr_getguardsize(&a, &sz);
	SHOW(sz);
	pthread_attr_getdetachstate(&a, &v);
	SHOW(v);
	pthread_attr_getscope(&a, &v);
	SHOW(v);
	CALL(pthread_attr_setscope(&a, PTHREAD_SCOPE_PROCESS));
	CALL(pthread_attr_setscope(&a, 9));
	CALL(pthread_attr_setstacksize(&a, 1000));
	CALL(pthread_attr_setdetachstate(&a, 2));
	CALL(pthread_attr_setguardsize(&a, 0));

	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_t rm = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	pthread_mutex_t em = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
	CALL(pthread_mutex_trylock(&m));
	CALL(pthread_mutex_trylock(&m));
	CALL(pthread_mutex_destroy(&m));
	CALL(pthread_mutex_unlock(&m));
	CALL(pthread_mutex_destroy(&m));
	CALL(pthread_mutex_lock(&rm));
	CALL(pthread_mutex_trylock(&rm));
	CALL(pthread_mutex_unlock(&rm));
	CALL(pthread_mutex_unlock(&rm));
	CALL(pthread_mutex_unlock(&rm));
	CALL(pthread_mutex_unlock(&em));
	CALL(pthread_mutex_lock(&em));
	CALL(pthread_mutex_lock(&em));
	CALL(pthread_mutex_trylock(&em));
	CALL(pthread_mutex_unlock(&em));
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	CALL(pthread_mutexattr_settype(&ma, 4));
	CALL(pthread_mutexattr_setpshared(&ma, 2));

	pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
	CALL(pthread_rwlock_rdlock(&rw));
	CALL(pthread_rwlock_tryrdlock(&rw));
	CALL(pthread_rwlock_trywrlock(&rw));
	CALL(pthread_rwlock_unlock(&rw));
	CALL(pthread_rwlock_unlock(&rw));
	CALL(pthread_rwlock_wrlock(&rw));
	CALL(pthread_rwlock_wrlock(&rw));
	CALL(pthread_rwlock_rdlock(&rw));
	CALL(pthread_rwlock_tryrdlock(&rw));
	CALL(pthread_rwlock_unlock(&rw));

	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_condattr_t ca;
	clockid_t clk;
	pthread_condattr_init(&ca);
	CALL(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC_RAW));
	CALL(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC));
	pthread_condattr_getclock(&ca, &clk);
	SHOW(clk);
	CALL(pthread_cond_signal(&c));
	CALL(pthread_cond_broadcast(&c));
	struct timespec past = {0};
	CALL(pthread_mutex_lock(&m));	/* destroyed above */
	CALL(pthread_mutex_init(&m, 0));
	CALL(pthread_mutex_lock(&m));
	CALL(pthread_cond_timedwait(&c, &m, &past));
	CALL(pthread_mutex_timedlock(&m, &past));
	pthread_mutex_unlock(&m);
	/* A bad time where no wait is needed: checked or not? */
	struct timespec bad = {0, 1000000000};
	CALL(pthread_mutex_timedlock(&m, &bad));
	CALL(pthread_mutex_unlock(&m));
	CALL(pthread_rwlock_timedrdlock(&rw, &bad));
	CALL(pthread_rwlock_timedwrlock(&rw, &bad));
	pthread_rwlock_unlock(&rw);
	sem_t s;
	sem_init(&s, 0, 1);
	int sr = sem_timedwait(&s, &bad);
	printf("sem_timedwait(bad) -> %d %s\n", sr, err(sr ? errno : 0));
	printf("sem_trywait -> %d\n", sem_trywait(&s));

	pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_once);
	pthread_once(&once, init_once);
	SHOW(ran);

	/* Destructors in key order; cleanup handlers innermost first. */
	for (int i = 0; i < 3; i++)
		pthread_key_create(&keys[i], destroy);
	pthread_t t;
	void *r;
	pthread_create(&t, 0, set_keys, 0);
	CALL(pthread_join(t, &r));
	printf("value %s, destructors %s\n", (char *)r, order);
	order[0] = 0;
	pthread_create(&t, 0, cleanups, "x");
	CALL(pthread_join(t, &r));
	printf("value %s, cleanups %s\n", (char *)r, order);
	CALL(pthread_key_delete(keys[1]));
	CALL(pthread_key_delete(keys[1]));
	CALL(pthread_setspecific(keys[1], "z"));
	printf("getspecific %p\n", pthread_getspecific(keys[1]));

	CALL(pthread_join(pthread_self(), 0));
	pthread_create(&t, 0, ret, 0);
	CALL(pthread_detach(t));
	pthread_barrier_t b;
	CALL(pthread_barrier_init(&b, 0, 0));
	CALL(pthread_barrier_init(&b, 0, 1));
	SHOW(pthread_barrier_wait(&b));
	SHOW(pthread_equal(pthread_self(), pthread_self()));
	CALL(pthread_kill(pthread_self(), 0));
	CALL(sched_yield());
	return 0;
}
