/* loadavg — proves the load averages move with the load: two children
 * spin for six seconds, so at least one five-second sample sees two or
 * more runnable tasks, and the 1-minute average in /proc/loadavg and in
 * sysinfo() rises above zero; the two sources agree; the runnable/total
 * field counts the spinners.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/sysinfo.h>

/* The 1-minute average and runnable/total from /proc/loadavg. */
static int read_loadavg(double *one, int *running, int *total)
{
	char buf[128] = "";
	int fd = open("/proc/loadavg", O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, sizeof buf - 1);
	close(fd);
	double five, fifteen;
	int last;
	return n > 0 && sscanf(buf, "%lf %lf %lf %d/%d %d", one, &five, &fifteen, running, total, &last) == 6 ? 0
														: -1;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	pid_t kids[2];
	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			for (volatile unsigned long x = 0;; x++)
				;
	}
	t_sleep_ms(6000);
	double one, again;
	int running, total;
	t_sys(read_loadavg(&one, &running, &total), "/proc/loadavg has five fields and the last pid");
	struct sysinfo si;
	t_sys(sysinfo(&si), "sysinfo");
	read_loadavg(&again, &running, &total);
	t_check(running >= 3 && running <= total, "runnable tasks: the two spinners and the reader",
		"%d/%d", running, total);
	t_check(one > 0.0, "the 1-minute average rose above 0", "%.2f", one);
	/* A sample may fall between the reads: match either. */
	double si_one = si.loads[0] / 65536.0;
	t_check(si_one > 0.0 && ((si_one > one - 0.02 && si_one < one + 0.02) ||
				 (si_one > again - 0.02 && si_one < again + 0.02)),
		"sysinfo's loads[0] says the same", "%.3f vs %.2f, %.2f", si_one, one, again);
	t_info("load %.2f, %d/%d", one, running, total);
	for (int i = 0; i < 2; i++) {
		kill(kids[i], SIGKILL);
		t_waited(kids[i], 0, "signal 9 (SIGKILL)", "the spinner was killed");
	}
	return t_done();
}
