/* proc-self — proves a process's own /proc directory, in the formats ps,
 * top and htop parse: /proc/self and /proc/thread-self; stat (52 fields
 * in Linux's order, agreeing with getpid, getppid, getpgrp, getsid, the
 * signal masks and the memory layout), statm (agreeing with stat), status
 * ("Key:\tvalue" lines, masks in 16 hex digits, sizes in kB), maps
 * (ordered, well-formed, names at column 74, the code in the program
 * file, a local in [stack], the vDSO in [vdso]), cmdline, environ, comm,
 * auxv (words of the process's ABI), exe, cwd, fd/ and fdinfo/ (links as
 * Linux names them, "pipe:[INO]"; reopening through them), task/ and
 * limits.
 */
#include "fs.h"
#include <sys/auxv.h>
#include <sys/resource.h>

extern char **environ;

/* Bytes of a /proc file, NUL-terminated; returns the length (-1 if not). */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = t_read_full(fd, buf, size - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return n;
}

/* The value after "Key:\t" in status text, or NULL. */
static const char *status_field(const char *text, const char *key)
{
	static char val[256];
	char pat[64];
	snprintf(pat, sizeof pat, "\n%s:\t", key);
	const char *p = strstr(text, pat);
	if (!p && !strncmp(text, pat + 1, strlen(pat + 1)))
		p = text - 1;
	if (!p)
		return NULL;
	p += strlen(pat);
	size_t n = strcspn(p, "\n");
	snprintf(val, sizeof val, "%.*s", (int)(n < sizeof val ? n : sizeof val - 1), p);
	return val;
}

