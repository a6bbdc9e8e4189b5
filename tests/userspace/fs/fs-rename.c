/* fs-rename — proves rename, renameat and renameat2 as Linux's
 * do_renameat2 answers them: moving files and directories (the inode
 * moves; ".." and directory link counts follow), replacing files and
 * empty directories, the no-ops (a name onto itself or onto another link
 * of the same inode), RENAME_NOREPLACE and RENAME_EXCHANGE, and every
 * error: ENOENT, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL for a directory moved
 * into itself and for bad flags, EBUSY for ".", EEXIST, EXDEV into /proc.
 */
#include "fs.h"

#define p fs_path
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static ino_t ino(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static nlink_t links(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_nlink : 0;
}

static long renameat2_(int olddfd, const char *old, int newdfd, const char *new, unsigned flags)
{
	return syscall(SYS_renameat2, olddfd, old, newdfd, new, flags);
}

static void files(void)
{
	fs_write(p("a"), "A");
	ino_t ia = ino(p("a"));
	t_sys(rename(p("a"), p("b")), "rename a file");
	t_ok(access(p("a"), F_OK) < 0 && errno == ENOENT, "the old name is gone");
	t_ok(ino(p("b")) == ia && !strcmp(fs_read(p("b")), "A"), "the new name is the same inode, same contents");
	fs_write(p("c"), "C");
	t_sys(rename(p("b"), p("c")), "rename onto an existing file replaces it");
	t_ok(!strcmp(fs_read(p("c")), "A") && ino(p("c")) == ia, "the replaced name now shows the moved file");
	t_sys(link(p("c"), p("c2")), "a second link to it");
	t_sys(rename(p("c"), p("c2")), "rename onto another link of the same inode: a no-op");
	t_ok(access(p("c"), F_OK) == 0 && links(p("c")) == 2, "both names remain");
	t_sys(rename(p("c"), p("c")), "rename a name onto itself");
	t_err(rename(p("missing"), p("x")), ENOENT, "rename of a missing file -> ENOENT");
	t_err(rename(p("c"), p("nodir/x")), ENOENT, "rename into a missing directory -> ENOENT");
	t_err(rename(p("c/"), p("x")), ENOTDIR, "a file named with a trailing slash -> ENOTDIR");
	t_err(rename(p("c"), p("x/")), ENOTDIR, "a file renamed to a name with a trailing slash -> ENOTDIR");
	t_err(rename(p("c"), "/proc/forkline-x"), EXDEV, "rename into /proc -> EXDEV");
	t_err(rename("/proc/uptime", p("x")), EXDEV, "rename out of /proc -> EXDEV");
}

static void directories(void)
{
	t_sys(mkdir(p("d1"), 0755), "mkdir d1");
	t_sys(mkdir(p("d2"), 0755), "mkdir d2");
	t_sys(mkdir(p("d1/sub"), 0755), "mkdir d1/sub");
	fs_write(p("d1/sub/f"), "F");
	nlink_t n1 = links(p("d1")), n2 = links(p("d2"));
	t_sys(rename(p("d1/sub"), p("d2/moved")), "move a directory to another parent");
	t_eq(links(p("d1")), n1 - 1, "the old parent lost a link (its ..)");
	t_eq(links(p("d2")), n2 + 1, "the new parent gained one");
	t_ok(ino(p("d2/moved/..")) == ino(p("d2")), "the moved directory's .. is its new parent");
	t_ok(!strcmp(fs_read(p("d2/moved/f")), "F"), "its contents moved with it");
	t_err(rename(p("d2"), p("d2/moved/inside")), EINVAL, "a directory into its own subdirectory -> EINVAL");
	t_err(rename(p("d2"), p("d2/x")), EINVAL, "a directory into itself -> EINVAL");
	t_err(rename(p("d2/moved"), p("d2")), ENOTEMPTY, "a directory onto its own ancestor -> ENOTEMPTY");
	fs_write(p("file"), "x");
	t_err(rename(p("file"), p("d1")), EISDIR, "a file onto a directory -> EISDIR");
	t_err(rename(p("d1"), p("file")), ENOTDIR, "a directory onto a file -> ENOTDIR");
	t_err(rename(p("d1"), p("d2")), ENOTEMPTY, "a directory onto a non-empty directory -> ENOTEMPTY");
	t_sys(rename(p("d2"), p("d1")), "a directory onto an empty directory replaces it");
	t_ok(access(p("d2"), F_OK) < 0 && access(p("d1/moved/f"), F_OK) == 0, "the moved tree is reachable by its new name");
	t_err(rename(p("d1/."), p("x")), EBUSY, "renaming \".\" -> EBUSY");
	t_err(rename(p("file"), p("d1/..")), EBUSY, "renaming onto \"..\" -> EBUSY");
	t_sys(rename(p("d1/"), p("d3/")), "trailing slashes are fine for directories");
}

static void at_and_flags(void)
{
	int dfd = open(fs_dir, O_RDONLY | O_DIRECTORY);
	t_sys(mkdir(p("sub"), 0755), "mkdir sub");
	int sfd = open(p("sub"), O_RDONLY | O_DIRECTORY);
	fs_write(p("x"), "X");
	fs_write(p("y"), "Y");
	t_sys(renameat(dfd, "x", sfd, "x2"), "renameat between two directory fds");
	t_ok(!strcmp(fs_read(p("sub/x2")), "X"), "the file arrived");
	t_err(renameat2_(sfd, "x2", dfd, "y", RENAME_NOREPLACE), EEXIST, "RENAME_NOREPLACE onto a file -> EEXIST");
	t_sys(renameat2_(sfd, "x2", dfd, "x", RENAME_NOREPLACE), "RENAME_NOREPLACE to a free name");
	t_sys(renameat2_(dfd, "x", dfd, "y", RENAME_EXCHANGE), "RENAME_EXCHANGE of two files");
	t_ok(!strcmp(fs_read(p("x")), "Y") && !strcmp(fs_read(p("y")), "X"), "their contents swapped names");
	nlink_t root_links = links(fs_dir), sub_links = links(p("sub"));
	t_sys(mkdir(p("sub/inner"), 0755), "mkdir sub/inner");
	t_sys(renameat2_(dfd, "x", sfd, "inner", RENAME_EXCHANGE), "RENAME_EXCHANGE of a file and a directory");
	t_ok(S_ISDIR(({ struct stat s_; stat(p("x"), &s_); s_.st_mode; })) && !strcmp(fs_read(p("sub/inner")), "Y"),
	     "the directory and the file swapped places");
	t_eq(links(fs_dir), root_links + 1, "the directory's new parent gained a link");
	t_eq(links(p("sub")), sub_links, "its old parent is back to its count");
	t_ok(ino(p("x/..")) == ino(fs_dir), "the exchanged directory's .. is its new parent");
	t_err(renameat2_(dfd, "y", dfd, "nothing", RENAME_EXCHANGE), ENOENT, "RENAME_EXCHANGE with a missing target -> ENOENT");
	t_err(renameat2_(dfd, "y", dfd, "z", RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL,
	      "RENAME_EXCHANGE with RENAME_NOREPLACE -> EINVAL");
	t_err(renameat2_(dfd, "y", dfd, "z", 0x100), EINVAL, "an unknown renameat2 flag -> EINVAL");
	t_err(renameat2_(77, "y", dfd, "z", 0), EBADF, "renameat2 from a bad directory fd -> EBADF");
	t_err(renameat(dfd, "y", open(p("y"), O_RDONLY), "z"), ENOTDIR, "renameat relative to a file fd -> ENOTDIR");
	close(sfd);
	close(dfd);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fs_scratch("fs-rename");
	files();
	directories();
	at_and_flags();
	fs_cleanup();
	return t_done();
}
