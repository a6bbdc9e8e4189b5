/* sig-mask — proves blocking and pending signals: a blocked signal stays
 * pending (sigpending) and is delivered as soon as it is unblocked, before
 * sigprocmask returns; standard signals coalesce, real-time ones queue;
 * sigsuspend waits with a temporary mask and returns EINTR;
 * sigtimedwait takes a pending signal without its handler, and times out
 * with EAGAIN.
 */
#include "t.h"

static volatile int usr1, usr2, rt, norder;

static void handler(int sig)
{
	if (sig == SIGUSR1)
		usr1++;
	else if (sig == SIGUSR2)
		usr2++;
	else
		rt++;
	norder++;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	signal(SIGUSR1, handler);
	signal(SIGUSR2, handler);
	signal(SIGRTMIN, handler);
	sigset_t set, pend, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGUSR1);
	raise(SIGRTMIN);
	raise(SIGRTMIN);
	sigpending(&pend);
	t_ok(sigismember(&pend, SIGUSR1) && sigismember(&pend, SIGUSR2) && sigismember(&pend, SIGRTMIN),
	     "blocked signals are pending");
	t_ok(usr1 == 0 && usr2 == 0 && rt == 0, "and not delivered");
	sigprocmask(SIG_SETMASK, &old, NULL);
	t_ok(usr1 == 1 && usr2 == 1 && rt == 2, "unblocking delivers them before sigprocmask returns");
	t_eq(usr1, 1, "two SIGUSR1 coalesced into one");
	t_eq(rt, 2, "two SIGRTMIN queued as two");
	/* (Not the order: Linux stacks a frame per pending signal, so the last
	   one it dequeues runs first; one frame per return is as valid.) */
	t_eq(norder, 4, "four deliveries in all");
	sigpending(&pend);
	t_ok(!sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGRTMIN), "nothing pending any more");

	sigprocmask(SIG_BLOCK, &set, NULL);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		t_sleep_ms(50);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigset_t wait_mask;
	sigprocmask(SIG_SETMASK, NULL, &wait_mask);
	sigdelset(&wait_mask, SIGUSR1);
	int r = sigsuspend(&wait_mask);
	t_ok(r == -1 && errno == EINTR && usr1 == 2, "sigsuspend returns EINTR after the handler ran");
	sigprocmask(SIG_SETMASK, NULL, &pend);
	t_ok(sigismember(&pend, SIGUSR1), "sigsuspend restored the mask");
	waitpid(c, NULL, 0);

	raise(SIGUSR2);
	siginfo_t si;
	struct timespec ts = { 1, 0 };
	sigset_t only2;
	sigemptyset(&only2);
	sigaddset(&only2, SIGUSR2);
	t_ok(sigtimedwait(&only2, &si, &ts) == SIGUSR2 && si.si_signo == SIGUSR2 && usr2 == 1,
	     "sigtimedwait takes the pending SIGUSR2 without running its handler");
	ts.tv_sec = 0;
	ts.tv_nsec = 50000000;
	long long t0 = t_ns(CLOCK_MONOTONIC);
	t_err(sigtimedwait(&only2, &si, &ts), EAGAIN, "sigtimedwait with nothing pending times out -> EAGAIN");
	t_ok(t_ns(CLOCK_MONOTONIC) - t0 >= 50000000, "after its 50 ms timeout");
	return t_done();
}
