/* anonfd.h — what /proc says about a descriptor, for the tests of
 * eventfd, timerfd, signalfd and epoll (files with no name of their own).
 */
#ifndef FORKLINE_ANONFD_H
#define FORKLINE_ANONFD_H

#include <stdio.h>
#include <unistd.h>

/* /proc/self/fd/FD read as a link ("anon_inode:[eventfd]"); "" if it
   cannot be read. Returns a static buffer. */
static inline const char *fd_link(int fd)
{
	static char link[256];
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	return link;
}

/* The text of /proc/self/fdinfo/FD; "" if it cannot be read. Returns a
   static buffer. */
static inline const char *fd_info(int fd)
{
	static char buf[4096];
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	buf[0] = 0;
	FILE *f = fopen(path, "r");
	if (f) {
		buf[fread(buf, 1, sizeof buf - 1, f)] = 0;
		fclose(f);
	}
	return buf;
}

#endif
