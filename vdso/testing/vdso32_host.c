/*
 * vdso32_host: runs Forkline's vdso32 in a 32-bit Linux process, for
 * tests/vdso.rs (built there with gcc -m32 -static -no-pie).
 *
 * Usage: vdso32_host IMAGE VVAR DATAFILE NAME=OFFSET...
 *
 * Maps the vvar page (VVAR, one page written by vdso-data's writer) right
 * below the image (IMAGE, already patched by the test), both read-only and
 * the image executable, as Forkline's kernel does. Calls the vDSO through
 * the symbol offsets given (hex, read by the test from the ELF symbol
 * table) and prints one line per call for the test to check:
 *   NAME ARG RET VALUE... TSC_BEFORE TSC_AFTER
 * DATAFILE is a two-page file whose second page starts with 'B', for the
 * six-argument mmap2 through __kernel_vsyscall.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };
struct tv32 { int32_t sec, usec; };
struct tz { int32_t minuteswest, dsttime; };

/* Registers as __kernel_vsyscall left them: ebx ecx edx esi edi ebp. */
uint32_t regs_after[6];

/* long call_vsyscall6(void *fn, long nr, long a1, ..., long a6):
 * the i386 syscall convention into fn, then record the registers. */
long call_vsyscall6(void *fn, long nr, long a1, long a2, long a3, long a4, long a5, long a6);
__asm__(".text\n"
	".globl call_vsyscall6\n"
	"call_vsyscall6:\n"
	"	push %ebp\n push %ebx\n push %esi\n push %edi\n"
	"	mov 24(%esp), %eax\n mov 28(%esp), %ebx\n mov 32(%esp), %ecx\n"
	"	mov 36(%esp), %edx\n mov 40(%esp), %esi\n mov 44(%esp), %edi\n"
	"	mov 48(%esp), %ebp\n"
	"	call *20(%esp)\n"
	"	mov %ebx, regs_after\n mov %ecx, regs_after+4\n mov %edx, regs_after+8\n"
	"	mov %esi, regs_after+12\n mov %edi, regs_after+16\n mov %ebp, regs_after+20\n"
	"	pop %edi\n pop %esi\n pop %ebx\n pop %ebp\n"
	"	ret\n");

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int nsyms;
static char **syms;
static char *image;

/* The address of vDSO symbol NAME, from the NAME=OFFSET arguments. */
static void *sym(const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < nsyms; i++)
		if (!strncmp(syms[i], name, n) && syms[i][n] == '=')
			return image + strtoul(syms[i] + n + 1, NULL, 16);
	fprintf(stderr, "no symbol %s\n", name);
	exit(2);
}

