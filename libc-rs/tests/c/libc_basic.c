/* The libc-rs behaviour suite: glibc's documented results and errors for
   the API of issue 4. It also builds against glibc (the same checks must
   pass there), except the parts marked __LIBC_RS__. Ends with
   "N passed, M failed". */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;
#define CHECK(c) do { if (c) passed++; else { failed++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static __thread int tls_init = 1234;
static __thread char tls_zero[100];
static int ctor_ran;
__attribute__((constructor)) static void ctor(void) { ctor_ran = 1; }
static int order[4], norder;
static void ax1(void) { order[norder++] = 1; }
static void ax2(void) { order[norder++] = 2; printf("atexit order %d%d\n", order[0], order[1]); }
static volatile sig_atomic_t got;
static void on_usr1(int s) { got = s; }
static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static void test_errors(void)
{
	errno = 0;
	CHECK(write(-1, "x", 1) == -1 && errno == EBADF);
	CHECK(close(12345) == -1 && errno == EBADF);
	CHECK(open("/nonexistent/x", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(syscall(SYS_close, 54321) == -1 && errno == EBADF);
	CHECK(syscall(SYS_getpid) == getpid());
	CHECK(lseek(0, 0, 99) == -1 && (errno == EINVAL || errno == ESPIPE));
	CHECK(kill(getpid(), 999) == -1 && errno == EINVAL);
	char *p;
	errno = 0;
	CHECK(strtol("99999999999999999999", &p, 10) == LONG_MAX && errno == ERANGE && *p == 0);
	errno = 0;
	CHECK(strtol("-99999999999999999999", 0, 10) == LONG_MIN && errno == ERANGE);
	errno = 0;
	CHECK(strtol("12", 0, 1) == 0 && errno == EINVAL);
	CHECK(strtoul("-1", 0, 10) == ULONG_MAX);
	CHECK(strtol("0x", &p, 0) == 0 && *p == 'x');
	CHECK(atoi("  -42abc") == -42);
	CHECK(strcmp(strerror(ENOENT), "No such file or directory") == 0);
	CHECK(strcmp(strerror(4242), "Unknown error 4242") == 0);
}

static void test_stdio(void)
{
	char buf[128];
	CHECK(snprintf(buf, sizeof buf, "%s", (char *)0) == 6 && strcmp(buf, "(null)") == 0);
	CHECK(snprintf(buf, 4, "%d", 123456) == 6 && strcmp(buf, "123") == 0);
	CHECK(sprintf(buf, "%5.2f|%-4d|%x|%o|%e|%g|%a", 3.14159, 7, 255, 8, 1.0, 0.0001, 1.0) > 0);
	CHECK(strcmp(buf, " 3.14|7   |ff|10|1.000000e+00|0.0001|0x1p+0") == 0);
	char *s = 0;
	CHECK(asprintf(&s, "%d-%s", 5, "x") == 3 && strcmp(s, "5-x") == 0);
	free(s);
	/* One file per process: the libc-rs and glibc builds of both
	   architectures run at the same time. */
	char path[64];
	snprintf(path, sizeof path, "/tmp/libc-rs-basic.%d.txt", (int)getpid());
	FILE *f = fopen(path, "w+");
	CHECK(f != 0);
	if (!f)
		return;
	CHECK(fprintf(f, "line one\nline two\n%d\n", 42) == 21);
	CHECK(fputs("tail", f) >= 0);
	rewind(f);
	CHECK(fgets(buf, sizeof buf, f) && strcmp(buf, "line one\n") == 0);
	CHECK(fgetc(f) == 'l' && ungetc('L', f) == 'L' && fgetc(f) == 'L');
	char *line = 0;
	size_t cap = 0;
	CHECK(getline(&line, &cap, f) == 8 && strcmp(line, "ine two\n") == 0);
	free(line);
	CHECK(ftell(f) == 18);
	CHECK(fseek(f, -4, SEEK_END) == 0 && fread(buf, 1, 10, f) == 4 && memcmp(buf, "tail", 4) == 0);
	CHECK(feof(f) && !ferror(f));
	CHECK(fclose(f) == 0);
	CHECK(fopen(path, "q") == 0 && errno == EINVAL);
	CHECK(fopen("/nonexistent/dir/x", "r") == 0 && errno == ENOENT);
	unlink(path);
	CHECK(setvbuf(stdout, 0, 7, 0) != 0);
}

static void test_memory(void)
{
	free(0);
	char *p = malloc(0);
	CHECK(p != 0);
	free(p);
	int *a = calloc(1000, sizeof(int));
	int zero = 1;
	for (int i = 0; i < 1000; i++)
		zero &= a[i] == 0;
	CHECK(a && zero);
	a = realloc(a, 100000 * sizeof(int));
	CHECK(a != 0);
	a[99999] = 5;
	free(a);
	errno = 0;
	CHECK(malloc(SIZE_MAX - 10) == 0 && errno == ENOMEM);
	CHECK(calloc(SIZE_MAX / 2, 4) == 0 && errno == ENOMEM);
	void *al = 0;
	CHECK(posix_memalign(&al, 4096, 100) == 0 && ((uintptr_t)al & 4095) == 0);
	free(al);
	CHECK(posix_memalign(&al, 3, 100) == EINVAL);
	void *blocks[500];
	for (int i = 0; i < 500; i++)
		blocks[i] = malloc((size_t)(i * 37 % 3000) + 1);
	for (int i = 0; i < 500; i += 2)
		free(blocks[i]);
	for (int i = 1; i < 500; i += 2)
		free(blocks[i]);
	char *m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED && m[100] == 0);
	CHECK(munmap(m, 8192) == 0);
	CHECK(mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 3) == MAP_FAILED && errno == EINVAL);
	int v[] = {5, 3, 9, 1, 7, 2, 8};
	qsort(v, 7, sizeof v[0], cmp_int);
	CHECK(v[0] == 1 && v[6] == 9 && v[3] == 5);
	int key = 7;
	CHECK(bsearch(&key, v, 7, sizeof v[0], cmp_int) == &v[4]);
	srand(1);
	int r1 = rand();
	srand(1);
	CHECK(rand() == r1 && r1 == 1804289383);
	CHECK(abs(-5) == 5 && labs(-7L) == 7);
}

