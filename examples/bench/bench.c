/* Forkline's benchmark: the same static program on Forkline and on Linux,
   built with glibc (gcc -static, gcc -m32 -static) and with libc-rs
   (cargo xtask cc --arch x86_64|i386). `cargo xtask bench` drives it.

     bench [-f NAME,…] [-d DIV]                 run the benchmarks named
     bench [-f NAME,…] [-d DIV] PROG…           run each PROG the same way,
                                                one after another (as /init)
     bench -e                                   exit at once (fork_exec)

   Each benchmark reads CLOCK_MONOTONIC through a raw syscall (no libc, no
   vDSO) before and after a loop of N operations and prints

     BENCH name arch libc ns_per_op iterations tsc_per_op

   Under QEMU's `-icount shift=0` a guest nanosecond is one guest
   instruction, so ns_per_op counts instructions per operation. Nothing is
   subtracted: the loop and the two clock reads are included (the `loop`
   benchmark shows what an empty iteration costs). tsc_per_op is the same
   interval read with rdtsc, which under icount is the instruction count
   itself; it checks the kernel's clock calibration. The libc clock
   (vDSO) is read around each loop too; a disagreement prints BENCH-WARN.
   -d DIV divides every iteration count (quick runs, the smoke test). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef AT_SYSINFO
#define AT_SYSINFO 32
#endif

#ifdef __x86_64__
#define ARCH "x86_64"
#define NR_GETPPID 110
#define NR_CLOCK_GETTIME 228
#else
#define ARCH "i386"
#define NR_GETPPID 64
#define NR_CLOCK_GETTIME 265
#endif

#ifdef __LIBC_RS__
#define LIBC "libcrs"
#else
#define LIBC "glibc"
#endif

/* The kernel's timespec for the raw clock syscall (32-bit time on i386). */
struct ktimespec {
	long sec, nsec;
};

/* CLOCK_MONOTONIC in ns through the raw syscall, libc and vDSO bypassed. */
static uint64_t now_sys(void)
{
	struct ktimespec ts;
	long r;
#ifdef __x86_64__
	__asm__ volatile("syscall" : "=a"(r) : "0"((long)NR_CLOCK_GETTIME), "D"(1L), "S"(&ts)
			 : "rcx", "r11", "memory");
#else
	__asm__ volatile("int $0x80" : "=a"(r) : "0"((long)NR_CLOCK_GETTIME), "b"(1L), "c"(&ts)
			 : "memory");
#endif
	if (r != 0)
		return 0;
	return (uint64_t)(unsigned long)ts.sec * 1000000000u + (unsigned long)ts.nsec;
}

