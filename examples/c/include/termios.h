/* <termios.h> for the example programs, used only while libc-rs has none
   (see sys/ioctl.h here). The structure is the kernel's own (TCGETS/TCSETS,
   asm-generic/termbits.h: 19 control characters, no speed fields), so
   tcgetattr/tcsetattr are plain ioctls; glibc's larger struct converts to
   this one the same way. Flag values are Linux's. */
#ifndef _TERMIOS_H
#define _TERMIOS_H
#include <bits/alltypes.h>
#include <sys/ioctl.h>
#include <errno.h>

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 19
struct termios {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
};

/* c_cc indices */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VREPRINT 12
#define VWERASE 14
#define VLNEXT 15

/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400
#define IXON 0002000
/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004
/* c_lflag */
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000

#define TCSANOW 0
#define TCSADRAIN 1
#define TCSAFLUSH 2

/* The terminal's settings. */
static inline int tcgetattr(int fd, struct termios *t)
{
	return ioctl(fd, TCGETS, t);
}

/* Change the settings now, after output drains, or also dropping input. */
static inline int tcsetattr(int fd, int when, const struct termios *t)
{
	if (when < TCSANOW || when > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(fd, TCSETS + when, t);
}

/* The terminal's foreground process group. */
static inline pid_t tcgetpgrp(int fd)
{
	pid_t pgrp;
	return ioctl(fd, TIOCGPGRP, &pgrp) < 0 ? -1 : pgrp;
}

/* Make `pgrp` the foreground group: it reads the terminal and gets its ^C. */
static inline int tcsetpgrp(int fd, pid_t pgrp)
{
	return ioctl(fd, TIOCSPGRP, &pgrp);
}

#endif
