/* Signals (C99 7.14, POSIX): Linux's numbers; glibc's struct sigaction. */
#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <bits/alltypes.h>
#include <bits/pthreadtypes.h>
#include <bits/sigevent.h>

__FL_BEGIN

typedef int sig_atomic_t;
typedef void (*sighandler_t)(int);

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 34
#define SIGRTMAX 64
#define NSIG 65
#define _NSIG 65

#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_NOCLDSTOP 1
#define SA_NOCLDWAIT 2
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

/* glibc's siginfo_t (128 bytes; on x86_64 the union starts at 16). */
typedef struct {
	int si_signo, si_errno, si_code;
#ifdef __x86_64__
	int __pad0;
#endif
	union {
		int __pad[sizeof(long) == 8 ? 28 : 29];
		struct { pid_t si_pid; uid_t si_uid; int si_status; } __s;
		struct { pid_t si_pid; uid_t si_uid; union sigval si_value; } __rt;
		struct { int si_tid; int si_overrun; union sigval si_value; } __t;
		struct { void *si_addr; } __f;
	} __u;
} siginfo_t;
#define si_pid __u.__s.si_pid
#define si_uid __u.__s.si_uid
#define si_status __u.__s.si_status
#define si_value __u.__rt.si_value
#define si_int __u.__rt.si_value.sival_int
#define si_ptr __u.__rt.si_value.sival_ptr
#define si_timerid __u.__t.si_tid
#define si_overrun __u.__t.si_overrun
#define si_addr __u.__f.si_addr

#define SI_USER 0
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_TKILL (-6)

struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	} __sa_handler;
	sigset_t sa_mask;
	int sa_flags;
	void (*sa_restorer)(void);
};
#define sa_handler __sa_handler.sa_handler
#define sa_sigaction __sa_handler.sa_sigaction

int sigaction(int, const struct sigaction *, struct sigaction *);
sighandler_t signal(int, sighandler_t);
int sigprocmask(int, const sigset_t *, sigset_t *);
int pthread_sigmask(int, const sigset_t *, sigset_t *);
int pthread_kill(pthread_t, int);
int sigemptyset(sigset_t *);
int sigfillset(sigset_t *);
int sigaddset(sigset_t *, int);
int sigdelset(sigset_t *, int);
int sigismember(const sigset_t *, int);
int kill(pid_t, int);
int raise(int);

__FL_END
#endif
