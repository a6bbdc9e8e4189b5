/* head [-n N] [FILE…]: the first N lines (default 10) of each file or of
   stdin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy up to n lines of f to stdout. */
static void head(FILE *f, long n)
{
	int c;
	while (n > 0 && (c = getc(f)) != EOF) {
		putchar(c);
		n -= c == '\n';
	}
}

/* -n N or -N, then each file with a "==> name <==" header if several. */
int main(int argc, char **argv)
{
	long n = 10;
	int i = 1, status = 0;
	if (i < argc && !strcmp(argv[i], "-n") && i + 1 < argc)
		n = atol(argv[i + 1]), i += 2;
	else if (i < argc && argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9')
		n = atol(argv[i] + 1), i++;
	if (i == argc) {
		head(stdin, n);
		return 0;
	}
	for (int first = i; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		if (!f) {
			perror(argv[i]);
			status = 1;
			continue;
		}
		if (argc - first > 1)
			printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
		head(f, n);
		fclose(f);
	}
	return status;
}
