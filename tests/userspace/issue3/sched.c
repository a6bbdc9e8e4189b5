/* sched — proves the scheduler calls as Linux answers them for the normal
 * policies: sched_getscheduler/setscheduler/getparam/setparam with
 * SCHED_OTHER, SCHED_BATCH and SCHED_IDLE, SCHED_RESET_ON_FORK, what fork
 * inherits (Linux's sched_fork), the priority ranges, sched_rr_get_interval
 * (also the old 32-bit form on i386), nice through get/setpriority and
 * /proc/self/stat, affinity, getcpu, sched_yield, and every error
 * (EINVAL, ESRCH, EFAULT). The real-time policies are issue5's rt. The policy
 * calls are made raw: musl's wrappers answer ENOSYS by design (POSIX
 * means the process, Linux the thread).
 */
#include "t.h"
#include <sched.h>
#include <sys/resource.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif
#define BAD_PTR ((void *)16)
#define NO_PID 0x3ffffff0

/* The policy calls as the kernel answers them (see above). */
#define sched_getscheduler(pid) syscall(SYS_sched_getscheduler, pid)
#define sched_setscheduler(pid, policy, param) syscall(SYS_sched_setscheduler, pid, policy, param)
#define sched_getparam(pid, param) syscall(SYS_sched_getparam, pid, param)
#define sched_setparam(pid, param) syscall(SYS_sched_setparam, pid, param)

/* Run fn in a child; its exit status is what fn returns. */
static int in_child(int (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int child_policy(void)
{
	return sched_getscheduler(0) & 0xff;
}

static int child_reset_flag(void)
{
	return (sched_getscheduler(0) & SCHED_RESET_ON_FORK) != 0;
}

static int child_nice(void)
{
	errno = 0;
	int n = getpriority(PRIO_PROCESS, 0);
	return errno ? 100 : n + 20;
}

static void policies(void)
{
	struct sched_param p = { .sched_priority = 0 };
	t_eq(sched_getscheduler(0), SCHED_OTHER, "a process starts as SCHED_OTHER");
	t_eq(sched_getscheduler(getpid()), SCHED_OTHER, "... named by its pid too");
	t_eq(t_stat_field(41), SCHED_OTHER, "/proc/self/stat's policy is SCHED_OTHER");
	p.sched_priority = 7;
	t_sys(sched_getparam(0, &p), "sched_getparam");
	t_eq(p.sched_priority, 0, "the normal policies' priority is 0");

	p.sched_priority = 0;
	t_sys(sched_setscheduler(0, SCHED_BATCH, &p), "sched_setscheduler SCHED_BATCH");
	t_eq(sched_getscheduler(0), SCHED_BATCH, "sched_getscheduler reads SCHED_BATCH");
	t_eq(t_stat_field(41), SCHED_BATCH, "/proc/self/stat's policy follows");
	t_eq(in_child(child_policy), SCHED_BATCH, "a forked child inherits SCHED_BATCH");
	t_sys(sched_setparam(0, &p), "sched_setparam keeps the policy");
	t_eq(sched_getscheduler(0), SCHED_BATCH, "still SCHED_BATCH");
	t_sys(sched_setscheduler(0, SCHED_IDLE, &p), "sched_setscheduler SCHED_IDLE");
	t_eq(sched_getscheduler(0), SCHED_IDLE, "sched_getscheduler reads SCHED_IDLE");

	t_sys(sched_setscheduler(0, SCHED_BATCH | SCHED_RESET_ON_FORK, &p), "SCHED_BATCH with SCHED_RESET_ON_FORK");
	t_eq(sched_getscheduler(0), SCHED_BATCH | SCHED_RESET_ON_FORK, "sched_getscheduler shows the flag");
	t_eq(in_child(child_policy), SCHED_BATCH, "the child keeps a normal policy");
	t_eq(in_child(child_reset_flag), 0, "but not the flag");
	t_sys(sched_setparam(0, &p), "sched_setparam");
	t_eq(sched_getscheduler(0), SCHED_BATCH | SCHED_RESET_ON_FORK, "sched_setparam keeps the flag");
	t_sys(sched_setscheduler(0, SCHED_OTHER, &p), "back to SCHED_OTHER");
	t_eq(sched_getscheduler(0), SCHED_OTHER, "SCHED_OTHER without the flag");

	t_eq(sched_get_priority_min(SCHED_FIFO), 1, "SCHED_FIFO's lowest priority");
	t_eq(sched_get_priority_max(SCHED_FIFO), 99, "SCHED_FIFO's highest priority");
	t_eq(sched_get_priority_max(SCHED_RR), 99, "SCHED_RR's highest priority");
	t_eq(sched_get_priority_min(SCHED_OTHER), 0, "SCHED_OTHER's lowest priority");
	t_eq(sched_get_priority_max(SCHED_BATCH), 0, "SCHED_BATCH's highest priority");
	t_err(sched_get_priority_max(42), EINVAL, "sched_get_priority_max of no policy -> EINVAL");
	t_err(sched_get_priority_min(-1), EINVAL, "sched_get_priority_min of -1 -> EINVAL");

	p.sched_priority = 10;
	t_sys(sched_setscheduler(0, SCHED_FIFO, &p), "root takes SCHED_FIFO (more in issue5 rt)");
	p.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &p);
	t_eq(sched_getscheduler(0), SCHED_OTHER, "the policy is SCHED_OTHER after that");
}

static void policy_errors(void)
{
	struct sched_param p = { .sched_priority = 0 }, big = { .sched_priority = 1 };
	t_err(sched_setscheduler(0, SCHED_BATCH, &big), EINVAL, "SCHED_BATCH at priority 1 -> EINVAL");
	t_err(sched_setscheduler(0, SCHED_FIFO, &p), EINVAL, "SCHED_FIFO at priority 0 -> EINVAL");
	p.sched_priority = 100;
	t_err(sched_setscheduler(0, SCHED_RR, &p), EINVAL, "SCHED_RR at priority 100 -> EINVAL");
	p.sched_priority = 0;
	t_err(sched_setscheduler(0, 42, &p), EINVAL, "an unknown policy -> EINVAL");
	t_err(sched_setscheduler(0, -1, &p), EINVAL, "policy -1 -> EINVAL");
	t_err(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL, "sched_setscheduler without a param -> EINVAL");
	t_err(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, BAD_PTR), EFAULT, "sched_setscheduler with a bad param -> EFAULT");
	t_err(sched_setscheduler(-1, SCHED_OTHER, &p), EINVAL, "sched_setscheduler of pid -1 -> EINVAL");
	t_err(sched_setscheduler(NO_PID, SCHED_OTHER, &p), ESRCH, "sched_setscheduler of no process -> ESRCH");
	t_err(sched_setparam(0, &big), EINVAL, "sched_setparam priority 1 under SCHED_OTHER -> EINVAL");
	t_err(syscall(SYS_sched_setparam, 0, NULL), EINVAL, "sched_setparam without a param -> EINVAL");
	t_err(syscall(SYS_sched_getparam, 0, NULL), EINVAL, "sched_getparam without a param -> EINVAL");
	t_err(syscall(SYS_sched_getparam, 0, BAD_PTR), EFAULT, "sched_getparam into a bad pointer -> EFAULT");
	t_err(sched_getparam(NO_PID, &p), ESRCH, "sched_getparam of no process -> ESRCH");
	t_err(sched_getscheduler(-1), EINVAL, "sched_getscheduler of pid -1 -> EINVAL");
	t_err(sched_getscheduler(NO_PID), ESRCH, "sched_getscheduler of no process -> ESRCH");
	t_eq(sched_getscheduler(0), SCHED_OTHER, "the failed calls changed nothing");
}

