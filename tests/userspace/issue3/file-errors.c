/* file-errors — proves the file system calls fail as Linux's do: ENOENT,
 * ENOTDIR (a file used as a directory, O_DIRECTORY on a file), EISDIR
 * (writing a directory, read() of a directory fd), ENAMETOOLONG, EBADF
 * (closed and never-opened fds, writing a read-only fd), EFAULT-free
 * ordinary errors, and that the process carries on after each.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/stat.h>

#define DATA "/etc/forkline-tests/data"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	char buf[16];
	struct stat st;
	t_err(open(t_path(DATA "/missing"), O_RDONLY), ENOENT, "open of a missing file -> ENOENT");
	t_err(open(t_path("/no/such/dir/file"), O_RDONLY), ENOENT, "open under a missing directory -> ENOENT");
	t_err(stat(t_path(DATA "/missing"), &st), ENOENT, "stat of a missing file -> ENOENT");
	t_err(open(t_path(DATA "/hello.txt/x"), O_RDONLY), ENOTDIR, "a file used as a directory -> ENOTDIR");
	t_err(open(t_path(DATA "/hello.txt"), O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file -> ENOTDIR");
	t_err(open(t_path(DATA "/dir"), O_WRONLY), EISDIR, "opening a directory for writing -> EISDIR");
	int d = open(t_path(DATA "/dir"), O_RDONLY);
	t_ok(d >= 0, "opening a directory read-only works");
	t_err(read(d, buf, sizeof buf), EISDIR, "read() of a directory -> EISDIR");
	close(d);
	char longname[300];
	memset(longname, 'a', sizeof longname);
	memcpy(longname, "/tmp/", 5);
	longname[sizeof longname - 1] = 0;
	t_err(open(longname, O_RDONLY), ENAMETOOLONG, "a 294-byte name component -> ENAMETOOLONG");
	t_err(open("", O_RDONLY), ENOENT, "open(\"\") -> ENOENT");
	t_err(read(-1, buf, 1), EBADF, "read(-1) -> EBADF");
	t_err(read(77, buf, 1), EBADF, "read of a never-opened fd -> EBADF");
	t_err(write(77, buf, 1), EBADF, "write to a never-opened fd -> EBADF");
	t_err(fstat(77, &st), EBADF, "fstat of a never-opened fd -> EBADF");
	t_err(lseek(77, 0, SEEK_SET), EBADF, "lseek of a never-opened fd -> EBADF");
	t_err(close(77), EBADF, "close of a never-opened fd -> EBADF");
	int fd = open(t_path(DATA "/hello.txt"), O_RDONLY);
	t_err(write(fd, "x", 1), EBADF, "write to a read-only fd -> EBADF");
	close(fd);
	int p[2];
	if (pipe(p) == 0) {
		t_err(lseek(p[0], 0, SEEK_SET), ESPIPE, "lseek on a pipe -> ESPIPE");
		close(p[0]), close(p[1]);
	}
	t_err(openat(77, "relative", O_RDONLY), EBADF, "openat relative to a bad fd -> EBADF");
	fd = open(t_path(DATA "/hello.txt"), O_RDONLY);
	t_err(openat(fd, "relative", O_RDONLY), ENOTDIR, "openat relative to a file fd -> ENOTDIR");
	close(fd);
	printf("still running after every error\n");
	return t_done();
}
