/* xstate — proves the kernel manages the extended FPU state (XSAVE) as
 * Linux does: CPUID.OSXSAVE is set and XCR0 enables x87, SSE and, when the
 * CPU has AVX, AVX (the AVX-512 state all or none); /proc/cpuinfo lists
 * avx and avx512f exactly when XCR0 enables them. The upper halves of the
 * YMM registers survive a system call, context switches against another
 * process holding other values, a signal handler that clobbers them, and
 * fork. The signal frame's fpstate is Linux's: FP_XSTATE_MAGIC1,
 * extended_size, xfeatures and xstate_size in sw_reserved, FP|SSE set in
 * the XSAVE header, the interrupted YMM values at CPUID's offset, MAGIC2
 * after the image, UC_FP_XSTATE in uc_flags (and the fsave header of ia32
 * frames). A handler that edits the saved YMM state changes the registers
 * after sigreturn (rt frames, and on i386 the plain sigframe too); one that
 * clears MAGIC1 gets a plain FXSAVE restore (YMM upper halves back to zero);
 * a frame with an XSAVE header bit outside XCR0, a non-zero xcomp_bv, MXCSR
 * reserved bits or an unreadable fpstate pointer kills the process with
 * SIGSEGV, and nothing else. Handlers start in the init state. Two
 * processes spinning without system calls (preempted by the timer) keep
 * their own values. execve starts the new program in the init state (x87
 * control word, MXCSR, YMM). AT_MINSIGSTKSZ is at least the frame the
 * kernel builds on a sigaltstack of that size. Without XSAVE or AVX the
 * checks that need them are skipped, and "~" lines say so.
 */
#include "t.h"
#include <cpuid.h>
#include <sys/auxv.h>
#include <ucontext.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

/* The upper halves of the YMM registers, in plain assembly:
   ymm_hi_set(const uint8_t p[NYMM][16]) loads them from p, ymm_hi_get
   stores them to p. Nothing between a set and a get in this file uses a
   VEX instruction (the C code is built without AVX, and legacy SSE code
   leaves the upper halves alone), so only the kernel can change them. */
#ifdef __x86_64__
#define NYMM 16
#define P "%rdi"
#define LOADP ""
#else
#define NYMM 8
#define P "%eax"
#define LOADP "  mov 4(%esp), %eax\n"
#endif
#define VI(n) "  vinsertf128 $1, " #n "*16(" P "), %ymm" #n ", %ymm" #n "\n"
#define VX(n) "  vextractf128 $1, %ymm" #n ", " #n "*16(" P ")\n"
#ifdef __x86_64__
#define ALL(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)
#else
#define ALL(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#endif
__asm__(".text\n.globl ymm_hi_set\nymm_hi_set:\n" LOADP ALL(VI) "  ret\n"
	".globl ymm_hi_get\nymm_hi_get:\n" LOADP ALL(VX) "  ret\n");
void ymm_hi_set(const uint8_t p[NYMM][16]);
void ymm_hi_get(uint8_t p[NYMM][16]);

#define XF_YMM 0x4ULL
#define XF_AVX512 0xe0ULL
#ifndef FP_XSTATE_MAGIC1 /* glibc's bits/sigcontext.h has them, musl's not */
#define FP_XSTATE_MAGIC1 0x46505853u
#define FP_XSTATE_MAGIC2 0x46505845u
#endif
#define UC_FP_XSTATE 0x1
#define MINSIGSTKSZ_KERNEL 2048 /* what sigaltstack(2) accepts at least */
#ifdef __x86_64__
#define FSAVE_HDR 0
#else
#define FSAVE_HDR 112 /* struct _fpstate_32's fsave header */
#endif

static uint8_t A[NYMM][16], B[NYMM][16], C[NYMM][16], out[NYMM][16];
static unsigned ymm_off; /* CPUID.(0xD,2).EBX: the YMM_Hi128 component */
static pid_t me_pid, me_tid;

/* XCR0 (xgetbv 0); only with CPUID.OSXSAVE. */
static uint64_t xgetbv0(void)
{
	uint32_t a, d;
	__asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(a), "=d"(d) : "c"(0));
	return a | (uint64_t)d << 32;
}

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void wr32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void wr64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* What a handler does with its frame. */
enum mode { RECORD, EDIT, LEGACY, BAD_BV, BAD_XCOMP, BAD_MXCSR, BAD_PTR };
static volatile int mode, handled;
/* The upper halves as a handler found them on entry. */
static uint8_t at_entry[NYMM][16];