/* CLOCK_MONOTONIC through libc (the vDSO on both libcs). */
static uint64_t now_libc(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The time-stamp counter: under icount, guest instructions. */
static uint64_t now_tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* getppid by the bare instruction: x86_64 `syscall`, i386 `int $0x80`. */
static long raw_getppid(void)
{
	long r;
#ifdef __x86_64__
	__asm__ volatile("syscall" : "=a"(r) : "0"((long)NR_GETPPID) : "rcx", "r11", "memory");
#else
	__asm__ volatile("int $0x80" : "=a"(r) : "0"((long)NR_GETPPID) : "memory");
#endif
	return r;
}

#ifndef __x86_64__
static unsigned long sysinfo; /* AT_SYSINFO: __kernel_vsyscall */

/* getppid by calling __kernel_vsyscall directly (it keeps every register
   but %eax). */
static long vsyscall_getppid(void)
{
	long r;
	__asm__ volatile("call *%1" : "=a"(r) : "r"(sysinfo), "0"((long)NR_GETPPID) : "memory", "cc");
	return r;
}
#endif

/* Called through volatile pointers so gcc cannot inline or elide them. */
static void *(*volatile p_memcpy)(void *, const void *, size_t) = memcpy;
static size_t (*volatile p_strlen)(const char *) = strlen;
static volatile unsigned long sink;
static char src[8192], dst[8192];
static char str[4097]; /* 4096 letters and a NUL */
static const char *self_path;
static char *dirty; /* touched memory fork must share (dirty_map) */

/* Each benchmark runs `n` operations. The empty loop: */
static void b_loop(long n)
{
	for (long i = 0; i < n; i++)
		__asm__ volatile("" ::: "memory");
}

/* getppid through libc's syscall() (i386 glibc: __kernel_vsyscall). */
static void b_getppid(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

/* getppid by the bare entry instruction. */
static void b_getppid_asm(long n)
{
	for (long i = 0; i < n; i++)
		raw_getppid();
}

#ifndef __x86_64__
/* getppid by calling AT_SYSINFO. */
static void b_getppid_vsyscall(long n)
{
	for (long i = 0; i < n; i++)
		vsyscall_getppid();
}
#endif

/* clock_gettime through libc, which uses the vDSO. */
static void b_clock_vdso(long n)
{
	struct timespec ts;
	for (long i = 0; i < n; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
}

/* clock_gettime through libc's syscall(). */
static void b_clock_syscall(long n)
{
	struct timespec ts;
	for (long i = 0; i < n; i++)
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
}

/* fork; the child _exits at once; the parent writes one byte in each of
   the first `writes` pages of `dirty` (copy-on-write faults while the child
   lives), then waits for it. */
static void fork_cycles(long n, int writes)
{
	for (long i = 0; i < n; i++) {
		int st;
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		for (int k = 0; k < writes; k++)
			dirty[k * 4096] = (char)i;
		if (p < 0 || waitpid(p, &st, 0) != p) {
			printf("BENCH-FAIL fork\n");
			exit(1);
		}
	}
}

/* fork, _exit, waitpid. */
static void b_fork(long n)
{
	fork_cycles(n, 0);
}

/* Touched anonymous memory that fork must share copy-on-write, mapped
   with mmap (not malloc) so that it is surely gone afterwards. */
static size_t dirty_size;

/* Map and touch (on = 1) or unmap (on = 0) `size` bytes. */
static void dirty_map(int on, size_t size)
{
	if (!on) {
		munmap(dirty, dirty_size);
		dirty = 0;
		return;
	}
	dirty = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dirty == MAP_FAILED) {
		printf("BENCH-FAIL cannot map %lu bytes\n", (unsigned long)size);
		exit(1);
	}
	dirty_size = size;
	memset(dirty, 1, size);
}

/* 16 MiB (4096 pages): fork_16m minus fork is the per-page cost of
   sharing and unsharing a page. */
static void dirty_16m(int on)
{
	dirty_map(on, 16 << 20);
}

/* 16 pages that the parent writes after each fork: copy-on-write faults. */
static void dirty_64k(int on)
{
	dirty_map(on, 16 * 4096);
}

/* The same with 16 copy-on-write writes by the parent. */
static void b_fork_cow(long n)
{
	fork_cycles(n, 16);
}

/* One vfork cycle; apart so the shared stack holds nothing of the loop's. */
static __attribute__((noinline)) pid_t vfork_once(void)
{
	pid_t p = vfork();
	if (p == 0)
		_exit(0);
	return p;
}

/* vfork; the child _exits at once; the parent waits for it. */
static void b_vfork(long n)
{
	for (long i = 0; i < n; i++) {
		int st;
		pid_t p = vfork_once();
		if (p < 0 || waitpid(p, &st, 0) != p) {
			printf("BENCH-FAIL vfork\n");
			exit(1);
		}
	}
}

/* fork; the child execs this program with -e (exit at once); wait. */
static void b_fork_exec(long n)
{
	for (long i = 0; i < n; i++) {
		int st;
		pid_t p = fork();
		if (p == 0) {
			char *argv[] = {(char *)self_path, "-e", 0};
			char *envp[] = {0};
			execve(self_path, argv, envp);
			_exit(127);
		}
		if (p < 0 || waitpid(p, &st, 0) != p || st != 0) {
			printf("BENCH-FAIL fork_exec\n");
			exit(1);
		}
	}
}

/* memcpy of one aligned page. */
static void b_memcpy_4k(long n)
{
	for (long i = 0; i < n; i++)
		p_memcpy(dst, src, 4096);
}

/* 64 sizes from 1 to 253 bytes, at varying offsets. */
static void b_memcpy_small(long n)
{
	for (long i = 0; i < n; i++)
		p_memcpy(dst + (i & 7), src + (i & 15) + 1, 1 + (i * 37 & 63) * 4);
}

/* strlen of a 4096-letter string. */
static void b_strlen_4k(long n)
{
	for (long i = 0; i < n; i++)
		sink += p_strlen(str);
}

/* strlen of strings of 0 to 63 letters. */
static void b_strlen_small(long n)
{
	for (long i = 0; i < n; i++)
		sink += p_strlen(str + 4096 - (i * 37 & 63));
}

/* snprintf of integers and strings. */
static void b_snprintf_int(long n)
{
	char buf[128];
	for (long i = 0; i < n; i++)
		sink += snprintf(buf, sizeof buf, "%d %s %08x|%-6ld|", (int)i, "str", (unsigned)i * 7, -i);
}

/* snprintf of doubles. */
static void b_snprintf_float(long n)
{
	char buf[128];
	for (long i = 0; i < n; i++)
		sink += snprintf(buf, sizeof buf, "%.3f %e %g", i / 7.0, i * 1.5, i / 3.0);
}

/* malloc(64), touch, free. */
static void b_malloc_64(long n)
{
	for (long i = 0; i < n; i++) {
		void *p = malloc(64);
		*(volatile char *)p = 1;
		free(p);
	}
}

/* 64 live blocks; each step frees one and allocates 16..1000 bytes. */
static void b_malloc_mixed(long n)
{
	void *p[64] = {0};
	for (long i = 0; i < n; i++) {
		int k = (int)(i * 13 & 63);
		free(p[k]);
		p[k] = malloc(16 + (size_t)(i * 29 % 985));
	}
	for (int k = 0; k < 64; k++)
		free(p[k]);
}

/* A benchmark: its BENCH name, its loop, how many times, its set-up. */
struct bench {
	const char *name;
	void (*fn)(long);
	long iterations;
	void (*setup)(int on); /* before (1) and after (0) the timed loop */
};

/* Default iteration counts: about 10–200 million instructions each. */
static const struct bench benches[] = {
	{"loop", b_loop, 2000000},
	{"getppid", b_getppid, 200000},
#ifdef __x86_64__
	{"getppid_syscall_asm", b_getppid_asm, 200000},
#else
	{"getppid_int80_asm", b_getppid_asm, 200000},
	{"getppid_vsyscall_asm", b_getppid_vsyscall, 200000},
#endif
	{"clock_gettime_vdso", b_clock_vdso, 500000},
	{"clock_gettime_syscall", b_clock_syscall, 200000},
	{"fork_exit_wait", b_fork, 400},
	{"fork_16m_exit_wait", b_fork, 100, dirty_16m},
	{"fork_cow16_exit_wait", b_fork_cow, 200, dirty_64k},
	{"vfork_exit_wait", b_vfork, 1000},
	{"fork_exec_exit_wait", b_fork_exec, 100},
	{"memcpy_4k", b_memcpy_4k, 50000},
	{"memcpy_small", b_memcpy_small, 500000},
	{"strlen_4k", b_strlen_4k, 20000},
	{"strlen_small", b_strlen_small, 500000},
	{"snprintf_int", b_snprintf_int, 50000},
	{"snprintf_float", b_snprintf_float, 20000},
	{"malloc_free_64", b_malloc_64, 500000},
	{"malloc_free_mixed", b_malloc_mixed, 200000},
};

/* Is `name` one of the comma-separated words of `filter` (none: all)? */
static int selected(const char *name, const char *filter)
{
	if (!filter || !*filter)
		return 1;
	for (const char *w = filter; *w;) {
		size_t len = strcspn(w, ",");
		if (len == strlen(name) && !strncmp(name, w, len))
			return 1;
		w += len + (w[len] == ',');
	}
	return 0;
}

/* Run one benchmark and print its BENCH line. */
static void run(const struct bench *b, long div)
{
	long n = b->iterations / div;
	if (n < 1)
		n = 1;
	if (b->setup)
		b->setup(1);
	uint64_t l0 = now_libc();
	uint64_t t0 = now_sys();
	uint64_t c0 = now_tsc();
	b->fn(n);
	uint64_t c1 = now_tsc();
	uint64_t t1 = now_sys();
	uint64_t l1 = now_libc();
	if (b->setup)
		b->setup(0);
	if (!t0 || !t1) {
		printf("BENCH-FAIL %s: clock_gettime syscall failed\n", b->name);
		return;
	}
	uint64_t ns = t1 - t0, lns = l1 - l0;
	/* The libc reads sit outside the syscall reads: lns >= ns. */
	if (lns < ns || lns - ns > ns / 100 + 10000)
		printf("BENCH-WARN %s: vDSO clock says %llu ns, syscall clock %llu ns\n", b->name,
		       (unsigned long long)lns, (unsigned long long)ns);
	printf("BENCH %s %s %s %.1f %ld %.1f\n", b->name, ARCH, LIBC, (double)ns / n, n,
	       (double)(c1 - c0) / n);
	fflush(stdout);
}

/* The kernel's struct new_utsname. */
struct utsname_k {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domain[65];
};

/* The CPU vendor (cpuid leaf 0), and the vector state the kernel enabled
   for user space: CPUID.1:ECX.OSXSAVE and XCR0 (AVX needs bits 1 and 2),
   which decide the memcpy/strlen variants glibc picks. */
static void cpu_info(char vendor[13], unsigned *xcr0)
{
	uint32_t a = 0, b, c, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = 0;
	a = 1;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	*xcr0 = 0;
	if (c & (1u << 27))
		__asm__ volatile("xgetbv" : "=a"(*xcr0), "=d"(d) : "c"(0));
}

/* Forkline says how __kernel_vsyscall enters; Linux has no such file. */
static void vdso32_method(char *out, size_t size)
{
	strcpy(out, "-");
	int fd = open("/proc/forkline/vdso32", O_RDONLY);
	if (fd < 0)
		return;
	ssize_t n = read(fd, out, size - 1);
	close(fd);
	out[n > 0 ? n : 0] = 0;
	out[strcspn(out, "\n")] = 0;
}

/* Run every selected benchmark in this process. */
static void run_all(const char *filter, long div)
{
	struct utsname_k u;
	char vendor[13], method[32];
	unsigned xcr0;
	memset(&u, 0, sizeof u);
	syscall(SYS_uname, &u);
	cpu_info(vendor, &xcr0);
	vdso32_method(method, sizeof method);
	printf("BENCH-INFO %s %s kernel %s %s cpu %s xcr0 %#x vdso32 %s\n", ARCH, LIBC, u.sysname,
	       u.release, vendor, xcr0, method);
	memset(src, 'a', sizeof src);
	memset(str, 'a', sizeof str - 1);
#ifndef __x86_64__
	sysinfo = getauxval(AT_SYSINFO);
#endif
	for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
		if (!selected(benches[i].name, filter))
			continue;
#ifndef __x86_64__
		if (benches[i].fn == b_getppid_vsyscall && !sysinfo) {
			printf("BENCH-SKIP %s: no AT_SYSINFO\n", benches[i].name);
			continue;
		}
#endif
		run(&benches[i], div);
	}
}

/* As /init: run each program with our options, then power off. */
static int drive(char **progs, int nprogs, char **opts, int nopts)
{
	int bad = 0;
	for (int i = 0; i < nprogs; i++) {
		char *argv[16];
		int k = 0;
		argv[k++] = progs[i];
		for (int j = 0; j < nopts && k < 14; j++)
			argv[k++] = opts[j];
		argv[k] = 0;
		fflush(stdout);
		pid_t p = fork();
		if (p == 0) {
			char *envp[] = {0};
			execve(progs[i], argv, envp);
			printf("BENCH-FAIL %s: cannot execute\n", progs[i]);
			_exit(127);
		}
		int st = 0;
		if (p < 0 || waitpid(p, &st, 0) != p || st != 0) {
			printf("BENCH-FAIL %s: status %#x\n", progs[i], st);
			bad = 1;
		}
	}
	printf("BENCH-DONE\n");
	fflush(stdout);
	/* Linux powers off (QEMU exits); Forkline powers off when init exits. */
	syscall(SYS_reboot, 0xfee1deadL, 672274793L, 0x4321fedcL, 0L);
	return bad;
}

/* Options, then the benchmarks or the driver. */
int main(int argc, char **argv)
{
	const char *filter = 0;
	long div = 1;
	char *opts[8];
	int nopts = 0, i;
	self_path = argv[0];
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-e"))
			return 0;
		if (i + 1 < argc && (!strcmp(argv[i], "-f") || !strcmp(argv[i], "-d"))) {
			if (argv[i][1] == 'f')
				filter = argv[i + 1];
			else
				div = atol(argv[i + 1]) > 0 ? atol(argv[i + 1]) : 1;
			if (nopts < 6) {
				opts[nopts++] = argv[i];
				opts[nopts++] = argv[i + 1];
			}
			i++;
			continue;
		}
		fprintf(stderr, "usage: bench [-f NAME,…] [-d DIV] [PROG…]\n");
		return 2;
	}
	if (i < argc)
		return drive(argv + i, argc - i, opts, nopts);
	run_all(filter, div);
	return 0;
}
