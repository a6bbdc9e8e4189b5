/* exit — proves a program's exit status reaches its parent: `exit N` calls
 * exit(N) after registering an atexit handler and leaving output in the
 * stdio buffer (both must happen); `exit raw N` makes the exit_group system
 * call directly. The list checks the status the runner sees.
 */
#include "t.h"

static void at_exit(void)
{
	printf("atexit handler ran\n");
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "raw")) {
		printf("exit_group(%s)\n", argv[2]);
		fflush(stdout);
		syscall(SYS_exit_group, atoi(argv[2]));
		return 99;
	}
	if (argc != 2)
		return 99;
	atexit(at_exit);
	setvbuf(stdout, NULL, _IOFBF, 0);
	printf("exit(%s), this line still in the stdio buffer\n", argv[1]);
	exit(atoi(argv[1]));
}
