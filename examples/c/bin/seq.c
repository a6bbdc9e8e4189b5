/* seq [FIRST [STEP]] LAST: print the integers from FIRST (default 1) to
   LAST, STEP apart (default 1), one a line. */
#include <stdio.h>
#include <stdlib.h>

/* Parse an integer argument or exit with usage. */
static long arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || end == s) {
		fprintf(stderr, "seq: %s: not an integer\nusage: seq [FIRST [STEP]] LAST\n", s);
		exit(1);
	}
	return v;
}

/* Count up (or down, with a negative step). */
int main(int argc, char **argv)
{
	long first = 1, step = 1, last;
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: seq [FIRST [STEP]] LAST\n");
		return 1;
	}
	last = arg(argv[argc - 1]);
	if (argc > 2)
		first = arg(argv[1]);
	if (argc > 3)
		step = arg(argv[2]);
	if (step == 0) {
		fprintf(stderr, "seq: the step must not be 0\n");
		return 1;
	}
	for (long v = first; step > 0 ? v <= last : v >= last; v += step)
		printf("%ld\n", v);
	return 0;
}