/* Do a and b hold the same bytes? (No memcmp: glibc's may use AVX.) */
static int same(const uint8_t a[NYMM][16], const uint8_t b[NYMM][16])
{
	for (int i = 0; i < NYMM; i++)
		for (int j = 0; j < 16; j++)
			if (a[i][j] != b[i][j])
				return 0;
	return 1;
}

/* What RECORD saw in the frame. */
static struct {
	uintptr_t fpstate;
	unsigned long uc_flags;
	uint32_t magic1, extended_size, xstate_size, magic2;
	uint64_t sw_xfeatures, xstate_bv;
	uint8_t ymm[NYMM][16];
	uint32_t cw, sw_word, status, magic; /* ia32's fsave header */
} ff;

/* The 64-byte aligned (F)XSAVE image of a frame. */
static unsigned char *fx_of(ucontext_t *uc)
{
	return (unsigned char *)uc->uc_mcontext.fpregs + FSAVE_HDR;
}

/* SIGUSR1: look at or edit the frame per `mode`, then clobber every YMM
   upper half (the kernel must bring the interrupted ones back). */
static void on_usr1(int s, siginfo_t *si, void *ucv)
{
	(void)s, (void)si;
	ymm_hi_get(at_entry);
	ucontext_t *uc = ucv;
	unsigned char *fx = fx_of(uc);
	handled++;
	switch (mode) {
	case RECORD:
		ff.fpstate = (uintptr_t)fx;
		ff.uc_flags = uc->uc_flags;
		ff.magic1 = rd32(fx + 464);
		ff.extended_size = rd32(fx + 468);
		ff.sw_xfeatures = rd64(fx + 472);
		ff.xstate_size = rd32(fx + 480);
		if (ff.magic1 == FP_XSTATE_MAGIC1 && ff.xstate_size < 65536)
			ff.magic2 = rd32(fx + ff.xstate_size);
		ff.xstate_bv = rd64(fx + 512);
		memcpy(ff.ymm, fx + ymm_off, sizeof ff.ymm);
#ifndef __x86_64__
		{
			unsigned char *h = (unsigned char *)uc->uc_mcontext.fpregs;
			ff.cw = rd32(h);
			ff.sw_word = rd32(h + 4);
			ff.status = rd32(h + 108) & 0xffff;
			ff.magic = rd32(h + 108) >> 16;
		}
#endif
		break;
	case EDIT:
		memcpy(fx + ymm_off, C, sizeof C);
		wr64(fx + 512, rd64(fx + 512) | XF_YMM);
		break;
	case LEGACY:
		wr32(fx + 464, 0);
		memcpy(fx + ymm_off, C, sizeof C);
		break;
	case BAD_BV:
		wr64(fx + 512, rd64(fx + 512) | 1ULL << 8); /* never in XCR0 */
		break;
	case BAD_XCOMP:
		wr64(fx + 520, 1);
		break;
	case BAD_MXCSR:
		wr32(fx + 24, rd32(fx + 24) | 1U << 31);
		break;
	case BAD_PTR:
		uc->uc_mcontext.fpregs = t_addr(64);
		break;
	}
	ymm_hi_set(B);
}

/* SIGUSR1 to this thread, by a bare system call. */
static void raise_usr1(void)
{
	syscall(SYS_tgkill, me_pid, me_tid, SIGUSR1);
}

/* Load A, take a SIGUSR1 handled in `m`, read the upper halves to out. */
static void signal_round(enum mode m)
{
	mode = m;
	ymm_hi_set(A);
	raise_usr1();
	ymm_hi_get(out);
}

/* A child that must die: its frame is edited into something invalid. */
static int bad_frame_child(void *arg)
{
	me_pid = getpid();
	me_tid = (pid_t)syscall(SYS_gettid);
	signal_round((enum mode)(intptr_t)arg);
	printf("FAIL: sigreturn accepted an invalid frame\n");
	return 1;
}

/* Is word a blank-separated token of the line? */
static int has_flag(const char *line, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = line; (p = strstr(p, word)); p += n)
		if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '\n' || p[n] == 0))
			return 1;
	return 0;
}

