/* ls [-la1d] [PATH…]: list directories (default ".") or files, sorted by
   name, in columns on a terminal and one a line otherwise.
     -l  long form: type and mode, links, owner, group, size (or device
         numbers), modification time (UTC), name, and where a link points
     -a  include names starting with '.'
     -1  one name a line
     -d  list a directory itself, not its contents */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static int opt_long, opt_all, opt_one, opt_dir;

/* "drwxr-xr-x" for a mode. */
static void mode_string(mode_t m, char s[11])
{
	const char *types = "?pc?d?b?-?l?s???";
	s[0] = types[(m >> 12) & 15];
	for (int i = 0; i < 9; i++)
		s[1 + i] = (m & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
	if (m & S_ISUID)
		s[3] = s[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = s[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = s[9] == 'x' ? 't' : 'T';
	s[10] = 0;
}

/* "Nov 22 06:20" (this half year) or "Nov 22  2025", in UTC (Forkline has
   no time zones), from days since 1970 by the civil-calendar algorithm. */
static void time_string(time_t t, char s[16])
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	long long days = t / 86400, secs = t % 86400;
	if (secs < 0)
		secs += 86400, days--;
	long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long long m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
	long long age = (long long)time(0) - t;
	if (age >= 0 && age < 183LL * 86400)
		snprintf(s, 16, "%.3s %2d %02d:%02d", months + 3 * (m - 1), (int)d, (int)(secs / 3600),
			 (int)(secs / 60 % 60));
	else
		snprintf(s, 16, "%.3s %2d  %4d", months + 3 * (m - 1), (int)d, (int)(y % 10000));
}

/* One name in the long form; `path` is where to find the file. */
static void long_line(const char *path, const char *name)
{
	struct stat st;
	char mode[11], when[16], size[32];
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return;
	}
	mode_string(st.st_mode, mode);
	time_string(st.st_mtime, when);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		snprintf(size, sizeof size, "%3u, %3u", major(st.st_rdev), minor(st.st_rdev));
	else
		snprintf(size, sizeof size, "%8lld", (long long)st.st_size);
	printf("%s %3lu %-4s %-4s %8s %s %s", mode, (unsigned long)st.st_nlink,
	       st.st_uid ? "" : "root", st.st_gid ? "" : "root", size, when, name);
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n >= 0)
			printf(" -> %.*s", (int)n, target);
	}
	printf("\n");
}

/* qsort order: bytewise by name, as ls in the C locale. */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Short names in columns across a terminal's width, else one a line. */
static void columns(char **names, int n)
{
	struct winsize ws;
	int width = ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
	size_t longest = 1;
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) > longest)
			longest = strlen(names[i]);
	int colw = (int)longest + 2, cols = opt_one || !isatty(1) ? 1 : width / colw;
	if (cols < 1)
		cols = 1;
	int rows = (n + cols - 1) / cols;
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++) {
			int i = c * rows + r;
			if (i >= n)
				continue;
			if (c == cols - 1 || i + rows >= n)
				printf("%s", names[i]); /* the last on its line: no padding */
			else
				printf("%-*s", colw, names[i]);
		}
		printf("\n");
	}
}

/* The entries of a directory, sorted; 0 on success. */
static int list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	char **names = 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !opt_all)
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	if (opt_long) {
		long long blocks = 0;
		for (int i = 0; i < n; i++) {
			struct stat st;
			char *path = malloc(strlen(dir) + strlen(names[i]) + 2);
			sprintf(path, "%s/%s", dir, names[i]);
			if (lstat(path, &st) == 0)
				blocks += st.st_blocks;
			free(path);
		}
		printf("total %lld\n", blocks / 2);
		for (int i = 0; i < n; i++) {
			char *path = malloc(strlen(dir) + strlen(names[i]) + 2);
			sprintf(path, "%s/%s", dir, names[i]);
			long_line(path, names[i]);
			free(path);
		}
	} else {
		columns(names, n);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

/* Files first (as ls does), then each directory under a heading. */
int main(int argc, char **argv)
{
	int i = 1, status = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				opt_long = 1;
			else if (*o == 'a')
				opt_all = 1;
			else if (*o == '1')
				opt_one = 1;
			else if (*o == 'd')
				opt_dir = 1;
			else {
				fprintf(stderr, "usage: ls [-la1d] [PATH…]\n");
				return 2;
			}
		}
	}
	char *dot[] = {".", 0};
	char **paths = i < argc ? argv + i : dot;
	int npaths = i < argc ? argc - i : 1;
	char **files = malloc((npaths + 1) * sizeof *files);
	int nfiles = 0, ndirs = 0;
	for (int k = 0; k < npaths; k++) {
		struct stat st;
		if (stat(paths[k], &st) < 0 && lstat(paths[k], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", paths[k], strerror(errno));
			status = 2;
		} else if (S_ISDIR(st.st_mode) && !opt_dir) {
			ndirs++;
		} else {
			files[nfiles++] = paths[k];
		}
	}
	qsort(files, nfiles, sizeof *files, by_name);
	if (opt_long)
		for (int k = 0; k < nfiles; k++)
			long_line(files[k], files[k]);
	else if (nfiles)
		columns(files, nfiles);
	int shown = nfiles;
	for (int k = 0; k < npaths; k++) {
		struct stat st;
		if (opt_dir || stat(paths[k], &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (nfiles + ndirs > 1)
			printf("%s%s:\n", shown++ ? "\n" : "", paths[k]);
		status |= list_dir(paths[k]);
	}
	free(files);
	return status;
}