static void links(void)
{
	char buf[256], want[64];
	long n = readlink("/proc/self", buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	snprintf(want, sizeof want, "%d", (int)getpid());
	t_ok(!strcmp(buf, want), "/proc/self is a link to our pid");
	n = readlink("/proc/thread-self", buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	snprintf(want, sizeof want, "%d/task/%d", (int)getpid(), (int)syscall(SYS_gettid));
	t_ok(!strcmp(buf, want), "/proc/thread-self is PID/task/TID");
	struct stat a, b;
	snprintf(want, sizeof want, "/proc/%d", (int)getpid());
	t_ok(stat("/proc/self", &a) == 0 && stat(want, &b) == 0 && a.st_ino == b.st_ino && S_ISDIR(a.st_mode),
	     "/proc/self and /proc/PID are one directory");
	t_ok(lstat("/proc/self/stat", &a) == 0 && S_ISREG(a.st_mode) && (a.st_mode & 0777) == 0444 && a.st_size == 0,
	     "stat is a 0444 regular file of size 0");
	n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	char real[4096];
	t_ok(n > 0 && realpath(t_self, real) && !strcmp(buf, real), "exe is the program's path");
	t_ok(stat("/proc/self/exe", &a) == 0 && stat(t_self, &b) == 0 && a.st_ino == b.st_ino, "and leads to its inode");
	int exe = open("/proc/self/exe", O_RDONLY);
	char fdlink[64];
	snprintf(fdlink, sizeof fdlink, "/proc/self/fd/%d", exe);
	n = readlink(fdlink, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	t_ok(exe >= 0 && !strcmp(buf, real), "the program opened through /proc/self/exe links to its real path");
	close(exe);
	t_sys(chdir("/tmp"), "chdir /tmp");
	n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	t_ok(!strcmp(buf, "/tmp"), "cwd follows chdir");
	n = readlink("/proc/self/root", buf, sizeof buf - 1);
	t_ok(n == 1 && buf[0] == '/', "root is /");
	t_err(readlink("/proc/self/stat", buf, sizeof buf), EINVAL, "readlink of a /proc file -> EINVAL");
	t_sys(chdir("/"), "chdir /");
}

static void stat_line(void)
{
	static char buf[4096];
	t_ok(slurp("/proc/self/stat", buf, sizeof buf) > 0, "read /proc/self/stat");
	char *rp = strrchr(buf, ')');
	int pid = 0;
	char comm[64] = "";
	sscanf(buf, "%d (%63[^)])", &pid, comm);
	t_eq(pid, getpid(), "field 1 is the pid");
	char expect[16];
	const char *base = strrchr(t_self, '/') ? strrchr(t_self, '/') + 1 : t_self;
	snprintf(expect, sizeof expect, "%.15s", base);
	t_ok(!strcmp(comm, expect), "field 2 is (comm): the program name, 15 characters at most");
	unsigned long long f[64];
	char state = 0;
	int nf = 0;
	if (rp) {
		char *s = rp + 2;
		state = *s;
		s += 2;
		while (nf < 64) {
			char *end;
			f[nf + 4] = strtoull(s, &end, 10);
			if (end == s)
				break;
			nf++;
			s = end;
		}
		if (*s != '\n')
			nf = -1;
	}
	t_eq(nf + 3, 52, "52 fields, the last followed by a newline");
	t_ok(state == 'R', "field 3: state R (we are running)");
	t_eq(f[4], getppid(), "field 4: ppid");
	t_eq(f[5], getpgrp(), "field 5: process group");
	t_eq(f[6], getsid(0), "field 6: session");
	t_eq(f[20], 1, "field 20: one thread");
	t_ok(f[23] > 0, "field 23: vsize is non-zero");
	uintptr_t code = (uintptr_t)&stat_line, local = (uintptr_t)&pid;
	t_ok(f[26] <= code && code < f[27], "fields 26/27: this function lies between startcode and endcode");
	t_ok(f[28] > local, "field 28: startstack is above our locals");
	t_ok(f[48] < f[49] && f[50] < f[51], "fields 48-51: arg and env ranges");
	t_eq(f[38], SIGCHLD, "field 38: exit_signal SIGCHLD");
	t_eq(f[52], 0, "field 52: exit_code 0");
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	slurp("/proc/self/stat", buf, sizeof buf);
	rp = strrchr(buf, ')');
	unsigned long long g[60] = { 0 };
	char *s = rp ? rp + 4 : buf;
	for (int i = 4; i < 60 && *s; i++)
		g[i] = strtoull(s, &s, 10);
	t_ok(g[32] & (1ULL << (SIGUSR1 - 1)), "field 32: blocked has SIGUSR1");
	t_ok((g[33] & (1ULL << (SIGUSR2 - 1))) && (g[33] & (1ULL << (SIGHUP - 1))), "field 33: sigignore has SIGUSR2, SIGHUP");

	char sm[256];
	slurp("/proc/self/statm", sm, sizeof sm);
	unsigned long long size = 0, res = 0, shared = 0, text = 0, lib = 9, data = 0, dt = 9;
	int got = sscanf(sm, "%llu %llu %llu %llu %llu %llu %llu", &size, &res, &shared, &text, &lib, &data, &dt);
	t_eq(got, 7, "statm has seven numbers");
	t_ok(size * 4096 == g[23] || size * 4096 == f[23], "statm size in pages is stat's vsize");
	t_ok(res <= size && text > 0 && lib == 0 && dt == 0, "resident within size, text non-zero, lib and dt 0");
}

static void status_text(void)
{
	static char buf[8192];
	t_ok(slurp("/proc/self/status", buf, sizeof buf) > 0, "read /proc/self/status");
	char want[64];
	const char *v = status_field(buf, "Name");
	const char *base = strrchr(t_self, '/') ? strrchr(t_self, '/') + 1 : t_self;
	snprintf(want, sizeof want, "%.15s", base);
	t_ok(v && !strcmp(v, want), "Name: the command name");
	t_ok(!strncmp(buf, "Name:\t", 6), "Name is the first line");
	v = status_field(buf, "State");
	t_ok(v && !strcmp(v, "R (running)"), "State: R (running)");
	snprintf(want, sizeof want, "%d", (int)getpid());
	t_ok((v = status_field(buf, "Tgid")) && !strcmp(v, want), "Tgid: our pid");
	t_ok((v = status_field(buf, "Pid")) && !strcmp(v, want), "Pid: our pid");
	snprintf(want, sizeof want, "%d", (int)getppid());
	t_ok((v = status_field(buf, "PPid")) && !strcmp(v, want), "PPid: our parent");
	t_ok((v = status_field(buf, "Threads")) && !strcmp(v, "1"), "Threads: 1");
	t_ok((v = status_field(buf, "Umask")) && strlen(v) == 4 && v[0] == '0', "Umask: four octal digits");
	v = status_field(buf, "VmRSS");
	t_ok(v && strlen(v) == 11 && !strcmp(v + 8, " kB") && v[7] >= '0' && v[7] <= '9', "VmRSS: a right-aligned count of kB");
	v = status_field(buf, "SigBlk");
	t_ok(v && strlen(v) == 16 && (strtoull(v, NULL, 16) & (1ULL << (SIGUSR1 - 1))), "SigBlk: 16 hex digits with SIGUSR1");
	v = status_field(buf, "SigIgn");
	t_ok(v && strlen(v) == 16 && (strtoull(v, NULL, 16) & (1ULL << (SIGUSR2 - 1))), "SigIgn: with SIGUSR2");
	const char *order[] = { "Name", "Umask", "State", "Tgid", "Pid", "PPid", "Uid", "Gid", "FDSize", "VmSize",
				"VmRSS", "Threads", "SigPnd", "SigBlk", "SigIgn", "SigCgt", "CapEff" };
	const char *last = buf;
	int in_order = 1;
	for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++) {
		char pat[32];
		snprintf(pat, sizeof pat, "%s:\t", order[i]);
		const char *p = strstr(buf, pat);
		if (!p || p < last)
			in_order = 0;
		else
			last = p;
	}
	t_ok(in_order, "the keys ps reads appear in Linux's order");
}

static void maps(void)
{
	static char buf[65536];
	t_ok(slurp("/proc/self/maps", buf, sizeof buf) > 0, "read /proc/self/maps");
	char exe[4096];
	long n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n < 0 ? 0 : n] = 0;
	uintptr_t code = (uintptr_t)&maps, local = (uintptr_t)&n, vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	int lines = 0, good = 1, ordered = 1, padded = 1, code_ok = 0, stack_ok = 0, vdso_ok = 0;
	unsigned long long prev_end = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long lo, hi, off, ino;
		char perms[8];
		unsigned maj, min;
		int name_at = 0;
		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &lo, &hi, perms, &off, &maj, &min, &ino, &name_at) < 7)
			good = 0;
		lines++;
		if (strlen(perms) != 4 || !strchr("r-", perms[0]) || !strchr("w-", perms[1]) || !strchr("x-", perms[2]) ||
		    !strchr("ps", perms[3]) || lo >= hi)
			good = 0;
		if (lo < prev_end)
			ordered = 0;
		prev_end = hi;
		const char *name = name_at && line[name_at] ? line + name_at : "";
		if (*name && name - line != 73)
			padded = 0;
		if (lo <= code && code < hi && perms[2] == 'x' && !strcmp(name, exe))
			code_ok = 1;
		if (lo <= local && local < hi && !strcmp(name, "[stack]") && !strcmp(perms, "rw-p"))
			stack_ok = 1;
		if (lo <= vdso && vdso < hi && !strcmp(name, "[vdso]") && !strcmp(perms, "r-xp"))
			vdso_ok = 1;
	}
	t_ok(lines >= 5 && good, "every line is start-end perms offset major:minor inode");
	t_ok(ordered, "lines ascend and do not overlap");
	t_ok(padded, "names start at column 74, as Linux pads them");
	t_ok(code_ok, "this function is in an r-x mapping of the program file");
	t_ok(stack_ok, "a local is in [stack], rw-p");
	t_ok(vdso_ok, "AT_SYSINFO_EHDR is in [vdso], r-xp");
}

