/* futex.h — the futex(2) operation numbers (from <linux/futex.h>, which
 * musl's toolchain does not ship) and a direct system call wrapper.
 */
#ifndef FORKLINE_FUTEX_H
#define FORKLINE_FUTEX_H

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffff

/* futex(uaddr, op, val, timeout, NULL, val3) */
static inline long futex(volatile int *uaddr, int op, int val, const struct timespec *ts, int val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, val3);
}

#endif