/* The flags line of /proc/cpuinfo, or "" if there is none. */
static const char *cpuinfo_flags(void)
{
	static char line[8192];
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return "";
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "flags", 5)) {
			fclose(f);
			return line;
		}
	fclose(f);
	return "";
}

/* The YMM state of one side of the ping-pong: write a byte, yield, read
   one, `rounds` times, with `mine` in the upper halves; 1 if they survived. */
static int ping_pong(const uint8_t mine[NYMM][16], int wfd, int rfd, int rounds, int first_read)
{
	char c = 'x';
	int ok = 1;
	ymm_hi_set(mine);
	for (int i = 0; i < rounds && ok; i++) {
		if (first_read)
			ok = syscall(SYS_read, rfd, &c, 1) == 1;
		ok = ok && syscall(SYS_write, wfd, &c, 1) == 1;
		syscall(SYS_sched_yield);
		if (!first_read)
			ok = ok && syscall(SYS_read, rfd, &c, 1) == 1;
	}
	ymm_hi_get(out);
	return ok && !memcmp(out, mine, sizeof out);
}

/* Where the last altstack handler's frame began (its return address). */
static volatile uintptr_t frame_lo, frame_fx_end;

/* A handler on the alternate stack, SA_SIGINFO: where is its frame? */
static void on_alt_info(int s, siginfo_t *si, void *ucv)
{
	(void)s, (void)si;
	ucontext_t *uc = ucv;
	frame_lo = (uintptr_t)__builtin_frame_address(0) + sizeof(void *);
	unsigned char *fx = fx_of(uc);
	/* MAGIC1 is there even without XSAVE (xstate_size 512), MAGIC2 only with. */
	uint32_t size = uc->uc_flags & UC_FP_XSTATE ? rd32(fx + 480) + 4 : 512;
	frame_fx_end = (uintptr_t)fx + size;
}

/* The same without SA_SIGINFO (ia32's largest frame, struct sigframe). */
static void on_alt_plain(int s)
{
	(void)s;
	frame_lo = (uintptr_t)__builtin_frame_address(0) + sizeof(void *);
	frame_fx_end = 0;
}

/* In a child: a handler on a sigaltstack of AT_MINSIGSTKSZ bytes (at
   least sigaltstack's minimum); its frame must lie within that size. */
static int altstack_child(void *arg)
{
	int info = arg != NULL;
	unsigned long min = getauxval(AT_MINSIGSTKSZ);
	unsigned long size = min < MINSIGSTKSZ_KERNEL ? MINSIGSTKSZ_KERNEL : min;
	char *mem = malloc(65536);
	if (!mem)
		return 2;
	uintptr_t top = ((uintptr_t)mem + 65536) & ~(uintptr_t)63;
	stack_t ss = { .ss_sp = (void *)(top - size), .ss_size = size };
	t_sys(sigaltstack(&ss, NULL), "sigaltstack of max(AT_MINSIGSTKSZ, MINSIGSTKSZ) bytes");
	struct sigaction sa = { .sa_flags = SA_ONSTACK };
	if (info) {
		sa.sa_sigaction = on_alt_info;
		sa.sa_flags |= SA_SIGINFO;
	} else {
		sa.sa_handler = on_alt_plain;
	}
	sigaction(SIGUSR2, &sa, NULL);
	frame_lo = 0;
	raise(SIGUSR2);
	unsigned long used = top - frame_lo;
	t_info("%s frame: %lu bytes used of the sigaltstack, AT_MINSIGSTKSZ %lu", info ? "rt" : "plain", used, min);
	t_check(frame_lo >= top - size, info ? "an SA_SIGINFO frame fits a sigaltstack of that size" : "a plain frame fits a sigaltstack of that size",
		"frame starts %lu bytes below the top, %lu available", used, size);
	t_check(used <= min, info ? "AT_MINSIGSTKSZ covers the SA_SIGINFO frame" : "AT_MINSIGSTKSZ covers the plain frame",
		"%lu bytes used, AT_MINSIGSTKSZ %lu", used, min);
	if (info)
		t_check(frame_fx_end <= top, "the FPU state lies within the sigaltstack", "ends %#lx above the top",
			(unsigned long)(frame_fx_end - top));
	return t_failures ? 1 : 0;
}

