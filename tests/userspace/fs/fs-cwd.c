/* fs-cwd — proves the working directory as Linux keeps it: chdir and
 * fchdir move it, getcwd reads the names it is linked under now (so a
 * renamed parent shows), /proc/self/cwd agrees, a removed working
 * directory gives ENOENT from getcwd and " (deleted)" in /proc, and the
 * errors: ERANGE for a short buffer, ENOTDIR, ENOENT, EBADF.
 */
#include "fs.h"

#define p fs_path

/* A check that two strings are equal; a failure shows both. */
#define t_str(got, want, what) t_check(!strcmp((got), (want)), what, "%s, want %s", (got), (want))

/* getcwd's answer with the scratch directory's prefix replaced by "$D". */
static const char *cwd_rel(void)
{
	static char buf[4096], out[4096];
	if (!getcwd(buf, sizeof buf))
		return errname(errno);
	size_t n = strlen(fs_dir);
	if (strncmp(buf, fs_dir, n))
		return buf;
	snprintf(out, sizeof out, "$D%s", buf + n);
	return out;
}

/* readlink /proc/self/cwd, relative to the scratch directory like cwd_rel. */
static const char *proc_cwd_rel(void)
{
	static char buf[4096], out[4096];
	long n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
	if (n < 0)
		return errname(errno);
	buf[n] = 0;
	size_t d = strlen(fs_dir);
	if (strncmp(buf, fs_dir, d))
		return buf;
	snprintf(out, sizeof out, "$D%s", buf + d);
	return out;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fs_scratch("fs-cwd");
	t_sys(mkdir(p("a"), 0755), "mkdir a");
	t_sys(mkdir(p("a/b"), 0755), "mkdir a/b");
	fs_write(p("file"), "x");

	t_sys(chdir(p("a")), "chdir to an absolute path");
	t_str(cwd_rel(), "$D/a", "getcwd after chdir");
	t_sys(chdir("b"), "chdir to a relative path");
	t_str(cwd_rel(), "$D/a/b", "getcwd after a relative chdir");
	t_sys(chdir(".."), "chdir ..");
	t_str(cwd_rel(), "$D/a", "getcwd after chdir ..");
	t_sys(chdir("./b/../b/."), "chdir through . and ..");
	t_str(cwd_rel(), "$D/a/b", "getcwd is normalised");
	t_str(proc_cwd_rel(), "$D/a/b", "/proc/self/cwd agrees");

	t_sys(rename(p("a"), p("renamed")), "rename the working directory's parent");
	t_str(cwd_rel(), "$D/renamed/b", "getcwd follows the rename");
	t_str(proc_cwd_rel(), "$D/renamed/b", "/proc/self/cwd follows the rename");
	t_sys(chdir(".."), "chdir .. after the rename");
	t_str(cwd_rel(), "$D/renamed", "getcwd names the renamed parent");

	int dfd = open(p("renamed/b"), O_RDONLY | O_DIRECTORY);
	t_sys(dfd, "open a directory");
	t_sys(chdir("/"), "chdir /");
	t_sys(fchdir(dfd), "fchdir to it");
	t_str(cwd_rel(), "$D/renamed/b", "getcwd after fchdir");
	char small[4];
	t_ok(getcwd(small, sizeof small) == NULL && errno == ERANGE, "getcwd into a short buffer -> ERANGE");
	t_err(syscall(SYS_getcwd, small, 0), ERANGE, "getcwd with size 0 -> ERANGE");

	t_sys(rmdir(p("renamed/b")), "remove the working directory");
	char buf[4096];
	t_err(syscall(SYS_getcwd, buf, sizeof buf), ENOENT, "getcwd in a removed directory -> ENOENT");
	const char *pc = proc_cwd_rel();
	t_ok(strlen(pc) > 10 && !strcmp(pc + strlen(pc) - 10, " (deleted)"), "/proc/self/cwd ends in \" (deleted)\"");
	t_err(open("x", O_CREAT | O_WRONLY, 0644), ENOENT, "creating in a removed directory -> ENOENT");
	t_sys(fchdir(dfd), "fchdir to the removed directory is allowed");
	t_err(syscall(SYS_getcwd, buf, sizeof buf), ENOENT, "and getcwd there still -> ENOENT");
	close(dfd);

	t_sys(chdir(fs_dir), "chdir back to the scratch directory");
	t_err(chdir("file"), ENOTDIR, "chdir to a file -> ENOTDIR");
	t_err(chdir("missing"), ENOENT, "chdir to a missing name -> ENOENT");
	t_err(chdir(""), ENOENT, "chdir \"\" -> ENOENT");
	int ffd = open("file", O_RDONLY);
	t_err(fchdir(ffd), ENOTDIR, "fchdir to a file -> ENOTDIR");
	close(ffd);
	t_err(fchdir(99), EBADF, "fchdir to a closed fd -> EBADF");
	t_str(cwd_rel(), "$D", "the failed calls left the working directory alone");

	t_sys(chdir("/"), "chdir /");
	fs_cleanup();
	return t_done();
}
