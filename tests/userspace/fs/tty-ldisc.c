/* tty-ldisc — proves the terminal line discipline and job control as
 * Linux's n_tty gives them, on a real terminal: a pseudo-terminal on
 * Linux, the console on Forkline. Keys are injected with TIOCSTI (root
 * may). Canonical mode: lines, ICRNL, erase/kill/word-erase, EOF alone
 * and after text, FIONREAD counting complete lines; non-canonical mode:
 * VMIN/VTIME in all four combinations, O_NONBLOCK; TCFLSH, TCXONC,
 * TIOCOUTQ, TIOCSWINSZ; and in a new session holding the terminal
 * (TIOCSCTTY): ^C, ^\ and ^Z signal the foreground group, TIOCGPGRP,
 * TIOCGSID, TIOCSPGRP (ESRCH, EPERM), a background reader stopped by
 * SIGTTIN (EIO when it ignores it), SIGWINCH, and TIOCNOTTY hanging up.
 * Echo is off except where it does not matter: it would go to the
 * console (the unit tests of kernel/libs/ntty check what is echoed).
 */
#define _GNU_SOURCE
#include "t.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

static int term, master = -1;
static struct termios saved;

/* A terminal of our own: a pty's slave on Linux, the console here. */
static int open_terminal(void)
{
	if (t_is_forkline())
		return open("/dev/console", O_RDWR | O_NOCTTY);
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		return -1;
	return open(ptsname(master), O_RDWR | O_NOCTTY);
}

/* Type keys into the terminal as if from its keyboard. */
static void type(const char *s)
{
	for (; *s; s++)
		if (ioctl(term, TIOCSTI, s) < 0)
			t_check(0, "TIOCSTI", "%s", errname(errno));
}

/* Set the terminal to `saved` with these lflag bits off and VMIN/VTIME. */
static void mode(tcflag_t lflag_off, int vmin, int vtime)
{
	struct termios t = saved;
	t.c_lflag &= ~(lflag_off | ECHO);
	t.c_cc[VMIN] = (cc_t)vmin;
	t.c_cc[VTIME] = (cc_t)vtime;
	if (tcsetattr(term, TCSANOW, &t) < 0)
		t_die("tcsetattr");
	tcflush(term, TCIFLUSH);
}

static char last[256];
/* read() and keep what came in `last`; returns the count. */
static long rdk(size_t n)
{
	long r = read(term, last, n < sizeof last ? n : sizeof last - 1);
	last[r > 0 ? r : 0] = 0;
	return r;
}

static void canonical(void)
{
	mode(0, 1, 0);
	type("hello\r");
	t_ok(rdk(100) == 6 && !strcmp(last, "hello\n"), "a line, Enter (CR) read as \\n");
	type("one\ntwo\n");
	int n = -1;
	t_ok(ioctl(term, FIONREAD, &n) == 0 && n == 8, "FIONREAD counts two complete lines");
	t_ok(rdk(100) == 4 && !strcmp(last, "one\n"), "a read stops after one line");
	t_ok(rdk(2) == 2 && !strcmp(last, "tw"), "a short buffer takes part of the next");
	t_ok(rdk(100) == 2 && !strcmp(last, "o\n"), "and the rest comes next");
	type("ab");
	t_ok(ioctl(term, FIONREAD, &n) == 0 && n == 0, "an unfinished line is not counted");
	int fl = fcntl(term, F_GETFL);
	fcntl(term, F_SETFL, fl | O_NONBLOCK);
	t_err(read(term, last, 10), EAGAIN, "no complete line: EAGAIN with O_NONBLOCK");
	fcntl(term, F_SETFL, fl);
	type("c\n");
	t_ok(rdk(100) == 4 && !strcmp(last, "abc\n"), "finished, it reads whole");
	type("abx\x7f\n");
	t_ok(rdk(100) == 3 && !strcmp(last, "ab\n"), "DEL erases a character");
	type("xyz\x15ok\n");
	t_ok(rdk(100) == 3 && !strcmp(last, "ok\n"), "^U kills the line");
	type("one two\x17\n");
	t_ok(rdk(100) == 5 && !strcmp(last, "one \n"), "^W erases a word");
	type("\x04");
	t_eq(rdk(100), 0, "^D alone reads as end of file");
	type("abc\x04");
	t_ok(rdk(100) == 3 && !strcmp(last, "abc"), "^D after text pushes it without a newline");
}

