/* fs-lock — proves file locks as Linux's fs/locks.c keeps them.
 * flock: shared locks coexist, an exclusive one conflicts (EWOULDBLOCK
 * with LOCK_NB), a blocked flock is granted when the holder unlocks,
 * closes or exits, a signal ends the wait with EINTR (or it goes on with
 * SA_RESTART), dup'd and inherited descriptors share the lock, and bad
 * operations fail (EINVAL, EBADF). POSIX record locks (fcntl): a conflict
 * between processes is EAGAIN, F_GETLK names the holder's pid and range,
 * unlocking the middle splits a lock, closing any descriptor of the file
 * drops the process's locks, children do not inherit them, and two
 * processes waiting for each other get EDEADLK. OFD locks conflict
 * between two open()s of one process and want l_pid 0. /proc/locks lists
 * what is held (its lines are machine-specific: "~ " lines).
 */
#include "fs.h"
#include <poll.h>
#include <sys/file.h>
#include <sys/sysmacros.h>
#include <sys/time.h>

#define p fs_path

static int sync_pipe[2];

/* The other process's "go" (one byte), or -1 if it died first. */
static int await(void)
{
	char c;
	return read(sync_pipe[0], &c, 1) == 1 ? 0 : -1;
}

static void post(void)
{
	if (write(sync_pipe[1], "!", 1) != 1)
		t_die("write to the sync pipe");
}

/* Did the other process post within ms milliseconds? (Takes the byte.) */
static int posted_within(int ms)
{
	struct pollfd pfd = { sync_pipe[0], POLLIN, 0 };
	return poll(&pfd, 1, ms) == 1 && await() == 0;
}

static pid_t child(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		t_die("fork");
	return pid;
}

static int openf(int flags)
{
	int fd = open(p("file"), flags);
	if (fd < 0)
		t_die("open");
	return fd;
}

/* fcntl lock command on fd for [start, start+len). */
static int lk(int fd, int cmd, int type, long start, long len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl);
}

/* F_GETLK for a write lock on [start, start+len): the answer in *fl. */
static int getlk(int fd, int cmd, long start, long len, struct flock *fl)
{
	*fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, fl);
}

static void flock_basics(void)
{
	int a = openf(O_RDWR), b = openf(O_RDONLY), c = openf(O_RDONLY);
	t_sys(flock(a, LOCK_SH), "flock LOCK_SH");
	t_sys(flock(b, LOCK_SH | LOCK_NB), "a second open file description shares it");
	t_err(flock(c, LOCK_EX | LOCK_NB), EWOULDBLOCK, "LOCK_EX against two shared locks -> EWOULDBLOCK");
	t_err(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK, "converting to LOCK_EX while another shares it -> EWOULDBLOCK");
	t_sys(flock(c, LOCK_SH | LOCK_NB), "the failed conversion dropped the shared lock, as Linux does");
	t_sys(flock(b, LOCK_UN), "LOCK_UN");
	t_sys(flock(c, LOCK_UN), "LOCK_UN of the third");
	t_sys(flock(a, LOCK_EX | LOCK_NB), "now LOCK_EX is granted");
	t_sys(flock(a, LOCK_EX | LOCK_NB), "taking it again is a no-op");
	t_err(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "and a shared lock conflicts with it");
	t_sys(flock(a, LOCK_SH), "converting LOCK_EX to LOCK_SH");
	t_sys(flock(b, LOCK_SH | LOCK_NB), "lets other shared locks in");
	t_sys(flock(b, LOCK_UN | LOCK_NB), "LOCK_UN|LOCK_NB");
	t_sys(flock(a, LOCK_UN), "unlock");

	int d = dup(a);
	t_sys(flock(a, LOCK_EX), "LOCK_EX on a descriptor");
	t_sys(flock(d, LOCK_EX | LOCK_NB), "its dup holds the same lock");
	pid_t pid = child();
	if (pid == 0) {
		t_sys(flock(a, LOCK_EX | LOCK_NB), "child: the inherited descriptor holds it too");
		t_err(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "child: another description still conflicts");
		t_sys(flock(a, LOCK_UN), "child: unlocking through it");
		t_child_exit();
	}
	t_wait_ok(pid, "the child shared the parent's flock");
	t_sys(flock(b, LOCK_EX | LOCK_NB), "the child's LOCK_UN released the parent's lock");
	t_sys(flock(b, LOCK_UN), "unlock");
	t_sys(flock(a, LOCK_EX), "LOCK_EX again");
	close(a);
	t_err(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "closing one of two descriptors keeps the lock");
	close(d);
	t_sys(flock(b, LOCK_SH | LOCK_NB), "closing the last one releases it");
	close(b);
	close(c);

	a = openf(O_RDONLY);
	t_err(flock(a, 0), EINVAL, "flock with no operation -> EINVAL");
	t_err(flock(a, LOCK_SH | LOCK_EX), EINVAL, "LOCK_SH|LOCK_EX -> EINVAL");
	t_err(flock(-1, LOCK_SH), EBADF, "flock on a bad descriptor -> EBADF");
	t_err(flock(-1, 0), EINVAL, "the operation is checked before the descriptor");
	close(a);
	a = openf(O_PATH);
	t_err(flock(a, LOCK_SH), EBADF, "flock on an O_PATH descriptor -> EBADF");
	close(a);
	a = openf(O_WRONLY);
	t_sys(flock(a, LOCK_EX | LOCK_NB), "flock on a write-only descriptor");
	close(a);
}

