/* fs-efault — proves the file syscalls of tests/userspace/fs refuse bad
 * user pointers with EFAULT (paths, buffers, iovecs, fd_sets, times,
 * offsets, statfs buffers) and never hurt the process or the kernel;
 * raw syscall() is used so that the C library cannot fault first.
 */
#include "fs.h"
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <termios.h>

#define BAD t_addr(16)
#define p fs_path

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fs_scratch("fs-efault");
	fs_write(p("f"), "data");
	int fd = open(p("f"), O_RDWR);
	t_err(syscall(SYS_renameat2, AT_FDCWD, BAD, AT_FDCWD, p("g"), 0), EFAULT, "renameat2 from a bad path -> EFAULT");
	t_err(syscall(SYS_renameat2, AT_FDCWD, p("f"), AT_FDCWD, BAD, 0), EFAULT, "renameat2 to a bad path -> EFAULT");
	t_err(syscall(SYS_linkat, AT_FDCWD, p("f"), AT_FDCWD, BAD, 0), EFAULT, "linkat to a bad path -> EFAULT");
	t_err(syscall(SYS_symlinkat, BAD, AT_FDCWD, p("s")), EFAULT, "symlinkat with a bad target -> EFAULT");
	t_err(syscall(SYS_mknodat, AT_FDCWD, BAD, S_IFIFO | 0600, 0), EFAULT, "mknodat at a bad path -> EFAULT");
	t_err(syscall(SYS_fchmodat, AT_FDCWD, BAD, 0600), EFAULT, "fchmodat of a bad path -> EFAULT");
	t_err(syscall(SYS_fchownat, AT_FDCWD, BAD, 0, 0, 0), EFAULT, "fchownat of a bad path -> EFAULT");
	t_err(syscall(SYS_truncate, BAD, 0), EFAULT, "truncate of a bad path -> EFAULT");
	t_err(syscall(SYS_utimensat, AT_FDCWD, p("f"), BAD, 0), EFAULT, "utimensat with bad times -> EFAULT");
	t_err(syscall(SYS_statfs, BAD, BAD), EFAULT, "statfs of a bad path -> EFAULT");
	t_err(syscall(SYS_fstatfs, fd, BAD), EFAULT, "fstatfs into a bad buffer -> EFAULT");
	struct iovec bad_base = { BAD, 4 };
	t_err(syscall(SYS_preadv, fd, BAD, 1, 0, 0), EFAULT, "preadv with a bad iovec array -> EFAULT");
	t_err(syscall(SYS_preadv, fd, &bad_base, 1, 0, 0), EFAULT, "preadv into a bad buffer -> EFAULT");
	t_err(syscall(SYS_pwritev, fd, &bad_base, 1, 0, 0), EFAULT, "pwritev from a bad buffer -> EFAULT");
	t_ok(!strcmp(fs_read(p("f")), "data"), "the file is untouched");
	int pp[2];
	if (pipe(pp) < 0)
		t_die("pipe");
	t_err(syscall(SYS_sendfile, pp[1], fd, BAD, 4), EFAULT, "sendfile with a bad offset pointer -> EFAULT");
	t_err(syscall(SYS_copy_file_range, fd, BAD, fd, NULL, 1, 0), EFAULT, "copy_file_range with a bad offset -> EFAULT");
#ifdef __i386__
	t_err(syscall(SYS__newselect, pp[0] + 1, BAD, NULL, NULL, NULL), EFAULT, "select with a bad fd_set -> EFAULT");
#else
	t_err(syscall(SYS_select, pp[0] + 1, BAD, NULL, NULL, NULL), EFAULT, "select with a bad fd_set -> EFAULT");
#endif
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(pp[0], &rs);
	t_err(syscall(SYS_pselect6, pp[0] + 1, &rs, NULL, NULL, NULL, BAD), EFAULT, "pselect6 with a bad sigmask block -> EFAULT");
	t_sys(syscall(SYS_close_range, 1000, 1001, 0), "close_range over nothing open is fine");
	t_err(ioctl(0, TCGETS, BAD), isatty(0) ? EFAULT : ENOTTY, "TCGETS into a bad buffer -> EFAULT on a terminal, else ENOTTY");
	close(pp[0]);
	close(pp[1]);
	close(fd);
	fs_cleanup();
	return t_done();
}
