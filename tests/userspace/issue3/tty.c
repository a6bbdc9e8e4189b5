/* tty — proves terminal ioctls: stdin (which the runner leaves on the
 * console; on the host a pseudo-terminal) is a tty, TCGETS and TIOCGWINSZ
 * answer; stdout (the runner's pipe), a regular file and a bad fd give
 * ENOTTY, ENOTTY and EBADF, as on Linux.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct termios tio;
	struct winsize ws;
	t_ok(isatty(0), "isatty(0): stdin is a terminal");
	t_sys(ioctl(0, TCGETS, &tio), "ioctl(0, TCGETS)");
	t_sys(tcgetattr(0, &tio), "tcgetattr(0)");
	t_info("c_iflag %#o c_oflag %#o c_cflag %#o c_lflag %#o", tio.c_iflag, tio.c_oflag, tio.c_cflag, tio.c_lflag);
	t_sys(ioctl(0, TIOCGWINSZ, &ws), "ioctl(0, TIOCGWINSZ)");
	t_info("window %d rows x %d columns", ws.ws_row, ws.ws_col);
	errno = 0;
	t_ok(!isatty(1) && errno == ENOTTY, "isatty(1) is false with ENOTTY: stdout is a pipe");
	t_err(ioctl(1, TCGETS, &tio), ENOTTY, "TCGETS on a pipe -> ENOTTY");
	t_err(ioctl(1, TIOCGWINSZ, &ws), ENOTTY, "TIOCGWINSZ on a pipe -> ENOTTY");
	int fd = open(t_path("/etc/forkline-tests/data/hello.txt"), O_RDONLY);
	t_err(ioctl(fd, TCGETS, &tio), ENOTTY, "TCGETS on a regular file -> ENOTTY");
	close(fd);
	t_err(ioctl(77, TCGETS, &tio), EBADF, "TCGETS on a bad fd -> EBADF");
	return t_done();
}
