/* sig-restart — proves what a signal does to a blocked system call: with
 * SA_RESTART a read() from an empty pipe is restarted after the handler
 * and returns the data written later; without it read() fails with EINTR;
 * waitpid() behaves the same; nanosleep() and pause() always return EINTR
 * (nanosleep with the time left).
 */
#include "t.h"

static volatile int handled, during;
static volatile int in_call;

static void handler(int sig)
{
	(void)sig;
	handled++;
	during = in_call;
}

/* A child that signals us after ms, then (if data) writes 'x' to fd. */
static pid_t poke(int fd, int ms)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		t_sleep_ms(ms);
		kill(getppid(), SIGUSR1);
		t_sleep_ms(ms);
		if (fd >= 0)
			write(fd, "x", 1);
		_exit(0);
	}
	return c;
}

/* One read experiment; retried when the signal came before read began. */
static void read_case(int restart)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = restart ? SA_RESTART : 0 };
	sigaction(SIGUSR1, &sa, NULL);
	for (int attempt = 0; attempt < 3; attempt++) {
		int p[2];
		if (pipe(p) < 0)
			t_die("pipe");
		handled = during = 0;
		pid_t c = poke(p[1], 200);
		char b = 0;
		in_call = 1;
		long r = read(p[0], &b, 1);
		int e = errno;
		in_call = 0;
		if (!restart && r == -1)
			r = read(p[0], &b, 1);
		waitpid(c, NULL, 0);
		close(p[0]);
		close(p[1]);
		if (!during)
			continue; /* the signal arrived before read() blocked */
		if (restart)
			t_ok(handled == 1 && r == 1 && b == 'x', "SA_RESTART: read() restarted after the handler, got the data");
		else
			t_check(handled == 1 && e == EINTR && b == 'x', "no SA_RESTART: read() failed with EINTR",
				"errno %s", errname(e));
		return;
	}
	t_check(0, "read case", "the signal never arrived during read()");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	read_case(1);
	read_case(0);

	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	sigaction(SIGUSR1, &sa, NULL);
	handled = 0;
	pid_t c = poke(-1, 200);
	int st;
	t_ok(waitpid(c, &st, 0) == c && handled == 1, "SA_RESTART: waitpid() restarted after the handler");
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	handled = 0;
	c = poke(-1, 200);
	errno = 0;
	pid_t r = waitpid(c, &st, 0);
	t_ok(r == -1 && errno == EINTR && handled == 1, "no SA_RESTART: waitpid() -> EINTR");
	waitpid(c, &st, 0);

	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	c = poke(-1, 200);
	struct timespec ts = { 5, 0 }, rem = { 0, 0 };
	errno = 0;
	int n = nanosleep(&ts, &rem);
	t_ok(n == -1 && errno == EINTR, "nanosleep() -> EINTR, even with SA_RESTART");
	t_ok(rem.tv_sec > 0 && rem.tv_sec < 5, "nanosleep() reports the time left");
	waitpid(c, &st, 0);
	c = poke(-1, 200);
	errno = 0;
	t_ok(pause() == -1 && errno == EINTR, "pause() -> EINTR");
	waitpid(c, &st, 0);
	return t_done();
}