/* The whole of file PATH into BUF (at most LEN bytes); its size. */
static long slurp(const char *path, char *buf, long len)
{
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, len);
	if (n < 0) { perror(path); exit(2); }
	close(fd);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 5) { fprintf(stderr, "usage: vdso32_host IMAGE VVAR DATAFILE NAME=OFFSET...\n"); return 2; }
	syms = argv + 4, nsyms = argc - 4;
	long page = 4096, size = 16 * page;
	char *map = mmap(NULL, page + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) { perror("mmap"); return 2; }
	image = map + page;
	if (slurp(argv[2], map, page) != page) { fprintf(stderr, "vvar is not one page\n"); return 2; }
	slurp(argv[1], image, size);
	mprotect(map, page, PROT_READ);
	mprotect(image, size, PROT_READ | PROT_EXEC);

	/* __kernel_vsyscall: getpid, registers kept, and a 6-argument mmap2. */
	void *vsyscall = sym("__kernel_vsyscall");
	long pid = call_vsyscall6(vsyscall, SYS_getpid, 11, 22, 33, 44, 55, 66);
	int kept = regs_after[0] == 11 && regs_after[1] == 22 && regs_after[2] == 33 &&
		   regs_after[3] == 44 && regs_after[4] == 55 && regs_after[5] == 66;
	printf("vsyscall_getpid 0 %ld %d %d\n", pid, (int)getpid(), kept);
	int fd = open(argv[3], O_RDONLY);
	long m = call_vsyscall6(vsyscall, SYS_mmap2, 0, page, PROT_READ, MAP_PRIVATE, fd, 1);
	printf("vsyscall_mmap2 0 %d %c\n", m < 0 && m > -4096 ? (int)m : 0, m < 0 && m > -4096 ? '-' : *(char *)m);
	long bad = call_vsyscall6(vsyscall, 0x7fff, 0, 0, 0, 0, 0, 0);
	printf("vsyscall_enosys 0 %ld\n", bad);

	int (*gettime32)(int, struct ts32 *) = sym("__vdso_clock_gettime");
	int (*gettime64)(int, struct ts64 *) = sym("__vdso_clock_gettime64");
	int (*getres32)(int, struct ts32 *) = sym("__vdso_clock_getres");
	int (*getres64)(int, struct ts64 *) = sym("__vdso_clock_getres_time64");
	int (*gtod)(struct tv32 *, struct tz *) = sym("__vdso_gettimeofday");
	int32_t (*vtime)(int32_t *) = sym("__vdso_time");
	long (*getcpu)(unsigned *, unsigned *, void *) = sym("__vdso_getcpu");

	int clocks[] = { 0, 1, 2, 4, 5, 6, 7, 11, 100, -1 };
	for (unsigned i = 0; i < sizeof clocks / sizeof *clocks; i++) {
		int c = clocks[i];
		struct ts32 t32 = { 0 };
		struct ts64 t64 = { 0 };
		struct timespec host;
		uint64_t a = rdtsc();
		int r = gettime32(c, &t32);
		uint64_t b = rdtsc();
		printf("clock_gettime %d %d %d %d %llu %llu\n", c, r, t32.sec, t32.nsec,
		       (unsigned long long)a, (unsigned long long)b);
		a = rdtsc();
		r = gettime64(c, &t64);
		b = rdtsc();
		printf("clock_gettime64 %d %d %lld %lld %llu %llu\n", c, r, (long long)t64.sec,
		       (long long)t64.nsec, (unsigned long long)a, (unsigned long long)b);
		r = clock_gettime(c, &host);
		printf("host_clock_gettime %d %d %lld %ld\n", c, r, (long long)host.tv_sec, host.tv_nsec);
		r = getres32(c, &t32);
		printf("clock_getres %d %d %d %d\n", c, r, t32.sec, t32.nsec);
		r = getres64(c, &t64);
		printf("clock_getres_time64 %d %d %lld %lld\n", c, r, (long long)t64.sec, (long long)t64.nsec);
		r = clock_getres(c, &host);
		printf("host_clock_getres %d %d %lld %ld\n", c, r, (long long)host.tv_sec, host.tv_nsec);
	}
	printf("clock_gettime_null 0 %d\n", gettime32(1, NULL));

	struct tv32 tv = { 0 };
	struct tz tz = { 0 };
	uint64_t a = rdtsc();
	int r = gtod(&tv, &tz);
	uint64_t b = rdtsc();
	printf("gettimeofday 0 %d %d %d %d %d %llu %llu\n", r, tv.sec, tv.usec, tz.minuteswest, tz.dsttime,
	       (unsigned long long)a, (unsigned long long)b);
	int32_t stored = 0;
	int32_t now = vtime(&stored);
	printf("time 0 %d %d\n", now, stored);

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(sched_getcpu(), &set);
	sched_setaffinity(0, sizeof set, &set);
	unsigned cpu = 9999, node = 9999, host_cpu = 9999, host_node = 9999;
	long rc = getcpu(&cpu, &node, NULL);
	syscall(SYS_getcpu, &host_cpu, &host_node, NULL);
	printf("getcpu 0 %ld %u %u %u %u\n", rc, cpu, node, host_cpu, host_node);
	return 0;
}
