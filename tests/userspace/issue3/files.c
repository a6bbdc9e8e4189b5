/* files — proves the file system calls on the initramfs: open (lowest free
 * fd), openat relative to a directory fd, read to EOF, pread, lseek (SET,
 * CUR, END, past the end), writev, fstat/stat/fstatat/AT_EMPTY_PATH/statx
 * agreeing on size, mode and inode, access (R_OK, X_OK rules for root too),
 * readlink on a non-link, close.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#define DATA "/etc/forkline-tests/data"
static const char text[] = "Hello from the Forkline initramfs.\nSecond line.\n";

/* struct statx, as in <linux/stat.h> (musl 1.2.3 has no statx()). */
struct statx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t reserved; };
struct statx_buf {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare2[14];
};
#ifndef SYS_statx
#define SYS_statx (sizeof(long) == 8 ? 332 : 383)
#endif

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	const char *path = t_path(DATA "/hello.txt");
	int fd = open(path, O_RDONLY);
	t_eq(fd, 3, "open gives the lowest free fd (3)");
	char buf[256];
	long n = t_read_full(fd, buf, sizeof buf);
	t_ok(n == (long)strlen(text) && !memcmp(buf, text, (size_t)n), "read returns the whole file");
	t_eq(read(fd, buf, sizeof buf), 0, "read at EOF returns 0");
	t_eq(lseek(fd, 6, SEEK_SET), 6, "lseek SEEK_SET");
	t_ok(read(fd, buf, 4) == 4 && !memcmp(buf, "from", 4), "read after lseek");
	t_eq(lseek(fd, -4, SEEK_CUR), 6, "lseek SEEK_CUR backwards");
	t_eq(lseek(fd, -13, SEEK_END), (long)strlen(text) - 13, "lseek SEEK_END");
	t_ok(read(fd, buf, 6) == 6 && !memcmp(buf, "Second", 6), "read after SEEK_END");
	t_eq(lseek(fd, 1000, SEEK_SET), 1000, "lseek past the end is allowed");
	t_eq(read(fd, buf, 10), 0, "read past the end returns 0");
	t_err(lseek(fd, -1, SEEK_SET), EINVAL, "lseek to a negative offset -> EINVAL");
	t_err(lseek(fd, 0, 7), EINVAL, "lseek with a bad whence -> EINVAL");
	t_ok(pread(fd, buf, 5, 0) == 5 && !memcmp(buf, "Hello", 5) && lseek(fd, 0, SEEK_CUR) == 1000,
	     "pread reads at an offset and leaves the file offset alone");

	struct stat st, st2, st3, st4;
	t_sys(fstat(fd, &st), "fstat");
	t_ok(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644, "fstat: a regular file, mode 0644");
	t_eq(st.st_size, (long)strlen(text), "fstat: st_size");
	t_ok(st.st_nlink >= 1 && st.st_ino != 0 && st.st_blksize > 0, "fstat: nlink, ino, blksize set");
	t_ok(stat(path, &st2) == 0 && st2.st_ino == st.st_ino && st2.st_size == st.st_size && st2.st_dev == st.st_dev,
	     "stat agrees with fstat");
	int dfd = open(t_path(DATA), O_RDONLY | O_DIRECTORY);
	t_ok(dfd >= 0 && fstatat(dfd, "hello.txt", &st3, 0) == 0 && st3.st_ino == st.st_ino,
	     "fstatat relative to a directory fd");
	t_ok(fstatat(fd, "", &st4, AT_EMPTY_PATH) == 0 && st4.st_ino == st.st_ino, "fstatat with AT_EMPTY_PATH");
	struct statx_buf sx;
	memset(&sx, 0, sizeof sx);
	long r = syscall(SYS_statx, dfd, "hello.txt", 0, 0x7ff /* STATX_BASIC_STATS */, &sx);
	t_check(r == 0 && (sx.mask & 0x200) && sx.size == (uint64_t)st.st_size && sx.ino == (uint64_t)st.st_ino &&
			(sx.mode & 0170000) == S_IFREG && (sx.mode & 07777) == 0644,
		"statx agrees with fstat", "r %ld (%s) mask %#x size %llu mode %o", r, errname(errno), sx.mask,
		(unsigned long long)sx.size, sx.mode);

	int fd2 = openat(dfd, "dir/inner.txt", O_RDONLY);
	t_ok(fd2 >= 0 && read(fd2, buf, 18) == 18 && !memcmp(buf, "inside a directory", 18), "openat relative to a directory fd");
	close(fd2);
	fd2 = openat(12345, path, O_RDONLY);
	t_ok(fd2 >= 0, "openat with an absolute path ignores the directory fd");
	close(fd2);

	struct iovec iov[3] = { { "writev ", 7 }, { "gathers ", 8 }, { "pieces\n", 7 } };
	fflush(stdout);
	t_eq(writev(1, iov, 3), 22, "writev returns the total length");

	t_sys(access(path, F_OK), "access F_OK");
	t_sys(access(path, R_OK), "access R_OK");
	t_err(access(path, X_OK), EACCES, "access X_OK on a 0644 file -> EACCES (even for root)");
	t_sys(access(t_self, X_OK), "access X_OK on our own program");
	t_err(access(t_path(DATA "/missing"), F_OK), ENOENT, "access of a missing file -> ENOENT");
	char link[64];
	t_err(readlink(path, link, sizeof link), EINVAL, "readlink of a regular file -> EINVAL");
	t_err(readlink(t_path(DATA "/missing"), link, sizeof link), ENOENT, "readlink of a missing file -> ENOENT");

	t_sys(close(fd), "close");
	t_err(close(fd), EBADF, "close again -> EBADF");
	t_err(read(fd, buf, 1), EBADF, "read of a closed fd -> EBADF");
	close(dfd);
	return t_done();
}
