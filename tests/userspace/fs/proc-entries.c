/* proc-entries — proves /proc/forkline/entries counts every syscall
 * entry by method, exactly: 100 getppid calls through int $0x80 add 100
 * to int80 and nothing to the others but the three calls that read the
 * file again (which go through __kernel_vsyscall, whose method
 * /proc/forkline/vdso32 names); 100 calls through __kernel_vsyscall add
 * 100 to that method. A 64-bit program's calls add to syscall64 only.
 * On Linux, which has no /proc/forkline, it proves that the file is
 * absent (the output legitimately differs: TESTS says nodiff).
 */
#include "t.h"
#include <fcntl.h>
#include <sys/auxv.h>

struct counts {
	unsigned long long syscall64, int80, sysenter, syscall32;
};

/* Read the counters with the libc's open/read/close: three syscalls. */
static int read_counts(struct counts *c)
{
	char buf[256];
	int fd = open("/proc/forkline/entries", O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return sscanf(buf, "syscall64 %llu\nint80 %llu\nsysenter %llu\nsyscall32 %llu\n", &c->syscall64, &c->int80,
		      &c->sysenter, &c->syscall32) == 4 ? 0 : -1;
}

#ifdef __i386__
/* getppid (64) through int $0x80. */
static long getppid_int80(void)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "0"(64) : "memory");
	return r;
}

/* getppid through __kernel_vsyscall at AT_SYSINFO. */
static long getppid_vsyscall(void *vsys)
{
	long r;
	__asm__ volatile("call *%1" : "=a"(r) : "r"(vsys), "0"(64) : "memory");
	return r;
}

/* The counter of the method __kernel_vsyscall uses. */
static unsigned long long *method_of(struct counts *c, const char *name)
{
	if (!strcmp(name, "sysenter"))
		return &c->sysenter;
	if (!strcmp(name, "syscall"))
		return &c->syscall32;
	return &c->int80;
}

static void proof(void)
{
	char name[32] = "";
	int fd = open("/proc/forkline/vdso32", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, name, sizeof name - 1);
	close(fd);
	name[n > 0 ? n - 1 : 0] = 0;
	t_ok(!strcmp(name, "sysenter") || !strcmp(name, "syscall") || !strcmp(name, "int80"), "vdso32 names a method");
	t_info("__kernel_vsyscall uses %s", name);
	void *vsys = (void *)getauxval(AT_SYSINFO);
	/* No output and no other syscalls between the three readings. */
	struct counts a, b, c;
	int ok_a = read_counts(&a) == 0;
	long ppid = getppid_int80();
	for (int i = 1; i < 100; i++)
		getppid_int80();
	int ok_b = read_counts(&b) == 0;
	for (int i = 0; i < 100; i++)
		getppid_vsyscall(vsys);
	int ok_c = read_counts(&c) == 0;
	t_ok(ok_a && ok_b && ok_c, "read the counters three times");
	t_eq(ppid, getppid(), "int $0x80 getppid returns the parent");
	int vs_is_int80 = !strcmp(name, "int80");
	unsigned long long ma = *method_of(&a, name), mb = *method_of(&b, name), mc = *method_of(&c, name);
	t_ok(b.int80 - a.int80 == (vs_is_int80 ? 103 : 100), "100 calls by int $0x80 add exactly 100 to int80");
	t_ok(vs_is_int80 || mb - ma == 3, "the three calls reading the file went through __kernel_vsyscall's method");
	t_ok(mc - mb == 103, "100 calls through __kernel_vsyscall add exactly 100 (+3) to its method");
	t_ok(vs_is_int80 || c.int80 == b.int80, "and nothing to int80");
	int others = 0;
	if (strcmp(name, "sysenter"))
		others += c.sysenter != a.sysenter;
	if (strcmp(name, "syscall"))
		others += c.syscall32 != a.syscall32;
	t_eq(others, 0, "the other 32-bit method did not move");
}
#else
static void proof(void)
{
	struct counts a, b;
	int ok = read_counts(&a) == 0;
	for (int i = 0; i < 100; i++)
		syscall(SYS_getppid);
	ok &= read_counts(&b) == 0;
	t_ok(ok, "read the counters twice");
	t_ok(b.syscall64 - a.syscall64 >= 103, "100 calls by syscall add at least 100 to syscall64");
	t_ok(b.int80 == a.int80 && b.sysenter == a.sysenter && b.syscall32 == a.syscall32,
	     "no 32-bit entries: only 64-bit programs are running");
}
#endif

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!t_is_forkline()) {
		t_err(open("/proc/forkline/entries", O_RDONLY), ENOENT, "Linux has no /proc/forkline/entries");
		return t_done();
	}
	proof();
	return t_done();
}
