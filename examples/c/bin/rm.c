/* rm [-rf] FILE…: remove files; -r also directories and what they hold,
   -f says nothing about files that do not exist. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

/* Remove one path (a directory's contents first, with -r); 0 on success. */
static int remove_path(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) == 0)
			return 0;
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!recursive) {
		fprintf(stderr, "rm: %s: is a directory (use -r)\n", path);
		return 1;
	}
	int status = 0;
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *child = malloc(strlen(path) + strlen(e->d_name) + 2);
		sprintf(child, "%s/%s", path, e->d_name);
		status |= remove_path(child);
		free(child);
	}
	if (d)
		closedir(d);
	if (rmdir(path) < 0) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		status = 1;
	}
	return status;
}

/* Options (-r, -f, together or apart), then each path. */
int main(int argc, char **argv)
{
	int i = 1, status = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'r' || *o == 'R')
				recursive = 1;
			else if (*o == 'f')
				force = 1;
			else {
				fprintf(stderr, "usage: rm [-rf] FILE…\n");
				return 1;
			}
		}
	}
	if (i == argc && !force) {
		fprintf(stderr, "usage: rm [-rf] FILE…\n");
		return 1;
	}
	for (; i < argc; i++)
		status |= remove_path(argv[i]);
	return status;
}