static void noncanonical(void)
{
	mode(ICANON, 0, 0);
	t_eq(rdk(100), 0, "MIN 0 TIME 0 with nothing typed: 0 at once");
	type("xy");
	t_ok(rdk(100) == 2 && !strcmp(last, "xy"), "MIN 0 TIME 0: what is there");
	int n = -1;
	type("\x7fq");
	t_ok(ioctl(term, FIONREAD, &n) == 0 && n == 2 && rdk(100) == 2 && !strcmp(last, "\x7fq"), "no editing: DEL is a byte");
	mode(ICANON, 0, 2);
	long long t0 = t_ns(CLOCK_MONOTONIC);
	t_eq(rdk(100), 0, "MIN 0 TIME 2 with nothing typed: 0");
	long long dt = t_ns(CLOCK_MONOTONIC) - t0;
	t_ok(dt >= 150000000LL, "after about two tenths of a second");
	type("z");
	t_ok(rdk(100) == 1 && !strcmp(last, "z"), "MIN 0 TIME 2: one byte is enough");
	mode(ICANON, 3, 0);
	type("abcd");
	t_ok(rdk(100) == 4 && !strcmp(last, "abcd"), "MIN 3: all that is there once 3 are");
	type("ab");
	int fl = fcntl(term, F_GETFL);
	fcntl(term, F_SETFL, fl | O_NONBLOCK);
	t_ok(rdk(100) == 2, "MIN 3 with 2 typed and O_NONBLOCK: the 2");
	t_err(read(term, last, 100), EAGAIN, "then EAGAIN");
	fcntl(term, F_SETFL, fl);
	mode(ICANON, 2, 1);
	type("a");
	t0 = t_ns(CLOCK_MONOTONIC);
	t_ok(rdk(100) == 1 && !strcmp(last, "a"), "MIN 2 TIME 1: one byte then a tenth of silence");
	t_ok(t_ns(CLOCK_MONOTONIC) - t0 >= 70000000LL, "the inter-byte timer ran");
	struct termios t;
	tcgetattr(term, &t);
	t.c_iflag &= ~ICRNL;
	tcsetattr(term, TCSANOW, &t);
	type("\r");
	t_ok(rdk(100) == 1 && last[0] == '\r', "without ICRNL a CR stays a CR");
	t.c_iflag |= IGNCR;
	tcsetattr(term, TCSANOW, &t);
	type("\rk");
	t_ok(rdk(100) == 1 && last[0] == 'k', "IGNCR drops CRs");
}

static void controls(void)
{
	mode(0, 1, 0);
	type("junk\n");
	int n = -1;
	t_sys(tcflush(term, TCIFLUSH), "tcflush TCIFLUSH");
	t_ok(ioctl(term, FIONREAD, &n) == 0 && n == 0, "the input is gone");
	t_err(ioctl(term, TCFLSH, 7), EINVAL, "TCFLSH with a bad queue -> EINVAL");
	t_sys(tcflow(term, TCOOFF), "tcflow TCOOFF");
	t_sys(tcflow(term, TCOON), "tcflow TCOON");
	t_err(ioctl(term, TCXONC, 9), EINVAL, "TCXONC with a bad action -> EINVAL");
	t_sys(tcdrain(term), "tcdrain (TCSBRK)");
	t_ok(ioctl(term, TIOCOUTQ, &n) == 0 && n >= 0, "TIOCOUTQ answers");
	struct winsize old, w = { 33, 99, 0, 0 }, got;
	ioctl(term, TIOCGWINSZ, &old);
	t_sys(ioctl(term, TIOCSWINSZ, &w), "TIOCSWINSZ");
	t_ok(ioctl(term, TIOCGWINSZ, &got) == 0 && got.ws_row == 33 && got.ws_col == 99, "TIOCGWINSZ gives it back");
	ioctl(term, TIOCSWINSZ, &old);
	t_err(ioctl(term, TIOCGPGRP, &n), ENOTTY, "TIOCGPGRP on a terminal that is not ours -> ENOTTY");
	t_err(ioctl(term, TIOCGSID, &n), ENOTTY, "TIOCGSID likewise -> ENOTTY");
	t_err(ioctl(term, TIOCSCTTY, 0), EPERM, "TIOCSCTTY by a non-leader of a session -> EPERM");
	t_err(ioctl(term, TIOCNOTTY), ENOTTY, "TIOCNOTTY on a terminal that is not ours -> ENOTTY");
}