static void strings(int argc, char **argv)
{
	static char buf[65536];
	long n = slurp("/proc/self/cmdline", buf, sizeof buf);
	char want[4096];
	long w = 0;
	for (int i = -1; i < argc; i++) {
		const char *a = i < 0 ? t_self : argv[i];
		w += snprintf(want + w, sizeof want - (size_t)w, "%s", a) + 1;
	}
	t_ok(n == w && !memcmp(buf, want, (size_t)w), "cmdline is argv, each string NUL-terminated");
	n = slurp("/proc/self/environ", buf, sizeof buf);
	int envs = 0, found = 1;
	for (char **e = environ; *e; e++, envs++) {
		int hit = 0;
		for (long off = 0; off < n; off += (long)strlen(buf + off) + 1)
			if (!strcmp(buf + off, *e))
				hit = 1;
		found &= hit;
	}
	t_ok(n > 0 && found, "environ holds every environment string");
	n = slurp("/proc/self/comm", buf, sizeof buf);
	const char *base = strrchr(t_self, '/') ? strrchr(t_self, '/') + 1 : t_self;
	snprintf(want, sizeof want, "%.15s\n", base);
	t_ok(!strcmp(buf, want), "comm is the name and a newline");
	n = slurp("/proc/self/auxv", buf, sizeof buf);
	unsigned long *av = (unsigned long *)buf;
	long words = n / (long)sizeof(long);
	int pagesz = 0, entry = 0;
	for (long i = 0; i + 1 < words; i += 2) {
		if (av[i] == AT_PAGESZ && av[i + 1] == 4096)
			pagesz = 1;
		if (av[i] == AT_ENTRY && av[i + 1] == getauxval(AT_ENTRY))
			entry = 1;
	}
	t_ok(n > 0 && n % (2 * (long)sizeof(long)) == 0 && av[words - 2] == AT_NULL, "auxv: pairs of our word size, ending in AT_NULL");
	t_ok(pagesz && entry, "auxv: AT_PAGESZ 4096 and AT_ENTRY as getauxval says");
	n = slurp("/proc/self/limits", buf, sizeof buf);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	char line[128];
	snprintf(line, sizeof line, "Max open files            %-20llu %-20llu files", (unsigned long long)rl.rlim_cur,
		 (unsigned long long)rl.rlim_max);
	t_ok(!strncmp(buf, "Limit                     Soft Limit", 36) && strstr(buf, line), "limits: Linux's table, open files as getrlimit");
}