/* Does /proc/locks have a line about our file, of kind `kind` ("FLOCK ",
   "-> POSIX " for a waiter…), type and pid? */
static int proc_locks_has(const char *kind, const char *type, pid_t pid)
{
	struct stat st;
	if (stat(p("file"), &st) < 0)
		return 0;
	char want[128];
	snprintf(want, sizeof want, "%s ADVISORY  %s %d %02x:%02x:%lu ", kind, type, (int)pid, major(st.st_dev),
		 minor(st.st_dev), (unsigned long)st.st_ino);
	const char *text = fs_read("/proc/locks");
	return strstr(text, want) != NULL;
}

/* How the holder lets a waiting child in. */
enum release { BY_UNLOCK, BY_CLOSE };

static void flock_wakes(enum release how, const char *what)
{
	int a = openf(O_RDONLY);
	t_sys(flock(a, LOCK_EX), "hold LOCK_EX");
	pid_t pid = child();
	if (pid == 0) {
		close(a);
		int b = openf(O_RDONLY);
		post();
		int r = flock(b, LOCK_EX);
		post();
		_exit(r == 0 ? 0 : 1);
	}
	await();
	t_ok(!posted_within(200), "a blocking flock in a child waits");
	if (how == BY_UNLOCK)
		t_ok(proc_locks_has("-> FLOCK ", "WRITE", pid), "/proc/locks shows its request under the lock");
	if (how == BY_UNLOCK)
		flock(a, LOCK_UN);
	close(a);
	t_ok(posted_within(5000), what);
	t_wait_ok(pid, "the child got the lock");
}

