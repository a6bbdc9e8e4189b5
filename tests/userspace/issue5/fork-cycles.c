/* fork-cycles — proves 10,000 fork/exit/wait cycles work and leak nothing:
 * each child exits with a status the parent checks, and (on Forkline) the
 * free memory reported by sysinfo() returns to its value before the cycles.
 * Linux's free memory moves with everything else on the machine, so there
 * the check is only that sysinfo() works.
 */
#include "t.h"
#include <sys/sysinfo.h>

#define CYCLES 10000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int forkline = t_is_forkline();
	printf("fork-cycles: %d cycles\n", CYCLES);
	fflush(stdout);
	/* Warm up, so that lazily allocated memory (stdio, page tables) is in place. */
	for (int i = 0; i < 10; i++) {
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
	}
	struct sysinfo before, after;
	if (sysinfo(&before) < 0)
		t_die("sysinfo");
	int good = 0;
	for (int i = 0; i < CYCLES; i++) {
		pid_t c = fork();
		if (c == 0)
			_exit(i & 0xff);
		int st;
		if (c > 0 && waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == (i & 0xff))
			good++;
		else
			break;
	}
	t_eq(good, CYCLES, "10000 fork/exit/wait cycles, each status right");
	t_sys(sysinfo(&after), "sysinfo() works");
	unsigned long long free_before = (unsigned long long)before.freeram * before.mem_unit;
	unsigned long long free_after = (unsigned long long)after.freeram * after.mem_unit;
	if (forkline) {
		/* Freed memory may be returned lazily: give it a moment. */
		for (int i = 0; i < 100 && free_after != free_before; i++) {
			t_sleep_ms(20);
			sysinfo(&after);
			free_after = (unsigned long long)after.freeram * after.mem_unit;
		}
		t_check(free_after == free_before, "free memory is back to its value before the cycles",
			"before %llu, after %llu bytes", free_before, free_after);
	} else {
		printf("sysinfo ok\n");
	}
	t_info("free before %llu, after %llu bytes", free_before, free_after);
	return t_done();
}
