/* Differential test of strtol, strtoul, strtoll, strtoull, atoi: generated
   inputs (spaces, signs, prefixes, every base, overflow) printed with the
   value, errno and end offset. tests/libc.rs requires glibc's output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RNG_SEED 0x2545f4914f6cdd1dULL
#include "rng.h"

static void gen(char *s)
{
	static const char *pieces[] = {" ", "\t", "\n", "+", "-", "0", "0x", "0X", "x", "1", "7", "9", "z", "Z", "f", "F",
		"18446744073709551615", "18446744073709551616", "9223372036854775807", "9223372036854775808",
		"4294967295", "4294967296", "2147483647", "2147483648", "777", "1777777777777777777777", "zzzzzzzzzzzzz", "abc",
		"", ".", "-0", "00", "1e5"};
	s[0] = 0;
	int n = 1 + pick(5);
	for (int i = 0; i < n; i++)
		strcat(s, pieces[pick(sizeof pieces / sizeof pieces[0])]);
}

int main(void)
{
	static const int bases[] = {0, 2, 8, 10, 16, 36, 1, 37, -1, 3, 35};
	char s[256], *end;
	for (int i = 0; i < 6000; i++) {
		gen(s);
		int base = bases[pick(11)];
		errno = 0;
		end = (char *)0 + 1;
		long l = strtol(s, &end, base);
		int e1 = errno;
		long o1 = end == (char *)0 + 1 ? -99 : end - s;
		/* A bad base leaves *end untouched (glibc): print -99 then. */
#define OFF (end == (char *)0 + 1 ? -99 : end - s)
		errno = 0;
		end = (char *)0 + 1;
		unsigned long ul = strtoul(s, &end, base);
		int e2 = errno;
		long o2 = OFF;
		errno = 0;
		end = (char *)0 + 1;
		long long ll = strtoll(s, &end, base);
		int e3 = errno;
		long o3 = OFF;
		errno = 0;
		end = (char *)0 + 1;
		unsigned long long ull = strtoull(s, &end, base);
		int e4 = errno;
		long o4 = OFF;
		printf("%d [%s] b=%d l=%ld/%d/%ld ul=%lu/%d/%ld ll=%lld/%d/%ld ull=%llu/%d/%ld atoi=%d\n", i, s, base, l, e1, o1, ul,
		       e2, o2, ll, e3, o3, ull, e4, o4, base == 10 ? atoi(s) : 0);
	}
	return 0;
}