static volatile sig_atomic_t seen[32];
static void note(int sig)
{
	seen[sig] = 1;
}

/* In a new session that takes the terminal: signals and job control. */
static int session_leader(void *arg)
{
	(void)arg;
	if (setsid() < 0 || ioctl(term, TIOCSCTTY, 0) < 0) {
		printf("FAIL: setsid + TIOCSCTTY: %s\n", errname(errno));
		return 1;
	}
	int pg = -1, sid = -1;
	if (!t_ok(ioctl(term, TIOCGPGRP, &pg) == 0 && pg == getpgrp(), "TIOCSCTTY made our group the foreground"))
		return 1; /* never type signal keys at someone else's group */
	t_ok(ioctl(term, TIOCGSID, &sid) == 0 && sid == getsid(0), "TIOCGSID gives our session");
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = note;
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD)
			sigaction(s, &sa, NULL);
	mode(0, 1, 0);
	type("lost\x03");
	t_ok(seen[SIGINT], "^C sends SIGINT to the foreground group");
	int n = -1;
	t_ok(ioctl(term, FIONREAD, &n) == 0 && n == 0, "and flushes the unfinished line");
	type("\x1c");
	t_ok(seen[SIGQUIT], "^\\ sends SIGQUIT");
	type("\x1a");
	t_ok(seen[SIGTSTP], "^Z sends SIGTSTP");
	struct winsize old, w;
	ioctl(term, TIOCGWINSZ, &old);
	w = old;
	w.ws_col = (unsigned short)(old.ws_col + 1);
	ioctl(term, TIOCSWINSZ, &w);
	t_ok(seen[SIGWINCH], "a new window size sends SIGWINCH");
	ioctl(term, TIOCSWINSZ, &old);
	pg = 999999;
	t_err(ioctl(term, TIOCSPGRP, &pg), ESRCH, "TIOCSPGRP to no group -> ESRCH");
	pg = getpgid(getppid());
	t_err(ioctl(term, TIOCSPGRP, &pg), EPERM, "TIOCSPGRP to a group of another session -> EPERM");

	int go[2];
	if (pipe(go) < 0)
		return 1;
	fflush(stdout);
	pid_t bg = fork();
	if (bg == 0) {
		setpgid(0, 0);
		signal(SIGTTIN, SIG_DFL); /* the parent catches it */
		char c;
		if (read(go[0], &c, 1) != 1) /* wait until the parent saw the group */
			_exit(3);
		_exit(read(term, &c, 1) == 1 ? 0 : 4); /* a background read */
	}
	setpgid(bg, bg);
	signal(SIGTTOU, SIG_IGN);
	write(go[1], "g", 1);
	int st = 0;
	t_ok(waitpid(bg, &st, WUNTRACED) == bg && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN,
	     "a background reader is stopped by SIGTTIN");
	kill(bg, SIGKILL);
	waitpid(bg, &st, 0);
	fflush(stdout);
	bg = fork();
	if (bg == 0) {
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		char c;
		errno = 0;
		long r = read(term, &c, 1);
		_exit(r < 0 && errno == EIO ? 0 : 5);
	}
	setpgid(bg, bg);
	t_wait_ok(bg, "ignoring SIGTTIN, the background reader gets EIO");
	pg = getpgrp();
	t_sys(ioctl(term, TIOCSPGRP, &pg), "TIOCSPGRP to our own group");
	signal(SIGHUP, SIG_IGN);
	t_sys(ioctl(term, TIOCNOTTY), "TIOCNOTTY by the session leader");
	t_err(ioctl(term, TIOCGPGRP, &pg), ENOTTY, "afterwards the terminal is not ours");
	fflush(stdout);
	return t_failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	term = open_terminal();
	if (term < 0 || tcgetattr(term, &saved) < 0)
		t_die("open a terminal");
	canonical();
	noncanonical();
	controls();
	int st = t_in_child(session_leader, NULL);
	t_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the session leader's checks passed", "%s", t_status(st));
	tcsetattr(term, TCSANOW, &saved);
	tcflush(term, TCIFLUSH);
	close(term);
	if (master >= 0)
		close(master);
	return t_done();
}
