/* cat [-n] [FILE…]: copy files (or stdin, also for "-") to stdout;
   -n numbers the lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int number, line = 1, at_line_start = 1;

/* Write all of buf, retrying short writes; 0 on success. */
static int write_all(const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(1, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy one open file to stdout; 0 on success. */
static int copy(int fd, const char *name)
{
	char buf[8192];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (!number) {
			if (write_all(buf, (size_t)n) < 0)
				return 1;
			continue;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (at_line_start)
				printf("%6d\t", line++);
			putchar(buf[i]);
			at_line_start = buf[i] == '\n';
		}
		fflush(stdout);
	}
	return 0;
}

/* Each file in turn; a missing one is reported and the rest still copied. */
int main(int argc, char **argv)
{
	int i = 1, status = 0;
	if (argc > 1 && !strcmp(argv[1], "-n"))
		number = 1, i = 2;
	if (i == argc)
		return copy(0, "stdin");
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			status |= copy(0, "stdin");
			continue;
		}
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
