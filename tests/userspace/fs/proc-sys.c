/* proc-sys — proves the system-wide files of /proc in Linux's formats:
 * meminfo (aligned "Key:  N kB" lines, MemFree within MemTotal), uptime,
 * loadavg, version (agreeing with uname), cpuinfo, stat (cpu, btime),
 * interrupts, buddyinfo, mounts and filesystems (procfs listed),
 * /proc/sys/kernel/{ostype,osrelease,version,hostname,pid_max,threads-max}
 * (agreeing with uname); that /proc lists, stats and refuses changes as
 * procfs does (ENOENT to create, EPERM to unlink, EINVAL to write).
 */
#include "fs.h"
#include <sys/utsname.h>

static char buf[65536];

static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : t_read_full(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return n;
}

/* The kB value of a meminfo key, checking the line's layout: the key and
   colon padded to 16 columns, the number right-aligned in 8, " kB". */
static long long meminfo_kb(const char *key, int *layout_ok)
{
	char pat[32];
	snprintf(pat, sizeof pat, "%s:", key);
	char *p = strstr(buf, pat);
	if (!p || (p != buf && p[-1] != '\n'))
		return -1;
	char *nl = strchr(p, '\n');
	if (!nl || nl - p < 27 || strncmp(nl - 3, " kB", 3) || p[15] != ' ')
		*layout_ok = 0;
	return atoll(p + strlen(pat));
}

static void memory(void)
{
	t_ok(slurp("/proc/meminfo") > 0 && !strncmp(buf, "MemTotal:", 9), "meminfo starts with MemTotal");
	int layout = 1;
	long long total = meminfo_kb("MemTotal", &layout), free = meminfo_kb("MemFree", &layout),
		  avail = meminfo_kb("MemAvailable", &layout);
	t_info("MemTotal %lld kB, MemFree %lld kB, MemAvailable %lld kB", total, free, avail);
	t_ok(total > 0 && free > 0 && free <= total && avail >= 0 && avail <= total, "MemFree and MemAvailable within MemTotal");
	t_ok(meminfo_kb("SwapTotal", &layout) >= 0 && meminfo_kb("Cached", &layout) >= 0, "SwapTotal and Cached present");
	t_ok(layout, "lines are \"Key:\" in 16 columns, the value in 8, then \" kB\"");
	t_ok(strstr(buf, "\nHugePages_Total:") != NULL, "HugePages_Total present");
	t_ok(slurp("/proc/buddyinfo") > 0 && !strncmp(buf, "Node 0, zone ", 13), "buddyinfo: \"Node 0, zone\" lines");
}

static void times(void)
{
	double up = -1, idle = -1;
	t_ok(slurp("/proc/uptime") > 0 && sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0, "uptime: two numbers");
	char *dot = strchr(buf, '.');
	t_ok(dot && dot[3] == ' ', "uptime: two decimals");
	double l1, l5, l15;
	int run, total, last;
	t_ok(slurp("/proc/loadavg") > 0 && sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &run, &total, &last) == 6,
	     "loadavg: three averages, running/total, last pid");
	t_ok(run >= 1 && run <= total && last > 0, "at least we are running");
	t_ok(slurp("/proc/stat") > 0 && !strncmp(buf, "cpu  ", 5) && strstr(buf, "\nbtime "), "stat: cpu line first, btime");
	long long btime = atoll(strstr(buf, "\nbtime ") + 7);
	t_ok(btime > 0 && btime <= (long long)time(NULL), "btime is in the past");
}

