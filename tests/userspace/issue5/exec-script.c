/* exec-script — proves "#!" scripts as Linux's binfmt_script runs them:
 * the interpreter gets `interpreter [arg] script argv[1..]` (one optional
 * argument, inner blanks kept, outer ones dropped), scripts may name
 * scripts five deep (a sixth is ELOOP), the process is named after the
 * script and AT_EXECFN is the path given to execve while /proc/self/exe
 * is the interpreter, a last line without a newline works, and the
 * errors: ENOEXEC for an empty "#!" line or a cut-off interpreter name,
 * ENOENT for a missing interpreter, EACCES for a directory or a script
 * without execute permission, ELOOP for a script that names itself.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/stat.h>

static char dir[256];

/* dir/name in one of four static buffers. */
static const char *at(const char *name)
{
	static char bufs[4][512];
	static int slot;
	char *b = bufs[slot++ % 4];
	snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
	return b;
}

/* path with the scratch directory shown as "$D". */
static const char *rel(const char *path)
{
	static char buf[4][512];
	static int slot;
	char *b = buf[slot++ % 4];
	size_t n = strlen(dir);
	int inside = n && !strncmp(path, dir, n);
	snprintf(b, sizeof buf[0], "%s%s", inside ? "$D" : "", inside ? path + n : path);
	return b;
}

/* Write an executable file (mode) holding text. */
static void script(const char *name, const char *text, int mode)
{
	int fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		t_die("create %s", name);
	close(fd);
	chmod(at(name), mode);
}

/* Run path with two arguments in a child; returns its wait status, or
   -errno if execve failed (the child reports that through its status). */
static int run(const char *path)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "argv0-is-dropped", "x", "y z", NULL };
		execv(path, argv);
		_exit(100 + errno);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) >= 100 ? -(WEXITSTATUS(st) - 100) : st;
}

/* As the interpreter: say what the kernel gave us. */
static int interpreter(int argc, char **argv)
{
	const char *slash = strrchr(argv[1], '/');
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - argv[1]), argv[1]);
	printf("interpreter: argc %d\n", argc);
	for (int i = 1; i < argc; i++) {
		if (strlen(argv[i]) > 64) /* the cut-off argument: where was it cut? */
			printf("interpreter: argv[%d] ends at byte %zu of the #! line\n", i,
			       2 + strlen(argv[1]) + 1 + strlen(argv[i]));
		else
			printf("interpreter: argv[%d] [%s]\n", i, rel(argv[i]));
	}
	char comm[32] = "";
	int fd = open("/proc/self/comm", O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, comm, sizeof comm - 1);
	comm[n > 0 ? n - 1 : 0] = 0;
	printf("interpreter: comm [%s]\n", comm);
	printf("interpreter: AT_EXECFN [%s]\n", rel((const char *)getauxval(AT_EXECFN)));
	char exe[512];
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	const char *base = strrchr(exe, '/');
	const char *self = strrchr(t_self, '/');
	printf("interpreter: /proc/self/exe is %s\n",
	       base && self && !strcmp(base, self) ? "the interpreter binary" : exe);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && argv[1][0] == '/')
		return interpreter(argc, argv);
	snprintf(dir, sizeof dir, "/tmp/exec-script.%d", (int)getpid());
	if (mkdir(dir, 0755) < 0)
		t_die("mkdir %s", dir);
	char line[600];

	/* a -> b -> the interpreter binary */
	snprintf(line, sizeof line, "#!%s exec-script\n", t_self);
	script("b", line, 0755);
	snprintf(line, sizeof line, "#! \t%s  the  arg \t \necho never\n", at("b"));
	script("a", line, 0755);
	t_eq(run(at("b")), 0, "a script runs its interpreter");
	t_eq(run(at("a")), 0, "a script whose interpreter is a script");

	snprintf(line, sizeof line, "#!%s exec-script", t_self);
	script("no-newline", line, 0755);
	t_eq(run(at("no-newline")), 0, "a #! line without a newline at the end of the file");

	/* Five scripts deep runs; six is ELOOP. */
	char prev[512];
	snprintf(prev, sizeof prev, "%s", at("b"));
	for (int i = 1; i <= 5; i++) {
		char name[16];
		snprintf(name, sizeof name, "chain%d", i);
		snprintf(line, sizeof line, "#!%s\n", prev);
		script(name, line, 0755);
		snprintf(prev, sizeof prev, "%s", at(name));
	}
	t_eq(run(at("chain4")), 0, "five scripts deep (chain4 -> ... -> b -> binary)");
	t_eq(run(at("chain5")), -ELOOP, "six scripts deep -> ELOOP");

	snprintf(line, sizeof line, "#!%s\n", at("self"));
	script("self", line, 0755);
	t_eq(run(at("self")), -ELOOP, "a script naming itself -> ELOOP");
	script("empty", "#!\n", 0755);
	t_eq(run(at("empty")), -ENOEXEC, "an empty #! line -> ENOEXEC");
	script("blank", "#!   \t \n", 0755);
	t_eq(run(at("blank")), -ENOEXEC, "a #! line of blanks -> ENOEXEC");
	char longname[400] = "#!/";
	memset(longname + 3, 'x', 300);
	longname[303] = 0;
	script("long", longname, 0755);
	t_eq(run(at("long")), -ENOEXEC, "an interpreter name cut off at 256 bytes -> ENOEXEC");
	snprintf(line, sizeof line, "#!%s %s\n", at("b"), longname + 3);
	script("long-arg", line, 0755);
	t_eq(run(at("long-arg")), 0, "a long argument is cut off, not refused");
	script("missing", "#!/nonexistent/interpreter\n", 0755);
	t_eq(run(at("missing")), -ENOENT, "a missing interpreter -> ENOENT");
	script("dir-interp", "#!/tmp\n", 0755);
	t_eq(run(at("dir-interp")), -EACCES, "a directory as interpreter -> EACCES");
	snprintf(line, sizeof line, "#!%s exec-script\n", t_self);
	script("noexec", line, 0644);
	t_eq(run(at("noexec")), -EACCES, "a script without execute permission -> EACCES");

	const char *names[] = { "a", "b", "no-newline", "chain1", "chain2", "chain3", "chain4", "chain5",
				"self", "empty", "blank", "long", "long-arg", "missing", "dir-interp", "noexec" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		unlink(at(names[i]));
	t_sys(rmdir(dir), "the scratch directory is removed");
	return t_done();
}
