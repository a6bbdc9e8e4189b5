/* setjmp.h: jumps out of nested calls, longjmp(env, 0) returning 1,
   callee-saved registers kept, sigsetjmp/siglongjmp out of a signal
   handler with and without the mask, jmp_buf's size. Self-checking; the
   glibc build must pass too. Ends with "N passed, M failed". */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;
#define CHECK(c) do { if (c) passed++; else { failed++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static jmp_buf env;
static sigjmp_buf senv;
static volatile int depth;

/* Recurse n levels, then jump back with val. */
static __attribute__((noinline)) int nested(int n, int val)
{
	depth++;
	if (n < 0)
		return 0;
	if (n == 0)
		longjmp(env, val);
	return nested(n - 1, val) + 1;
}

static void on_usr1(int s)
{
	(void)s;
	siglongjmp(senv, 7);
}

/* Is sig blocked now? */
static int blocked(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_SETMASK, 0, &cur);
	return sigismember(&cur, sig);
}

/* Values kept in callee-saved registers across the setjmp must survive
   the longjmp (they are not changed in between). */
static __attribute__((noinline)) void registers(void)
{
	volatile int seed = 3;
	long a = seed * 11, b = seed * 13, c = seed * 17, d = seed * 19, e = seed * 23, f = seed * 29;
	int r = setjmp(env);
	if (r == 0)
		nested(3, 5);
	CHECK(r == 5);
	CHECK(a == 33 && b == 39 && c == 51 && d == 57 && e == 69 && f == 87);
}

int main(void)
{
	CHECK(sizeof(jmp_buf) == (sizeof(long) == 8 ? 200 : 156));
	CHECK(sizeof(sigjmp_buf) == sizeof(jmp_buf));

	/* Nested calls; longjmp(env, 0) makes setjmp return 1. */
	volatile int rounds = 0;
	int r = setjmp(env);
	rounds++;
	if (r == 0) {
		nested(10, 42);
		CHECK(0);
	} else if (r == 42) {
		CHECK(depth == 11 && rounds == 2);
		nested(2, 0);
	} else {
		CHECK(r == 1 && rounds == 3 && depth == 14);
	}
	registers();

	/* Out of a handler with the mask saved: the mask at sigsetjmp comes
	   back (SIGUSR1 unblocked, SIGUSR2 blocked as it was). */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, 0);
	sigset_t s2;
	sigemptyset(&s2);
	sigaddset(&s2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s2, 0);
	volatile int hits = 0;
	r = sigsetjmp(senv, 1);
	if (r == 0) {
		raise(SIGUSR1);
		CHECK(0);
	} else {
		hits++;
		CHECK(r == 7 && hits == 1);
		CHECK(!blocked(SIGUSR1));
		CHECK(blocked(SIGUSR2));
	}

	/* Without the mask: still blocked after leaving the handler (the
	   kernel blocked SIGUSR1 for the handler). */
	r = sigsetjmp(senv, 0);
	if (r == 0) {
		raise(SIGUSR1);
		CHECK(0);
	} else {
		CHECK(r == 7);
		CHECK(blocked(SIGUSR1));
	}
	sigset_t s1;
	sigemptyset(&s1);
	sigaddset(&s1, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s1, 0);

	/* setjmp (= _setjmp) does not save the mask: a mask change after it
	   stays after the longjmp; siglongjmp equals longjmp for it. */
	r = _setjmp(env);
	if (r == 0) {
		sigprocmask(SIG_BLOCK, &s1, 0);
		_longjmp(env, 3);
	}
	CHECK(r == 3 && blocked(SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &s1, 0);
	r = sigsetjmp(senv, 1);
	if (r == 0) {
		sigprocmask(SIG_BLOCK, &s1, 0);
		longjmp(senv, 4);
	}
	CHECK(r == 4 && !blocked(SIGUSR1));

	printf("libc_jmp: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
