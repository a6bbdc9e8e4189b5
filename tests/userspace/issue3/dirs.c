/* dirs — proves directories: getdents64 lists every entry with the right
 * d_type, also through a buffer that holds only a few entries at a time,
 * returns 0 at the end, restarts after lseek(0); readdir() agrees; "." and
 * ".." resolve in paths; and the errors for a too-small buffer, a file and
 * a bad fd. /bin is listed too (its contents differ between machines).
 */
#include "t.h"
#include <dirent.h>
#include <fcntl.h>

#define DATA "/etc/forkline-tests/data"

struct entry { char name[256]; int type; };

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* Read a directory with getdents64 through a buf_size-byte buffer.
   Returns the number of entries, -1 on error; *calls counts the calls. */
static int list(int fd, struct entry *out, int max, size_t buf_size, int *calls)
{
	char buf[4096] __attribute__((aligned(8)));
	int n = 0;
	*calls = 0;
	for (;;) {
		long r = syscall(SYS_getdents64, fd, buf, buf_size);
		++*calls;
		if (r < 0)
			return -1;
		if (r == 0)
			return n;
		for (long off = 0; off < r;) {
			struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; } *d =
				(void *)(buf + off);
			if (n < max) {
				snprintf(out[n].name, sizeof out[n].name, "%s", d->name);
				out[n].type = d->type;
			}
			n++;
			off += d->reclen;
		}
	}
}

static const char *type_name(int t)
{
	return t == DT_DIR ? "dir" : t == DT_REG ? "file" : t == DT_LNK ? "link" : "other";
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int fd = open(t_path(DATA), O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		t_die("open " DATA);
	struct entry e[64], small[64];
	int calls, calls_small;
	int n = list(fd, e, 64, 4096, &calls);
	t_ok(n > 2, "getdents64 lists the data directory");
	qsort(e, (size_t)(n < 64 ? n : 64), sizeof e[0], by_name);
	for (int i = 0; i < n && i < 64; i++)
		printf("  %s %s\n", type_name(e[i].type), e[i].name);
	int dot = 0, dotdot = 0;
	for (int i = 0; i < n; i++) {
		dot |= !strcmp(e[i].name, ".") && e[i].type == DT_DIR;
		dotdot |= !strcmp(e[i].name, "..") && e[i].type == DT_DIR;
	}
	t_ok(dot && dotdot, "\".\" and \"..\" are listed as directories");
	t_eq(syscall(SYS_getdents64, fd, (char[64]){ 0 }, 64), 0, "getdents64 at the end returns 0");
	t_eq(lseek(fd, 0, SEEK_SET), 0, "lseek(dirfd, 0) rewinds");
	int m = list(fd, small, 64, 64, &calls_small);
	qsort(small, (size_t)(m < 64 ? m : 64), sizeof small[0], by_name);
	int same = m == n;
	for (int i = 0; same && i < n && i < 64; i++)
		same = !strcmp(e[i].name, small[i].name) && e[i].type == small[i].type;
	t_ok(same && calls_small > 2, "a 64-byte buffer lists the same entries, a few per call");
	t_eq(lseek(fd, 0, SEEK_SET), 0, "rewind again");
	t_err(syscall(SYS_getdents64, fd, (char[8]){ 0 }, 8), EINVAL, "getdents64 with a buffer too small for one entry -> EINVAL");
	close(fd);

	DIR *d = opendir(t_path(DATA));
	int count = 0;
	for (struct dirent *de; d && (de = readdir(d));)
		count++;
	t_ok(d && count == n, "readdir() sees as many entries");
	if (d)
		closedir(d);

	int file = open(t_path(DATA "/hello.txt"), O_RDONLY);
	t_err(syscall(SYS_getdents64, file, (char[512]){ 0 }, 512), ENOTDIR, "getdents64 on a file -> ENOTDIR");
	close(file);
	t_err(syscall(SYS_getdents64, 99, (char[512]){ 0 }, 512), EBADF, "getdents64 on a bad fd -> EBADF");

	char buf[64];
	int fd2 = open(t_path(DATA "/dir/../dir/./inner.txt"), O_RDONLY);
	t_ok(fd2 >= 0 && read(fd2, buf, 6) == 6 && !memcmp(buf, "inside", 6), "paths with . and .. resolve");
	close(fd2);
	fd2 = open(t_path("//etc///forkline-tests//data/hello.txt"), O_RDONLY);
	t_ok(fd2 >= 0, "repeated slashes are accepted");
	close(fd2);

	int bin = open("/bin", O_RDONLY | O_DIRECTORY);
	struct entry *many = malloc(4096 * sizeof *many);
	int nb = bin >= 0 ? list(bin, many, 4096, 4096, &calls) : -1;
	t_ok(nb >= 2, "/bin can be listed");
	t_info("/bin has %d entries", nb);
	free(many);
	return t_done();
}