static void flock_wakes_on_exit(void)
{
	pid_t pid = child();
	if (pid == 0) {
		int a = openf(O_RDONLY);
		flock(a, LOCK_EX);
		post();
		usleep(200000);
		_exit(0);
	}
	await();
	int b = openf(O_RDONLY);
	t_err(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "a child holds LOCK_EX");
	t_sys(flock(b, LOCK_EX), "a blocking flock is granted when the holder exits");
	t_wait_ok(pid, "the holder exited");
	close(b);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A child waits for the parent's lock; SIGALRM comes after 100 ms. */
static void flock_signal(int restart)
{
	int a = openf(O_RDONLY);
	flock(a, LOCK_EX);
	pid_t pid = child();
	if (pid == 0) {
		close(a);
		struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = { .it_value = { 0, 100000 } };
		int b = openf(O_RDONLY);
		setitimer(ITIMER_REAL, &it, NULL);
		if (restart) {
			t_ok(flock(b, LOCK_EX) == 0 && alarms == 1, "child: with SA_RESTART the flock goes on after the handler");
		} else {
			t_err(flock(b, LOCK_EX), EINTR, "child: a signal ends a blocking flock with EINTR");
			t_eq(alarms, 1, "child: the handler ran");
		}
		t_child_exit();
	}
	if (restart) {
		usleep(400000);
		close(a);
		t_wait_ok(pid, "the restarted flock was granted at the unlock");
	} else {
		t_wait_ok(pid, "the interrupted child is done");
		close(a);
	}
}

static void posix_locks(void)
{
	int fd = openf(O_RDWR);
	t_sys(lk(fd, F_SETLK, F_WRLCK, 0, 100), "F_SETLK F_WRLCK on bytes 0-99");
	pid_t pid = child();
	if (pid == 0) {
		int cfd = openf(O_RDWR);
		struct flock fl;
		t_err(lk(cfd, F_SETLK, F_WRLCK, 50, 10), EAGAIN, "child: F_SETLK on the parent's bytes -> EAGAIN");
		t_err(lk(cfd, F_SETLK, F_RDLCK, 99, 1), EAGAIN, "child: a read lock too");
		t_sys(lk(cfd, F_SETLK, F_WRLCK, 100, 10), "child: the bytes after them are free");
		t_sys(getlk(cfd, F_GETLK, 0, 0, &fl), "child: F_GETLK");
		t_ok(fl.l_type == F_WRLCK && fl.l_whence == SEEK_SET && fl.l_start == 0 && fl.l_len == 100,
		     "child: F_GETLK reports the parent's write lock on 0-99");
		t_eq(fl.l_pid, getppid(), "child: with the parent's pid");
		t_sys(lk(fd, F_SETLK, F_UNLCK, 0, 0), "child: unlocking everything through the inherited descriptor");
		t_ok(getlk(cfd, F_GETLK, 0, 0, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_pid == getppid(),
		     "child: does not touch the parent's lock (locks are not inherited)");
		t_child_exit();
	}
	t_wait_ok(pid, "the child saw the parent's lock");

	t_sys(lk(fd, F_SETLK, F_UNLCK, 10, 10), "unlock bytes 10-19 of 0-99");
	t_sys(lk(fd, F_SETLK, F_WRLCK, 40, -10), "a negative l_len locks the bytes before l_start (30-39)");
	pid = child();
	if (pid == 0) {
		struct flock fl;
		int cfd = openf(O_RDONLY);
		t_ok(getlk(cfd, F_GETLK, 0, 0, &fl) == 0 && fl.l_start == 0 && fl.l_len == 10, "child: the first piece is 0-9");
		t_ok(getlk(cfd, F_GETLK, 10, 10, &fl) == 0 && fl.l_type == F_UNLCK, "child: 10-19 is unlocked");
		t_ok(getlk(cfd, F_GETLK, 15, 30, &fl) == 0 && fl.l_start == 20 && fl.l_len == 80 && fl.l_pid == getppid(),
		     "child: the second piece is 20-99, the parent's");
		t_sys(lk(cfd, F_SETLK, F_RDLCK, 10, 10), "child: can read-lock the hole");
		t_child_exit();
	}
	t_wait_ok(pid, "the child saw the split lock");

	t_sys(lk(fd, F_SETLK, F_RDLCK, 0, 0), "a read lock over everything replaces the pieces");
	int other = openf(O_RDONLY);
	close(other);
	pid = child();
	if (pid == 0) {
		struct flock fl;
		int cfd = openf(O_RDWR);
		t_ok(getlk(cfd, F_GETLK, 0, 0, &fl) == 0 && fl.l_type == F_UNLCK,
		     "child: closing another descriptor of the file dropped the parent's locks");
		t_child_exit();
	}
	t_wait_ok(pid, "close drops the process's POSIX locks");

	struct flock fl = { .l_type = F_WRLCK, .l_whence = 7 };
	t_err(fcntl(fd, F_SETLK, &fl), EINVAL, "l_whence 7 -> EINVAL");
	fl = (struct flock){ .l_type = 9 };
	t_err(fcntl(fd, F_SETLK, &fl), EINVAL, "l_type 9 -> EINVAL");
	fl = (struct flock){ .l_type = F_UNLCK };
	t_err(fcntl(fd, F_GETLK, &fl), EINVAL, "F_GETLK with F_UNLCK -> EINVAL");
	fl = (struct flock){ .l_type = F_WRLCK, .l_start = 5, .l_len = -6 };
	t_err(fcntl(fd, F_SETLK, &fl), EINVAL, "a range before byte 0 -> EINVAL");
	int ro = openf(O_RDONLY), wo = openf(O_WRONLY);
	t_err(lk(wo, F_SETLK, F_RDLCK, 0, 1), EBADF, "F_RDLCK on an O_WRONLY descriptor -> EBADF");
	t_err(lk(ro, F_SETLK, F_WRLCK, 0, 1), EBADF, "F_WRLCK on an O_RDONLY descriptor -> EBADF");
	t_sys(lk(ro, F_SETLK, F_UNLCK, 0, 1), "F_UNLCK needs neither");
	close(ro);
	ro = openf(O_PATH);
	t_err(lk(ro, F_SETLK, F_RDLCK, 0, 1), EBADF, "F_SETLK on an O_PATH descriptor -> EBADF");
	close(ro);
	close(wo);
	close(fd);
}

#if defined(__i386__) && defined(F_GETLK64)
/* i386: F_GETLK takes the 32-bit struct flock, F_*LK64 struct flock64. */
static void compat_offsets(void)
{
	int fd = openf(O_RDWR);
	struct flock64 fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 3LL << 30 };
	t_sys(fcntl(fd, F_SETLK64, &fl), "i386: F_SETLK64 from 3 GiB on");
	pid_t pid = child();
	if (pid == 0) {
		struct flock f32 = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		t_err(fcntl(fd, F_GETLK, &f32), EOVERFLOW, "child: F_GETLK's 32-bit l_start cannot hold it -> EOVERFLOW");
		struct flock64 f64 = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 1 };
		t_ok(fcntl(fd, F_GETLK64, &f64) == 0 && f64.l_type == F_WRLCK && f64.l_start == 3LL << 30 &&
			     f64.l_len == 0 && f64.l_pid == getppid(),
		     "child: F_GETLK64 reports it");
		t_child_exit();
	}
	t_wait_ok(pid, "the 32-bit and 64-bit struct flock");
	close(fd);
}
#else
static void compat_offsets(void)
{
}
#endif

