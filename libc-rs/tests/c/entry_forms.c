/* How libc-rs enters the kernel (design decision 5). On i386 the three
   ENTER_KERNEL forms are counted in __fl_kernel_entries: startup runs
   `call *_dl_sysinfo` until the TCB exists, then `call *%gs:16`; with
   AT_SYSINFO those reach the vDSO's __kernel_vsyscall and `int $0x80` is
   used only by vfork. Without AT_SYSINFO (the kernel gave none, or, built
   with -DFL_VARIANT_NO_SYSINFO and entered through fl_test_start, the
   stub turned it into AT_IGNORE before libc-rs's _start read auxv) every
   syscall goes through _dl_sysinfo_int80: `int $0x80`. On x86_64 every
   entry is `syscall`.

   On Forkline the kernel counts entries per method too
   (/proc/forkline/entries: syscall64, int80, sysenter, syscall32), and
   /proc/forkline/vdso32 says which one __kernel_vsyscall uses. Around a
   known batch of syscalls, the kernel's per-method deltas must equal
   ours: the call forms land on the vDSO's method, int $0x80 on int80,
   x86_64's syscall on syscall64. Booted as init (pid 1, nothing else has
   run), the kernel's totals must equal ours from the very first syscall,
   startup's `call *_dl_sysinfo` included. Also checks the vDSO lookups. */
#include <fcntl.h>
#include <forkline.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Kernel methods, in /proc/forkline/entries order. */
enum { K_SYSCALL64, K_INT80, K_SYSENTER, K_SYSCALL32 };
static const char *const kname[4] = {"syscall64", "int80", "sysenter", "syscall32"};

/* Read the kernel's counts into k and ours, as of that read, into c.
   0 when the file is not there (not Forkline). Raw fds: no stdio. */
static int snapshot(long long k[4], unsigned c[4])
{
	char buf[256];
	int fd = open("/proc/forkline/entries", O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	for (int i = 0; i < 4; i++)
		c[i] = e(i);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	for (int i = 0; i < 4; i++) {
		char *p = strstr(buf, kname[i]);
		k[i] = p ? strtoll(p + strlen(kname[i]), 0, 10) : -1;
	}
	return 1;
}

/* /proc/forkline/vdso32 as a kernel method index; -1 for "none" or when
   the file is not there. */
static int vsyscall_method(void)
{
	char buf[32] = "";
	int fd = open("/proc/forkline/vdso32", O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	buf[strcspn(buf, "\n")] = 0;
	printf("vdso32 method: %s\n", buf);
	return !strncmp(buf, "sysenter", 8) ? K_SYSENTER : !strncmp(buf, "syscall", 7) ? K_SYSCALL32
		: !strncmp(buf, "int80", 5) ? K_INT80 : -1;
}

/* The kernel's counts k against ours c (deltas or totals). */
static void compare(const char *what, const long long k[4], const unsigned c[4], int have_sysinfo, int method)
{
	printf("%s: kernel syscall64=%lld int80=%lld sysenter=%lld syscall32=%lld; "
	       "libc-rs syscall=%u gs=%u dl=%u int80=%u\n", what, k[0], k[1], k[2], k[3], c[0], c[1], c[2], c[3]);
#ifdef __x86_64__
	(void)have_sysinfo, (void)method;
	CHECK(k[K_SYSCALL64] == c[0] && c[0] > 0);
	CHECK(k[K_INT80] == 0 && k[K_SYSENTER] == 0 && k[K_SYSCALL32] == 0);
#else
	long long calls = (long long)c[1] + c[2];
	CHECK(k[K_SYSCALL64] == 0);
	if (!have_sysinfo || method == K_INT80) {
		/* Without AT_SYSINFO each call form also counted an int $0x80. */
		CHECK(k[K_INT80] == (have_sysinfo ? calls + c[3] : c[3]));
		CHECK(k[K_SYSENTER] == 0 && k[K_SYSCALL32] == 0);
	} else {
		CHECK(method == K_SYSENTER || method == K_SYSCALL32);
		CHECK(k[method] == calls && calls > 0);
		CHECK(k[K_INT80] == c[3]);
		CHECK(k[method == K_SYSENTER ? K_SYSCALL32 : K_SYSENTER] == 0);
	}
#endif
}

/* Syscalls in every form we have: getppid through the TCB (or syscall),
   vfork (int $0x80 on i386), the child's _exit, wait4. */
static void some_syscalls(void)
{
	for (int i = 0; i < 100; i++)
		getppid();
	for (int i = 0; i < 3; i++) {
		pid_t pid = vfork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, 0, 0);
	}
}

static void kernel_counters(int have_sysinfo)
{
	long long k1[4], k2[4], dk[4];
	unsigned c1[4], c2[4], dc[4];
	int method = -1;
#ifdef __i386__
	method = vsyscall_method();
#endif
	if (!snapshot(k1, c1)) {
		printf("kernel entry counters: not available (not Forkline)\n");
		return;
	}
	some_syscalls();
	snapshot(k2, c2);
	for (int i = 0; i < 4; i++) {
		dk[i] = k2[i] - k1[i];
		dc[i] = c2[i] - c1[i];
	}
	compare("deltas", dk, dc, have_sysinfo, method);
	if (getpid() == 1)
		compare("totals as init", k2, c2, have_sysinfo, method);
}

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
	int have_sysinfo = getauxval(AT_SYSINFO) != 0;
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
	CHECK(!have_sysinfo);
#endif
	if (!have_sysinfo) {
		printf("mode: no AT_SYSINFO (int $0x80 through _dl_sysinfo_int80)\n");
		/* Every call form ended in int $0x80, plus vfork's own. */
		CHECK(now[3] == now[1] + now[2] + 1);
	} else {
		printf("mode: AT_SYSINFO=%#lx (vDSO __kernel_vsyscall)\n", getauxval(AT_SYSINFO));
		CHECK(sysinfo == getauxval(AT_SYSINFO));
		CHECK(sysinfo == __fl_vdso_lookup("__kernel_vsyscall", "LINUX_2.5", 0));
		CHECK(now[3] == 1);			/* only vfork */
	}
#endif
	kernel_counters(have_sysinfo);
	/* The vDSO, found by name and version through each hash table. */
	const char *cgt = sizeof(long) == 8 ? "__vdso_clock_gettime" : "__vdso_clock_gettime64";
	if (getauxval(AT_SYSINFO_EHDR)) {
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
	} else {
		printf("no vDSO (no AT_SYSINFO_EHDR): time through syscalls\n");
		CHECK(__fl_vdso_time_functions() == 0);
	}
	printf("entry_forms: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
