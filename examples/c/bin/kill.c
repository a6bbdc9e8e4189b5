/* kill [-s SIGNAL | -SIGNAL] PID… | kill -l [N]: send a signal (default
   SIGTERM) to processes; a negative PID names a process group. -l lists
   the signal names (or names signal N, or 128+N as a shell's $? has it). */
#include "../lib/signames.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse the signal, then signal each pid in turn. */
int main(int argc, char **argv)
{
	int sig, i, status;
	if (argc > 1 && !strcmp(argv[1], "-l"))
		return sig_list("kill", argc > 2 ? argv[2] : 0);
	if ((status = kill_options("kill", argc, argv, &sig, &i)))
		return status;
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (*end || end == argv[i]) {
			fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
