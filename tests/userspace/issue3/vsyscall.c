/* vsyscall — (i386) proves the two ways into the kernel that a 32-bit
 * program uses: calling __kernel_vsyscall at AT_SYSINFO (the vDSO picks
 * sysenter, syscall or int $0x80) and a plain int $0x80. Each must return
 * the result in eax and preserve every other register (ebx, ecx, edx, esi,
 * edi, ebp), for a syscall without arguments (getpid) and one with three
 * (write). On x86_64 there is nothing to test: the program says so and
 * fails, so that listing it for x86_64 is noticed.
 */
#include "t.h"
#include <sys/auxv.h>

#ifdef __i386__
/* Register values in and out of a system call, in pushad-like order. */
struct regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
};

/* void NAME(void *fn, const struct regs *in, struct regs *out): load
   every register from *in, enter the kernel with ENTER (which may call fn),
   store every register to *out. */
#define PROBE(name, enter)                                                           \
	__asm__(".text\n.globl " name "\n" name ":\n"                                 \
		"  pushl %ebp\n  pushl %ebx\n  pushl %esi\n  pushl %edi\n"               \
		"  pushl 20(%esp)\n" /* fn at 0(%esp); in at 28, out at 32 */             \
		"  movl 28(%esp), %eax\n"                                                \
		"  movl 4(%eax), %ebx\n  movl 8(%eax), %ecx\n  movl 12(%eax), %edx\n"     \
		"  movl 16(%eax), %esi\n  movl 20(%eax), %edi\n  movl 24(%eax), %ebp\n"   \
		"  movl 0(%eax), %eax\n"                                                 \
		"  " enter "\n"                                                          \
		"  pushl %eax\n" /* out now at 36(%esp) */                                \
		"  movl 36(%esp), %eax\n"                                                \
		"  movl %ebx, 4(%eax)\n  movl %ecx, 8(%eax)\n  movl %edx, 12(%eax)\n"     \
		"  movl %esi, 16(%eax)\n  movl %edi, 20(%eax)\n  movl %ebp, 24(%eax)\n"   \
		"  popl %ecx\n  movl %ecx, 0(%eax)\n"                                     \
		"  addl $4, %esp\n"                                                      \
		"  popl %edi\n  popl %esi\n  popl %ebx\n  popl %ebp\n  ret\n")
PROBE("probe_vsyscall", "call *(%esp)");
PROBE("probe_int80", "int $0x80"); /* fn unused */

void probe_vsyscall(void *fn, const struct regs *in, struct regs *out);
void probe_int80(void *fn, const struct regs *in, struct regs *out);

/* Run one probe and check the result and the preserved registers. */
static void probe(void (*p)(void *, const struct regs *, struct regs *), void *fn, struct regs in,
		  uint32_t want, const char *what)
{
	struct regs out;
	memset(&out, 0x5a, sizeof out);
	p(fn, &in, &out);
	int kept = out.ebx == in.ebx && out.ecx == in.ecx && out.edx == in.edx && out.esi == in.esi &&
		   out.edi == in.edi && out.ebp == in.ebp;
	t_check(out.eax == want, what, "eax %#x, want %#x", out.eax, want);
	char w[128];
	snprintf(w, sizeof w, "%s: ebx ecx edx esi edi ebp preserved", what);
	t_check(kept, w, "in %x %x %x %x %x %x out %x %x %x %x %x %x", in.ebx, in.ecx, in.edx, in.esi, in.edi,
		in.ebp, out.ebx, out.ecx, out.edx, out.esi, out.edi, out.ebp);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	void *vsys = (void *)getauxval(AT_SYSINFO);
	if (!t_ok(vsys != NULL, "AT_SYSINFO gives __kernel_vsyscall"))
		return t_done();
	struct regs getpid_regs = { 20, 0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666 };
	probe(probe_vsyscall, vsys, getpid_regs, (uint32_t)getpid(), "getpid through __kernel_vsyscall");
	probe(probe_int80, NULL, getpid_regs, (uint32_t)getpid(), "getpid through int $0x80");
	getpid_regs.eax = 64; /* getppid */
	probe(probe_vsyscall, vsys, getpid_regs, (uint32_t)getppid(), "getppid through __kernel_vsyscall");

	fflush(stdout);
	static const char m1[] = "written through __kernel_vsyscall\n", m2[] = "written through int $0x80\n";
	struct regs w1 = { 4, 1, (uint32_t)m1, sizeof m1 - 1, 0x44444444, 0x55555555, 0x66666666 };
	probe(probe_vsyscall, vsys, w1, sizeof m1 - 1, "write(1, ...) through __kernel_vsyscall");
	fflush(stdout);
	struct regs w2 = { 4, 1, (uint32_t)m2, sizeof m2 - 1, 0x44444444, 0x55555555, 0x66666666 };
	probe(probe_int80, NULL, w2, sizeof m2 - 1, "write(1, ...) through int $0x80");
	struct regs bad = { 4, 1, 1, 10, 0, 0, 0 };
	probe(probe_vsyscall, vsys, bad, (uint32_t)-EFAULT, "write from a bad pointer returns -EFAULT in eax");
	struct regs nosys = { 222, 1, 2, 3, 4, 5, 6 };
	probe(probe_vsyscall, vsys, nosys, (uint32_t)-ENOSYS, "unused syscall 222 returns -ENOSYS in eax");
	return t_done();
}
#else
T_I386_ONLY_MAIN("vsyscall")
#endif
