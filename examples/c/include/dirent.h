/* <dirent.h> for the example programs, used only while libc-rs has none
   (see sys/ioctl.h here): opendir/readdir/closedir over getdents64(2),
   whose record layout is the same for i386 and x86_64 processes. */
#ifndef _DIRENT_H
#define _DIRENT_H
#include <sys/types.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

struct dirent {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

/* An open directory: its fd and a buffer of raw getdents64 records. */
typedef struct {
	int fd;
	int pos, len;
	struct dirent ent;
	char buf[4096];
} DIR;

/* Open the directory `path` for reading its entries. */
static inline DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	DIR *d = malloc(sizeof *d);
	if (!d) {
		close(fd);
		return 0;
	}
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

/* The next entry, or NULL at the end (errno set on an error). */
static inline struct dirent *readdir(DIR *d)
{
	if (d->pos >= d->len) {
		long n = syscall(SYS_getdents64, d->fd, d->buf, sizeof d->buf);
		if (n <= 0)
			return 0;
		d->len = (int)n;
		d->pos = 0;
	}
	/* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name */
	const char *r = d->buf + d->pos;
	unsigned short reclen;
	memcpy(&d->ent.d_ino, r, 8);
	memcpy(&d->ent.d_off, r + 8, 8);
	memcpy(&reclen, r + 16, 2);
	d->ent.d_reclen = reclen;
	d->ent.d_type = (unsigned char)r[18];
	strncpy(d->ent.d_name, r + 19, sizeof d->ent.d_name - 1);
	d->ent.d_name[sizeof d->ent.d_name - 1] = 0;
	d->pos += reclen;
	return &d->ent;
}

/* Close the directory and free it. */
static inline int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}

/* The directory's file descriptor. */
static inline int dirfd(DIR *d)
{
	return d->fd;
}

#endif
