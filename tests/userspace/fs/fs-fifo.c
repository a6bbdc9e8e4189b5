/* fs-fifo — proves mknod and mknodat, and named pipes as Linux's
 * fifo_open makes them: a non-blocking writer without a reader gets
 * ENXIO, a non-blocking reader opens at once and reads EOF; blocking
 * opens wait for the other side (a child writes, the parent reads); an
 * O_RDWR open never waits; data flows in order and EOF follows the last
 * writer; poll sees it. mknod also makes regular files (type 0 or
 * S_IFREG) and character devices that work as the device numbers say
 * (1:3 is null, 1:5 zero); it refuses directories (EPERM), unknown types
 * (EINVAL), taken names (EEXIST) and /proc (ENOENT).
 */
#include "fs.h"
#include <poll.h>
#include <sys/sysmacros.h>

#define p fs_path

static void fifos(void)
{
	t_sys(mkfifo(p("fifo"), 0666), "mkfifo");
	struct stat st;
	t_ok(stat(p("fifo"), &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0644 && st.st_size == 0,
	     "a FIFO, mode 0666 less the umask, size 0");
	t_err(open(p("fifo"), O_WRONLY | O_NONBLOCK), ENXIO, "non-blocking writer without a reader -> ENXIO");
	int r = open(p("fifo"), O_RDONLY | O_NONBLOCK);
	t_ok(r >= 0, "a non-blocking reader opens at once");
	char buf[64];
	t_eq(read(r, buf, sizeof buf), 0, "and reads EOF while there is no writer");
	int w = open(p("fifo"), O_WRONLY | O_NONBLOCK);
	t_ok(w >= 0, "with a reader, a non-blocking writer opens");
	t_err(read(r, buf, sizeof buf), EAGAIN, "an empty FIFO with a writer: EAGAIN for a non-blocking reader");
	t_eq(write(w, "through", 7), 7, "write into the FIFO");
	struct pollfd pfd = { r, POLLIN, 0 };
	t_ok(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "poll: the reader is readable");
	t_ok(read(r, buf, sizeof buf) == 7 && !memcmp(buf, "through", 7), "the reader gets the bytes");
	close(w);
	t_eq(read(r, buf, sizeof buf), 0, "EOF once the writer is gone");
	close(r);

	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		int fd = open(p("fifo"), O_WRONLY); /* waits for the parent */
		_exit(fd >= 0 && write(fd, "rendezvous", 10) == 10 ? 0 : 1);
	}
	r = open(p("fifo"), O_RDONLY);
	t_ok(r >= 0, "a blocking reader opens once a writer comes");
	t_ok(t_read_full(r, buf, 10) == 10 && !memcmp(buf, "rendezvous", 10), "it reads what the child wrote");
	t_eq(read(r, buf, sizeof buf), 0, "then EOF: the child closed its end");
	t_wait_ok(child, "the blocked writer was released and exited 0");
	close(r);

	int rw = open(p("fifo"), O_RDWR);
	t_ok(rw >= 0, "O_RDWR opens without a partner");
	t_ok(write(rw, "self", 4) == 4 && read(rw, buf, 4) == 4 && !memcmp(buf, "self", 4), "and carries its own bytes");
	close(rw);
	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	t_sys(mknodat(dfd, "fifo2", S_IFIFO | 0600, 0), "mknodat S_IFIFO relative to a directory fd");
	t_ok(stat(p("fifo2"), &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0600, "it is a FIFO 0600");
	t_err(mknodat(dfd, "fifo2", S_IFIFO | 0600, 0), EEXIST, "mknod onto a taken name -> EEXIST");
	close(dfd);
	t_sys(unlink(p("fifo")), "unlink a FIFO");
}

static void nodes(void)
{
	struct stat st;
#ifdef SYS_mknod
	t_sys(syscall(SYS_mknod, p("plain"), 0644, 0), "mknod with type 0 (the old mknod call)");
#else
	t_sys(mknod(p("plain"), 0644, 0), "mknod with type 0");
#endif
	t_ok(stat(p("plain"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0, "makes an empty regular file");
	t_sys(mknod(p("reg"), S_IFREG | 0600, 0), "mknod S_IFREG");
	t_ok(stat(p("reg"), &st) == 0 && S_ISREG(st.st_mode), "a regular file too");
	t_err(mknod(p("dir"), S_IFDIR | 0755, 0), EPERM, "mknod S_IFDIR -> EPERM");
	t_err(mknod(p("bad"), 0170000 | 0644, 0), EINVAL, "mknod of an unknown type -> EINVAL");
	t_err(mknod("/proc/forkline-node", S_IFIFO | 0644, 0), ENOENT, "mknod in /proc -> ENOENT");
	t_err(mknod(p("nodir/x"), S_IFIFO | 0644, 0), ENOENT, "mknod in a missing directory -> ENOENT");
	t_sys(mknod(p("null"), S_IFCHR | 0666, makedev(1, 3)), "mknod c 1 3");
	t_ok(stat(p("null"), &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3,
	     "a character device 1:3");
	int fd = open(p("null"), O_RDWR);
	char buf[8];
	t_ok(fd >= 0 && write(fd, "gone", 4) == 4 && read(fd, buf, sizeof buf) == 0, "it works as /dev/null");
	close(fd);
	t_sys(mknod(p("zero"), S_IFCHR | 0444, makedev(1, 5)), "mknod c 1 5");
	fd = open(p("zero"), O_RDONLY);
	memset(buf, 7, sizeof buf);
	t_ok(fd >= 0 && read(fd, buf, sizeof buf) == (long)sizeof buf && !memcmp(buf, "\0\0\0\0\0\0\0\0", 8),
	     "it works as /dev/zero");
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	umask(022);
	fs_scratch("fs-fifo");
	fifos();
	nodes();
	fs_cleanup();
	return t_done();
}
