/* env [-i] [NAME=VALUE…] [COMMAND [ARG…]]: print the environment, or run
   COMMAND with it changed (-i: starting from an empty one). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Apply the options and assignments, then print or exec. */
int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && !strcmp(argv[i], "-i")) {
		clearenv();
		i++;
	}
	for (; i < argc && strchr(argv[i], '='); i++) {
		if (putenv(argv[i]) != 0) {
			perror("env");
			return 125;
		}
	}
	if (i == argc) {
		for (char **e = environ; e && *e; e++)
			printf("%s\n", *e);
		return 0;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
