/* sig-handler — proves signal delivery to handlers: a handler runs once,
 * before raise() returns, with the right signal number; SA_SIGINFO gives
 * si_code SI_USER and the sender's pid/uid for kill(), SI_TKILL for
 * raise()/tgkill(); during a handler its own signal and its sa_mask are
 * blocked and the old mask comes back after; SA_NODEFER does not block
 * it; SA_RESETHAND restores SIG_DFL; a signal raised in a handler nests;
 * ignored and default-ignored signals do nothing.
 */
#include "t.h"

static volatile int count, last_sig, last_code, last_pid, last_uid, blocked_self, blocked_mask, nested, depth;

static void plain(int sig)
{
	count++;
	last_sig = sig;
	sigset_t m;
	sigprocmask(SIG_SETMASK, NULL, &m);
	blocked_self = sigismember(&m, sig);
	blocked_mask = sigismember(&m, SIGTERM);
}

static void info(int sig, siginfo_t *si, void *uc)
{
	count++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_uid = si->si_uid;
	blocked_self = uc != NULL;
}

static void outer(int sig)
{
	(void)sig;
	depth++;
	raise(SIGUSR2);
	depth--;
}

static void inner(int sig)
{
	(void)sig;
	nested = depth;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct sigaction sa = { .sa_handler = plain };
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	t_ok(count == 1 && last_sig == SIGUSR1, "the handler ran once, with SIGUSR1, before raise() returned");
	t_ok(blocked_self && blocked_mask, "during the handler its signal and sa_mask are blocked");
	sigset_t m;
	sigprocmask(SIG_SETMASK, NULL, &m);
	t_ok(!sigismember(&m, SIGUSR1) && !sigismember(&m, SIGTERM), "after the handler the mask is restored");

	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	t_ok(count == 2 && !blocked_self, "SA_NODEFER: the signal is not blocked in its handler");

	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	struct sigaction now;
	sigaction(SIGUSR1, NULL, &now);
	t_ok(count == 3 && now.sa_handler == SIG_DFL, "SA_RESETHAND: one delivery, then SIG_DFL");

	struct sigaction si = { .sa_sigaction = info, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR2, &si, NULL);
	kill(getpid(), SIGUSR2);
	t_ok(count == 4 && last_sig == SIGUSR2 && last_code == SI_USER && last_pid == getpid() && last_uid == (int)getuid(),
	     "kill(): SI_USER with our pid and uid");
	t_ok(blocked_self, "an SA_SIGINFO handler gets a ucontext");
	raise(SIGUSR2);
	t_ok(count == 5 && last_code == SI_TKILL, "raise(): SI_TKILL");
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
	t_ok(count == 6 && last_code == SI_TKILL && last_pid == getpid(), "tgkill(): SI_TKILL with our pid");

	signal(SIGUSR1, outer);
	signal(SIGUSR2, inner);
	raise(SIGUSR1);
	t_eq(nested, 1, "a signal raised inside a handler runs nested in it");

	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	signal(SIGWINCH, SIG_DFL);
	raise(SIGWINCH);
	raise(SIGURG);
	raise(SIGCHLD);
	printf("ignored and default-ignored signals did nothing\n");
	return t_done();
}