#ifndef __x86_64__
/* SIGUSR2 without SA_SIGINFO (i386's struct sigframe): the sigcontext
   follows the signal number on the stack. Check the fpstate it points to
   and put C in the saved YMM state, then clobber the registers. */
static volatile int plain_magic_ok;
static void on_plain(int sig)
{
	unsigned char *sc = t_addr((uintptr_t)(&sig + 1)); /* opaque to the compiler */
	unsigned char *fx = (unsigned char *)(uintptr_t)rd32(sc + 76) + FSAVE_HDR;
	plain_magic_ok = rd32(fx + 464) == FP_XSTATE_MAGIC1 && rd32(fx + rd32(fx + 480)) == FP_XSTATE_MAGIC2 &&
			 rd32(fx - FSAVE_HDR + 108) >> 16 == 0;
	memcpy(fx + ymm_off, C, sizeof C);
	wr64(fx + 512, rd64(fx + 512) | XF_YMM);
	ymm_hi_set(B);
}
#endif

/* Spin without system calls for ms milliseconds with `mine` in the upper
   halves, looking at them now and then; 1 if they always held. */
static int spin_check(const uint8_t mine[NYMM][16], long ms)
{
	static uint8_t now[NYMM][16];
	long long end = t_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	int ok = 1;
	ymm_hi_set(mine);
	while (ok && t_ns(CLOCK_MONOTONIC) < end) {
		for (volatile int i = 0; i < 20000; i++)
			;
		ymm_hi_get(now);
		ok = same(now, mine);
	}
	return ok;
}

/* The x87 control word and MXCSR: read them. */
static void get_fp_control(uint16_t *cw, uint32_t *mxcsr)
{
	__asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(*cw), "=m"(*mxcsr));
}

/* ... and load them. */
static void set_fp_control(uint16_t cw, uint32_t mxcsr)
{
	__asm__ volatile("fldcw %0\n\tldmxcsr %1" : : "m"(cw), "m"(mxcsr));
}

