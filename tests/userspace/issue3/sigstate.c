/* sigstate — proves rt_sigaction and rt_sigprocmask keep what they are
 * given (handler, flags, mask read back exactly), refuse what Linux
 * refuses (SIGKILL/SIGSTOP handlers, signal 0 and 65, a bad `how`, a wrong
 * sigsetsize), silently drop SIGKILL/SIGSTOP from the blocked mask, and
 * that nothing is pending. No signal is delivered here (that is issue 5).
 */
#include "t.h"
#include <signal.h>

#define SA_RESTORER_FLAG 0x04000000 /* the C library adds it itself */

static void handler(int sig)
{
	(void)sig;
}

struct k_sigaction { void *handler; unsigned long flags; void *restorer; uint64_t mask; };

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART | SA_NODEFER | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaddset(&sa.sa_mask, SIGTERM);
	t_ok(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL, "SIGUSR1 starts at SIG_DFL");
	t_sys(sigaction(SIGUSR1, &sa, NULL), "sigaction(SIGUSR1) installs a handler");
	memset(&old, 0, sizeof old);
	t_ok(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == handler, "the handler reads back");
	t_eq((unsigned)old.sa_flags & ~SA_RESTORER_FLAG, (unsigned)(SA_RESTART | SA_NODEFER | SA_RESETHAND), "the flags read back");
	t_ok(sigismember(&old.sa_mask, SIGUSR2) && sigismember(&old.sa_mask, SIGTERM) && !sigismember(&old.sa_mask, SIGINT),
	     "the mask reads back");
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	t_ok(sigaction(SIGUSR1, &sa, &old) == 0 && old.sa_handler == handler, "replacing returns the old action");
	t_ok(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_IGN, "SIG_IGN reads back");
	sa.sa_flags = SA_SIGINFO;
	sa.sa_handler = handler;
	t_ok(sigaction(SIGRTMIN + 3, &sa, NULL) == 0 && sigaction(SIGRTMIN + 3, NULL, &old) == 0 &&
		     (old.sa_flags & SA_SIGINFO) && old.sa_handler == handler,
	     "a real-time signal takes an SA_SIGINFO handler");

	t_err(sigaction(SIGKILL, &sa, NULL), EINVAL, "sigaction(SIGKILL) -> EINVAL");
	t_err(sigaction(SIGSTOP, &sa, NULL), EINVAL, "sigaction(SIGSTOP) -> EINVAL");
	t_ok(sigaction(SIGKILL, NULL, &old) == 0, "querying SIGKILL's action is allowed");
	struct k_sigaction k = { (void *)handler, 0, NULL, 0 };
	t_err(syscall(SYS_rt_sigaction, 0, &k, NULL, 8), EINVAL, "rt_sigaction(0) -> EINVAL");
	t_err(syscall(SYS_rt_sigaction, 65, &k, NULL, 8), EINVAL, "rt_sigaction(65) -> EINVAL");
	t_err(syscall(SYS_rt_sigaction, SIGUSR2, &k, NULL, 4), EINVAL, "rt_sigaction with sigsetsize 4 -> EINVAL");

	sigset_t set, cur;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGKILL);
	sigaddset(&set, SIGSTOP);
	t_sys(sigprocmask(SIG_BLOCK, &set, NULL), "sigprocmask(SIG_BLOCK)");
	sigprocmask(SIG_SETMASK, NULL, &cur);
	t_ok(sigismember(&cur, SIGUSR1) && sigismember(&cur, SIGINT), "the blocked signals read back");
	t_ok(!sigismember(&cur, SIGKILL) && !sigismember(&cur, SIGSTOP), "SIGKILL and SIGSTOP are never blocked");
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_UNBLOCK, &set, &cur);
	t_ok(sigismember(&cur, SIGINT), "SIG_UNBLOCK returns the old mask");
	sigprocmask(SIG_SETMASK, NULL, &cur);
	t_ok(sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGINT), "SIG_UNBLOCK unblocks");
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	t_ok(sigismember(&cur, SIGTERM) && sigismember(&cur, SIGRTMAX) && !sigismember(&cur, SIGKILL),
	     "SIG_SETMASK of everything blocks all but SIGKILL/SIGSTOP");
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	uint64_t raw = 0;
	t_err(syscall(SYS_rt_sigprocmask, 99, &raw, NULL, 8), EINVAL, "rt_sigprocmask with how 99 -> EINVAL");
	t_err(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &raw, NULL, 4), EINVAL, "rt_sigprocmask with sigsetsize 4 -> EINVAL");
	sigpending(&cur);
	t_ok(sigisemptyset(&cur), "nothing is pending");
	return t_done();
}