static void identity(void)
{
	struct utsname u;
	uname(&u);
	char want[512];
	slurp("/proc/version");
	snprintf(want, sizeof want, "%s version %s ", u.sysname, u.release);
	t_ok(!strncmp(buf, want, strlen(want)), "version starts with uname's sysname and release");
	const struct { const char *file, *want; } sys[] = {
		{ "/proc/sys/kernel/ostype", u.sysname },
		{ "/proc/sys/kernel/osrelease", u.release },
		{ "/proc/sys/kernel/version", u.version },
		{ "/proc/sys/kernel/hostname", u.nodename },
	};
	for (unsigned i = 0; i < sizeof sys / sizeof sys[0]; i++) {
		slurp(sys[i].file);
		snprintf(want, sizeof want, "%s\n", sys[i].want);
		char what[96];
		snprintf(what, sizeof what, "%s is uname's, with a newline", sys[i].file + 6);
		t_ok(!strcmp(buf, want), what);
	}
	t_ok(slurp("/proc/sys/kernel/pid_max") > 0 && atol(buf) > 300, "sys/kernel/pid_max is a number above 300");
	t_ok(slurp("/proc/sys/kernel/threads-max") > 0 && atol(buf) > 0, "sys/kernel/threads-max is a number");
	slurp("/proc/cpuinfo");
	t_ok(!strncmp(buf, "processor\t: 0\n", 14) && strstr(buf, "\nvendor_id\t: ") && strstr(buf, "\nmodel name\t: ") &&
		     strstr(buf, "\nflags\t\t: "),
	     "cpuinfo: processor 0, vendor_id, model name, flags");
	t_ok(strstr(buf, " fpu ") && strstr(buf, " tsc "), "cpuinfo flags name fpu and tsc");
	t_ok(slurp("/proc/interrupts") > 0 && strstr(buf, "CPU0"), "interrupts: a CPU0 column");
	t_ok(slurp("/proc/mounts") > 0 && (!strncmp(buf, "proc /proc proc ", 16) || strstr(buf, "\nproc /proc proc ")),
	     "mounts lists proc on /proc");
	t_ok(slurp("/proc/filesystems") > 0 && strstr(buf, "nodev\tproc\n"), "filesystems lists nodev proc");
}

static void behaviour(void)
{
	struct stat st;
	t_ok(stat("/proc", &st) == 0 && S_ISDIR(st.st_mode), "/proc is a directory");
	t_ok(stat("/proc/meminfo", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0 && (st.st_mode & 0777) == 0444,
	     "meminfo: a 0444 file of size 0");
	t_ok(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode), "self is a link");
	t_ok(stat("/proc/sys/kernel", &st) == 0 && S_ISDIR(st.st_mode), "sys/kernel is a directory");
	DIR *d = opendir("/proc/sys/kernel");
	int names = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		names += !strcmp(e->d_name, "ostype") || !strcmp(e->d_name, "osrelease") || !strcmp(e->d_name, "pid_max");
	if (d)
		closedir(d);
	t_eq(names, 3, "getdents lists sys/kernel's files");
	int fd = open("/proc/meminfo", O_RDONLY);
	char small[10];
	t_ok(fd >= 0 && read(fd, small, 9) == 9 && !memcmp(small, "MemTotal:", 9) && lseek(fd, 0, SEEK_SET) == 0 &&
		     read(fd, small, 3) == 3 && !memcmp(small, "Mem", 3),
	     "small reads, lseek back to 0, read again");
	close(fd);
	t_err(open("/proc/forkline-new", O_WRONLY | O_CREAT, 0644), ENOENT, "creating a file in /proc -> ENOENT");
	t_err(mkdir("/proc/forkline-dir", 0755), ENOENT, "mkdir in /proc -> ENOENT");
	t_err(unlink("/proc/meminfo"), EPERM, "unlink in /proc -> EPERM");
	t_err(rmdir("/proc/sys"), EPERM, "rmdir in /proc -> EPERM");
	fd = open("/proc/self/stat", O_RDWR);
	t_ok(fd >= 0, "root may open a 0444 /proc file for writing");
	t_err(write(fd, "x", 1), EINVAL, "but writing it -> EINVAL");
	close(fd);
	t_err(open("/proc/999999/stat", O_RDONLY), ENOENT, "a pid that does not exist -> ENOENT");
	t_err(open("/proc/self/nothing", O_RDONLY), ENOENT, "an unknown entry -> ENOENT");
	t_err(open("/proc/meminfo/x", O_RDONLY), ENOTDIR, "a file as a directory -> ENOTDIR");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	memory();
	times();
	identity();
	behaviour();
	return t_done();
}
