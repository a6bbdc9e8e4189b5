/* fault — a program that must die: `fault MODE` does one forbidden thing
 * and the list expects the signal Linux sends (SIGSEGV, SIGBUS, SIGILL or
 * SIGFPE). Surviving is a failure (exit 1). It proves page protections,
 * NX on heap and stack, the stack guard, unmapped and kernel addresses,
 * and that the kernel reports the fault and carries on (the next test in
 * the list runs).
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mman.h>

#define PG 4096

/* Where the call to a code pointer goes: keep the compiler from
   "knowing" it cannot be called. */
static void call(void *code)
{
	((void (*)(void))code)();
}

/* Recurse forever, with a frame the compiler cannot drop. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(volatile char *prev)
{
	volatile char frame[1024];
	frame[0] = prev ? prev[0] + 1 : 0;
	return recurse(frame) + frame[1];
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	printf("fault: %s\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "null")) {
		printf("read %d\n", *(volatile int *)0);
	} else if (!strcmp(mode, "ro-write")) {
		char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		p[0] = 1;
		mprotect(p, PG, PROT_READ);
		*(volatile char *)p = 2;
	} else if (!strcmp(mode, "nx-heap")) {
		unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		p[0] = 0xc3; /* ret */
		call(p);
	} else if (!strcmp(mode, "nx-stack")) {
		volatile unsigned char code[16] = { 0xc3 };
		call((void *)code);
	} else if (!strcmp(mode, "unmapped")) {
		char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		munmap(p + PG, PG);
		*(volatile char *)(p + PG + 10) = 1;
	} else if (!strcmp(mode, "kernel")) {
#ifdef __x86_64__
		printf("read %d\n", *(volatile int *)0xffffffff81000000UL);
#else
		printf("read %d\n", *(volatile int *)0xffffff00UL); /* above TASK_SIZE for i386 */
#endif
	} else if (!strcmp(mode, "stack-overflow")) {
		recurse(NULL);
	} else if (!strcmp(mode, "brk-shrunk")) {
		uintptr_t start = (uintptr_t)syscall(SYS_brk, 0);
		uintptr_t page = (start + PG - 1) & ~(uintptr_t)(PG - 1);
		syscall(SYS_brk, page + 2 * PG);
		*(volatile char *)(page + PG) = 1;
		syscall(SYS_brk, page);
		*(volatile char *)(page + PG) = 2;
	} else if (!strcmp(mode, "mmap-eof")) {
		int fd = open(t_path("/etc/forkline-tests/data/pattern.bin"), O_RDONLY); /* 3 pages + 100 bytes */
		volatile char *p = mmap(NULL, 6 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
		printf("last page with data: %d\n", p[3 * PG + 99] == 0 ? 0 : 1);
		fflush(stdout);
		printf("read %d\n", p[4 * PG]); /* wholly past EOF: SIGBUS */
	} else if (!strcmp(mode, "ud2")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(mode, "div0")) {
		/* In assembly: gcc turns 1/x into a comparison, without a division. */
		__asm__ volatile("xorl %%ecx, %%ecx\n\tdivl %%ecx" ::: "eax", "ecx", "edx");
	} else {
		printf("FAIL: unknown mode %s\n", mode);
		return 2;
	}
	printf("FAIL: survived %s\n", mode);
	return 1;
}
