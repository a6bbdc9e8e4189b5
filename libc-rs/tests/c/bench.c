/* Benchmarks (not tests), built for libc-rs and for glibc alike:
     bench memcpy|strlen|printf|malloc|empty
   Each mode does a fixed amount of work; measure with
   `valgrind --tool=callgrind` (instruction counts) or `perf stat`.
   "empty" measures static start-up: execve to exit with nothing in main. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char src[65536], dst[65536];
static void *(*volatile p_memcpy)(void *, const void *, size_t) = memcpy;
static size_t (*volatile p_strlen)(const char *) = strlen;

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "empty";
	unsigned long sink = 0;
	if (!strcmp(mode, "memcpy")) {
		for (int i = 0; i < 2000; i++)		/* 2000 x (16..4096 bytes) */
			p_memcpy(dst + (i & 7), src + (i & 15), 16 + (i * 37) % 4080);
		for (int i = 0; i < 200; i++)		/* 200 x 64 KiB */
			p_memcpy(dst, src, sizeof dst);
	} else if (!strcmp(mode, "strlen")) {
		memset(src, 'a', sizeof src - 1);
		for (int i = 0; i < 20000; i++)
			sink += p_strlen(src + sizeof src - 1 - (i % 300));
		for (int i = 0; i < 200; i++)
			sink += p_strlen(src + (i & 15));
	} else if (!strcmp(mode, "printf")) {
		char buf[256];
		for (int i = 0; i < 20000; i++)
			sink += snprintf(buf, sizeof buf, "%d %s %x %08.3f|%-10s|%e", i, "str", i * 7, i / 7.0, "pad", i * 1.5);
	} else if (!strcmp(mode, "malloc")) {
		void *p[64] = {0};
		for (int i = 0; i < 100000; i++) {
			int k = (i * 13) & 63;
			free(p[k]);
			p[k] = malloc(16 + (i * 29) % 1000);
		}
		for (int k = 0; k < 64; k++)
			free(p[k]);
	}
	return (int)(sink & 1) * 0;
}
