/* forkbomb — proves the kernel survives a fork bomb: every process forks
 * as fast as it can until fork fails, which must be with EAGAIN; then the
 * whole bomb is killed and reaped, fork works again, and (on Forkline) the
 * process count returns to where it was.
 *
 * Bounded everywhere: on Forkline by the kernel's task limit (the test
 * sets no limit of its own, that is what it tests). On Linux, where root
 * may fork without limit, the bomb first drops to user nobody and sets
 * RLIMIT_NPROC to 200 (as another user, to 200 more than it already runs).
 */
#include "t.h"
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

/* Processes owned by uid, counted in /proc (Linux only). */
static int procs_of(uid_t uid)
{
	DIR *d = opendir("/proc");
	int n = 0;
	char path[300];
	for (struct dirent *e; d && (e = readdir(d));) {
		struct stat st;
		snprintf(path, sizeof path, "/proc/%s", e->d_name);
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && stat(path, &st) == 0 && st.st_uid == uid)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* The bomb, in its own process group: report the first failure's errno on
   fd, then wait to be killed. */
static void bomb(int fd)
{
	for (;;) {
		pid_t p = fork();
		if (p < 0) {
			int e = errno;
			write(fd, &e, sizeof e);
			for (;;)
				pause();
		}
	}
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int forkline = t_is_forkline();
	struct sysinfo si;
	sysinfo(&si);
	int procs_before = si.procs;
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	fflush(stdout);
	pid_t root = fork();
	if (root == 0) {
		setpgid(0, 0);
		if (!forkline) {
			uid_t uid = getuid();
			if (uid == 0 && setgid(65534) == 0 && setuid(65534) == 0)
				uid = 65534;
			struct rlimit r = { (rlim_t)procs_of(uid) + 200, (rlim_t)procs_of(uid) + 200 };
			if (setrlimit(RLIMIT_NPROC, &r) < 0)
				_exit(3);
		}
		close(p[0]);
		bomb(p[1]);
	}
	setpgid(root, root);
	close(p[1]);
	int e = 0;
	t_ok(t_read_full(p[0], &e, sizeof e) == sizeof e, "fork eventually failed in the bomb");
	t_check(e == EAGAIN, "the failure is EAGAIN", "got %s", errname(e));
	t_sys(kill(-root, SIGKILL), "kill the whole bomb (its process group)");
	t_waited(root, 0, "signal 9 (SIGKILL)", "the bomb's first process is reaped");
	/* The rest were orphaned to the reaper; wait until they are gone,
	   killing again any that a fork in flight created after the kill. */
	long long t0 = t_ns(CLOCK_MONOTONIC);
	while (kill(-root, SIGKILL) == 0 && t_ns(CLOCK_MONOTONIC) - t0 < 60000000000LL)
		t_sleep_ms(20);
	t_err(kill(-root, 0), ESRCH, "every process of the bomb is gone");
	fflush(stdout);
	pid_t c = fork();
	if (c == 0)
		_exit(7);
	t_waited(c, 0, "exit 7", "fork works again afterwards");
	sysinfo(&si);
	if (forkline)
		t_check_here(si.procs == procs_before, "the process count is back where it was", "%d before, %d after",
			     procs_before, (int)si.procs);
	t_info("procs before %d, after %d", procs_before, (int)si.procs);
	return t_done();
}
