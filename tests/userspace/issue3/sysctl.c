/* sysctl — proves the kernel's run-time knobs as Linux has them:
 * /proc/cmdline; the host and domain names (sethostname, setdomainname,
 * uname, /proc/sys/kernel/{hostname,domainname}, and their errors);
 * personality (the old value back, PER_LINUX32 making uname say i686,
 * ADDR_NO_RANDOMIZE giving the next exec a fixed layout); writing
 * /proc/self/comm; getcwd in a directory reached through /proc/self.
 * Forkline only (on a Linux host they would change the host):
 * /proc/sys/kernel/randomize_va_space and /proc/forkline/trace.
 * On a Linux host the names are changed in a UTS namespace of our own.
 */
#include "t.h"
#include "../fs/fs.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/personality.h>

/* Write text to path in one write(2); returns 0 or -1 with errno. */
static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	long n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return n == (long)strlen(text) ? 0 : -1;
}

#define t_str(got, want, what) t_check(!strcmp((got), (want)), what, "[%s], want [%s]", (got), (want))

/* As the exec'd child: print where the stack, heap and mmap area are. */
static int layout(void)
{
	int local;
	void *m = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("%p %p %p\n", (void *)&local, sbrk(0), m);
	return 0;
}

/* The layout line of a fresh exec of ourselves, with `persona` set. */
static const char *exec_layout(unsigned long persona, char *out, size_t size)
{
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		personality(persona);
		char *argv[] = { (char *)t_self, "sysctl", "layout", NULL };
		execv(t_self, argv);
		_exit(127);
	}
	close(p[1]);
	long n = t_read_full(p[0], out, size - 1);
	close(p[0]);
	out[n < 0 ? 0 : n] = 0;
	waitpid(pid, NULL, 0);
	return out;
}

static void names(void)
{
	if (!t_is_forkline() && unshare(CLONE_NEWUTS) < 0)
		t_die("unshare(CLONE_NEWUTS) (the host run needs root)");
	struct utsname u;
	t_sys(sethostname("knob-test", 9), "sethostname");
	uname(&u);
	t_str(u.nodename, "knob-test", "uname's nodename follows");
	t_str(fs_read("/proc/sys/kernel/hostname"), "knob-test\n", "/proc/sys/kernel/hostname follows");
	t_sys(put("/proc/sys/kernel/hostname", "via-proc\n"), "write /proc/sys/kernel/hostname");
	uname(&u);
	t_str(u.nodename, "via-proc", "uname's nodename is what was written, without the newline");
	char name[65];
	t_sys(gethostname(name, sizeof name), "gethostname");
	t_str(name, "via-proc", "gethostname agrees");
	char big[70];
	memset(big, 'h', sizeof big);
	t_sys(sethostname(big, 64), "a 64-byte host name");
	uname(&u);
	t_eq(strlen(u.nodename), 64, "is kept whole");
	t_err(sethostname(big, 65), EINVAL, "a 65-byte host name -> EINVAL");
	t_err(syscall(SYS_sethostname, big, -1), EINVAL, "a negative length -> EINVAL");
	t_err(syscall(SYS_sethostname, t_addr(1), 5), EFAULT, "a bad pointer -> EFAULT");
	t_sys(setdomainname("example.org", 11), "setdomainname");
	uname(&u);
	t_str(u.domainname, "example.org", "uname's domainname follows");
	t_str(fs_read("/proc/sys/kernel/domainname"), "example.org\n", "/proc/sys/kernel/domainname follows");
	t_err(setdomainname(big, 65), EINVAL, "a 65-byte domain name -> EINVAL");
	if (t_is_forkline()) {
		sethostname("forkline", 8);
		setdomainname("(none)", 6);
	}
}

static void personalities(void)
{
	int old = personality(0xffffffff);
	t_eq(old, 0, "personality starts as PER_LINUX");
	t_eq(personality(PER_LINUX32), 0, "setting PER_LINUX32 returns the old value");
	t_eq(personality(0xffffffff), PER_LINUX32, "0xffffffff only asks");
	struct utsname u;
	uname(&u);
	t_str(u.machine, "i686", "under PER_LINUX32 uname says i686");
	personality(PER_LINUX);
	uname(&u);
	t_str(u.machine, "x86_64", "under PER_LINUX uname says x86_64 (32-bit processes too)");

	char a[128], b[128];
	exec_layout(ADDR_NO_RANDOMIZE, a, sizeof a);
	exec_layout(ADDR_NO_RANDOMIZE, b, sizeof b);
	t_info("fixed layout: %.*s", (int)strcspn(a, "\n"), a);
	t_check(a[0] && !strcmp(a, b), "ADDR_NO_RANDOMIZE: two execs get the same layout", "[%s] [%s]", a, b);
	exec_layout(PER_LINUX, a, sizeof a);
	exec_layout(PER_LINUX, b, sizeof b);
	t_check(a[0] && strcmp(a, b), "without it two execs get different layouts", "[%s] [%s]", a, b);
	t_eq(personality(0xffffffff), 0, "the children's personalities did not leak back");
}