/* `xstate exec-child`: what the program execve'd by main finds. */
static int exec_child(void)
{
	uint8_t now[NYMM][16];
	static const uint8_t zero[NYMM][16];
	uint16_t cw;
	uint32_t mxcsr;
	get_fp_control(&cw, &mxcsr);
	ymm_hi_get(now);
	t_eq(cw, 0x37f, "after execve: the x87 control word is the init value");
	t_eq(mxcsr, 0x1f80, "after execve: MXCSR is the init value");
	t_ok(same(now, zero), "after execve: the YMM upper halves are zero");
	fflush(stdout);
	return t_failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "exec-child"))
		return exec_child();

	unsigned a, b, c, d;
	__cpuid(1, a, b, c, d);
	int has_xsave = !!(c & 1 << 26), osxsave = !!(c & 1 << 27), has_avx = !!(c & 1 << 28);
	unsigned max_leaf = __get_cpuid_max(0, NULL);
	int has_avx512f = 0;
	if (max_leaf >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		has_avx512f = !!(b & 1 << 16);
	}
	uint64_t xcr0 = osxsave ? xgetbv0() : 3;
	t_info("CPUID: xsave %d osxsave %d avx %d avx512f %d; XCR0 %#llx", has_xsave, osxsave, has_avx, has_avx512f,
	       (unsigned long long)xcr0);
	unsigned long minsig = getauxval(AT_MINSIGSTKSZ);
	t_info("AT_MINSIGSTKSZ %lu", minsig);
	t_ok(minsig >= 512 && minsig < 65536, "AT_MINSIGSTKSZ is given");

	const char *flags = cpuinfo_flags();
	int avx_on = osxsave && has_avx && (xcr0 & (XF_YMM | 2)) == (XF_YMM | 2);
	int avx512_on = avx_on && has_avx512f && (xcr0 & XF_AVX512) == XF_AVX512;
	t_eq(has_flag(flags, "avx"), avx_on, "/proc/cpuinfo lists avx exactly when XCR0 enables AVX state");
	t_eq(has_flag(flags, "avx512f"), avx512_on, "/proc/cpuinfo lists avx512f exactly when XCR0 enables AVX-512 state");
	t_info("AVX-512 state %s", avx512_on ? "enabled: exercised by the XSAVE image size only" : "not enabled");

	for (int i = 0; i < 2; i++) {
		int info = i == 0;
		t_status_is(t_in_child(altstack_child, info ? "" : NULL), "exit 0",
			    info ? "SA_SIGINFO handler on a minimal sigaltstack" : "plain handler on a minimal sigaltstack");
	}
	if (!has_xsave) {
		t_info("no XSAVE on this CPU: the XSAVE checks are skipped");
		return t_done();
	}
	if (!t_ok(osxsave, "CPUID.OSXSAVE is set: the kernel enabled XSAVE"))
		return t_done();
	t_ok((xcr0 & 3) == 3, "XCR0 enables x87 and SSE state");
	t_ok((xcr0 & XF_AVX512) == 0 || (xcr0 & XF_AVX512) == XF_AVX512, "XCR0 enables the AVX-512 state all or none");
	if (!has_avx || !avx_on) {
		t_check_here(!has_avx, "XCR0 enables AVX state when the CPU has AVX", "XCR0 %#llx", (unsigned long long)xcr0);
		t_info("no AVX: the YMM checks are skipped");
		return t_done();
	}
	t_ok(xcr0 & XF_YMM, "XCR0 enables AVX state (the CPU has AVX)");
	__cpuid_count(0xd, 2, a, b, c, d);
	ymm_off = b;
	__cpuid_count(0xd, 0, a, b, c, d);
	unsigned xsave_max = b;
	t_info("YMM_Hi128 at offset %u; XSAVE area %u bytes for this XCR0", ymm_off, xsave_max);

	for (int i = 0; i < NYMM; i++)
		for (int j = 0; j < 16; j++) {
			A[i][j] = (uint8_t)(0x11 * i + j + 1);
			B[i][j] = (uint8_t)(0xa5 ^ (i * 16 + j));
			C[i][j] = (uint8_t)(0xc0 + i + 3 * j);
		}
	me_pid = getpid();
	me_tid = (pid_t)syscall(SYS_gettid);

	/* A system call. */
	ymm_hi_set(A);
	syscall(SYS_getppid);
	ymm_hi_get(out);
	t_ok(!memcmp(out, A, sizeof out), "YMM upper halves survive a system call");

	/* A signal whose handler clobbers them; the frame as Linux writes it. */
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	signal_round(RECORD);
	t_eq(handled, 1, "the handler ran");
	t_ok(!memcmp(out, A, sizeof out), "YMM upper halves come back after a handler that clobbered them");
	static const uint8_t zero[NYMM][16];
	t_ok(same(at_entry, zero), "the handler starts with the YMM upper halves zero (init state)");
	t_info("frame: fpstate %#lx uc_flags %#lx magic1 %#x extended_size %u xfeatures %#llx xstate_size %u magic2 %#x "
	       "xstate_bv %#llx",
	       (unsigned long)ff.fpstate, ff.uc_flags, ff.magic1, ff.extended_size,
	       (unsigned long long)ff.sw_xfeatures, ff.xstate_size, ff.magic2, (unsigned long long)ff.xstate_bv);
	t_ok(ff.uc_flags & UC_FP_XSTATE, "uc_flags has UC_FP_XSTATE");
	t_eq(ff.fpstate % 64, 0, "the XSAVE image is 64-byte aligned");
	t_eq(ff.magic1, FP_XSTATE_MAGIC1, "sw_reserved holds FP_XSTATE_MAGIC1");
	t_check(ff.xstate_size >= ymm_off + 256 && ff.xstate_size <= xsave_max, "xstate_size covers the AVX state",
		"%u, want %u..%u", ff.xstate_size, ymm_off + 256, xsave_max);
	t_eq(ff.extended_size, ff.xstate_size + 4 + FSAVE_HDR, "extended_size is xstate_size + MAGIC2 (+ the fsave header)");
	t_check((ff.sw_xfeatures & ~xcr0) == 0 && (ff.sw_xfeatures & 7) == 7, "sw_reserved xfeatures: x87, SSE, AVX, within XCR0",
		"%#llx, XCR0 %#llx", (unsigned long long)ff.sw_xfeatures, (unsigned long long)xcr0);
	t_eq(ff.magic2, FP_XSTATE_MAGIC2, "FP_XSTATE_MAGIC2 follows the image");
	t_check((ff.xstate_bv & 7) == 7 && (ff.xstate_bv & ~xcr0) == 0, "XSTATE_BV has x87, SSE and AVX",
		"%#llx", (unsigned long long)ff.xstate_bv);
	t_ok(!memcmp(ff.ymm, A, sizeof A), "the frame holds the interrupted YMM upper halves at CPUID's offset");