static void fds(void)
{
	int p[2];
	if (pipe(p) < 0)
		t_die("pipe");
	char path[64], buf[256], want[64];
	struct stat st;
	fstat(p[0], &st);
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	long n = readlink(path, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	snprintf(want, sizeof want, "pipe:[%llu]", (unsigned long long)st.st_ino);
	t_ok(!strcmp(buf, want), "a pipe's link reads pipe:[INO] with the pipe's inode");
	t_ok(lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (st.st_mode & 0777) == 0500, "a read end's link has mode 0500");
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
	t_ok(lstat(path, &st) == 0 && (st.st_mode & 0777) == 0300, "a write end's link has mode 0300");
	int w2 = open(path, O_WRONLY);
	t_ok(w2 >= 0 && write(w2, "via proc", 8) == 8 && read(p[0], buf, 8) == 8 && !memcmp(buf, "via proc", 8),
	     "opening the link reaches the same pipe");
	close(w2);
	fs_scratch("proc-self");
	fs_write(fs_path("f"), "0123456789");
	int fd = open(fs_path("f"), O_RDONLY | O_CLOEXEC);
	lseek(fd, 5, SEEK_SET);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	t_ok(!strcmp(buf, fs_path("f")), "a file's link reads its path");
	int again = open(path, O_RDONLY);
	struct stat a, b;
	t_ok(again >= 0 && fstat(again, &a) == 0 && fstat(fd, &b) == 0 && a.st_ino == b.st_ino && lseek(again, 0, SEEK_CUR) == 0,
	     "reopening it gives the same inode, a new open file (position 0)");
	close(again);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	slurp(path, buf, sizeof buf);
	unsigned long long pos = 9, ino = 0;
	unsigned flags = 0;
	int got = sscanf(buf, "pos:\t%llu\nflags:\t%o\nmnt_id:\t%*d\nino:\t%llu", &pos, &flags, &ino);
	t_ok(got == 3 && pos == 5 && ino == (unsigned long long)b.st_ino, "fdinfo: pos 5 and the inode number");
	t_ok((flags & O_ACCMODE) == O_RDONLY && (flags & 02000000), "fdinfo: flags in octal, O_CLOEXEC included");
	t_ok(!strncmp(buf, "pos:\t5\nflags:\t0", 15), "fdinfo: Linux's layout");
	DIR *d = opendir("/proc/self/fd");
	int count = 0, has0 = 0, hasfd = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		count++;
		has0 |= !strcmp(e->d_name, "0");
		hasfd |= atoi(e->d_name) == fd && e->d_type == DT_LNK;
	}
	if (d)
		closedir(d);
	t_ok(has0 && hasfd && count >= 5, "fd/ lists the descriptors as links");
	snprintf(path, sizeof path, "/proc/self/fd/%d", 59);
	t_err(readlink(path, buf, sizeof buf), ENOENT, "fd/ of a closed descriptor -> ENOENT");
	char want2[600];
	if (chdir(fs_dir) < 0)
		t_die("chdir");
	fs_write("g", "rel");
	int rel = open("g", O_RDONLY);
	snprintf(path, sizeof path, "/proc/self/fd/%d", rel);
	n = readlink(path, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	t_ok(!strcmp(buf, fs_path("g")), "a file opened by a relative path links to its absolute path");
	rename("g", "h");
	n = readlink(path, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	t_ok(!strcmp(buf, fs_path("h")), "after a rename, the new path");
	unlink("h");
	n = readlink(path, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	snprintf(want2, sizeof want2, "%s (deleted)", fs_path("h"));
	t_ok(!strcmp(buf, want2), "after unlink, the path and \" (deleted)\"");
	close(rel);
	if (chdir("/") < 0)
		t_die("chdir /");
	close(fd);
	close(p[0]);
	close(p[1]);
	fs_cleanup();
}

static void tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0, me = 0;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			n++;
			me |= atoi(e->d_name) == (int)syscall(SYS_gettid);
		}
	if (d)
		closedir(d);
	t_ok(n == 1 && me, "task/ has one entry: our thread id");
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)syscall(SYS_gettid));
	static char buf[4096];
	t_ok(slurp(path, buf, sizeof buf) > 0 && atoi(buf) == (int)syscall(SYS_gettid), "task/TID/stat is the thread's");
	snprintf(path, sizeof path, "/proc/self/task/%d/task", (int)syscall(SYS_gettid));
	t_err(access(path, F_OK), ENOENT, "a thread directory has no task/");
	d = opendir("/proc");
	int self = 0, ours = 0;
	char pid[16];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	while (d && (e = readdir(d))) {
		self |= !strcmp(e->d_name, "self") && e->d_type == DT_LNK;
		ours |= !strcmp(e->d_name, pid) && e->d_type == DT_DIR;
	}
	if (d)
		closedir(d);
	t_ok(self && ours, "/proc lists self (a link) and our pid (a directory)");
}

/* Run again through /proc/self/exe (as busybox runs its applets): the
   new image's exe link must still read as the real path. */
static void reexec(void)
{
	for (int numeric = 0; numeric < 2; numeric++) {
		fflush(stdout);
		pid_t child = fork();
		if (child == 0) {
			char path[64];
			snprintf(path, sizeof path, numeric ? "/proc/%d/exe" : "/proc/self/exe", (int)getpid());
			char *args[] = { (char *)t_self, "proc-self", "--exe-child", NULL };
			execv(path, args);
			_exit(127);
		}
		t_wait_ok(child, numeric ? "run through /proc/PID/exe, likewise" :
					   "a program run through /proc/self/exe sees its real path in exe");
	}
}

/* The re-executed child: compare exe with the program's real path. */
static int exe_child(void)
{
	char buf[4096], real[4096];
	long n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	return n > 0 && realpath(t_self, real) && !strcmp(buf, real) ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--exe-child"))
		return exe_child();
	links();
	reexec();
	stat_line();
	status_text();
	maps();
	strings(argc, argv);
	fds();
	tasks();
	return t_done();
}
