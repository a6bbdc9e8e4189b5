/* grep [-vcnix] PATTERN [FILE…]: print the lines that contain PATTERN, a
   fixed string, with ^ and $ anchoring it to the start or end of the line.
   -v the lines that do not, -c only count them, -n with line numbers, -i
   ignoring case, -x whole lines only. Exit 0 if a line was selected, 1 if
   none, 2 on an error. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int invert, count_only, numbers, icase, whole;
static int anchor_start, anchor_end;
static const char *pattern;
static size_t plen;

/* Do n bytes at a and b match (case-folded with -i)? */
static int same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (icase ? tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]) : a[i] != b[i])
			return 0;
	return 1;
}

/* Does the line (without its newline) match? */
static int matches(const char *line, size_t len)
{
	if (plen > len)
		return 0;
	if (whole || (anchor_start && anchor_end))
		return len == plen && same(line, pattern, plen);
	if (anchor_start)
		return same(line, pattern, plen);
	if (anchor_end)
		return same(line + len - plen, pattern, plen);
	for (size_t i = 0; i + plen <= len; i++)
		if (same(line + i, pattern, plen))
			return 1;
	return 0;
}

/* Scan one file; how many lines were selected. */
static long grep(FILE *f, const char *name, int show_name)
{
	char *line = 0;
	size_t cap = 0;
	ssize_t n;
	long selected = 0, lineno = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)n - (line[n - 1] == '\n');
		lineno++;
		if (matches(line, len) == invert)
			continue;
		selected++;
		if (count_only)
			continue;
		if (show_name)
			printf("%s:", name);
		if (numbers)
			printf("%ld:", lineno);
		fwrite(line, 1, len, stdout);
		putchar('\n');
	}
	free(line);
	if (count_only)
		printf("%s%s%ld\n", show_name ? name : "", show_name ? ":" : "", selected);
	return selected;
}

/* Options, the pattern and its anchors, then each file (or stdin). */
int main(int argc, char **argv)
{
	int i = 1, status = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			switch (*o) {
			case 'v': invert = 1; break;
			case 'c': count_only = 1; break;
			case 'n': numbers = 1; break;
			case 'i': icase = 1; break;
			case 'x': whole = 1; break;
			default:
				fprintf(stderr, "usage: grep [-vcnix] PATTERN [FILE…]\n");
				return 2;
			}
		}
	}
	if (i == argc) {
		fprintf(stderr, "usage: grep [-vcnix] PATTERN [FILE…]\n");
		return 2;
	}
	pattern = argv[i++];
	plen = strlen(pattern);
	if (pattern[0] == '^')
		anchor_start = 1, pattern++, plen--;
	if (plen && pattern[plen - 1] == '$')
		anchor_end = 1, plen--;
	if (i == argc)
		return grep(stdin, "(stdin)", 0) ? 0 : 1;
	int several = argc - i > 1;
	for (; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		if (!f) {
			fprintf(stderr, "grep: %s: ", argv[i]);
			perror(0);
			status = 2;
			continue;
		}
		if (grep(f, argv[i], several) && status == 1)
			status = 0;
		fclose(f);
	}
	return status;
}
