/* sig-regs — proves that a signal handler runs and returns without
 * changing the interrupted code's registers: a system call (tgkill to
 * ourselves) is made with every general register, every SSE register,
 * MXCSR and the x87 control word set to known values; the signal is
 * delivered on the way out, the handler clobbers all of them, and after
 * sigreturn each must hold its value again (except the syscall's result
 * and, on x86_64, rcx/r11, which the syscall instruction itself uses).
 */
#include "t.h"

/* Register file in and out of the probe. x86_64: g[] is rax rbx rcx rdx
   rsi rdi rbp r8..r15; i386: eax ebx ecx edx esi edi ebp. */
struct probe {
	uint64_t g[16];
	uint64_t gout[16];
	uint8_t x[16][16];
	uint8_t xout[16][16];
	uint32_t mxcsr, mxcsr_out;
	uint16_t fcw, fcw_out;
};

#ifdef __x86_64__
#define NGPR 16
#define NXMM 16
/* void probe_signal(struct probe *p): offsets g 0, gout 128, x 256,
   xout 512, mxcsr 768, mxcsr_out 772, fcw 776, fcw_out 778. */
__asm__(".text\n.globl probe_signal\nprobe_signal:\n"
	"  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
	"  push %rdi\n"
	"  ldmxcsr 768(%rdi)\n  fldcw 776(%rdi)\n"
	"  movdqu 256(%rdi), %xmm0\n movdqu 272(%rdi), %xmm1\n movdqu 288(%rdi), %xmm2\n movdqu 304(%rdi), %xmm3\n"
	"  movdqu 320(%rdi), %xmm4\n movdqu 336(%rdi), %xmm5\n movdqu 352(%rdi), %xmm6\n movdqu 368(%rdi), %xmm7\n"
	"  movdqu 384(%rdi), %xmm8\n movdqu 400(%rdi), %xmm9\n movdqu 416(%rdi), %xmm10\n movdqu 432(%rdi), %xmm11\n"
	"  movdqu 448(%rdi), %xmm12\n movdqu 464(%rdi), %xmm13\n movdqu 480(%rdi), %xmm14\n movdqu 496(%rdi), %xmm15\n"
	"  mov 8(%rdi), %rbx\n  mov 48(%rdi), %rbp\n  mov 56(%rdi), %r8\n  mov 64(%rdi), %r9\n  mov 72(%rdi), %r10\n"
	"  mov 88(%rdi), %r12\n  mov 96(%rdi), %r13\n  mov 104(%rdi), %r14\n  mov 112(%rdi), %r15\n"
	"  mov 24(%rdi), %rdx\n  mov 32(%rdi), %rsi\n  mov 0(%rdi), %rax\n  mov 40(%rdi), %rdi\n"
	"  syscall\n"
	"  xchg %rdi, (%rsp)\n"
	"  mov %rax, 128(%rdi)\n  mov %rbx, 136(%rdi)\n  mov %rdx, 152(%rdi)\n  mov %rsi, 160(%rdi)\n"
	"  mov %rbp, 176(%rdi)\n  mov %r8, 184(%rdi)\n  mov %r9, 192(%rdi)\n  mov %r10, 200(%rdi)\n"
	"  mov %r12, 216(%rdi)\n  mov %r13, 224(%rdi)\n  mov %r14, 232(%rdi)\n  mov %r15, 240(%rdi)\n"
	"  pop %rax\n  mov %rax, 168(%rdi)\n"
	"  movdqu %xmm0, 512(%rdi)\n movdqu %xmm1, 528(%rdi)\n movdqu %xmm2, 544(%rdi)\n movdqu %xmm3, 560(%rdi)\n"
	"  movdqu %xmm4, 576(%rdi)\n movdqu %xmm5, 592(%rdi)\n movdqu %xmm6, 608(%rdi)\n movdqu %xmm7, 624(%rdi)\n"
	"  movdqu %xmm8, 640(%rdi)\n movdqu %xmm9, 656(%rdi)\n movdqu %xmm10, 672(%rdi)\n movdqu %xmm11, 688(%rdi)\n"
	"  movdqu %xmm12, 704(%rdi)\n movdqu %xmm13, 720(%rdi)\n movdqu %xmm14, 736(%rdi)\n movdqu %xmm15, 752(%rdi)\n"
	"  stmxcsr 772(%rdi)\n  fnstcw 778(%rdi)\n"
	"  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbp\n  pop %rbx\n  ret\n");
static const char *const gname[16] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
				       "r9", "r10", "r11", "r12", "r13", "r14", "r15", "-" };
