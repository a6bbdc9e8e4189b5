/* The libc-rs file-system suite: sys/stat.h, dirent.h, the unistd.h file
   calls, termios.h, sys/utsname.h, sys/sysmacros.h, elf.h, sys/reboot.h,
   checked against the kernel's own answers (raw statx) and glibc's
   documented results. Also built against glibc, with glibc's 64-bit
   off_t/time_t ABI on i386 (the one libc-rs's struct stat follows); the
   same checks must pass there. Ends with "N passed, M failed". */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#define _TIME_BITS 64
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;
#define CHECK(c) do { if (c) passed++; else { failed++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static char dir[256];

/* dir/name in a static buffer (one of two, alternating). */
static const char *at(const char *name)
{
	static char buf[2][512];
	static int i;
	i ^= 1;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

/* Write a file holding `text`. */
static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

/* struct stat against the kernel's statx answer for the same file. */
static void same_as_kernel(const char *path, int flags)
{
	struct stat st;
	struct statx x, y;
	memset(&x, 0, sizeof x);
	CHECK(fstatat(AT_FDCWD, path, &st, flags) == 0);
	CHECK(syscall(SYS_statx, AT_FDCWD, path, flags, STATX_BASIC_STATS, &x) == 0);
	CHECK(st.st_ino == x.stx_ino);
	CHECK(st.st_mode == x.stx_mode);
	CHECK(st.st_nlink == x.stx_nlink);
	CHECK(st.st_uid == x.stx_uid && st.st_gid == x.stx_gid);
	CHECK(st.st_size == (off_t)x.stx_size);
	CHECK(st.st_blocks == (blkcnt_t)x.stx_blocks);
	CHECK(st.st_blksize == (blksize_t)x.stx_blksize);
	CHECK(major(st.st_dev) == x.stx_dev_major && minor(st.st_dev) == x.stx_dev_minor);
	CHECK(major(st.st_rdev) == x.stx_rdev_major && minor(st.st_rdev) == x.stx_rdev_minor);
	CHECK(st.st_mtim.tv_sec == x.stx_mtime.tv_sec && st.st_mtim.tv_nsec == x.stx_mtime.tv_nsec);
	CHECK(st.st_atim.tv_sec == x.stx_atime.tv_sec && st.st_atim.tv_nsec == x.stx_atime.tv_nsec);
	CHECK(st.st_ctim.tv_sec == x.stx_ctime.tv_sec && st.st_ctim.tv_nsec == x.stx_ctime.tv_nsec);
	CHECK(st.st_mtime == st.st_mtim.tv_sec);
	CHECK(statx(AT_FDCWD, path, flags, STATX_BASIC_STATS, &y) == 0 && y.stx_ino == x.stx_ino);
}

static void test_stat(void)
{
#ifdef __x86_64__
	CHECK(sizeof(struct stat) == 144);
#else
	CHECK(sizeof(struct stat) == 108);
	CHECK(offsetof(struct stat, st_size) == 40);
#endif
	CHECK(sizeof(struct statx) == 256);
	char f[512], l[512];
	strcpy(f, at("file"));
	strcpy(l, at("link"));
	int fd = open(f, O_RDWR | O_CREAT | O_EXCL, 0640);
	CHECK(fd >= 0);
	CHECK(write(fd, "hello world", 11) == 11);
	struct stat st, st2, ds;
	CHECK(fstat(fd, &st) == 0);
	CHECK(S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0640);
	CHECK(st.st_size == 11 && st.st_nlink == 1 && st.st_blksize > 0);
	CHECK(st.st_uid == geteuid() && st.st_gid == getegid());
	CHECK(stat(f, &st2) == 0 && st2.st_ino == st.st_ino && st2.st_dev == st.st_dev);
	CHECK(stat(dir, &ds) == 0 && S_ISDIR(ds.st_mode) && (ds.st_mode & 0777) == 0755);
	CHECK(ds.st_dev == st.st_dev && ds.st_nlink >= 2);
	same_as_kernel(f, 0);
	same_as_kernel(dir, 0);
	same_as_kernel("/", 0);

	/* symbolic and hard links */
	CHECK(symlink("file", l) == 0);
	CHECK(lstat(l, &st2) == 0 && S_ISLNK(st2.st_mode) && st2.st_size == 4);
	CHECK(stat(l, &st2) == 0 && S_ISREG(st2.st_mode) && st2.st_ino == st.st_ino);
	same_as_kernel(l, AT_SYMLINK_NOFOLLOW);
	char buf[64];
	memset(buf, 'x', sizeof buf);
	CHECK(readlink(l, buf, sizeof buf) == 4 && memcmp(buf, "filex", 5) == 0);
	CHECK(readlink(l, buf, 2) == 2 && memcmp(buf, "fi", 2) == 0);
	errno = 0;
	CHECK(readlink(f, buf, sizeof buf) == -1 && errno == EINVAL);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK(readlinkat(dfd, "link", buf, sizeof buf) == 4);
	CHECK(fstatat(dfd, "link", &st2, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st2.st_mode));
	CHECK(fstatat(dfd, "", &st2, AT_EMPTY_PATH) == 0 && st2.st_ino == ds.st_ino);
	CHECK(symlinkat("nowhere", dfd, "dangling") == 0);
	errno = 0;
	CHECK(stat(at("dangling"), &st2) == -1 && errno == ENOENT);
	CHECK(lstat(at("dangling"), &st2) == 0 && S_ISLNK(st2.st_mode));
	CHECK(link(f, at("hard")) == 0);
	CHECK(stat(f, &st2) == 0 && st2.st_nlink == 2);
	CHECK(linkat(dfd, "link", dfd, "hard2", AT_SYMLINK_FOLLOW) == 0);
	CHECK(lstat(at("hard2"), &st2) == 0 && S_ISREG(st2.st_mode) && st2.st_nlink == 3);
	CHECK(unlink(at("hard")) == 0 && unlinkat(dfd, "hard2", 0) == 0);
	CHECK(fstat(fd, &st2) == 0 && st2.st_nlink == 1);

	/* errors */
	errno = 0;
	CHECK(fstat(-1, &st2) == -1 && errno == EBADF);
	errno = 0;
	CHECK(stat("", &st2) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(stat(at("none"), &st2) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(stat((const char *)1, &st2) == -1 && errno == EFAULT);
	errno = 0;
	CHECK(stat(at("file/x"), &st2) == -1 && errno == ENOTDIR);

	/* modes, umask, special files */
	CHECK(chmod(f, 0600) == 0 && stat(f, &st2) == 0 && (st2.st_mode & 07777) == 0600);
	CHECK(fchmod(fd, 0604) == 0 && fstat(fd, &st2) == 0 && (st2.st_mode & 07777) == 0604);
	CHECK(fchmodat(dfd, "file", 0644, 0) == 0 && stat(f, &st2) == 0 && (st2.st_mode & 07777) == 0644);
	CHECK(fchmodat(dfd, "file", 0640, AT_SYMLINK_NOFOLLOW) == 0);
	errno = 0;
	CHECK(fchmodat(dfd, "link", 0640, AT_SYMLINK_NOFOLLOW) == -1 && errno == EOPNOTSUPP);
	mode_t old = umask(077);
	CHECK(old == 022 && umask(022) == 077);
	CHECK(mkfifo(at("fifo"), 0666) == 0 && stat(at("fifo"), &st2) == 0 && S_ISFIFO(st2.st_mode));
	CHECK((st2.st_mode & 0777) == 0644);
	CHECK(mknod(at("node"), S_IFREG | 0600, 0) == 0 && stat(at("node"), &st2) == 0 && S_ISREG(st2.st_mode));
	CHECK(mkdirat(dfd, "sub", 0700) == 0 && stat(at("sub"), &st2) == 0 && S_ISDIR(st2.st_mode));
	errno = 0;
	CHECK(mkdir(at("sub"), 0700) == -1 && errno == EEXIST);

	/* chown to what it is already works unprivileged */
	CHECK(chown(f, geteuid(), getegid()) == 0);
	CHECK(lchown(l, (uid_t)-1, (gid_t)-1) == 0);
	CHECK(fchown(fd, (uid_t)-1, getegid()) == 0);
	CHECK(fchownat(dfd, "file", (uid_t)-1, (gid_t)-1, 0) == 0);
	errno = 0;
	CHECK(fchown(-1, 0, 0) == -1 && errno == EBADF);

	/* times: 64-bit seconds on both architectures */
	struct timespec ts[2] = {{1000, 500}, {2000, 600}};
	CHECK(utimensat(AT_FDCWD, f, ts, 0) == 0 && stat(f, &st2) == 0);
	CHECK(st2.st_atim.tv_sec == 1000 && st2.st_atim.tv_nsec == 500);
	CHECK(st2.st_mtim.tv_sec == 2000 && st2.st_mtim.tv_nsec == 600);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 0x200000000LL; /* 2242: past 2038 */
	ts[1].tv_nsec = 7;
	CHECK(futimens(fd, ts) == 0 && fstat(fd, &st2) == 0);
	CHECK(st2.st_atim.tv_sec == 1000 && st2.st_mtim.tv_sec == 0x200000000LL && st2.st_mtim.tv_nsec == 7);
	same_as_kernel(f, 0);
	ts[1].tv_nsec = UTIME_NOW;
	time_t now = time(0);
	CHECK(utimensat(dfd, "file", ts, 0) == 0 && stat(f, &st2) == 0);
	CHECK(st2.st_mtim.tv_sec >= now - 5 && st2.st_mtim.tv_sec <= now + 5);
	CHECK(utimensat(dfd, "link", 0, AT_SYMLINK_NOFOLLOW) == 0);
	errno = 0;
	CHECK(futimens(-1, 0) == -1 && errno == EBADF);
	close(dfd);
	close(fd);
}

static void test_io(void)
{
	char f[512];
	strcpy(f, at("io"));
	put(f, "hello world");
	int fd = open(f, O_RDWR);
	char buf[32] = {0};
	CHECK(lseek(fd, 3, SEEK_SET) == 3);
	CHECK(pwrite(fd, "XY", 2, 6) == 2);
	CHECK(pread(fd, buf, 5, 6) == 5 && memcmp(buf, "XYrld", 5) == 0);
	CHECK(pread64(fd, buf, 4, 0) == 4 && memcmp(buf, "hell", 4) == 0);
	CHECK(pwrite64(fd, "!", 1, 11) == 1);
	CHECK(lseek(fd, 0, SEEK_CUR) == 3);
	/* the high half of the offset reaches the kernel (i386: two registers) */
	CHECK(pread(fd, buf, 5, 1LL << 32) == 0);
	errno = 0;
	CHECK(pread(fd, buf, 5, -1) == -1 && errno == EINVAL);
	int p[2];
	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(pread(p[0], buf, 1, 0) == -1 && errno == ESPIPE);
	close(p[0]);
	close(p[1]);
	struct stat st;
	CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
	CHECK(truncate(f, 100000) == 0 && stat(f, &st) == 0 && st.st_size == 100000);
	CHECK(ftruncate64(fd, 3) == 0 && truncate64(f, 4) == 0 && stat(f, &st) == 0 && st.st_size == 4);
	errno = 0;
	CHECK(ftruncate(fd, -1) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(truncate(at("none"), 0) == -1 && errno == ENOENT);
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0 && syncfs(fd) == 0);
	sync();
	close(fd);

	/* names: access, rename, remove */
	CHECK(access(f, F_OK) == 0 && access(f, R_OK | W_OK) == 0);
	CHECK(faccessat(AT_FDCWD, f, R_OK, AT_EACCESS) == 0);
	errno = 0;
	CHECK(access(at("none"), F_OK) == -1 && errno == ENOENT);
	errno = 0;
	CHECK(faccessat(AT_FDCWD, f, R_OK, 0x4000000) == -1 && errno == EINVAL);
	CHECK(rename(f, at("io2")) == 0 && access(f, F_OK) == -1 && access(at("io2"), F_OK) == 0);
	CHECK(renameat(AT_FDCWD, at("io2"), AT_FDCWD, f) == 0);
	put(at("io3"), "x");
	errno = 0;
	CHECK(renameat2(AT_FDCWD, f, AT_FDCWD, at("io3"), RENAME_NOREPLACE) == -1 && errno == EEXIST);
	CHECK(remove(at("io3")) == 0 && mkdir(at("iodir"), 0755) == 0 && remove(at("iodir")) == 0);
	CHECK(mkdir(at("iodir"), 0755) == 0 && unlinkat(AT_FDCWD, at("iodir"), AT_REMOVEDIR) == 0);
	CHECK(mkdir(at("iodir"), 0755) == 0);
	put(at("iodir/x"), "x");
	errno = 0;
	CHECK(rmdir(at("iodir")) == -1 && errno == ENOTEMPTY);
	errno = 0;
	CHECK(unlink(at("iodir")) == -1 && errno == EISDIR);
	CHECK(unlink(at("iodir/x")) == 0 && rmdir(at("iodir")) == 0 && unlink(f) == 0);
}

/* scandir filter: names starting with 'n'. */
static int starts_n(const struct dirent *e)
{
	return e->d_name[0] == 'n';
}

static void test_dirent(void)
{
	CHECK(offsetof(struct dirent, d_name) == 19);
	CHECK(mkdir(at("d"), 0755) == 0);
	char name[300];
	enum { MANY = 300 };
	for (int i = 0; i < MANY; i++) {
		/* long names, so that one getdents64 call cannot return them all */
		snprintf(name, sizeof name, "d/n%03d-%0100d", i, 0);
		put(at(name), "");
	}
	CHECK(mkdir(at("d/sub"), 0700) == 0);
	CHECK(symlink("n000-0", at("d/sl")) == 0);
	DIR *d = opendir(at("d"));
	CHECK(d != 0);
	if (!d)
		return;
	static char seen[MANY];
	int n = 0, dots = 0, bad = 0, types = 1;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		n++;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			dots++;
			types &= e->d_type == DT_DIR || e->d_type == DT_UNKNOWN;
		} else if (!strcmp(e->d_name, "sub")) {
			types &= e->d_type == DT_DIR || e->d_type == DT_UNKNOWN;
		} else if (!strcmp(e->d_name, "sl")) {
			types &= e->d_type == DT_LNK || e->d_type == DT_UNKNOWN;
		} else {
			int i = atoi(e->d_name + 1);
			if (e->d_name[0] != 'n' || i < 0 || i >= MANY || seen[i]++ || strlen(e->d_name) != 105)
				bad++;
			types &= e->d_type == DT_REG || e->d_type == DT_UNKNOWN;
		}
		struct stat st;
		if (strcmp(e->d_name, "..") && fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			bad += st.st_ino != e->d_ino;
	}
	CHECK(errno == 0); /* the end is not an error */
	CHECK(n == MANY + 4 && dots == 2 && bad == 0 && types);
	int all = 1;
	for (int i = 0; i < MANY; i++)
		all &= seen[i] == 1;
	CHECK(all);
	struct stat st;
	CHECK(fstat(dirfd(d), &st) == 0 && S_ISDIR(st.st_mode));
	rewinddir(d);
	int again = 0;
	while (readdir(d))
		again++;
	CHECK(again == n);
	rewinddir(d);
	readdir(d);
	readdir(d);
	long pos = telldir(d);
	char third[300];
	e = readdir(d);
	CHECK(e != 0);
	strcpy(third, e ? e->d_name : "");
	readdir(d);
	seekdir(d, pos);
	e = readdir(d);
	CHECK(e && !strcmp(e->d_name, third));
	CHECK(closedir(d) == 0);

	struct dirent **list;
	int k = scandir(at("d"), &list, starts_n, alphasort);
	CHECK(k == MANY);
	int sorted = k == MANY;
	for (int i = 0; i < k; i++) {
		snprintf(name, sizeof name, "n%03d-%0100d", i, 0);
		sorted &= !strcmp(list[i]->d_name, name);
		free(list[i]);
	}
	free(list);
	CHECK(sorted);
	k = scandir(at("d"), &list, 0, 0);
	CHECK(k == MANY + 4);
	for (int i = 0; i < k; i++)
		free(list[i]);
	free(list);

	errno = 0;
	CHECK(opendir(at("d/sl")) == 0 && errno == ENOENT);
	put(at("d/n000-0"), "");
	errno = 0;
	CHECK(opendir(at("d/sl")) == 0 && errno == ENOTDIR);
	unlink(at("d/n000-0"));
	errno = 0;
	CHECK(opendir(at("none")) == 0 && errno == ENOENT);
	errno = 0;
	CHECK(scandir(at("none"), &list, 0, 0) == -1 && errno == ENOENT);
	int fd = open(at("d/n000-0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"), O_RDONLY);
	CHECK(fd >= 0);
	errno = 0;
	CHECK(fdopendir(fd) == 0 && errno == ENOTDIR);
	close(fd);
	errno = 0;
	CHECK(fdopendir(-1) == 0 && errno == EBADF);
	fd = open(at("d"), O_RDONLY | O_DIRECTORY);
	d = fdopendir(fd);
	CHECK(d && dirfd(d) == fd);
	n = 0;
	while (d && readdir(d))
		n++;
	CHECK(n == MANY + 4);
	if (d)
		closedir(d);
	errno = 0;
	CHECK(close(fd) == -1 && errno == EBADF); /* closedir closed it */

	for (int i = 0; i < MANY; i++) {
		snprintf(name, sizeof name, "d/n%03d-%0100d", i, 0);
		unlink(at(name));
	}
	unlink(at("d/sl"));
	rmdir(at("d/sub"));
	CHECK(rmdir(at("d")) == 0);
}

static void test_termios(void)
{
	struct termios t, u;
	memset(&t, 0, sizeof t);
	cfmakeraw(&t);
	CHECK((t.c_lflag & (ECHO | ICANON | ISIG)) == 0 && (t.c_cflag & CSIZE) == CS8);
	CHECK(t.c_cc[VMIN] == 1 && t.c_cc[VTIME] == 0);
	CHECK(cfsetospeed(&t, B9600) == 0 && cfgetospeed(&t) == B9600);
	CHECK(cfsetispeed(&t, B115200) == 0 && cfgetispeed(&t) == B115200 && cfgetospeed(&t) == B115200);
	CHECK(cfsetspeed(&t, B38400) == 0 && cfgetospeed(&t) == B38400);
	errno = 0;
	CHECK(cfsetospeed(&t, 12345) == -1 && errno == EINVAL);
	int tty = -1;
	for (int fd = 0; fd < 3 && tty < 0; fd++)
		if (isatty(fd))
			tty = fd;
	if (tty >= 0) {
		printf("termios: round trip on fd %d\n", tty);
		CHECK(tcgetattr(tty, &t) == 0);
		CHECK(tcsetattr(tty, TCSANOW, &t) == 0);
		CHECK(tcgetattr(tty, &u) == 0);
		CHECK(t.c_iflag == u.c_iflag && t.c_oflag == u.c_oflag && t.c_cflag == u.c_cflag &&
		      t.c_lflag == u.c_lflag && !memcmp(t.c_cc, u.c_cc, NCCS));
		u.c_cc[VMIN] = 7;
		CHECK(tcsetattr(tty, TCSADRAIN, &u) == 0 && tcgetattr(tty, &u) == 0 && u.c_cc[VMIN] == 7);
		CHECK(tcsetattr(tty, TCSANOW, &t) == 0);
		errno = 0;
		CHECK(tcsetattr(tty, 99, &t) == -1 && errno == EINVAL);
		struct winsize ws;
		CHECK(ioctl(tty, TIOCGWINSZ, &ws) == 0);
	} else {
		printf("termios: no terminal\n");
		int fd = open(at("notty"), O_RDWR | O_CREAT, 0600);
		errno = 0;
		CHECK(tcgetattr(fd, &t) == -1 && errno == ENOTTY);
		errno = 0;
		CHECK(tcsetattr(fd, TCSANOW, &t) == -1 && errno == ENOTTY);
		errno = 0;
		CHECK(tcgetpgrp(fd) == -1 && errno == ENOTTY);
		struct winsize ws;
		errno = 0;
		CHECK(ioctl(fd, TIOCGWINSZ, &ws) == -1 && errno == ENOTTY);
		close(fd);
		unlink(at("notty"));
	}
	errno = 0;
	CHECK(tcgetattr(-1, &t) == -1 && errno == EBADF);
}

/* The first line of a /proc file, or "" if it cannot be read. */
static void first_line(const char *path, char *buf, int size)
{
	buf[0] = 0;
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, size, f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
}

static void test_system(void)
{
	struct utsname u;
	CHECK(uname(&u) == 0);
	/* Forkline names itself, with Linux's ABI */
	CHECK((!strcmp(u.sysname, "Linux") || !strcmp(u.sysname, "Forkline")) && u.release[0] && u.version[0]);
	CHECK(!strcmp(u.machine, "x86_64") || !strcmp(u.machine, "i686"));
	char proc[128], host[128];
	first_line("/proc/sys/kernel/hostname", proc, sizeof proc);
	CHECK(!proc[0] || !strcmp(proc, u.nodename));
	first_line("/proc/sys/kernel/ostype", proc, sizeof proc);
	CHECK(!proc[0] || !strcmp(proc, u.sysname));
	first_line("/proc/sys/kernel/osrelease", proc, sizeof proc);
	CHECK(!proc[0] || !strcmp(proc, u.release));
	CHECK(gethostname(host, sizeof host) == 0 && !strcmp(host, u.nodename));
	if (strlen(u.nodename) > 0) {
		errno = 0;
		CHECK(gethostname(host, strlen(u.nodename)) == -1 && errno == ENAMETOOLONG);
	}
	errno = 0;
	CHECK(uname((struct utsname *)1) == -1 && errno == EFAULT);
	/* a bad command: EINVAL, or EPERM before that when not allowed */
	errno = 0;
	CHECK(reboot(0x12345678) == -1 && (errno == EINVAL || errno == EPERM));
	pid_t sid = getsid(0);
	CHECK(sid >= 0 && getsid(getpid()) == sid);
	errno = 0;
	CHECK(getsid(0x3ffffff0) == -1 && errno == ESRCH);
	CHECK(getpgid(0) == getpgrp());
	/* the child's tid: the kernel's CLONE_CHILD_SETTID write */
	pid_t parent = getpid();
	pid_t child = fork();
	if (child == 0)
		_exit(gettid() == getpid() && getpid() != parent && getppid() == parent ? 0 : 1);
	int status = -1;
	CHECK(child > 0 && waitpid(child, &status, 0) == child && status == 0);
	CHECK(gettid() == parent);
	dev_t dv = makedev(0x12345, 0xabcdef);
	CHECK(major(dv) == 0x12345 && minor(dv) == 0xabcdef && makedev(8, 1) == 0x801);
	CHECK(sizeof(Elf32_Ehdr) == 52 && sizeof(Elf64_Ehdr) == 64);
	CHECK(sizeof(Elf32_Phdr) == 32 && sizeof(Elf64_Phdr) == 56);
	CHECK(sizeof(Elf32_Shdr) == 40 && sizeof(Elf64_Shdr) == 64);
	CHECK(sizeof(Elf32_Sym) == 16 && sizeof(Elf64_Sym) == 24 && sizeof(Elf64_Dyn) == 16);
	CHECK(PT_TLS == 7 && SHT_DYNSYM == 11 && EM_X86_64 == 62 && RB_POWER_OFF == 0x4321fedc);
}

int main(void)
{
	/* On Forkline the test runs as init from an initramfs: make /tmp. */
	mkdir("/tmp", 01777);
	const char *base = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/libc_fs.%d", base && base[0] ? base : "/tmp", (int)getpid());
	umask(022);
	if (mkdir(dir, 0755) < 0) {
		perror(dir);
		return 1;
	}
	test_stat();
	test_io();
	test_dirent();
	test_termios();
	test_system();
	const char *names[] = {"file", "link", "dangling", "fifo", "node", "sub"};
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		remove(at(names[i]));
	CHECK(rmdir(dir) == 0);
	printf("libc_fs: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
