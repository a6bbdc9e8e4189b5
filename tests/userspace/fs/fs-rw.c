/* fs-rw — proves vectored I/O at an offset (preadv, pwritev, and the v2
 * calls with offset -1 meaning the file position, RWF_APPEND, and
 * EOPNOTSUPP for unknown flags), sendfile (with and without an offset,
 * i386's sendfile64), copy_file_range (explicit offsets or the files'
 * positions; overlapping ranges of one file EINVAL) and close_range
 * (closing, CLOSE_RANGE_CLOEXEC, bad ranges and flags), with Linux's
 * EINVAL, ESPIPE, EBADF and EISDIR.
 */
#include "fs.h"
#include <sys/sendfile.h>
#include <sys/uio.h>

#define p fs_path
#ifndef RWF_APPEND
#define RWF_APPEND 0x10
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* preadv2/pwritev2 as the kernel takes them (musl has no wrappers):
   the offset as low and high words. */
static long preadv2_(int fd, const struct iovec *v, int n, long long pos, int flags)
{
	return syscall(SYS_preadv2, fd, v, n, (long)pos, (long)((unsigned long long)pos >> 32), flags);
}

static long pwritev2_(int fd, const struct iovec *v, int n, long long pos, int flags)
{
	return syscall(SYS_pwritev2, fd, v, n, (long)pos, (long)((unsigned long long)pos >> 32), flags);
}

