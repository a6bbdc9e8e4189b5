/* fs-truncate — proves truncate and ftruncate (growing with zeros,
 * shrinking; i386's truncate64/ftruncate64 taking the length in two
 * registers), fallocate as tmpfs and ext4 agree (mode 0 grows the file,
 * KEEP_SIZE does not, PUNCH_HOLE zeroes without shrinking), fadvise64,
 * fsync/fdatasync/sync/syncfs and flock, each with Linux's errors:
 * EINVAL (negative length, file not open for writing, a pipe, bad
 * advice or flock operation), EISDIR, ENOENT, EBADF, ESPIPE,
 * EOPNOTSUPP.
 */
#include "fs.h"
#include <sys/file.h>

#define p fs_path

static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Are bytes [from, to) of fd all zero? */
static int zeros(int fd, long from, long to)
{
	char buf[256];
	for (long off = from; off < to; off += (long)sizeof buf) {
		long n = to - off < (long)sizeof buf ? to - off : (long)sizeof buf;
		if (pread(fd, buf, (size_t)n, off) != n)
			return 0;
		for (long i = 0; i < n; i++)
			if (buf[i])
				return 0;
	}
	return 1;
}

static void truncation(void)
{
	fs_write(p("f"), "0123456789");
	int fd = open(p("f"), O_RDWR);
	t_sys(ftruncate(fd, 5000), "ftruncate grows a file");
	t_eq(size_of(p("f")), 5000, "st_size is the new length");
	t_ok(zeros(fd, 10, 5000), "the new bytes read as zeros");
	t_sys(ftruncate(fd, 4), "ftruncate shrinks it");
	char buf[16] = "";
	t_ok(pread(fd, buf, sizeof buf, 0) == 4 && !memcmp(buf, "0123", 4), "what is left is the start");
	t_sys(truncate(p("f"), 0), "truncate by path to 0");
	t_eq(size_of(p("f")), 0, "the file is empty");
	t_err(truncate(p("f"), -1), EINVAL, "truncate to a negative length -> EINVAL");
	t_err(ftruncate(fd, -1), EINVAL, "ftruncate to a negative length -> EINVAL");
	t_err(truncate(fs_dir, 0), EISDIR, "truncate of a directory -> EISDIR");
	t_err(truncate(p("missing"), 0), ENOENT, "truncate of a missing file -> ENOENT");
	t_err(truncate("/dev/null", 0), EINVAL, "truncate of a device -> EINVAL");
	int ro = open(p("f"), O_RDONLY);
	t_err(ftruncate(ro, 0), EINVAL, "ftruncate of a read-only descriptor -> EINVAL");
	close(ro);
	int pp[2];
	if (pipe(pp) < 0)
		t_die("pipe");
	t_err(ftruncate(pp[1], 0), EINVAL, "ftruncate of a pipe -> EINVAL");
	t_err(ftruncate(77, 0), EBADF, "ftruncate of a bad fd -> EBADF");
#ifdef __i386__
	t_sys(syscall(SYS_ftruncate64, fd, 300, 0), "i386 ftruncate64(fd, low, high)");
	t_eq(size_of(p("f")), 300, "the low word is the length");
	t_err(syscall(SYS_truncate64, p("f"), 0, 0x80000000), EINVAL, "truncate64 with the sign bit in the high word -> EINVAL");
	t_sys(syscall(SYS_truncate64, p("f"), 7, 0), "i386 truncate64(path, low, high)");
	t_eq(size_of(p("f")), 7, "truncate64 set the length");
#else
	t_sys(ftruncate(fd, 300), "ftruncate to 300 (i386 tests truncate64 here)");
	t_eq(size_of(p("f")), 300, "st_size 300");
	t_err(truncate(p("f"), -5), EINVAL, "negative length again -> EINVAL");
	t_sys(truncate(p("f"), 7), "truncate to 7");
	t_eq(size_of(p("f")), 7, "st_size 7");
#endif
	close(fd);
	close(pp[0]);
	close(pp[1]);
}

