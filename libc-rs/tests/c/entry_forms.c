/* How libc-rs enters the kernel (design decision 5). On i386 the three
   ENTER_KERNEL forms are counted in __fl_kernel_entries: startup runs
   `call *_dl_sysinfo` until the TCB exists, then `call *%gs:16`; with
   AT_SYSINFO those reach the vDSO's __kernel_vsyscall and `int $0x80` is
   used only by vfork. Built with -DFL_VARIANT_NO_SYSINFO (and entered
   through fl_test_start, which turns AT_SYSINFO into AT_IGNORE before
   libc-rs's _start reads auxv), every syscall must go through
   _dl_sysinfo_int80: `int $0x80`. On x86_64 every entry is `syscall`.
   Also checks the vDSO lookups (both hash tables, versions). */
#include <forkline.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;
#define CHECK(c) do { if (c) passed++; else { failed++; printf("FAIL line %d: %s\n", __LINE__, #c); } } while (0)

#if defined(FL_VARIANT_NO_SYSINFO) && defined(__i386__)
/* Runs before libc-rs: no TLS, no libc calls. */
__attribute__((used)) static void hide_sysinfo(long *sp)
{
	long argc = sp[0];
	long *p = sp + 1 + argc + 1;
	while (*p)
		p++;
	for (p++; p[0] != AT_NULL; p += 2)
		if (p[0] == AT_SYSINFO)
			p[0] = AT_IGNORE;
}
__asm__(".globl fl_test_start\n"
	"fl_test_start:\n"
	"	mov %esp, %esi\n"
	"	and $-16, %esp\n"
	"	sub $12, %esp\n"
	"	push %esi\n"
	"	call hide_sysinfo\n"
	"	mov %esi, %esp\n"
	"	jmp _start\n");
#endif

static unsigned e(int i) { return __atomic_load_n(&__fl_kernel_entries[i], __ATOMIC_SEQ_CST); }

int main(void)
{
	unsigned at_start[4];
	for (int i = 0; i < 4; i++)
		at_start[i] = e(i);
	getppid();
	getppid();
	pid_t pid = vfork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, 0, 0);
	unsigned now[4];
	for (int i = 0; i < 4; i++)
		now[i] = e(i);
	printf("entries at main: syscall=%u gs=%u dl=%u int80=%u; after: syscall=%u gs=%u dl=%u int80=%u\n", at_start[0],
	       at_start[1], at_start[2], at_start[3], now[0], now[1], now[2], now[3]);
#ifdef __x86_64__
	CHECK(at_start[0] > 0 && now[0] >= at_start[0] + 4);
	CHECK(now[1] == 0 && now[2] == 0 && now[3] == 0);
#else
	unsigned long sysinfo;
	__asm__("mov %%gs:16, %0" : "=r"(sysinfo));
	CHECK(sysinfo == _dl_sysinfo);
	CHECK(at_start[2] >= 2);		/* startup: mmap + set_thread_area */
	CHECK(now[2] == at_start[2]);		/* nothing after startup uses it */
	CHECK(now[1] >= at_start[1] + 3);	/* getppid x2 + wait4 */
	CHECK(now[0] == 0);
#ifdef FL_VARIANT_NO_SYSINFO
	printf("mode: no AT_SYSINFO (int $0x80 through _dl_sysinfo_int80)\n");
	CHECK(getauxval(AT_SYSINFO) == 0);
	/* Every call form ended in int $0x80, plus vfork's own. */
	CHECK(now[3] == now[1] + now[2] + 1);
#else
	printf("mode: AT_SYSINFO=%#lx (vDSO __kernel_vsyscall)\n", getauxval(AT_SYSINFO));
	CHECK(sysinfo == getauxval(AT_SYSINFO));
	CHECK(sysinfo == __fl_vdso_lookup("__kernel_vsyscall", "LINUX_2.5", 0));
	CHECK(now[3] == 1);			/* only vfork */
#endif
#endif
	/* The vDSO, found by name and version through each hash table. */
	const char *cgt = sizeof(long) == 8 ? "__vdso_clock_gettime" : "__vdso_clock_gettime64";
	unsigned long any = __fl_vdso_lookup(cgt, "LINUX_2.6", 0);
	CHECK(any != 0);
	CHECK(__fl_vdso_lookup(cgt, "LINUX_2.6", 1) == any);
	CHECK(__fl_vdso_lookup(cgt, "LINUX_2.6", 2) == any);
	CHECK(__fl_vdso_lookup(cgt, "LINUX_2.5", 0) == 0);	/* wrong version */
	CHECK(__fl_vdso_lookup("__vdso_nonexistent", "LINUX_2.6", 0) == 0);
	CHECK(__fl_vdso_time_functions() & 1);
	unsigned before = e(0) + e(1) + e(2) + e(3);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	time(0);
	CHECK(e(0) + e(1) + e(2) + e(3) == before);	/* the vDSO needs no syscall */
	printf("entry_forms: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
