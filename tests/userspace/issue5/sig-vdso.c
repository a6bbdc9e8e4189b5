/* sig-vdso — (i386) proves that a handler installed without SA_RESTORER
 * (as old programs and some libcs do) returns through the vDSO: the
 * kernel puts __kernel_rt_sigreturn (SA_SIGINFO frames) or
 * __kernel_sigreturn (old-style frames) as the handler's return address,
 * and returning there resumes the program with its registers. On x86_64
 * SA_RESTORER is mandatory, so the program says so and fails if listed.
 */
#include "t.h"
#include "vdso.h"

#ifdef __i386__
static volatile uintptr_t ret_addr;
static volatile int count;

/* Record where this handler returns to. */
__attribute__((noinline)) static void handler(int sig)
{
	(void)sig;
	count++;
	ret_addr = (uintptr_t)__builtin_return_address(0);
}

/* The kernel's struct sigaction for i386 rt_sigaction. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint32_t mask[2];
};

/* Install handler with flags and no restorer; raise; return the handler's
   return address. */
static uintptr_t deliver(unsigned long flags)
{
	struct k_sigaction ka = { handler, flags, NULL, { 0, 0 } };
	if (syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8) != 0)
		return 0;
	ret_addr = 0;
	volatile int before = 12345;
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	return before == 12345 ? ret_addr : 1;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!t_ok(parse_vdso() == 0, "the vDSO parses"))
		return t_done();
	uintptr_t rt = (uintptr_t)vdso_lookup("__kernel_rt_sigreturn", "LINUX_2.5");
	uintptr_t old = (uintptr_t)vdso_lookup("__kernel_sigreturn", "LINUX_2.5");
	uintptr_t got = deliver(4 /* SA_SIGINFO */);
	t_eq(count, 1, "an SA_SIGINFO handler without SA_RESTORER ran and returned");
	t_check(got == rt, "it returned through __kernel_rt_sigreturn", "returned to %#lx, vDSO symbol at %#lx",
		(unsigned long)got, (unsigned long)rt);
	got = deliver(0);
	t_eq(count, 2, "an old-style handler without SA_RESTORER ran and returned");
	t_check(got == old, "it returned through __kernel_sigreturn", "returned to %#lx, vDSO symbol at %#lx",
		(unsigned long)got, (unsigned long)old);
	return t_done();
}
#else
T_I386_ONLY_MAIN("sig-vdso")
#endif