static void knobs_here(void)
{
	char a[128], b[128];
	t_check_here(!strcmp(fs_read("/proc/sys/kernel/randomize_va_space"), "2\n"), "randomize_va_space is 2",
		     "[%s]", fs_read("/proc/sys/kernel/randomize_va_space"));
	t_check_here(put("/proc/sys/kernel/randomize_va_space", "0\n") == 0, "randomize_va_space := 0", "%s",
		     errname(errno));
	exec_layout(PER_LINUX, a, sizeof a);
	exec_layout(PER_LINUX, b, sizeof b);
	t_check_here(a[0] && !strcmp(a, b), "randomize_va_space 0: two execs get the same layout", "[%s] [%s]", a, b);
	t_check_here(put("/proc/sys/kernel/randomize_va_space", "3") == -1 && errno == EINVAL,
		     "randomize_va_space := 3 -> EINVAL", "%s", errname(errno));
	t_check_here(put("/proc/sys/kernel/randomize_va_space", "two") == -1 && errno == EINVAL,
		     "randomize_va_space := two -> EINVAL", "%s", errname(errno));
	t_check_here(put("/proc/sys/kernel/randomize_va_space", " 2 \n") == 0, "randomize_va_space := 2 again", "%s",
		     errname(errno));

	t_check_here(!strcmp(fs_read("/proc/forkline/trace"), "0\n"), "/proc/forkline/trace reads 0", "[%s]",
		     fs_read("/proc/forkline/trace"));
	t_check_here(put("/proc/forkline/trace", "fork\n") == 0, "trace := fork", "%s", errname(errno));
	t_check_here(!strcmp(fs_read("/proc/forkline/trace"), "fork\n"), "/proc/forkline/trace reads fork", "[%s]",
		     fs_read("/proc/forkline/trace"));
	t_check_here(put("/proc/forkline/trace", "fork,bogus") == -1 && errno == EINVAL, "trace := bogus -> EINVAL",
		     "%s", errname(errno));
	t_check_here(!strcmp(fs_read("/proc/forkline/trace"), "fork\n"), "a refused write changes nothing", "[%s]",
		     fs_read("/proc/forkline/trace"));
	t_check_here(put("/proc/forkline/trace", "0") == 0, "trace := 0", "%s", errname(errno));
	t_check_here(!strcmp(fs_read("/proc/forkline/trace"), "0\n"), "tracing is off again", "[%s]",
		     fs_read("/proc/forkline/trace"));
	t_check_here(put("/proc/version", "x") == -1, "a read-only /proc file refuses a write", "%s", errname(errno));
}

static void comm_and_cwd(void)
{
	t_sys(put("/proc/self/comm", "renamed-by-a-long-write"), "write /proc/self/comm");
	t_str(fs_read("/proc/self/comm"), "renamed-by-a-lo\n", "comm keeps the first 15 bytes");
	t_sys(put("/proc/self/comm", "x\n"), "write a name with a newline");
	t_str(fs_read("/proc/self/comm"), "x\n\n", "the newline is part of the name, as on Linux");
	char want[64], cwd[256];
	snprintf(want, sizeof want, "/proc/%d", (int)getpid());
	t_sys(chdir("/proc/self"), "chdir /proc/self");
	t_str(getcwd(cwd, sizeof cwd) ? cwd : errname(errno), want, "getcwd names /proc/PID, not the link");
	t_sys(chdir("fd"), "chdir fd below it");
	strcat(want, "/fd");
	t_str(getcwd(cwd, sizeof cwd) ? cwd : errname(errno), want, "getcwd names /proc/PID/fd");
	t_sys(chdir("/"), "chdir /");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "layout"))
		return layout();
	const char *cmdline = fs_read("/proc/cmdline");
	size_t n = strlen(cmdline);
	t_ok(n > 1 && cmdline[n - 1] == '\n', "/proc/cmdline is one line");
	t_info("/proc/cmdline: %.*s", (int)(n ? n - 1 : 0), cmdline);
	names();
	personalities();
	if (t_is_forkline())
		knobs_here();
	comm_and_cwd();
	return t_done();
}
