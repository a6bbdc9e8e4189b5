/* wc [-lwc] [FILE…]: count lines, words and bytes (all three unless told
   which), per file and, for several files, in total. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
	unsigned long long lines, words, bytes;
};

static int want_l, want_w, want_c;

/* Count what one open file holds; -1 on a read error. */
static int count(int fd, struct counts *c)
{
	char buf[8192];
	int in_word = 0;
	ssize_t n;
	memset(c, 0, sizeof *c);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		c->bytes += (unsigned long long)n;
		for (ssize_t i = 0; i < n; i++) {
			int space = buf[i] == ' ' || (buf[i] >= '\t' && buf[i] <= '\r');
			c->lines += buf[i] == '\n';
			c->words += in_word && space;
			in_word = !space;
		}
	}
	c->words += in_word;
	return 0;
}

/* One line of output, in wc's column order. */
static void show(const struct counts *c, const char *name)
{
	if (want_l)
		printf("%7llu", c->lines);
	if (want_w)
		printf("%s%7llu", want_l ? " " : "", c->words);
	if (want_c)
		printf("%s%7llu", want_l || want_w ? " " : "", c->bytes);
	printf("%s%s\n", name ? " " : "", name ? name : "");
}

/* Options, then each file (stdin without any), then the total. */
int main(int argc, char **argv)
{
	int i = 1, status = 0, files = 0;
	struct counts c, total = {0, 0, 0};
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				want_l = 1;
			else if (*o == 'w')
				want_w = 1;
			else if (*o == 'c')
				want_c = 1;
			else {
				fprintf(stderr, "usage: wc [-lwc] [FILE…]\n");
				return 1;
			}
		}
	}
	if (!want_l && !want_w && !want_c)
		want_l = want_w = want_c = 1;
	if (i == argc) {
		if (count(0, &c) < 0) {
			perror("wc");
			return 1;
		}
		show(&c, 0);
		return 0;
	}
	for (; i < argc; i++, files++) {
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || count(fd, &c) < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			if (fd >= 0)
				close(fd);
			continue;
		}
		close(fd);
		show(&c, argv[i]);
		total.lines += c.lines, total.words += c.words, total.bytes += c.bytes;
	}
	if (files > 1)
		show(&total, "total");
	return status;
}
