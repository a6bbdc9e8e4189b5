/* sys/select.h: select and pselect over fd_set (FD_SETSIZE 1024 bits). */
#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H
#include <bits/alltypes.h>

__FL_BEGIN
#define FD_SETSIZE 1024
typedef long __fd_mask;
#define __NFDBITS (8 * (int)sizeof(__fd_mask))
typedef struct { __fd_mask fds_bits[FD_SETSIZE / __NFDBITS]; } fd_set;
#define FD_ZERO(s) __builtin_memset((s), 0, sizeof(fd_set))
#define FD_SET(d, s) ((void)((s)->fds_bits[(d) / __NFDBITS] |= (__fd_mask)(1UL << ((d) % __NFDBITS))))
#define FD_CLR(d, s) ((void)((s)->fds_bits[(d) / __NFDBITS] &= ~(__fd_mask)(1UL << ((d) % __NFDBITS))))
#define FD_ISSET(d, s) (((s)->fds_bits[(d) / __NFDBITS] & (__fd_mask)(1UL << ((d) % __NFDBITS))) != 0)

int select(int, fd_set *, fd_set *, fd_set *, struct timeval *);
int pselect(int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *);
__FL_END
#endif
