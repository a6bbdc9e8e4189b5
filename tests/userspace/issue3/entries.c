/* entries — proves which way our system calls enter the kernel, with
 * Forkline's per-method counters (/proc/forkline/entries, "NAME COUNT"
 * lines): a 64-bit process enters by syscall (syscall64); an i386 process
 * calling __kernel_vsyscall (AT_SYSINFO) enters by the method the vDSO
 * says it uses (/proc/forkline/vdso32: sysenter, syscall or int80), and by
 * int80 when it uses int $0x80 itself. It prints "__kernel_vsyscall enters
 * by METHOD" so that a boot under an Intel CPU, an AMD CPU or vdso32=int80
 * can check the choice (tests/userspace.rs). The counters are global: the
 * checks rely on no other i386 process running meanwhile (the runner is
 * 64-bit). Linux has no such counters: there the program only says so
 * (the test is not compared with Linux's).
 */
#include "t.h"
#include <fcntl.h>
#include <sys/auxv.h>

#define CALLS 1000

/* Counters by name: syscall64, int80, sysenter, syscall32. */
struct counts {
	unsigned long long syscall64, int80, sysenter, syscall32;
};

/* Read the whole of a small /proc file into buf; 0 on success. */
static int slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = t_read_full(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int read_counts(struct counts *c)
{
	char buf[512];
	if (slurp("/proc/forkline/entries", buf, sizeof buf))
		return -1;
	memset(c, 0, sizeof *c);
	int found = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char name[32];
		unsigned long long v;
		if (sscanf(line, "%31s %llu", name, &v) != 2)
			continue;
		found++;
		if (!strcmp(name, "syscall64"))
			c->syscall64 = v;
		else if (!strcmp(name, "int80"))
			c->int80 = v;
		else if (!strcmp(name, "sysenter"))
			c->sysenter = v;
		else if (!strcmp(name, "syscall32"))
			c->syscall32 = v;
		else
			found--;
	}
	return found == 4 ? 0 : -1;
}

#ifdef __i386__
/* getpid through __kernel_vsyscall; it preserves all registers but eax. */
static long vsys_getpid(void *fn)
{
	long r;
	__asm__ volatile("call *%1" : "=a"(r) : "r"(fn), "0"(20L) : "memory");
	return r;
}

static long int80_getpid(void)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "0"(20L) : "memory");
	return r;
}
#endif

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct counts a, b;
	if (!t_is_forkline()) {
		t_info("not Forkline: no entry counters to read");
		return t_done();
	}
	if (!t_ok(read_counts(&a) == 0, "/proc/forkline/entries has the four counters"))
		return t_done();
#ifdef __x86_64__
	for (int i = 0; i < CALLS; i++)
		syscall(SYS_getpid);
	read_counts(&b);
	t_check(b.syscall64 - a.syscall64 >= CALLS, "a 64-bit process enters by syscall", "%llu more",
		b.syscall64 - a.syscall64);
	t_check(b.int80 == a.int80 && b.sysenter == a.sysenter && b.syscall32 == a.syscall32,
		"and never by a 32-bit entry", "int80 +%llu, sysenter +%llu, syscall32 +%llu", b.int80 - a.int80,
		b.sysenter - a.sysenter, b.syscall32 - a.syscall32);
#else
	char method[32];
	void *vsys = (void *)getauxval(AT_SYSINFO);
	if (!t_ok(vsys && slurp("/proc/forkline/vdso32", method, sizeof method) == 0, "/proc/forkline/vdso32 and AT_SYSINFO"))
		return t_done();
	method[strcspn(method, "\n")] = 0;
	printf("__kernel_vsyscall enters by %s\n", method);
	int pid_ok = 1;
	for (int i = 0; i < CALLS; i++)
		pid_ok &= vsys_getpid(vsys) == getpid();
	read_counts(&b);
	t_ok(pid_ok, "getpid through __kernel_vsyscall");
	unsigned long long d_int80 = b.int80 - a.int80, d_sysenter = b.sysenter - a.sysenter,
			   d_syscall32 = b.syscall32 - a.syscall32;
	unsigned long long used = !strcmp(method, "sysenter") ? d_sysenter
				  : !strcmp(method, "syscall") ? d_syscall32
				  : !strcmp(method, "int80")   ? d_int80
							       : 0;
	t_check(used >= CALLS && d_int80 + d_sysenter + d_syscall32 == used,
		"calls through __kernel_vsyscall take the vDSO's method, and only it",
		"int80 +%llu, sysenter +%llu, syscall32 +%llu for %s", d_int80, d_sysenter, d_syscall32, method);
	read_counts(&a);
	for (int i = 0; i < CALLS; i++)
		int80_getpid();
	read_counts(&b);
	t_check(b.int80 - a.int80 >= CALLS, "int $0x80 enters by int80", "%llu more", b.int80 - a.int80);
#endif
	return t_done();
}