#ifndef __x86_64__
	t_eq(ff.magic, 0, "the ia32 fsave header says FXSR data follows (magic 0)");
	t_eq(ff.cw & 0xffff, 0x37f, "the ia32 fsave header holds the x87 control word");
	t_eq(ff.status, ff.sw_word & 0xffff, "the ia32 fsave header's status is the status word");
#endif

	/* The handler edits the saved state; sigreturn loads the edit. */
	signal_round(EDIT);
	t_ok(!memcmp(out, C, sizeof out), "a handler's edit of the saved YMM state reaches the registers");

	/* Without MAGIC1 the frame is plain FXSAVE: AVX state goes to init. */
	signal_round(LEGACY);
	t_ok(!memcmp(out, zero, sizeof out), "a frame without FP_XSTATE_MAGIC1 is restored as FXSAVE: YMM upper halves zero");
	t_eq(handled, 3, "every handler ran");
#ifndef __x86_64__
	/* i386's plain frame (sigreturn, not rt_sigreturn) carries it too. */
	struct sigaction sp = { .sa_handler = on_plain };
	sigaction(SIGUSR2, &sp, NULL);
	ymm_hi_set(A);
	syscall(SYS_tgkill, me_pid, me_tid, SIGUSR2);
	ymm_hi_get(out);
	t_ok(plain_magic_ok, "a plain (non-rt) frame's fpstate has the fsave header, MAGIC1 and MAGIC2");
	t_ok(!memcmp(out, C, sizeof out), "a plain frame's edited YMM state reaches the registers after sigreturn");
#endif

	/* Invalid frames: SIGSEGV for the process, the kernel goes on. */
	t_status_is(t_in_child(bad_frame_child, (void *)(intptr_t)BAD_BV), "signal 11 (SIGSEGV)",
		    "an XSAVE header bit outside XCR0 in the frame: SIGSEGV");
	t_status_is(t_in_child(bad_frame_child, (void *)(intptr_t)BAD_XCOMP), "signal 11 (SIGSEGV)",
		    "a non-zero xcomp_bv in the frame: SIGSEGV");
	t_status_is(t_in_child(bad_frame_child, (void *)(intptr_t)BAD_MXCSR), "signal 11 (SIGSEGV)",
		    "MXCSR reserved bits in the frame: SIGSEGV");
	t_status_is(t_in_child(bad_frame_child, (void *)(intptr_t)BAD_PTR), "signal 11 (SIGSEGV)",
		    "an unreadable fpstate pointer in the frame: SIGSEGV");

	/* Context switches: ping-pong with a process that holds other values. */
	int p2c[2], c2p[2];
	if (pipe(p2c) || pipe(c2p))
		t_die("pipe");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(ping_pong(B, c2p[1], p2c[0], 200, 1) ? 0 : 1);
	t_ok(ping_pong(A, p2c[1], c2p[0], 200, 0), "YMM upper halves survive 200 switches to a process using other values");
	t_wait_ok(pid, "and that process's survive too");

	/* fork: the child starts with the parent's YMM state. */
	fflush(stdout);
	ymm_hi_set(C);
	pid = (pid_t)syscall(SYS_fork);
	ymm_hi_get(out);
	if (pid == 0)
		_exit(memcmp(out, C, sizeof out) ? 1 : 0);
	t_ok(!memcmp(out, C, sizeof out), "the parent keeps its YMM state across fork");
	t_wait_ok(pid, "fork copies the YMM state into the child");

	/* Preemption: two processes spin with different values, no system calls. */
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(spin_check(B, 300) ? 0 : 1);
	t_ok(spin_check(A, 300), "YMM upper halves survive 300 ms of spinning beside a process using other values");
	t_wait_ok(pid, "and that process's survive too");

	/* execve: the new program starts in the init state. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *args[] = { (char *)t_self, "xstate", "exec-child", NULL };
		set_fp_control(0xf7f, 0x7f80); /* round toward zero in both */
		ymm_hi_set(C);
		execv(t_self, args);
		_exit(127);
	}
	t_wait_ok(pid, "execve resets the FPU state");
	return t_done();
}