#define SKIP(i) ((i) == 0 || (i) == 2 || (i) == 10 || (i) == 15) /* rax result; rcx, r11 */
#else
#define NGPR 7
#define NXMM 8
/* The same for i386 with int $0x80; p is at 20(%esp) after the pushes. */
__asm__(".text\n.globl probe_signal\nprobe_signal:\n"
	"  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
	"  mov 20(%esp), %eax\n"
	"  push %eax\n"
	"  ldmxcsr 768(%eax)\n  fldcw 776(%eax)\n"
	"  movdqu 256(%eax), %xmm0\n movdqu 272(%eax), %xmm1\n movdqu 288(%eax), %xmm2\n movdqu 304(%eax), %xmm3\n"
	"  movdqu 320(%eax), %xmm4\n movdqu 336(%eax), %xmm5\n movdqu 352(%eax), %xmm6\n movdqu 368(%eax), %xmm7\n"
	"  mov 8(%eax), %ebx\n  mov 16(%eax), %ecx\n  mov 24(%eax), %edx\n  mov 32(%eax), %esi\n"
	"  mov 40(%eax), %edi\n  mov 48(%eax), %ebp\n  mov 0(%eax), %eax\n"
	"  int $0x80\n"
	"  xchg %eax, (%esp)\n"  /* eax = p, (%esp) = result */
	"  mov %ebx, 136(%eax)\n  mov %ecx, 144(%eax)\n  mov %edx, 152(%eax)\n  mov %esi, 160(%eax)\n"
	"  mov %edi, 168(%eax)\n  mov %ebp, 176(%eax)\n"
	"  pop %ecx\n  mov %ecx, 128(%eax)\n"
	"  movdqu %xmm0, 512(%eax)\n movdqu %xmm1, 528(%eax)\n movdqu %xmm2, 544(%eax)\n movdqu %xmm3, 560(%eax)\n"
	"  movdqu %xmm4, 576(%eax)\n movdqu %xmm5, 592(%eax)\n movdqu %xmm6, 608(%eax)\n movdqu %xmm7, 624(%eax)\n"
	"  stmxcsr 772(%eax)\n  fnstcw 778(%eax)\n"
	"  pop %edi\n  pop %esi\n  pop %ebx\n  pop %ebp\n  ret\n");
static const char *const gname[7] = { "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp" };
#define SKIP(i) ((i) == 0)
#endif
void probe_signal(struct probe *p);

static volatile int handled;

/* Clobber everything the interrupted code could hold. */
static void clobber(int s)
{
	(void)s;
	handled++;
	volatile double d = 1.0;
	for (int i = 0; i < 100; i++)
		d = d * 1.0001 + 3.5;
	unsigned mx = 0x7f80; /* round toward zero */
	unsigned short cw = 0x0c7f;
	__asm__ volatile("ldmxcsr %0\n\tfldcw %1" : : "m"(mx), "m"(cw));
#ifdef __x86_64__
	__asm__ volatile("xor %%eax, %%eax\n\tnot %%rax\n\tmov %%rax, %%rcx\n\tmov %%rax, %%rdx\n\tmov %%rax, %%rsi\n\t"
			 "mov %%rax, %%rdi\n\tmov %%rax, %%r8\n\tmov %%rax, %%r9\n\tmov %%rax, %%r10\n\tmov %%rax, %%r11\n\t"
			 "pcmpeqb %%xmm0, %%xmm0\n\tpcmpeqb %%xmm7, %%xmm7\n\tpcmpeqb %%xmm8, %%xmm8\n\tpcmpeqb %%xmm15, %%xmm15"
			 ::: "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm0", "xmm7", "xmm8", "xmm15");
#else
	__asm__ volatile("xor %%eax, %%eax\n\tnot %%eax\n\tmov %%eax, %%ecx\n\tmov %%eax, %%edx\n\t"
			 "pcmpeqb %%xmm0, %%xmm0\n\tpcmpeqb %%xmm7, %%xmm7" ::: "eax", "ecx", "edx");
	/* (no xmm clobbers: without -msse gcc neither uses nor accepts them) */
#endif
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	signal(SIGUSR1, clobber);
	struct probe p;
	memset(&p, 0, sizeof p);
	for (int i = 0; i < 16; i++)
		p.g[i] = 0x1111111111111111ULL * (uint64_t)(i + 1) + 0x0102030405060708ULL;
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++)
			p.x[i][j] = (uint8_t)(i * 16 + j + 1);
#ifdef __x86_64__
	p.g[0] = SYS_tgkill;
	p.g[5] = (uint64_t)getpid();
	p.g[4] = (uint64_t)syscall(SYS_gettid);
	p.g[3] = SIGUSR1;
#else
	p.g[0] = 270; /* tgkill */
	p.g[1] = (uint32_t)getpid();
	p.g[2] = (uint32_t)syscall(SYS_gettid);
	p.g[3] = SIGUSR1;
	for (int i = 0; i < NGPR; i++)
		p.g[i] &= 0xffffffff;
#endif
	p.mxcsr = 0x1f80 | 0x2000; /* defaults, plus round down: not the handler's */
	p.fcw = 0x037f;
	probe_signal(&p);
	t_eq(handled, 1, "the handler ran on the way out of the system call");
	t_eq(p.gout[0], 0, "the system call returned 0");
	for (int i = 0; i < NGPR; i++) {
		if (SKIP(i))
			continue;
		uint64_t want = p.g[i], got = p.gout[i];
#ifndef __x86_64__
		got &= 0xffffffff;
#endif
		char what[48];
		snprintf(what, sizeof what, "%s preserved", gname[i]);
		t_check(got == want, what, "%#llx, want %#llx", (unsigned long long)got, (unsigned long long)want);
	}
	int xmm_ok = 1;
	for (int i = 0; i < NXMM; i++)
		xmm_ok &= !memcmp(p.x[i], p.xout[i], 16);
	t_ok(xmm_ok, "every xmm register preserved");
	t_eq(p.mxcsr_out, p.mxcsr, "MXCSR preserved");
	t_eq(p.fcw_out, p.fcw, "x87 control word preserved");
	return t_done();
}
