/* forktrace: a guided tour of one fork(). It prints who it is, reads the
   kernel's per-method system-call counters (/proc/forkline/entries), forks,
   lets both processes report, and reads the counters again, so the counter
   that moved names the way the fork entered the kernel: `syscall` for a
   64-bit process, and for a 32-bit one whatever __kernel_vsyscall in the
   vDSO uses on this CPU (sysenter, syscall, or int $0x80). Booted with
   `trace=fork`, the kernel logs its side of the same fork (kernel_clone →
   copy_process → copy_* → copy_thread → wake_up_new_task) in between.

   Between the two readings nothing but the fork may enter the kernel: the
   child parks on a flag in a shared page (no system calls) until the
   parent has taken the second reading. On Linux, where /proc/forkline does
   not exist, the tour runs without the counters. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NMETHODS 4

/* One reading of /proc/forkline/entries: "NAME COUNT" lines. */
struct counters {
	char name[NMETHODS][16];
	unsigned long long n[NMETHODS];
	int count;
};

/* The flags the two processes share across the fork. */
struct shared {
	volatile int child_parked; /* the child has made its last call before the reading */
	volatile int go;           /* the parent has read: the child may speak */
};

/* pread(fd, buf, n, 0): one system call. */
static ssize_t pread_start(int fd, char *buf, size_t n)
{
	return pread(fd, buf, n, 0);
}

/* Read the counters with one system call (which counts itself). */
static int read_counters(int fd, struct counters *c)
{
	char buf[256];
	ssize_t n = pread_start(fd, buf, sizeof buf - 1);
	c->count = 0;
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (char *line = strtok(buf, "\n"); line && c->count < NMETHODS; line = strtok(0, "\n")) {
		char *sp = strchr(line, ' ');
		if (!sp || sp - line >= (int)sizeof c->name[0])
			continue;
		memcpy(c->name[c->count], line, sp - line);
		c->name[c->count][sp - line] = 0;
		c->n[c->count++] = strtoull(sp + 1, 0, 10);
	}
	return 0;
}

/* The kernel's entry code and C handler for each method (design.md). */
static const char *entry_path(const char *method)
{
	if (!strcmp(method, "syscall64"))
		return "entry_SYSCALL_64 → do_syscall_64";
	if (!strcmp(method, "int80"))
		return "entry_INT80_compat → do_int80_syscall_32";
	if (!strcmp(method, "sysenter"))
		return "entry_SYSENTER_compat → do_fast_syscall_32";
	if (!strcmp(method, "syscall32"))
		return "entry_SYSCALL_compat → do_fast_syscall_32";
	return "?";
}

/* How this process's C library reaches the kernel. */
static void explain_entry(void)
{
#ifdef __x86_64__
	printf("   A 64-bit process enters the kernel with the `syscall` instruction.\n");
#else
	char method[32] = "";
	FILE *f = fopen("/proc/forkline/vdso32", "r");
	if (f) {
		if (fgets(method, sizeof method, f))
			method[strcspn(method, "\n")] = 0;
		fclose(f);
	}
	if (getauxval(AT_SYSINFO))
		printf("   A 32-bit process calls __kernel_vsyscall in the vDSO (AT_SYSINFO = 0x%lx,\n"
		       "   reached with `call *%%gs:16`), which enters the kernel with: %s.\n",
		       getauxval(AT_SYSINFO), method[0] ? method : "(see the `vdso32` program)");
	else
		printf("   No AT_SYSINFO: this 32-bit process enters with `int $0x80`.\n");
#endif
}

/* The counters before and after, and which one the fork moved. */
static void show_counters(const struct counters *a, const struct counters *b)
{
	printf("   method        before     after   delta\n");
	for (int i = 0; i < a->count && i < b->count; i++) {
		unsigned long long d = b->n[i] - a->n[i];
		printf("   %-10s %9llu %9llu %+7lld%s%s\n", a->name[i], a->n[i], b->n[i], (long long)d,
		       d ? "   <- " : "", d ? entry_path(a->name[i]) : "");
	}
	printf("   Between the two readings: the fork itself (clone), the pread that took\n"
	       "   the second reading, any call the child made before parking (libc-rs's\n"
	       "   fork asks the kernel for the child's thread id), and whatever other\n"
	       "   processes did meanwhile: the counters are the whole system's.\n");
}

/* The tour. */
int main(void)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	int fd = open("/proc/forkline/entries", O_RDONLY | O_CLOEXEC);
	struct shared *sh = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("forktrace: mmap");
		return 1;
	}
	struct counters before, after;

	printf("forktrace: one fork(), step by step (%s process)\n",
	       sizeof(long) == 8 ? "64-bit" : "32-bit");
	printf("1. I am pid %d; my parent is %d.\n", getpid(), getppid());
	explain_entry();
	printf("   fork() in libc-rs is clone(CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD):\n"
	       "   sys_clone → kernel_clone (do_fork) → copy_process → dup_task_struct,\n"
	       "   copy_files, copy_fs, copy_sighand, copy_signal, copy_mm → copy_thread\n"
	       "   → wake_up_new_task; the child starts in ret_from_fork.\n");
	if (fd >= 0)
		printf("2. Reading /proc/forkline/entries, then fork():\n");
	else
		printf("2. (No /proc/forkline/entries: not on Forkline, no counters.) fork():\n");
	fflush(stdout); /* or the child would inherit, and print again, what is buffered */

	if (fd >= 0)
		read_counters(fd, &before);
	pid_t pid = fork();
	if (pid < 0) {
		perror("forktrace: fork");
		return 1;
	}
	if (pid == 0) {
		sh->child_parked = 1;
		while (!sh->go)
			;
		printf("4. child:  fork() returned 0. I am pid %d, my parent is %d. I left the\n"
		       "   kernel through ret_from_fork with my parent's registers, but %s = 0.\n",
		       getpid(), getppid(), sizeof(long) == 8 ? "%rax" : "%eax");
		_exit(0);
	}
	while (!sh->child_parked)
		;
	if (fd >= 0)
		read_counters(fd, &after);
	printf("3. parent: fork() returned %d, the child's pid.\n", pid);
	if (fd >= 0)
		show_counters(&before, &after);
	sh->go = 1;

	int status;
	if (waitpid(pid, &status, 0) != pid) {
		perror("forktrace: waitpid");
		return 1;
	}
	if (WIFEXITED(status))
		printf("5. parent: child %d exited with status %d. Two processes, one fork.\n", pid,
		       WEXITSTATUS(status));
	else
		printf("5. parent: child %d was killed by signal %d.\n", pid, WTERMSIG(status));
	return 0;
}
