/* echo [-neE] [WORD…]: print the words, separated by spaces, and a newline
   (-n: none; -e: interpret \n \t \\ \c … as fsh's echo builtin does). */
#include "../lib/escapes.h"

/* All of echo is shared with the shell's builtin. */
int main(int argc, char **argv)
{
	return echo_main(argc, argv);
}
