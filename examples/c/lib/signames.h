/* Signal names for the example programs that take or print them (fsh's
   kill builtin and job reports, /bin/kill): Linux's numbers on x86, the
   names `kill -l` prints. A header of static functions, so every program
   that includes it carries its own copy and no library is needed. */
#ifndef EXAMPLES_SIGNAMES_H
#define EXAMPLES_SIGNAMES_H
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Index = signal number; NULL where Linux has no name (32, 33). */
static const char *const signames[32] = {
	0, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
	"FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
	"STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
	"XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

/* "SEGV" for 11; "RTMIN+3" style names for real-time signals; 0 if none. */
static inline const char *sig_name(int sig, char buf[16])
{
	if (sig > 0 && sig < 32)
		return signames[sig];
	if (sig == 34)
		return "RTMIN";
	if (sig == 64)
		return "RTMAX";
	if (sig > 34 && sig < 64) {
		snprintf(buf, 16, "RTMIN+%d", sig - 34);
		return buf;
	}
	return 0;
}

/* The number of "TERM", "SIGTERM", "term" or "15"; -1 if unknown. */
static inline int sig_number(const char *s)
{
	if (isdigit((unsigned char)s[0])) {
		char *end;
		long n = strtol(s, &end, 10);
		return *end || n < 0 || n > 64 ? -1 : (int)n;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < 32; i++)
		if (signames[i] && strcasecmp(s, signames[i]) == 0)
			return i;
	if (strncasecmp(s, "RTMIN", 5) == 0)
		return s[5] == '+' ? 34 + atoi(s + 6) : s[5] ? -1 : 34;
	if (strncasecmp(s, "RTMAX", 5) == 0)
		return s[5] == '-' ? 64 - atoi(s + 6) : s[5] ? -1 : 64;
	return -1;
}

/* kill's options: -s SIGNAL, -SIGNAL, --. Sets *sig and *first (the first
   target); returns 0, or an exit status after a message. */
static inline int kill_options(const char *prog, int argc, char **argv, int *sig, int *first)
{
	int i = 1;
	*sig = 15; /* SIGTERM */
	if (argc > 2 && !strcmp(argv[1], "-s"))
		*sig = sig_number(argv[2]), i = 3;
	else if (argc > 1 && argv[1][0] == '-' && argv[1][1] && strcmp(argv[1], "--"))
		*sig = sig_number(argv[1] + 1), i = 2;
	if (*sig < 0) {
		fprintf(stderr, "%s: %s: no such signal\n", prog, argv[i - 1]);
		return 1;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-s SIGNAL | -SIGNAL] PID… or kill -l [N]\n");
		return 2;
	}
	*first = i;
	return 0;
}

/* `kill -l [N]`: every name, or the name of signal N (or of 128+N, the
   way a shell's $? reports a signal); 0 on success. */
static inline int sig_list(const char *prog, const char *which)
{
	char rt[16];
	if (which) {
		int n = atoi(which);
		const char *name = sig_name(n > 128 ? n - 128 : n, rt);
		if (!name) {
			fprintf(stderr, "%s: %s: no such signal\n", prog, which);
			return 1;
		}
		printf("%s\n", name);
		return 0;
	}
	int shown = 0;
	for (int s = 1; s <= 64; s++) {
		const char *name = sig_name(s, rt);
		if (name)
			printf("%2d) SIG%-10s%s", s, name, ++shown % 5 ? " " : "\n");
	}
	if (shown % 5)
		printf("\n");
	return 0;
}

#endif
