/* fs.h — helpers of the file-API tests (tests/userspace/fs): a scratch
 * directory under /tmp (which Linux hosts and Forkline both have), files
 * made and read back in one call, and a recursive remove for the end.
 * Paths are not printed on "ok" lines: they contain the pid.
 */
#ifndef FORKLINE_FS_H
#define FORKLINE_FS_H

#include "t.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

static char fs_dir[256];

/* Make /tmp/NAME.PID, the directory fs_path() names files in. */
static inline void fs_scratch(const char *name)
{
	snprintf(fs_dir, sizeof fs_dir, "/tmp/%s.%d", name, (int)getpid());
	if (mkdir(fs_dir, 0755) < 0)
		t_die("mkdir %s", fs_dir);
}

/* fs_dir/name, in one of eight static buffers. */
static inline const char *fs_path(const char *name)
{
	static char bufs[8][512];
	static int slot;
	char *b = bufs[slot++ % 8];
	snprintf(b, sizeof bufs[0], "%s/%s", fs_dir, name);
	return b;
}

/* Create (or truncate) path with text; dies if it cannot. */
static inline void fs_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		t_die("create %s", path);
	close(fd);
}

/* The whole of path as a string in a static buffer ("" if unreadable). */
static inline const char *fs_read(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? 0 : t_read_full(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return buf;
}

/* rm -r path (no symlinks followed); returns 0 on success. */
static inline int fs_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char sub[1024];
		if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
			fs_rm_rf(sub);
	}
	if (d)
		closedir(d);
	return rmdir(path);
}

/* Remove the scratch directory, as a check. */
static inline void fs_cleanup(void)
{
	t_sys(fs_rm_rf(fs_dir), "the scratch directory is removed at the end");
}

#endif
