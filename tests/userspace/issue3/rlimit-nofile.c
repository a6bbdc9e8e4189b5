/* rlimit-nofile — proves RLIMIT_NOFILE is enforced: with a soft limit of
 * 16, fds 3..15 open and the next open fails with EMFILE; closing one lets
 * the next open succeed, with that fd.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct rlimit r;
	getrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = 16;
	if (setrlimit(RLIMIT_NOFILE, &r) < 0)
		t_die("setrlimit");
	const char *path = t_path("/etc/forkline-tests/data/hello.txt");
	int last = -1, opened = 0;
	for (int i = 3; i < 16; i++) {
		int fd = open(path, O_RDONLY);
		opened += fd == i;
		last = fd;
	}
	t_eq(opened, 13, "fds 3..15 open, in order");
	t_err(open(path, O_RDONLY), EMFILE, "the 17th fd -> EMFILE");
	t_err(dup(0), EMFILE, "dup beyond the limit -> EMFILE");
	close(7);
	t_eq(open(path, O_RDONLY), 7, "after closing fd 7, open gives 7 again");
	t_eq(last, 15, "the last fd under the limit was 15");
	return t_done();
}
