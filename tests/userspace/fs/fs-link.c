/* fs-link — proves link, linkat, symlink, symlinkat and readlink on the
 * writable root filesystem: hard links share the inode and count links,
 * survive the unlink of the first name, and follow Linux's errors (EEXIST,
 * ENOENT, EPERM for directories, EXDEV into /proc, ENOTDIR, EINVAL for bad
 * flags); symbolic links store their target as given (dangling ones too),
 * are followed by stat and open but not by lstat or O_NOFOLLOW (ELOOP),
 * and loops end in ELOOP. Everything happens in a scratch directory.
 */
#include "fs.h"

#define p fs_path

static void hard_links(void)
{
	struct stat a, b;
	fs_write(p("a"), "hello\n");
	t_sys(link(p("a"), p("b")), "link a b");
	t_ok(stat(p("a"), &a) == 0 && stat(p("b"), &b) == 0 && a.st_ino == b.st_ino, "both names reach one inode");
	t_eq(a.st_nlink, 2, "st_nlink is 2 after link");
	t_err(link(p("a"), p("b")), EEXIST, "link onto an existing name -> EEXIST");
	t_err(link(p("missing"), p("c")), ENOENT, "link of a missing file -> ENOENT");
	t_err(link(p("a"), p("nodir/c")), ENOENT, "link into a missing directory -> ENOENT");
	t_err(link(p("a/x"), p("c")), ENOTDIR, "link through a file as a directory -> ENOTDIR");
	t_sys(mkdir(p("d"), 0755), "mkdir d");
	t_err(link(p("d"), p("d2")), EPERM, "link of a directory -> EPERM");
	t_err(link(p("a"), "/proc/forkline-link"), ENOENT, "link into /proc -> ENOENT (procfs creates nothing)");
	t_err(link("/proc/self/stat", p("procstat")), EXDEV, "link of a /proc file -> EXDEV");
	t_sys(unlink(p("a")), "unlink the first name");
	t_ok(stat(p("b"), &b) == 0 && b.st_nlink == 1, "the second name lives on with st_nlink 1");
	int fd = open(p("b"), O_RDONLY);
	char buf[16] = "";
	t_ok(fd >= 0 && read(fd, buf, sizeof buf) == 6 && !memcmp(buf, "hello\n", 6), "its contents are intact");
	close(fd);

	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	t_sys(linkat(dfd, "b", dfd, "c", 0), "linkat relative to a directory fd");
	t_err(linkat(dfd, "b", dfd, "c2", 0x8000), EINVAL, "linkat with an unknown flag -> EINVAL");
	t_err(linkat(dfd, "", dfd, "c3", 0), ENOENT, "linkat of \"\" without AT_EMPTY_PATH -> ENOENT");
	fd = open(p("c"), O_RDONLY);
	t_sys(linkat(fd, "", AT_FDCWD, p("e"), AT_EMPTY_PATH), "linkat with AT_EMPTY_PATH links an open file");
	t_ok(stat(p("e"), &a) == 0 && a.st_nlink == 3, "now three names (b, c, e)");
	close(fd);
	close(dfd);
}

static void symbolic_links(void)
{
	struct stat st, lst;
	char buf[256];
	fs_write(p("target"), "data");
	t_sys(symlink("target", p("ln")), "symlink ln -> target (relative)");
	long n = readlink(p("ln"), buf, sizeof buf);
	t_ok(n == 6 && !memcmp(buf, "target", 6), "readlink gives the target as stored, without NUL");
	t_eq(readlink(p("ln"), buf, 3), 3, "readlink truncates to the buffer size");
	t_ok(lstat(p("ln"), &lst) == 0 && S_ISLNK(lst.st_mode) && lst.st_size == 6, "lstat: a link whose size is the target's length");
	t_ok((lst.st_mode & 0777) == 0777, "a symlink's mode is 0777");
	t_ok(stat(p("ln"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 4, "stat follows the link");
	int fd = open(p("ln"), O_RDONLY);
	t_ok(fd >= 0 && read(fd, buf, 4) == 4 && !memcmp(buf, "data", 4), "open follows the link");
	close(fd);
	t_err(open(p("ln"), O_RDONLY | O_NOFOLLOW), ELOOP, "open O_NOFOLLOW of a link -> ELOOP");
	t_err(symlink("x", p("ln")), EEXIST, "symlink onto an existing name -> EEXIST");
	t_err(symlink("", p("empty")), ENOENT, "symlink with an empty target -> ENOENT");
	t_sys(symlink("nowhere/at/all", p("dangling")), "a dangling symlink may be made");
	t_err(stat(p("dangling"), &st), ENOENT, "stat of a dangling link -> ENOENT");
	t_sys(lstat(p("dangling"), &st), "lstat of a dangling link works");
	t_sys(symlink("loop2", p("loop1")), "symlink loop1 -> loop2");
	t_sys(symlink("loop1", p("loop2")), "symlink loop2 -> loop1");
	t_err(stat(p("loop1"), &st), ELOOP, "a symlink loop -> ELOOP");
	t_sys(symlink(fs_dir, p("dirlink")), "symlink to a directory (absolute)");
	t_ok(stat(p("dirlink/target"), &st) == 0 && st.st_size == 4, "a path through a directory link");
	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	t_sys(symlinkat("target", dfd, "ln2"), "symlinkat relative to a directory fd");
	t_ok(readlinkat(dfd, "ln2", buf, sizeof buf) == 6, "readlinkat reads it back");
	t_err(readlinkat(dfd, "target", buf, sizeof buf), EINVAL, "readlinkat of a regular file -> EINVAL");
	t_err(symlinkat("t", dfd, "target/x"), ENOTDIR, "symlinkat under a file -> ENOTDIR");
	close(dfd);
	t_sys(link(p("ln"), p("hard-ln")), "link of a symlink");
	t_ok(lstat(p("hard-ln"), &st) == 0 && S_ISLNK(st.st_mode), "link does not follow a symlink: the new name is a link too");
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fs_scratch("fs-link");
	hard_links();
	symbolic_links();
	fs_cleanup();
	return t_done();
}
