/* clone-thread — proves a raw thread made by clone() with the flags glibc
 * uses (CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|
 * CHILD_CLEARTID): it shares memory and the fd table, has its own tid but
 * the process's pid, runs on its own stack with its own TLS (its own
 * thread pointer and __thread variables), the kernel writes its tid to
 * the parent's word before clone returns, and at its exit clears the word
 * and wakes the futex on it; a thread is not a child waitpid can wait for.
 * The thread makes system calls only through syscall() (no stdio: its TLS
 * is not a real C library thread's).
 */
#include "t.h"
#include <fcntl.h>
#include "futex.h"
#include <sched.h>
#include <sys/mman.h>

#define FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
	       CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

static __thread int tls_var = 5;

/* What the thread saw, for the parent to check. */
static struct {
	volatile long tid, pid, ppid, fd;
	volatile uintptr_t thread_pointer;
	volatile int tls_ok, shared_seen, done;
} seen;
static volatile int shared_word = 1;
static const char *file_path;

/* The thread pointer: %fs:0 on x86_64, %gs:0 on i386 (self-pointer in the
   TCB for glibc and musl). */
static uintptr_t thread_pointer(void)
{
	uintptr_t tp;
#ifdef __x86_64__
	__asm__ volatile("mov %%fs:0, %0" : "=r"(tp));
#else
	__asm__ volatile("mov %%gs:0, %0" : "=r"(tp));
#endif
	return tp;
}

static int thread_main(void *arg)
{
	(void)arg;
	seen.tid = syscall(SYS_gettid);
	seen.pid = syscall(SYS_getpid);
	seen.ppid = syscall(SYS_getppid);
	seen.thread_pointer = thread_pointer();
	tls_var = 1234; /* in the thread's own TLS block */
	seen.tls_ok = tls_var == 1234;
	seen.shared_seen = shared_word;
	shared_word = 2;
	seen.fd = syscall(SYS_openat, AT_FDCWD, file_path, O_RDONLY);
	seen.done = 1;
	return 0; /* the libc wrapper makes the exit system call */
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	file_path = t_path("/etc/forkline-tests/data/hello.txt");
	size_t stack_size = 256 * 1024;
	char *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* A new TLS area: a copy of our TCB (so the C library's fields, e.g.
	   the stack guard and i386's sysinfo, are valid), in the middle of a
	   buffer so that TLS variables below the TCB land inside it. */
	static char tls_area[64 * 1024] __attribute__((aligned(64)));
	char *tcb = tls_area + 32 * 1024;
	/* glibc's tcbhead_t fields lie in its first 512 bytes, musl's whole
	   struct pthread in fewer; do not read past the TCB's page when the
	   C library's TLS block ends there (musl maps it to size). */
	uintptr_t tp = thread_pointer();
	size_t tcb_copy = 4096 - (tp & 4095);
	memcpy(tcb, (void *)tp, tcb_copy < 64 ? 64 : tcb_copy > 512 ? 512 : tcb_copy);
	((uintptr_t *)tcb)[0] = (uintptr_t)tcb; /* self pointer */
#ifdef __x86_64__
	((uintptr_t *)tcb)[2] = (uintptr_t)tcb; /* glibc's header.self */
	void *tls = tcb;
#else
	((uintptr_t *)tcb)[2] = (uintptr_t)tcb; /* glibc's header.self, at 8 */
	unsigned gs;
	__asm__("mov %%gs, %0" : "=r"(gs));
	struct { unsigned entry, base, limit, flags; } desc = { gs >> 3, (unsigned)tcb, 0xfffff, 0x51 };
	void *tls = &desc; /* a struct user_desc: 32-bit, limit in pages, usable */
#endif
	/* Separate words: CLONE_PARENT_SETTID's is written before clone
	   returns; CLONE_CHILD_CLEARTID's is zeroed at the thread's exit. */
	volatile pid_t ptid = 0, ctid = 0x7fffffff;
	pid_t tid = clone(thread_main, stack + stack_size, FLAGS, NULL, &ptid, tls, &ctid);
	t_ok(tid > 0, "clone() of a thread succeeds");
	if (tid <= 0)
		return t_done();
	t_eq(ptid, tid, "CLONE_PARENT_SETTID wrote the tid before clone returned");
	long t0 = 0;
	while (ctid != 0 && t0++ < 1000) {
		long r = futex(&ctid, FUTEX_WAIT, 0x7fffffff, &(struct timespec){ 5, 0 }, 0);
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			break;
	}
	t_eq(ctid, 0, "CLONE_CHILD_CLEARTID cleared the word and woke the futex at thread exit");
	t_ok(seen.done, "the thread ran");
	t_eq(seen.tid, tid, "the thread's gettid() is clone's return value");
	t_eq(seen.pid, getpid(), "the thread's getpid() is the process's");
	t_eq(seen.ppid, getppid(), "the thread's getppid() is the process's parent");
	t_ok(seen.tid != getpid(), "the thread's tid differs from the pid");
	t_ok(seen.thread_pointer == (uintptr_t)tcb, "CLONE_SETTLS gave the thread its own thread pointer");
	t_ok(thread_pointer() != (uintptr_t)tcb, "our thread pointer is unchanged");
	t_ok(seen.tls_ok && tls_var == 5, "the thread's __thread variable is its own");
	t_ok(seen.shared_seen == 1 && shared_word == 2, "memory is shared both ways");
	char buf[5];
	t_ok(seen.fd >= 3 && read((int)seen.fd, buf, 5) == 5 && !memcmp(buf, "Hello", 5),
	     "an fd the thread opened is ours (CLONE_FILES)");
	int st;
	t_err(waitpid(tid, &st, WNOHANG), ECHILD, "a thread is not a child: waitpid -> ECHILD");
	return t_done();
}
