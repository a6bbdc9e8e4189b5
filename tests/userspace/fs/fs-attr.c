/* fs-attr — proves the attribute calls: chmod, fchmod, fchmodat and
 * fchmodat2 (the type bits stay; a link itself has no mode: EOPNOTSUPP),
 * the chown family (ids set, -1 keeps one, lchown and AT_SYMLINK_NOFOLLOW
 * change the link, set-user-ID and set-group-ID are dropped from files
 * even by root; i386's 16-bit chown), and the times: utimensat with exact
 * nanoseconds, UTIME_OMIT and UTIME_NOW, futimens, utimes, futimesat and
 * utime, with Linux's EINVAL, ENOENT, EBADF and procfs's EPERM. Run as
 * root, as the test runner is.
 */
#include "fs.h"
#include <utime.h>
#include <sys/time.h>

#define p fs_path
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static struct stat st_of(const char *path, int follow)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
		st.st_mode = 0;
	return st;
}

static unsigned mode_of(const char *path)
{
	return st_of(path, 1).st_mode;
}

static void modes(void)
{
	fs_write(p("f"), "x");
	t_sys(chmod(p("f"), 0600), "chmod 0600");
	t_eq(mode_of(p("f")), S_IFREG | 0600, "the permission bits change, the type stays");
	int fd = open(p("f"), O_RDONLY);
	t_sys(fchmod(fd, 04755), "fchmod 04755 (set-user-ID)");
	t_eq(mode_of(p("f")), S_IFREG | 04755, "fchmod set it");
	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	t_sys(fchmodat(dfd, "f", 0640, 0), "fchmodat relative to a directory fd");
	t_eq(mode_of(p("f")), S_IFREG | 0640, "fchmodat set 0640");
	t_sys(symlink("f", p("ln")), "a symlink to it");
	t_sys(chmod(p("ln"), 0604), "chmod through the link");
	t_eq(mode_of(p("f")), S_IFREG | 0604, "chmod follows the link to its target");
	t_err(syscall(SYS_fchmodat2, dfd, "ln", 0600, AT_SYMLINK_NOFOLLOW), EOPNOTSUPP,
	      "fchmodat2 AT_SYMLINK_NOFOLLOW on a link -> EOPNOTSUPP");
	t_sys(syscall(SYS_fchmodat2, dfd, "f", 0444, AT_SYMLINK_NOFOLLOW), "fchmodat2 AT_SYMLINK_NOFOLLOW on a file");
	t_sys(syscall(SYS_fchmodat2, fd, "", 0644, AT_EMPTY_PATH), "fchmodat2 AT_EMPTY_PATH on the fd");
	t_eq(mode_of(p("f")), S_IFREG | 0644, "both took effect");
	t_err(syscall(SYS_fchmodat2, dfd, "f", 0644, 0x8000), EINVAL, "fchmodat2 with a bad flag -> EINVAL");
	t_err(chmod(p("missing"), 0644), ENOENT, "chmod of a missing file -> ENOENT");
	t_err(fchmod(77, 0644), EBADF, "fchmod of a bad fd -> EBADF");
	t_err(chmod("/proc/self/stat", 0644), EPERM, "chmod in /proc -> EPERM");
	t_sys(mkdir(p("d"), 0700), "mkdir 0700");
	t_sys(chmod(p("d"), 01777), "chmod a directory 01777 (sticky)");
	t_eq(mode_of(p("d")), S_IFDIR | 01777, "a directory keeps its type too");
	close(dfd);
	close(fd);
}

static void owners(void)
{
	t_sys(chown(p("f"), 1000, 1001), "chown 1000:1001");
	struct stat st = st_of(p("f"), 1);
	t_ok(st.st_uid == 1000 && st.st_gid == 1001, "owner and group set");
	t_sys(chown(p("f"), (uid_t)-1, 2000), "chown -1:2000 keeps the owner");
	st = st_of(p("f"), 1);
	t_ok(st.st_uid == 1000 && st.st_gid == 2000, "only the group changed");
	t_sys(lchown(p("ln"), 3000, 3000), "lchown changes the link itself");
	t_ok(st_of(p("ln"), 0).st_uid == 3000 && st_of(p("f"), 1).st_uid == 1000, "the link's owner, not the target's");
	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	t_sys(fchownat(dfd, "ln", 4000, 4000, AT_SYMLINK_NOFOLLOW), "fchownat AT_SYMLINK_NOFOLLOW");
	t_eq(st_of(p("ln"), 0).st_uid, 4000, "it changed the link");
	t_err(fchownat(dfd, "f", 0, 0, 0x8000), EINVAL, "fchownat with a bad flag -> EINVAL");
	int fd = open(p("f"), O_RDONLY);
	t_sys(fchown(fd, 0, 0), "fchown back to root");
	t_sys(fchmod(fd, 06775), "make it set-user-ID and set-group-ID, group-executable");
	t_sys(fchown(fd, (uid_t)-1, (gid_t)-1), "chown -1:-1");
	t_eq(mode_of(p("f")), S_IFREG | 0775, "a chown drops both set-ID bits, even for root");
	t_sys(fchmod(fd, 02745), "set-group-ID without group execute");
	t_sys(fchown(fd, 0, 0), "chown again");
	t_eq(mode_of(p("f")), S_IFREG | 02745, "that set-group-ID bit stays");
	t_sys(chmod(p("d"), 02755), "a set-group-ID directory");
	t_sys(chown(p("d"), 0, 0), "chown it");
	t_eq(mode_of(p("d")), S_IFDIR | 02755, "a directory keeps its set-group-ID bit");
	t_err(chown(p("missing"), 0, 0), ENOENT, "chown of a missing file -> ENOENT");
	t_err(fchown(77, 0, 0), EBADF, "fchown of a bad fd -> EBADF");
	t_err(chown("/proc/self/", 0, 0), EPERM, "chown of a /proc process directory -> EPERM");
#ifdef __i386__
	t_sys(syscall(SYS_chown, p("f"), 0xffff, 7), "i386 16-bit chown with owner 0xffff (-1)");
	st = st_of(p("f"), 1);
	t_ok(st.st_uid == 0 && st.st_gid == 7, "0xffff kept the owner; the group is 7");
#else
	t_sys(chown(p("f"), (uid_t)-1, 7), "chown with owner -1 (i386 tests its 16-bit chown here)");
	st = st_of(p("f"), 1);
	t_ok(st.st_uid == 0 && st.st_gid == 7, "-1 kept the owner; the group is 7");
#endif
	close(fd);
	close(dfd);
}

