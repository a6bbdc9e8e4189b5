/* clone-flags — proves clone refuses flag combinations with Linux's errors.
 * Legacy clone (kernel/fork.c copy_process and kernel_clone): CLONE_SIGHAND
 * without CLONE_VM, CLONE_THREAD without CLONE_SIGHAND, CLONE_NEWNS or
 * CLONE_NEWUSER with CLONE_FS, CLONE_THREAD with CLONE_NEWPID or
 * CLONE_NEWUSER, CLONE_PIDFD with CLONE_DETACHED, CLONE_PIDFD with
 * CLONE_PARENT_SETTID (same pointer): EINVAL. clone3 (clone3_args_valid,
 * copy_clone_args_from_user): unknown flags, CSIGNAL bits or
 * CLONE_DETACHED in flags, a bad exit_signal, CLONE_SIGHAND with
 * CLONE_CLEAR_SIGHAND, CLONE_THREAD with an exit signal, a stack without a
 * size, set_tid_size without set_tid, a too-small size: EINVAL; a size
 * over a page: E2BIG. Valid calls on both paths prove the checks are not
 * vacuous. (Legacy clone ignores flags above bit 31 on Linux, so unknown
 * flags are tested with clone3.)
 */
#include "t.h"
#include <sched.h>
#include <sys/mman.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif
#ifndef CLONE_NEWPID
#define CLONE_NEWPID 0x20000000
#endif
#define CLONE_CLEAR_SIGHAND_ 0x100000000ULL
#define CLONE_INTO_CGROUP_ 0x200000000ULL
#ifndef __WALL
#define __WALL 0x40000000
#endif

struct clone_args_ {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static char *stack;
#define STACK_SIZE (64 * 1024)

/* If a bad combination is wrongly accepted, the child just leaves. */
static int leave(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 0);
	return 0;
}

/* Legacy clone must fail with EINVAL; reap anything wrongly created. */
static void legacy_rejects(unsigned long flags, const char *what)
{
	int ptid = 0;
	errno = 0;
	int r = clone(leave, stack + STACK_SIZE, (int)flags, NULL, &ptid, NULL, NULL);
	int e = errno;
	if (r > 0)
		waitpid(r, NULL, __WALL);
	t_check(r == -1 && e == EINVAL, what, "got %d, %s", r, errname(e));
}

/* clone3; a child (wrongly created or not) exits at once without touching
   the stack, which may not be ours. Returns the pid or -errno. */
static long raw_clone3(void *args, size_t size)
{
	long r;
#ifdef __x86_64__
	__asm__ volatile("syscall\n\ttest %%rax, %%rax\n\tjnz 1f\n\tmov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall\n1:"
			 : "=a"(r) : "0"(435L), "D"(args), "S"(size) : "rcx", "r11", "memory");
#else
	__asm__ volatile("int $0x80\n\ttest %%eax, %%eax\n\tjnz 1f\n\tmov $1, %%eax\n\txor %%ebx, %%ebx\n\tint $0x80\n1:"
			 : "=a"(r) : "0"(435L), "b"(args), "c"(size) : "memory");
#endif
	return r;
}

