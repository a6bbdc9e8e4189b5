/* fork-cycles — proves 10,000 fork/exit/wait cycles work and leak nothing:
 * each child exits with a status the parent checks, and (on Forkline) the
 * free memory reported by sysinfo() and the buddy allocator's free-frame
 * count (/proc/forkline/frames) return to their values before the cycles
 * (never lower; higher only if memory freed late by earlier programs comes
 * back meanwhile).
 * Linux's free memory moves with everything else on the machine, so there
 * the check is only that sysinfo() works.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/sysinfo.h>

/* Forkline's free page frames ("free N" in /proc/forkline/frames), or -1. */
static long free_frames(void)
{
	char buf[128];
	int fd = open("/proc/forkline/frames", O_RDONLY);
	long n = fd < 0 ? -1 : t_read_full(fd, buf, sizeof buf - 1), v = -1;
	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = 0;
		sscanf(buf, "free %ld", &v);
	}
	return v;
}

#define CYCLES 10000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int forkline = t_is_forkline();
	printf("fork-cycles: %d cycles\n", CYCLES);
	fflush(stdout);
	/* Warm up: the starting value is taken once lazily allocated memory
	   (our stdio buffer and page tables, the kernel's caches of task and
	   pid structures) is in place; a leak shows as growth over the 10,000
	   cycles that follow. */
	for (int i = 0; i < 100; i++) {
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
	}
	/* Free memory before, half-way and after: a leak grows with the
	   cycles, a one-time allocation does not. Nothing is printed in
	   between (a pipe buffer in flight is memory too). */
	struct sysinfo si[3];
	long frames[3];
	free_frames(); /* the first reads may allocate the /proc file's own state */
	free_frames();
	int good = 0, ok = sysinfo(&si[0]) == 0;
	frames[0] = free_frames();
	for (int half = 1; half <= 2; half++) {
		for (int i = 0; i < CYCLES / 2; i++) {
			pid_t c = fork();
			if (c == 0)
				_exit(i & 0xff);
			int st;
			if (c > 0 && waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == (i & 0xff))
				good++;
		}
		ok &= sysinfo(&si[half]) == 0;
		frames[half] = free_frames();
	}
	unsigned long long free[3];
	for (int i = 0; i < 3; i++)
		free[i] = (unsigned long long)si[i].freeram * si[i].mem_unit;
	t_eq(good, CYCLES, "10000 fork/exit/wait cycles, each status right");
	t_ok(ok, "sysinfo() works");
	if (forkline) {
		/* Freed memory may be returned lazily: give it a moment. A leak
		   makes free memory fall with the cycles, so it may not fall from
		   the start to half-way nor from there to the end. It may rise:
		   memory an earlier program left to be freed lazily can come back
		   while the cycles run. */
		for (int i = 0; i < 100 && (free[2] < free[1] || frames[2] < frames[1]); i++) {
			t_sleep_ms(20);
			sysinfo(&si[2]);
			free[2] = (unsigned long long)si[2].freeram * si[2].mem_unit;
			frames[2] = free_frames();
		}
		t_check(free[1] >= free[0] && free[2] >= free[1], "free memory is back to its value before the cycles",
			"before %llu, after 5000 %llu, after 10000 %llu bytes", free[0], free[1], free[2]);
		t_check(frames[0] > 0 && frames[1] >= frames[0] && frames[2] >= frames[1],
			"the free-frame count is back to its value", "before %ld, after 5000 %ld, after 10000 %ld frames",
			frames[0], frames[1], frames[2]);
	} else {
		printf("sysinfo ok\n");
	}
	t_info("free before %llu, after 5000 cycles %llu, after 10000 %llu bytes", free[0], free[1], free[2]);
	return t_done();
}
