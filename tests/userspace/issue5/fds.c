/* fds — proves the fd table calls: dup takes the lowest free fd and shares
 * the file offset; dup2 onto an open fd closes it first, onto itself is a
 * no-op; dup3 with O_CLOEXEC, and EINVAL for the same fd or bad flags;
 * fcntl F_DUPFD/F_DUPFD_CLOEXEC (at or above the argument), F_GETFD/F_SETFD
 * and F_GETFL/F_SETFL; a forked child shares offsets but has its own table;
 * execve closes exactly the close-on-exec fds.
 */
#include "t.h"
#include <fcntl.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	const char *path = t_path("/etc/forkline-tests/data/hello.txt");
	int fd = open(path, O_RDONLY);
	t_eq(fd, 3, "open gives fd 3");
	int d = dup(fd);
	t_eq(d, 4, "dup gives the lowest free fd, 4");
	char b[8];
	read(fd, b, 6);
	t_eq(lseek(d, 0, SEEK_CUR), 6, "dup'd fds share the file offset");
	t_eq(fcntl(d, F_GETFD), 0, "dup clears FD_CLOEXEC");

	int other = open(t_path("/etc/forkline-tests/data/dir/inner.txt"), O_RDONLY);
	t_eq(dup2(fd, other), other, "dup2 onto an open fd");
	t_ok(lseek(other, 0, SEEK_CUR) == 6, "the target now is the same open file (the old one was closed)");
	t_eq(dup2(fd, fd), fd, "dup2 of an fd onto itself returns it");
	t_err(dup2(77, 10), EBADF, "dup2 of a bad fd -> EBADF");
	t_eq(dup3(fd, 10, O_CLOEXEC), 10, "dup3 with O_CLOEXEC");
	t_eq(fcntl(10, F_GETFD), FD_CLOEXEC, "the new fd is close-on-exec");
	t_err(dup3(fd, fd, 0), EINVAL, "dup3 onto the same fd -> EINVAL");
	t_err(syscall(SYS_dup3, fd, 11, 0x40000000), EINVAL, "dup3 with a bad flag -> EINVAL"); /* raw: musl drops it */
	int f20 = fcntl(fd, F_DUPFD, 20);
	t_eq(f20, 20, "F_DUPFD 20 gives 20");
	t_eq(fcntl(fd, F_DUPFD, 20), 21, "F_DUPFD 20 again gives 21");
	int fc = fcntl(fd, F_DUPFD_CLOEXEC, 30);
	t_ok(fc == 30 && fcntl(fc, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC");
	t_sys(fcntl(d, F_SETFD, FD_CLOEXEC), "F_SETFD FD_CLOEXEC");
	t_eq(fcntl(d, F_GETFD), FD_CLOEXEC, "F_GETFD reads it back");
	t_eq(fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY, "F_GETFL: O_RDONLY");
	t_sys(fcntl(fd, F_SETFL, O_NONBLOCK), "F_SETFL O_NONBLOCK");
	t_ok(fcntl(20, F_GETFL) & O_NONBLOCK, "status flags are shared by dup'd fds");
	fcntl(fd, F_SETFL, 0);
	t_err(fcntl(77, F_GETFD), EBADF, "fcntl of a bad fd -> EBADF");

	lseek(fd, 0, SEEK_SET);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		read(fd, b, 5);
		close(20);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	t_eq(lseek(fd, 0, SEEK_CUR), 5, "a child's read moves the shared offset");
	t_ok(fcntl(20, F_GETFD) != -1, "a child's close leaves our fd open");

	/* fd 3 and 20 stay, 4 (F_SETFD), 10 (dup3) and 30 (F_DUPFD_CLOEXEC) close. */
	c = fork();
	if (c == 0) {
		char *args[] = { (char *)t_self, "helper", "fds", "3:open", "20:open", "4:closed", "10:closed", "30:closed", NULL };
		execv(t_self, args);
		_exit(127);
	}
	t_wait_ok(c, "execve closed the close-on-exec fds and only those");
	return t_done();
}