/* Both processes hold one byte and wait for the other's: one of them
   must hear EDEADLK. */
static void deadlock(void)
{
	int fd = openf(O_RDWR);
	lk(fd, F_SETLK, F_WRLCK, 0, 1);
	pid_t pid = child();
	if (pid == 0) {
		int cfd = openf(O_RDWR);
		lk(cfd, F_SETLK, F_WRLCK, 1, 1);
		post();
		int r = lk(cfd, F_SETLKW, F_WRLCK, 0, 1);
		_exit(r == 0 ? 0 : errno == EDEADLK ? 3 : 4);
	}
	await();
	usleep(100000);
	int r = lk(fd, F_SETLKW, F_WRLCK, 1, 1);
	int mine = r == -1 && errno == EDEADLK;
	t_ok(r == 0 || mine, "F_SETLKW ends with the lock or EDEADLK");
	if (mine)
		lk(fd, F_SETLK, F_UNLCK, 0, 0);
	int st;
	waitpid(pid, &st, 0);
	int theirs = WIFEXITED(st) && WEXITSTATUS(st) == 3;
	t_check(mine + theirs == 1, "exactly one of two processes waiting for each other gets EDEADLK",
		"parent %s, child %s", mine ? "EDEADLK" : "granted", t_status(st));
	t_info("EDEADLK went to the %s", mine ? "parent" : "child");
	close(fd);
}

