/* sig-restart — proves what a signal does to a blocked system call: with
 * SA_RESTART a read() from an empty pipe is restarted after the handler
 * and returns the data written later, and so is waitpid(); without
 * SA_RESTART both fail with EINTR; nanosleep() fails with EINTR and the
 * time left even with SA_RESTART, and pause() always returns EINTR.
 * Each case is retried (up to 3 times) when the signal happened to arrive
 * before the call blocked, so a slow machine cannot fail it.
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

/* What each case blocks in; the fd is a pipe's read end, the pid the
   child that signals us. */
enum call { READ, WAITPID, NANOSLEEP, PAUSE };

struct outcome {
	long r;
	int err;
	char byte;
	struct timespec rem;
};

/* Block in call while a child signals us after 200 ms and, 200 ms later,
   writes 'x' to the pipe and exits. Retried while the signal came before
   the call blocked; returns 0 if it never came during the call. */
static int attempt(enum call call, int restart, struct outcome *o)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = restart ? SA_RESTART : 0 };
	sigaction(SIGUSR1, &sa, NULL);
	for (int tries = 0; tries < 3; tries++) {
		int p[2];
		if (pipe(p) < 0)
			t_die("pipe");
		handled = during = 0;
		memset(o, 0, sizeof *o);
		fflush(stdout);
		pid_t c = fork();
		if (c == 0) {
			t_sleep_ms(200);
			kill(getppid(), SIGUSR1);
			t_sleep_ms(200);
			write(p[1], "x", 1);
			_exit(0);
		}
		struct timespec ts = { 5, 0 };
		int st;
		in_call = 1;
		switch (call) {
		case READ: o->r = read(p[0], &o->byte, 1); break;
		case WAITPID: o->r = waitpid(c, &st, 0); break;
		case NANOSLEEP: o->r = nanosleep(&ts, &o->rem); break;
		case PAUSE: o->r = pause(); break;
		}
		o->err = errno;
		in_call = 0;
		if (call == READ && o->r == -1)
			read(p[0], &o->byte, 1); /* the data still comes */
		if (!(call == WAITPID && o->r == c))
			waitpid(c, &st, 0);
		close(p[0]);
		close(p[1]);
		if (during)
			return 1;
	}
	return t_check(0, "the signal arrived during the blocking call", "never, in 3 tries");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct outcome o;
	if (attempt(READ, 1, &o))
		t_check(handled == 1 && o.r == 1 && o.byte == 'x', "SA_RESTART: read() restarted after the handler, got the data",
			"r %ld, %s", o.r, errname(o.err));
	if (attempt(READ, 0, &o))
		t_check(handled == 1 && o.r == -1 && o.err == EINTR && o.byte == 'x', "no SA_RESTART: read() -> EINTR",
			"r %ld, %s", o.r, errname(o.err));
	if (attempt(WAITPID, 1, &o))
		t_check(handled == 1 && o.r > 0, "SA_RESTART: waitpid() restarted after the handler", "r %ld, %s", o.r,
			errname(o.err));
	if (attempt(WAITPID, 0, &o))
		t_check(handled == 1 && o.r == -1 && o.err == EINTR, "no SA_RESTART: waitpid() -> EINTR", "r %ld, %s", o.r,
			errname(o.err));
	if (attempt(NANOSLEEP, 1, &o)) {
		t_check(o.r == -1 && o.err == EINTR, "nanosleep() -> EINTR, even with SA_RESTART", "r %ld, %s", o.r,
			errname(o.err));
		t_check(o.rem.tv_sec > 0 && o.rem.tv_sec < 5, "nanosleep() reports the time left", "%lld s left",
			(long long)o.rem.tv_sec);
	}
	if (attempt(PAUSE, 1, &o))
		t_check(o.r == -1 && o.err == EINTR, "pause() -> EINTR", "r %ld, %s", o.r, errname(o.err));
	return t_done();
}
