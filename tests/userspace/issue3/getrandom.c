/* getrandom — proves the kernel's random numbers: full 16- and 256-byte
 * reads, distinct results, 64 KiB covering every byte value, the flags
 * Linux accepts (GRND_NONBLOCK, GRND_RANDOM) and rejects (EINVAL), and a
 * zero-length read.
 */
#include "t.h"
#include <sys/random.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	unsigned char a[16], b[16], c[256];
	t_eq(getrandom(a, sizeof a, 0), 16, "getrandom 16 bytes");
	t_eq(getrandom(b, sizeof b, 0), 16, "getrandom 16 bytes again");
	t_ok(memcmp(a, b, 16) != 0, "two reads differ");
	t_eq(getrandom(c, sizeof c, GRND_NONBLOCK), 256, "getrandom 256 bytes, GRND_NONBLOCK");
	t_eq(getrandom(a, sizeof a, GRND_RANDOM), 16, "getrandom with GRND_RANDOM");
	t_eq(getrandom(a, 0, 0), 0, "zero bytes requested, zero returned");
	t_err(getrandom(a, sizeof a, 0x100), EINVAL, "unknown flag -> EINVAL");
	static unsigned char big[65536];
	long got = 0;
	while (got < (long)sizeof big) {
		long r = getrandom(big + got, sizeof big - (size_t)got, 0);
		if (r <= 0)
			break;
		got += r;
	}
	int seen[256] = { 0 }, all = 1;
	for (long i = 0; i < got; i++)
		seen[big[i]] = 1;
	for (int i = 0; i < 256; i++)
		all &= seen[i];
	t_ok(got == (long)sizeof big && all, "64 KiB of random bytes contain every byte value");
	return t_done();
}