static void test_env(void)
{
	CHECK(getenv("LIBC_RS_X") == 0);
	CHECK(setenv("LIBC_RS_X", "one", 1) == 0 && strcmp(getenv("LIBC_RS_X"), "one") == 0);
	CHECK(setenv("LIBC_RS_X", "two", 0) == 0 && strcmp(getenv("LIBC_RS_X"), "one") == 0);
	CHECK(setenv("A=B", "x", 1) == -1 && errno == EINVAL);
	CHECK(unsetenv("LIBC_RS_X") == 0 && getenv("LIBC_RS_X") == 0);
}

static void test_process(char *self)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dprintf(fds[1], "pid=%d", getpid());
		_exit(42);
	}
	close(fds[1]);
	char buf[64] = {0};
	CHECK(read(fds[0], buf, sizeof buf - 1) > 0);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42);
	char want[64];
	snprintf(want, sizeof want, "pid=%d", pid);
	CHECK(strcmp(buf, want) == 0);
	close(fds[0]);
	volatile int shared = 0;
	pid = vfork();
	if (pid == 0) {
		shared = 7;
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && shared == 7);
	pid = fork();
	if (pid == 0)
		abort();
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	pid = fork();
	if (pid == 0) {
		execl(self, self, "exec-child", (char *)0);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 17);
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
	signal(SIGUSR1, on_usr1);
	CHECK(raise(SIGUSR1) == 0 && got == SIGUSR1);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	got = 0;
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
	kill(getpid(), SIGUSR1);
	CHECK(got == 0);
	CHECK(sigprocmask(SIG_SETMASK, &old, 0) == 0 && got == SIGUSR1);
	CHECK(sigaction(SIGKILL, &(struct sigaction){0}, 0) == -1 && errno == EINVAL);
	char cwd[4096];
	CHECK(getcwd(cwd, sizeof cwd) == cwd && cwd[0] == '/');
	CHECK(getcwd(cwd, 1) == 0 && errno == ERANGE);
	CHECK(chdir("/nonexistent") == -1 && errno == ENOENT);
	CHECK(isatty(-1) == 0 && errno == EBADF);
	int d = dup(1);
	CHECK(d > 2 && dup2(d, 30) == 30 && close(30) == 0 && close(d) == 0);
}

static void test_time(void)
{
	struct timespec a, b;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	CHECK(nanosleep(&(struct timespec){0, 2000000}, 0) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
	long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	CHECK(ns >= 2000000);
	/* time() may lag gettimeofday by a tick (Linux serves it from the
	   coarse clock): it lies between the coarse clock read first and the
	   fine clock read after. */
	struct timespec coarse;
	struct timeval tv;
	CHECK(clock_gettime(CLOCK_REALTIME_COARSE, &coarse) == 0);
	time_t t = time(0);
	CHECK(gettimeofday(&tv, 0) == 0 && tv.tv_sec > 1600000000);
	CHECK(t >= coarse.tv_sec && t <= tv.tv_sec);
	CHECK(clock_gettime(12345, &a) == -1 && errno == EINVAL);
	CHECK(nanosleep(&(struct timespec){0, 2000000000}, 0) == -1 && errno == EINVAL);
	CHECK(getauxval(AT_PAGESZ) == 4096);
	errno = 0;
	CHECK(getauxval(12345) == 0 && errno == ENOENT);
	CHECK(sysconf(_SC_PAGESIZE) == 4096);
}

static void test_tls(void)
{
	CHECK(tls_init == 1234 && tls_zero[99] == 0);
	tls_init++;
	CHECK(tls_init == 1235);
	CHECK(ctor_ran);
#ifdef __LIBC_RS__
	/* gcc's -fstack-protector canary is the TCB's stack_guard slot. */
	unsigned long canary, self;
#ifdef __x86_64__
	__asm__("mov %%fs:0x28, %0; mov %%fs:0, %1" : "=r"(canary), "=r"(self));
#else
	__asm__("mov %%gs:0x14, %0; mov %%gs:0, %1" : "=r"(canary), "=r"(self));
#endif
	CHECK(canary != 0 && (canary & 0xff) == 0);
	CHECK((unsigned long)&tls_init < self && self - (unsigned long)&tls_init < 4096);
#endif
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
		return 17;
	atexit(ax2);
	atexit(ax1);
	test_errors();
	test_stdio();
	test_memory();
	test_env();
	test_process(argv[0]);
	test_time();
	test_tls();
	assert(passed > 0);
	printf("libc_basic: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