static void rr_interval(void)
{
	struct timespec ts = { 5, 5 };
	t_sys(sched_rr_get_interval(0, &ts), "sched_rr_get_interval");
	t_ok(ts.tv_sec == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000, "the interval is under a second");
	if (t_is_forkline())
		t_check_here(ts.tv_nsec == 20000000, "Forkline's time slice is 20 ms", "got %ld ns", (long)ts.tv_nsec);
	t_info("time slice %ld ns", (long)ts.tv_nsec);
#if defined(__i386__) && defined(SYS_sched_rr_get_interval_time64)
	struct { int32_t s, ns; } old = { 5, 5 };
	t_sys(syscall(SYS_sched_rr_get_interval, 0, &old), "the old 32-bit sched_rr_get_interval");
	t_ok(old.s == 0 && old.ns == ts.tv_nsec, "it gives the same interval in 32-bit fields");
	struct { int64_t s, ns; } t64 = { 5, 5 };
	t_sys(syscall(SYS_sched_rr_get_interval_time64, 0, &t64), "sched_rr_get_interval_time64");
	t_ok(t64.s == 0 && t64.ns == ts.tv_nsec, "it gives the same interval in 64-bit fields");
#else
	printf("ok: the old 32-bit sched_rr_get_interval\nok: it gives the same interval in 32-bit fields\n");
	printf("ok: sched_rr_get_interval_time64\nok: it gives the same interval in 64-bit fields\n");
#endif
	t_err(sched_rr_get_interval(-1, &ts), EINVAL, "sched_rr_get_interval of pid -1 -> EINVAL");
	t_err(sched_rr_get_interval(NO_PID, &ts), ESRCH, "sched_rr_get_interval of no process -> ESRCH");
	t_err(syscall(SYS_sched_rr_get_interval, 0, BAD_PTR), EFAULT, "sched_rr_get_interval into a bad pointer -> EFAULT");
}