static void ofd_locks(void)
{
	int a = openf(O_RDWR), b = openf(O_RDWR);
	struct flock fl;
	t_sys(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10), "F_OFD_SETLK on one open()");
	t_err(lk(b, F_OFD_SETLK, F_WRLCK, 5, 1), EAGAIN, "conflicts with another open() of the same process");
	t_err(lk(b, F_SETLK, F_RDLCK, 5, 1), EAGAIN, "and with the process's own POSIX lock request");
	t_sys(getlk(b, F_OFD_GETLK, 0, 0, &fl), "F_OFD_GETLK");
	t_ok(fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 10 && fl.l_pid == -1,
	     "reports the OFD lock on 0-9 with l_pid -1");
	t_sys(lk(a, F_OFD_SETLK, F_WRLCK, 5, 1), "the same open file description may lock again");
	fl = (struct flock){ .l_type = F_RDLCK, .l_start = 20, .l_len = 1, .l_pid = 3 };
	t_err(fcntl(b, F_OFD_SETLK, &fl), EINVAL, "F_OFD_SETLK with l_pid != 0 -> EINVAL");
	t_err(fcntl(b, F_OFD_GETLK, &fl), EINVAL, "F_OFD_GETLK with l_pid != 0 -> EINVAL");
	pid_t pid = child();
	if (pid == 0) {
		t_sys(lk(a, F_OFD_SETLK, F_UNLCK, 0, 0), "child: the inherited description owns the OFD lock");
		t_child_exit();
	}
	t_wait_ok(pid, "a forked child shares OFD locks");
	t_sys(lk(b, F_OFD_SETLK, F_WRLCK, 0, 10), "so the other open() can lock now");
	int d = dup(b);
	close(d);
	t_err(lk(a, F_OFD_SETLK, F_RDLCK, 0, 1), EAGAIN, "closing a dup keeps the OFD lock");
	close(b);
	t_sys(lk(a, F_OFD_SETLKW, F_WRLCK, 0, 0), "closing the last descriptor releases it");
	close(a);
}

static void proc_locks(void)
{
	int a = openf(O_RDWR), b = openf(O_RDWR);
	flock(a, LOCK_SH);
	lk(a, F_SETLK, F_WRLCK, 0, 10);
	lk(b, F_OFD_SETLK, F_RDLCK, 100, 0);
	const char *text = fs_read("/proc/locks");
	for (const char *s = text; *s;) {
		const char *e = strchr(s, '\n');
		int n = e ? (int)(e - s) : (int)strlen(s);
		t_info("%.*s", n, s);
		s += n + (e != NULL);
	}
	t_ok(proc_locks_has("FLOCK ", "READ", getpid()), "/proc/locks lists our flock");
	t_ok(proc_locks_has("POSIX ", "WRITE", getpid()), "/proc/locks lists our POSIX write lock");
	t_ok(proc_locks_has("OFDLCK", "READ", -1), "/proc/locks lists our OFD read lock with pid -1");
	close(a);
	close(b);
	t_ok(!proc_locks_has("POSIX ", "WRITE", getpid()), "and not after the close");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fs_scratch("fs-lock");
	fs_write(p("file"), "locks\n");
	if (pipe(sync_pipe) < 0)
		t_die("pipe");
	flock_basics();
	flock_wakes(BY_UNLOCK, "LOCK_UN wakes it");
	flock_wakes(BY_CLOSE, "closing the holder's last descriptor wakes it");
	flock_wakes_on_exit();
	flock_signal(0);
	flock_signal(1);
	posix_locks();
	compat_offsets();
	deadlock();
	ofd_locks();
	proc_locks();
	fs_cleanup();
	return t_done();
}
