/* shared-anon — proves MAP_SHARED anonymous memory stays shared across
 * fork (it is not copy-on-write): the child's writes are seen by the
 * parent and the parent's by the child, through a grandchild too, while a
 * MAP_PRIVATE page next to it is copied as usual.
 */
#include "t.h"
#include <sys/mman.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	volatile int *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || private == MAP_FAILED)
		t_die("mmap");
	shared[0] = 1;
	shared[1024] = 1;
	private[0] = 1;
	int go[2], done[2];
	if (pipe(go) < 0 || pipe(done) < 0)
		t_die("pipe");
	pid_t c = fork();
	if (c == 0) {
		t_eq(shared[0], 1, "child sees the shared page's value at fork time");
		shared[0] = 2;
		shared[1024] = 2;
		private[0] = 2;
		t_send(done[1], 'w');
		t_recv(go[0]);
		t_eq(shared[0], 3, "child sees the parent's later write to the shared page");
		pid_t g = fork();
		if (g == 0) {
			shared[1024] = 4;
			_exit(0);
		}
		waitpid(g, NULL, 0);
		t_child_exit();
	}
	t_recv(done[0]);
	t_eq(shared[0], 2, "parent sees the child's write to the shared page");
	t_eq(private[0], 1, "the private page stays the parent's own");
	shared[0] = 3;
	t_send(go[1], 'g');
	t_wait_ok(c, "child's checks passed");
	t_eq(shared[1024], 4, "a grandchild's write to the second shared page reaches the parent");
	return t_done();
}