static void nice_values(void)
{
	errno = 0;
	t_eq(getpriority(PRIO_PROCESS, 0), 0, "a process starts at nice 0");
	t_eq(t_stat_field(18), 20, "/proc/self/stat's priority is 20");
	t_sys(setpriority(PRIO_PROCESS, 0, 7), "setpriority 7");
	t_eq(getpriority(PRIO_PROCESS, 0), 7, "getpriority reads 7");
	t_eq(getpriority(PRIO_PROCESS, getpid()), 7, "... named by pid");
	t_eq(t_stat_field(19), 7, "/proc/self/stat's nice is 7");
	t_eq(t_stat_field(18), 27, "and its priority 27");
	t_eq(in_child(child_nice), 27, "a forked child inherits nice 7");
	t_sys(setpriority(PRIO_PROCESS, 0, 100), "setpriority 100");
	t_eq(getpriority(PRIO_PROCESS, 0), 19, "is clamped to 19");
	t_err(getpriority(PRIO_PROCESS, NO_PID), ESRCH, "getpriority of no process -> ESRCH");
	t_err(setpriority(PRIO_PROCESS, NO_PID, 1), ESRCH, "setpriority of no process -> ESRCH");
	t_err(getpriority(7, 0), EINVAL, "getpriority of an unknown kind -> EINVAL");
	t_err(setpriority(7, 0, 1), EINVAL, "setpriority of an unknown kind -> EINVAL");
	if (geteuid() == 0) {
		struct sched_param p = { .sched_priority = 0 };
		t_sys(setpriority(PRIO_PROCESS, 0, -5), "root may lower nice to -5");
		t_eq(getpriority(PRIO_PROCESS, 0), -5, "getpriority reads -5");
		t_sys(sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &p), "SCHED_OTHER with SCHED_RESET_ON_FORK");
		t_eq(in_child(child_nice), 20, "the child's negative nice is reset to 0");
		t_sys(setpriority(PRIO_PROCESS, 0, 3), "nice 3");
		t_eq(in_child(child_nice), 23, "a positive nice is kept across the reset");
		t_sys(sched_setscheduler(0, SCHED_OTHER, &p), "SCHED_OTHER without the flag");
	} else {
		t_info("not root: the negative nice checks are Forkline's only");
	}
	t_sys(setpriority(PRIO_PROCESS, 0, 0), "nice back to 0");
}

static void affinity(void)
{
	cpu_set_t set, one;
	CPU_ZERO(&set);
	t_sys(sched_getaffinity(0, sizeof set, &set), "sched_getaffinity");
	t_ok(CPU_ISSET(0, &set) && CPU_COUNT(&set) >= 1, "CPU 0 is in the mask");
	long words = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
	t_ok(words > 0 && words % sizeof(long) == 0, "the raw call returns the mask size in words");
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	t_sys(sched_setaffinity(0, sizeof one, &one), "sched_setaffinity to CPU 0");
	cpu_set_t now;
	CPU_ZERO(&now);
	sched_getaffinity(0, sizeof now, &now);
	t_ok(CPU_EQUAL(&now, &one), "the mask is CPU 0 alone");
	unsigned cpu = 99, node = 99;
	t_sys(syscall(SYS_getcpu, &cpu, &node, NULL), "getcpu");
	t_eq(cpu, 0, "running on CPU 0");
	t_sys(sched_setaffinity(0, sizeof set, &set), "sched_setaffinity back");
	cpu_set_t none;
	CPU_ZERO(&none);
	t_err(sched_setaffinity(0, sizeof none, &none), EINVAL, "an empty mask -> EINVAL");
	t_err(syscall(SYS_sched_getaffinity, 0, 3, &set), EINVAL, "a mask size not a whole word -> EINVAL");
	t_err(syscall(SYS_sched_getaffinity, NO_PID, sizeof set, &set), ESRCH, "the mask of no process -> ESRCH");
	t_err(syscall(SYS_sched_getaffinity, 0, sizeof set, BAD_PTR), EFAULT, "the mask into a bad pointer -> EFAULT");
	t_sys(sched_yield(), "sched_yield");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	policies();
	policy_errors();
	rr_interval();
	nice_values();
	affinity();
	return t_done();
}
