/* The backslash escapes of `echo -e` (\n \t \r \a \e \\ \0NNN, and \c to
   stop), shared by fsh's echo builtin and /bin/echo. */
#ifndef EXAMPLES_ESCAPES_H
#define EXAMPLES_ESCAPES_H
#include <stdio.h>

/* Print s to f with its escapes interpreted; 0 if \c said to stop. */
static inline int print_escaped(const char *s, FILE *f)
{
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			fputc(*s, f);
			continue;
		}
		switch (*++s) {
		case 'n': fputc('\n', f); break;
		case 't': fputc('\t', f); break;
		case 'r': fputc('\r', f); break;
		case 'a': fputc('\a', f); break;
		case 'e': fputc('\033', f); break;
		case '\\': fputc('\\', f); break;
		case 'c': return 0;
		case '0': {
			int v = 0;
			for (int k = 0; k < 3 && s[1] >= '0' && s[1] <= '7'; k++)
				v = v * 8 + (*++s - '0');
			fputc(v, f);
			break;
		}
		default: fputc('\\', f); fputc(*s, f); break;
		}
	}
	return 1;
}

/* echo's options: -n (no newline), -e (escapes), -E (none); returns the
   index of the first word to print. */
static inline int echo_options(int argc, char **argv, int *newline, int *escapes)
{
	int i = 1;
	*newline = 1;
	*escapes = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i] + 1;
		while (*o == 'n' || *o == 'e' || *o == 'E')
			o++;
		if (*o)
			break; /* not an option word: print it */
		for (o = argv[i] + 1; *o; o++) {
			if (*o == 'n')
				*newline = 0;
			else
				*escapes = *o == 'e';
		}
	}
	return i;
}

/* The whole of echo: print words with spaces between; 0 on success. */
static inline int echo_main(int argc, char **argv)
{
	int newline, escapes;
	for (int i = echo_options(argc, argv, &newline, &escapes), first = i; i < argc; i++) {
		if (i > first)
			putchar(' ');
		if (escapes && !print_escaped(argv[i], stdout))
			return fflush(stdout) ? 1 : 0;
		if (!escapes)
			fputs(argv[i], stdout);
	}
	if (newline)
		putchar('\n');
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}

#endif
