/* sig-fault — proves faults become signals delivered to handlers with the
 * siginfo Linux gives: SIGSEGV with si_addr the bad address and SEGV_MAPERR
 * (nothing mapped) or SEGV_ACCERR (protection); SIGILL (ud2) and SIGFPE
 * (divide by zero) with si_addr the faulting instruction and ILL_ILLOPN /
 * FPE_INTDIV; SIGTRAP from int3; a handler that moves the saved
 * instruction pointer past the fault resumes there (sigreturn restores the
 * edited context). `sig-fault blocked` and `sig-fault ignored` must die of
 * SIGSEGV: a fault's signal cannot be blocked or ignored.
 */
#include "t.h"
#include <setjmp.h>
#include <sys/mman.h>
#include <ucontext.h>

/* Instructions that fault, at known addresses. */
__asm__(".text\n"
	".globl fault_ud2, fault_ud2_end, fault_div, fault_div_insn, fault_int3\n"
	"fault_ud2: ud2\nfault_ud2_end: ret\n"
	"fault_div: xorl %ecx, %ecx\nfault_div_insn: divl %ecx\n ret\n"
	"fault_int3: int3\n ret\n");
void fault_ud2(void);
extern char fault_ud2_end[], fault_div_insn[];
void fault_div(void);
void fault_int3(void);

static sigjmp_buf back;
static volatile int sig, code;
static volatile uintptr_t addr;
static volatile int skip_ud2;

static void on_fault(int s, siginfo_t *si, void *ucv)
{
	sig = s;
	code = si->si_code;
	addr = (uintptr_t)si->si_addr;
	if (skip_ud2) {
		ucontext_t *uc = ucv;
#ifdef __x86_64__
		uc->uc_mcontext.gregs[REG_RIP] += 2;
#else
		uc->uc_mcontext.gregs[REG_EIP] += 2;
#endif
		return;
	}
	siglongjmp(back, 1);
}

/* Run f; returns 1 if a signal interrupted it (details in sig/code/addr). */
static int faults(void (*f)(void))
{
	sig = code = 0;
	addr = 0;
	if (sigsetjmp(back, 1))
		return 1;
	f();
	return 0;
}

static volatile int *target;
static void read_target(void) { (void)*target; }
static void write_target(void) { *target = 1; }

int main(int argc, char **argv)
{
	if (argc > 1) { /* the modes that must die */
		if (!strcmp(argv[1], "blocked")) {
			sigset_t s;
			sigfillset(&s);
			sigprocmask(SIG_BLOCK, &s, NULL);
		} else {
			signal(SIGSEGV, SIG_IGN);
		}
		printf("faulting with SIGSEGV %s\n", argv[1]);
		fflush(stdout);
		target = t_addr(16);
		read_target();
		printf("FAIL: survived\n");
		return 1;
	}
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);

	target = t_addr(0x10);
	t_ok(faults(read_target) && sig == SIGSEGV, "reading address 0x10: SIGSEGV to the handler");
	t_ok(addr == 0x10 && code == SEGV_MAPERR, "si_addr 0x10, SEGV_MAPERR");
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	target = (volatile int *)(ro + 100);
	t_ok(faults(write_target) && sig == SIGSEGV, "writing a read-only page: SIGSEGV");
	t_ok(addr == (uintptr_t)(ro + 100) && code == SEGV_ACCERR, "si_addr the written address, SEGV_ACCERR");
	t_ok(faults(fault_ud2) && sig == SIGILL, "ud2: SIGILL");
	t_ok(addr == (uintptr_t)fault_ud2 && code == ILL_ILLOPN, "si_addr the ud2 instruction, ILL_ILLOPN");
	t_ok(faults(fault_div) && sig == SIGFPE, "divide by zero: SIGFPE");
	t_ok(addr == (uintptr_t)fault_div_insn && code == FPE_INTDIV, "si_addr the div instruction, FPE_INTDIV");
	t_ok(faults(fault_int3) && sig == SIGTRAP, "int3: SIGTRAP");
	t_eq(code, SI_KERNEL, "int3: si_code SI_KERNEL");
	skip_ud2 = 1;
	t_ok(!faults(fault_ud2) && sig == SIGILL, "a handler that skips the ud2 in the saved context resumes after it");
	sigset_t m;
	sigprocmask(SIG_SETMASK, NULL, &m);
	t_ok(!sigismember(&m, SIGSEGV) && !sigismember(&m, SIGILL), "after siglongjmp and sigreturn nothing stays blocked");
	return t_done();
}