static void allocation(void)
{
	fs_write(p("g"), "abcdefghij");
	int fd = open(p("g"), O_RDWR);
	t_sys(fallocate(fd, 0, 0, 8192), "fallocate mode 0 past the end");
	t_eq(size_of(p("g")), 8192, "the file grew to offset + len");
	t_sys(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 100000), "fallocate with KEEP_SIZE");
	t_eq(size_of(p("g")), 8192, "KEEP_SIZE leaves the size");
	t_sys(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2, 4), "punch a hole");
	char buf[10];
	t_ok(pread(fd, buf, 10, 0) == 10 && !memcmp(buf, "ab\0\0\0\0ghij", 10), "the hole reads as zeros, the rest stays");
	t_eq(size_of(p("g")), 8192, "and the size stays");
	t_err(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1), EOPNOTSUPP, "PUNCH_HOLE without KEEP_SIZE -> EOPNOTSUPP");
	t_err(fallocate(fd, 0, -1, 1), EINVAL, "a negative offset -> EINVAL");
	t_err(fallocate(fd, 0, 0, 0), EINVAL, "a zero length -> EINVAL");
	int ro = open(p("g"), O_RDONLY);
	t_err(fallocate(ro, 0, 0, 1), EBADF, "fallocate on a read-only descriptor -> EBADF");
	close(ro);
	int pp[2];
	if (pipe(pp) < 0)
		t_die("pipe");
	t_err(fallocate(pp[1], 0, 0, 1), ESPIPE, "fallocate on a pipe -> ESPIPE");
	t_eq(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0, "posix_fadvise SEQUENTIAL");
	t_eq(posix_fadvise(fd, 0, 4096, POSIX_FADV_DONTNEED), 0, "posix_fadvise DONTNEED");
	t_eq(posix_fadvise(fd, 0, 0, 99), EINVAL, "posix_fadvise with bad advice -> EINVAL");
	t_eq(posix_fadvise(pp[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE, "posix_fadvise on a pipe -> ESPIPE");
	t_eq(posix_fadvise(77, 0, 0, POSIX_FADV_NORMAL), EBADF, "posix_fadvise on a bad fd -> EBADF");
#ifdef __i386__
	t_sys(syscall(SYS_fadvise64, fd, 0, 0, 4096, POSIX_FADV_WILLNEED), "i386 fadvise64(fd, off_lo, off_hi, len, advice)");
#else
	t_sys(syscall(SYS_fadvise64, fd, 0, 4096, POSIX_FADV_WILLNEED), "fadvise64(fd, off, len, advice)");
#endif
	close(pp[0]);
	close(pp[1]);
	close(fd);
}

static void syncing(void)
{
	int fd = open(p("g"), O_RDWR);
	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	int null = open("/dev/null", O_RDWR);
	int pp[2];
	if (pipe(pp) < 0)
		t_die("pipe");
	t_sys(fsync(fd), "fsync of a file");
	t_sys(fdatasync(fd), "fdatasync of a file");
	t_sys(fsync(dfd), "fsync of a directory");
	t_err(fsync(pp[1]), EINVAL, "fsync of a pipe -> EINVAL");
	t_err(fdatasync(null), EINVAL, "fdatasync of /dev/null -> EINVAL");
	t_err(fsync(77), EBADF, "fsync of a bad fd -> EBADF");
	sync();
	t_ok(1, "sync returns");
	t_sys(syncfs(fd), "syncfs");
	t_err(syncfs(77), EBADF, "syncfs of a bad fd -> EBADF");
	t_sys(flock(fd, LOCK_EX), "flock LOCK_EX");
	t_sys(flock(fd, LOCK_UN), "flock LOCK_UN");
	t_sys(flock(fd, LOCK_SH | LOCK_NB), "flock LOCK_SH|LOCK_NB");
	t_sys(flock(fd, LOCK_UN), "flock LOCK_UN again");
	t_err(flock(fd, 0), EINVAL, "flock with no operation -> EINVAL");
	t_err(flock(fd, LOCK_SH | LOCK_EX), EINVAL, "flock LOCK_SH|LOCK_EX -> EINVAL");
	t_err(flock(77, LOCK_EX), EBADF, "flock of a bad fd -> EBADF");
	close(pp[0]);
	close(pp[1]);
	close(null);
	close(dfd);
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fs_scratch("fs-truncate");
	truncation();
	allocation();
	syncing();
	fs_cleanup();
	return t_done();
}