/* clone3 must fail with want; reap anything wrongly created. */
static void clone3_rejects(struct clone_args_ a, size_t size, int want, const char *what)
{
	long r = raw_clone3(&a, size);
	if (r > 0)
		waitpid((pid_t)r, NULL, __WALL);
	t_check(r == -want, what, "got %ld (%s)", r, errname(r < 0 ? (int)-r : 0));
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	legacy_rejects(CLONE_SIGHAND | SIGCHLD, "CLONE_SIGHAND without CLONE_VM -> EINVAL");
	legacy_rejects(CLONE_THREAD | CLONE_VM, "CLONE_THREAD without CLONE_SIGHAND -> EINVAL");
	legacy_rejects(CLONE_NEWNS | CLONE_FS | SIGCHLD, "CLONE_NEWNS with CLONE_FS -> EINVAL");
	legacy_rejects(CLONE_NEWUSER | CLONE_FS | SIGCHLD, "CLONE_NEWUSER with CLONE_FS -> EINVAL");
	legacy_rejects(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID, "CLONE_THREAD with CLONE_NEWPID -> EINVAL");
	legacy_rejects(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWUSER, "CLONE_THREAD with CLONE_NEWUSER -> EINVAL");
	legacy_rejects(CLONE_PIDFD | CLONE_DETACHED | SIGCHLD, "CLONE_PIDFD with CLONE_DETACHED -> EINVAL");
	legacy_rejects(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, "CLONE_PIDFD with CLONE_PARENT_SETTID -> EINVAL");

	pid_t c = clone(leave, stack + STACK_SIZE, SIGCHLD, NULL);
	t_waited(c, 0, "exit 0", "legacy clone with valid flags works");

	struct clone_args_ ok = { .exit_signal = SIGCHLD };
	uintptr_t u_stack = (uintptr_t)stack;
	clone3_rejects((struct clone_args_){ .flags = 1ULL << 40, .exit_signal = SIGCHLD }, 64, EINVAL, "clone3: unknown flag bit 40 -> EINVAL");
	clone3_rejects((struct clone_args_){ .flags = SIGCHLD }, 64, EINVAL, "clone3: CSIGNAL bits in flags -> EINVAL");
	clone3_rejects((struct clone_args_){ .flags = CLONE_DETACHED, .exit_signal = SIGCHLD }, 64, EINVAL, "clone3: CLONE_DETACHED -> EINVAL");
	clone3_rejects((struct clone_args_){ .exit_signal = 65 }, 64, EINVAL, "clone3: exit_signal 65 -> EINVAL");
	clone3_rejects((struct clone_args_){ .exit_signal = (1ULL << 32) | SIGCHLD }, 64, EINVAL, "clone3: exit_signal above 32 bits -> EINVAL");
	clone3_rejects((struct clone_args_){ .flags = CLONE_VM | CLONE_SIGHAND | CLONE_CLEAR_SIGHAND_, .exit_signal = SIGCHLD, .stack = u_stack, .stack_size = STACK_SIZE },
		       64, EINVAL, "clone3: CLONE_SIGHAND with CLONE_CLEAR_SIGHAND -> EINVAL");
	clone3_rejects((struct clone_args_){ .flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, .exit_signal = SIGCHLD, .stack = u_stack, .stack_size = STACK_SIZE },
		       64, EINVAL, "clone3: CLONE_THREAD with an exit signal -> EINVAL");
	clone3_rejects((struct clone_args_){ .exit_signal = SIGCHLD, .stack = u_stack }, 64, EINVAL, "clone3: a stack without a size -> EINVAL");
	clone3_rejects((struct clone_args_){ .exit_signal = SIGCHLD, .set_tid_size = 1 }, 88, EINVAL, "clone3: set_tid_size without set_tid -> EINVAL");
	clone3_rejects((struct clone_args_){ .flags = CLONE_INTO_CGROUP_, .exit_signal = SIGCHLD }, 64, EINVAL, "clone3: CLONE_INTO_CGROUP with a version-0 size -> EINVAL");
	clone3_rejects(ok, 32, EINVAL, "clone3: size 32, below CLONE_ARGS_SIZE_VER0 -> EINVAL");
	static char page_plus[8192];
	memcpy(page_plus, &ok, sizeof ok);
	long r = raw_clone3(page_plus, 8192);
	if (r > 0)
		waitpid((pid_t)r, NULL, __WALL);
	t_check(r == -E2BIG, "clone3: size over a page -> E2BIG", "got %ld", r);

	r = raw_clone3(&ok, sizeof ok);
	if (t_check(r > 0, "clone3 with valid arguments works", "got %ld", r))
		t_waited((pid_t)r, 0, "exit 0", "its child exits 0");
	return t_done();
}
