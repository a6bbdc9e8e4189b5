/* <sys/ioctl.h> for the example programs, used only while libc-rs has none:
   the examples are compiled with `-idirafter examples/c/include`, so
   libc-rs's own header wins as soon as it exists. ioctl() itself is in
   libc-rs's libc.a. Request numbers are Linux's (asm-generic/ioctls.h). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

int ioctl(int, unsigned long, ...);

#endif