static int ts_eq(struct timespec a, long sec, long nsec)
{
	return a.tv_sec == sec && a.tv_nsec == nsec;
}

static void times(void)
{
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1100000000, 987654321 } };
	t_sys(utimensat(AT_FDCWD, p("f"), ts, 0), "utimensat with exact times");
	struct stat st = st_of(p("f"), 1);
	t_ok(ts_eq(st.st_atim, 1000000000, 123456789) && ts_eq(st.st_mtim, 1100000000, 987654321),
	     "atime and mtime to the nanosecond");
	struct timespec omit_now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	time_t before = time(NULL);
	t_sys(utimensat(AT_FDCWD, p("f"), omit_now, 0), "utimensat UTIME_OMIT, UTIME_NOW");
	st = st_of(p("f"), 1);
	t_ok(ts_eq(st.st_atim, 1000000000, 123456789) && st.st_mtime >= before && st.st_mtime <= time(NULL) + 1,
	     "atime kept, mtime now");
	t_ok(st.st_ctime >= before, "the change time is now");
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	t_err(utimensat(AT_FDCWD, p("f"), bad, 0), EINVAL, "tv_nsec of a second -> EINVAL");
	t_err(utimensat(AT_FDCWD, p("f"), ts, 0x8000), EINVAL, "a bad flag -> EINVAL");
	t_err(utimensat(AT_FDCWD, p("missing"), ts, 0), ENOENT, "a missing file -> ENOENT");
	t_sys(utimensat(AT_FDCWD, p("ln"), ts, AT_SYMLINK_NOFOLLOW), "utimensat AT_SYMLINK_NOFOLLOW on the link");
	t_ok(ts_eq(st_of(p("ln"), 0).st_mtim, 1100000000, 987654321), "the link's own mtime changed");
	int fd = open(p("f"), O_RDONLY);
	t_sys(futimens(fd, ts), "futimens (utimensat on the fd)");
	t_ok(ts_eq(st_of(p("f"), 1).st_mtim, 1100000000, 987654321), "futimens set the mtime");
	t_err(futimens(77, ts), EBADF, "futimens of a bad fd -> EBADF");
	t_err(syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0), EFAULT, "utimensat(AT_FDCWD, NULL) -> EFAULT");
	struct timeval tv[2] = { { 1200000000, 5 }, { 1300000000, 999999 } };
	t_sys(utimes(p("f"), tv), "utimes with microseconds");
	st = st_of(p("f"), 1);
	t_ok(ts_eq(st.st_atim, 1200000000, 5000) && ts_eq(st.st_mtim, 1300000000, 999999000), "microseconds became nanoseconds");
	struct timeval badtv[2] = { { 0, 1000000 }, { 0, 0 } };
	t_err(utimes(p("f"), badtv), EINVAL, "tv_usec of a second -> EINVAL");
	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	t_sys(futimesat(dfd, "f", tv), "futimesat relative to a directory fd");
	struct utimbuf ub = { 1400000000, 1500000000 };
	t_sys(utime(p("f"), &ub), "utime with whole seconds");
	st = st_of(p("f"), 1);
	t_ok(ts_eq(st.st_atim, 1400000000, 0) && ts_eq(st.st_mtim, 1500000000, 0), "utime set both");
	before = time(NULL);
	t_sys(utime(p("f"), NULL), "utime(NULL) is now");
	t_ok(st_of(p("f"), 1).st_mtime >= before, "mtime is now");
	t_sys(utimensat(AT_FDCWD, "/proc/self/stat", NULL, 0), "utimensat of a /proc file is accepted");
	t_err(utimensat(AT_FDCWD, "/proc/self/", NULL, 0), EPERM, "utimensat of a /proc process directory -> EPERM");
#ifdef __i386__
	int32_t old[4] = { 1600000000, 7, 1700000000, 9 };
	t_sys(syscall(SYS_utimensat, AT_FDCWD, p("f"), old, 0), "i386 utimensat with 32-bit timespecs");
	t_ok(ts_eq(st_of(p("f"), 1).st_mtim, 1700000000, 9), "the 32-bit layout was read");
#else
	struct timespec t2[2] = { { 1600000000, 7 }, { 1700000000, 9 } };
	t_sys(utimensat(AT_FDCWD, p("f"), t2, 0), "utimensat again (i386 tests its 32-bit layout here)");
	t_ok(ts_eq(st_of(p("f"), 1).st_mtim, 1700000000, 9), "the times were read");
#endif
	close(dfd);
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fs_scratch("fs-attr");
	modes();
	owners();
	times();
	fs_cleanup();
	return t_done();
}
