/* pipes — proves pipes between processes: 4 MiB from child to parent and
 * 1 MiB back arrive intact; read returns what is there, and 0 (EOF) once
 * every write end is closed; writes to a pipe nobody reads kill with
 * SIGPIPE, or fail with EPIPE when SIGPIPE is ignored; writes of at most
 * PIPE_BUF are atomic between concurrent writers; pipe2 flags O_CLOEXEC and
 * O_NONBLOCK (EAGAIN on empty and full) work; bad flags give EINVAL.
 */
#include "t.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

static unsigned char byte_at(long i)
{
	return (unsigned char)(i * 13 + (i >> 10));
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	struct stat st;
	t_ok(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat: a FIFO");
	long total = 4L << 20;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		static unsigned char buf[70000];
		for (long off = 0, n = 1; off < total; off += n, n = n * 3 % 69997 + 1) {
			if (off + n > total)
				n = total - off;
			for (long i = 0; i < n; i++)
				buf[i] = byte_at(off + i);
			if (t_write_full(p[1], buf, (size_t)n) != n)
				_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	static unsigned char buf[65536];
	long got = 0, r;
	int same = 1;
	while ((r = read(p[0], buf, sizeof buf)) > 0) {
		for (long i = 0; i < r; i++)
			same &= buf[i] == byte_at(got + i);
		got += r;
	}
	t_ok(got == total && same, "4 MiB from child to parent, intact");
	t_eq(r, 0, "read returns 0 (EOF) after the writer exits");
	t_wait_ok(c, "the writer exited 0");
	close(p[0]);

	int back[2];
	if (pipe(back) < 0)
		t_die("pipe");
	fflush(stdout);
	c = fork();
	if (c == 0) {
		close(back[1]);
		long n = 0, sum = 0;
		while ((r = read(back[0], buf, sizeof buf)) > 0)
			for (long i = 0; i < r; i++, n++)
				sum += buf[i] == byte_at(n);
		_exit(n == (1 << 20) && sum == n ? 0 : 1);
	}
	close(back[0]);
	for (long off = 0; off < (1 << 20); off += 4096) {
		for (int i = 0; i < 4096; i++)
			buf[i] = byte_at(off + i);
		t_write_full(back[1], buf, 4096);
	}
	close(back[1]);
	t_wait_ok(c, "1 MiB from parent to child, intact");

	if (pipe(p) < 0)
		t_die("pipe");
	t_eq(write(p[1], "0123456789", 10), 10, "write 10 bytes");
	t_eq(read(p[0], buf, 100), 10, "read(100) returns the 10 that are there");
	close(p[0]);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	int s;
	waitpid(c, &s, 0);
	t_status_is(s, "signal 13 (SIGPIPE)", "writing to a pipe without readers: killed by SIGPIPE");
	signal(SIGPIPE, SIG_IGN);
	t_err(write(p[1], "x", 1), EPIPE, "with SIGPIPE ignored: EPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);

	/* Two writers of PIPE_BUF-sized records: none may interleave. */
	if (pipe(p) < 0)
		t_die("pipe");
	pid_t w[2];
	for (int k = 0; k < 2; k++) {
		fflush(stdout);
		w[k] = fork();
		if (w[k] == 0) {
			close(p[0]);
			static char rec[PIPE_BUF];
			memset(rec, 'a' + k, sizeof rec);
			for (int i = 0; i < 200; i++)
				if (write(p[1], rec, sizeof rec) != sizeof rec)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	static char rec[PIPE_BUF];
	int records = 0, whole = 1;
	while (t_read_full(p[0], rec, sizeof rec) == sizeof rec) {
		records++;
		for (size_t i = 1; i < sizeof rec; i++)
			whole &= rec[i] == rec[0];
	}
	t_ok(records == 400 && whole, "writes of PIPE_BUF bytes from two processes never interleave");
	t_wait_ok(w[0], "writer 1 done");
	t_wait_ok(w[1], "writer 2 done");
	close(p[0]);

	t_sys(pipe2(p, O_CLOEXEC), "pipe2(O_CLOEXEC)");
	t_ok(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC, "both ends are close-on-exec");
	close(p[0]), close(p[1]);
	t_sys(pipe2(p, O_NONBLOCK), "pipe2(O_NONBLOCK)");
	t_err(read(p[0], buf, 1), EAGAIN, "reading an empty non-blocking pipe -> EAGAIN");
	long cap = 0;
	while ((r = write(p[1], buf, 4096)) > 0)
		cap += r;
	t_ok(r == -1 && errno == EAGAIN && cap >= 4096, "writing a full non-blocking pipe -> EAGAIN");
	t_info("pipe capacity %ld bytes", cap);
	close(p[0]), close(p[1]);
	t_err(pipe2(p, 0x12345678), EINVAL, "pipe2 with unknown flags -> EINVAL");
	return t_done();
}