static off_t pos_of(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

static void vectors(void)
{
	fs_write(p("v"), "0123456789");
	int fd = open(p("v"), O_RDWR);
	struct iovec w[2] = { { "AB", 2 }, { "CDE", 3 } };
	t_eq(pwritev(fd, w, 2, 3), 5, "pwritev of two buffers at offset 3");
	t_eq(pos_of(fd), 0, "the file position stays");
	t_ok(!strcmp(fs_read(p("v")), "012ABCDE89"), "the bytes landed at 3..8");
	char a[3], b[4];
	struct iovec r[2] = { { a, 3 }, { b, 4 } };
	t_eq(preadv(fd, r, 2, 2), 7, "preadv into two buffers at offset 2");
	t_ok(!memcmp(a, "2AB", 3) && !memcmp(b, "CDE8", 4), "each buffer filled in order");
	t_eq(preadv(fd, r, 2, 8), 2, "preadv near the end is short");
	t_eq(preadv(fd, r, 2, 100), 0, "preadv past the end reads nothing");
	t_eq(lseek(fd, 4, SEEK_SET), 4, "seek to 4");
	t_eq(preadv2_(fd, r, 1, -1, 0), 3, "preadv2 with offset -1 reads at the position");
	t_ok(!memcmp(a, "BCD", 3) && pos_of(fd) == 7, "and moves it");
	struct iovec tail = { "!", 1 };
	t_eq(pwritev2_(fd, &tail, 1, 0, RWF_APPEND), 1, "pwritev2 RWF_APPEND");
	t_ok(!strcmp(fs_read(p("v")), "012ABCDE89!"), "wrote at the end, whatever the offset");
	t_err(preadv2_(fd, r, 1, 0, 0x80000000), EOPNOTSUPP, "preadv2 with an unknown flag -> EOPNOTSUPP");
	t_err(preadv(fd, r, 1, -2), EINVAL, "preadv at a negative offset -> EINVAL");
	static struct iovec many[1025];
	t_err(preadv(fd, many, 1025, 0), EINVAL, "more than IOV_MAX buffers -> EINVAL");
	struct iovec neg = { a, (size_t)-1 };
	t_err(preadv(fd, &neg, 1, 0), EINVAL, "a negative iov_len -> EINVAL");
	int pp[2];
	if (pipe(pp) < 0)
		t_die("pipe");
	t_err(preadv(pp[0], r, 1, 0), ESPIPE, "preadv on a pipe -> ESPIPE");
	t_err(pwritev(pp[1], w, 1, 0), ESPIPE, "pwritev on a pipe -> ESPIPE");
	t_err(preadv(77, r, 1, 0), EBADF, "preadv on a bad fd -> EBADF");
	t_eq(preadv(fd, r, 0, 0), 0, "zero buffers read nothing");
	close(pp[0]);
	close(pp[1]);
	close(fd);
}

static void sendfiles(void)
{
	fs_write(p("src"), "sendfile moves these bytes");
	int in = open(p("src"), O_RDONLY);
	int pp[2];
	if (pipe(pp) < 0)
		t_die("pipe");
	off_t off = 9;
	t_eq(sendfile(pp[1], in, &off, 5), 5, "sendfile from offset 9 into a pipe");
	t_eq(off, 14, "the offset moved past what was sent");
	t_eq(pos_of(in), 0, "the file position did not");
	char buf[64];
	t_ok(read(pp[0], buf, 5) == 5 && !memcmp(buf, "moves", 5), "the pipe holds the bytes");
	t_eq(sendfile(pp[1], in, NULL, 8), 8, "sendfile without an offset");
	t_eq(pos_of(in), 8, "uses and moves the file position");
	t_ok(read(pp[0], buf, 8) == 8 && !memcmp(buf, "sendfile", 8), "from the start");
	int out = open(p("dst"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	off = 0;
	t_eq(sendfile(out, in, &off, 1000), 26, "file to file: at most what is left");
	t_ok(!strcmp(fs_read(p("dst")), "sendfile moves these bytes"), "the copy is whole");
	int app = open(p("dst"), O_WRONLY | O_APPEND);
	t_err(sendfile(app, in, NULL, 1), EINVAL, "sendfile to an O_APPEND file -> EINVAL");
	t_err(sendfile(pp[1], out, NULL, 1), EBADF, "sendfile from a write-only fd -> EBADF");
	t_err(sendfile(in, in, NULL, 1), EBADF, "sendfile to a read-only fd -> EBADF");
	t_err(sendfile(pp[1], 77, NULL, 1), EBADF, "sendfile from a bad fd -> EBADF");
#ifdef __i386__
	off64_t off64 = 21;
	t_eq(sendfile64(pp[1], in, &off64, 5), 5, "i386 sendfile64 with a 64-bit offset");
	t_ok(off64 == 26 && read(pp[0], buf, 5) == 5 && !memcmp(buf, "bytes", 5), "it sent from 21");
#else
	off = 21;
	t_eq(sendfile(pp[1], in, &off, 5), 5, "sendfile from 21 (i386 tests sendfile64 here)");
	t_ok(off == 26 && read(pp[0], buf, 5) == 5 && !memcmp(buf, "bytes", 5), "it sent from 21");
#endif
	close(app);
	close(out);
	close(in);
	close(pp[0]);
	close(pp[1]);
}

static long cfr(int in, loff_t *oin, int out, loff_t *oout, size_t len, unsigned flags)
{
	return syscall(SYS_copy_file_range, in, oin, out, oout, len, flags);
}

static void copies(void)
{
	fs_write(p("c1"), "abcdefghij");
	fs_write(p("c2"), "");
	int in = open(p("c1"), O_RDONLY), out = open(p("c2"), O_RDWR);
	loff_t oin = 2, oout = 0;
	t_eq(cfr(in, &oin, out, &oout, 5, 0), 5, "copy_file_range with explicit offsets");
	t_ok(oin == 7 && oout == 5 && pos_of(in) == 0 && pos_of(out) == 0, "the offsets moved, the positions did not");
	t_ok(!strcmp(fs_read(p("c2")), "cdefg"), "the bytes were copied");
	t_eq(cfr(in, NULL, out, NULL, 3, 0), 3, "copy_file_range at the files' positions");
	t_ok(pos_of(in) == 3 && pos_of(out) == 3 && !strcmp(fs_read(p("c2")), "abcfg"), "both positions moved");
	oin = 100;
	t_eq(cfr(in, &oin, out, NULL, 5, 0), 0, "from past the end copies nothing");
	int rw = open(p("c1"), O_RDWR);
	oin = 0, oout = 2;
	t_err(cfr(rw, &oin, rw, &oout, 4, 0), EINVAL, "overlapping ranges of one file -> EINVAL");
	oin = 0, oout = 5;
	t_eq(cfr(rw, &oin, rw, &oout, 5, 0), 5, "disjoint ranges of one file");
	t_ok(!strcmp(fs_read(p("c1")), "abcdeabcde"), "copied within the file");
	t_err(cfr(in, NULL, out, NULL, 1, 1), EINVAL, "a non-zero flags -> EINVAL");
	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	t_err(cfr(dfd, NULL, out, NULL, 1, 0), EISDIR, "from a directory -> EISDIR");
	int pp[2];
	if (pipe(pp) < 0)
		t_die("pipe");
	t_err(cfr(in, NULL, pp[1], NULL, 1, 0), EINVAL, "into a pipe -> EINVAL");
	t_err(cfr(in, NULL, in, NULL, 1, 0), EBADF, "into a read-only fd -> EBADF");
	close(pp[0]);
	close(pp[1]);
	close(dfd);
	close(rw);
	close(in);
	close(out);
}

static void close_ranges(void)
{
	int base = open("/dev/null", O_RDONLY);
	int fds[5];
	for (int i = 0; i < 5; i++)
		fds[i] = dup(base);
	t_ok(fds[4] == base + 5, "six descriptors in a row");
	t_sys(syscall(SYS_close_range, fds[1], fds[2], 0), "close_range over two of them");
	t_ok(fcntl(fds[1], F_GETFD) < 0 && fcntl(fds[2], F_GETFD) < 0 && fcntl(fds[3], F_GETFD) == 0,
	     "those two are closed, the next is open");
	t_sys(syscall(SYS_close_range, fds[3], fds[4], CLOSE_RANGE_CLOEXEC), "close_range CLOSE_RANGE_CLOEXEC");
	t_ok(fcntl(fds[3], F_GETFD) == FD_CLOEXEC && fcntl(fds[4], F_GETFD) == FD_CLOEXEC, "they are close-on-exec now");
	t_err(syscall(SYS_close_range, 5, 4, 0), EINVAL, "first above last -> EINVAL");
	t_err(syscall(SYS_close_range, 3, 4, 0x100), EINVAL, "an unknown flag -> EINVAL");
	t_sys(syscall(SYS_close_range, fds[0], ~0U, 0), "close_range up to ~0 closes the rest");
	t_ok(fcntl(fds[0], F_GETFD) < 0 && fcntl(fds[4], F_GETFD) < 0 && fcntl(base, F_GETFD) == 0,
	     "everything from there on is closed, below stays");
	close(base);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fs_scratch("fs-rw");
	vectors();
	sendfiles();
	copies();
	close_ranges();
	fs_cleanup();
	return t_done();
}
