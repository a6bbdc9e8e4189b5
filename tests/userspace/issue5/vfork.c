/* vfork — proves vfork's contract: the parent is suspended until the child
 * exits or execs; the child runs in the parent's memory (its writes are
 * the parent's); the child has its own pid and the parent as its parent;
 * an exec releases the parent while the child still runs; a failed exec in
 * the child is reported through _exit(127).
 */
#include "t.h"

static volatile int shared;
static volatile pid_t child_pid, child_ppid;

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	pid_t parent = getpid();
	fflush(stdout);
	pid_t c = vfork();
	if (c == 0) {
		shared = 1;
		child_pid = getpid();
		child_ppid = getppid();
		struct timespec ts = { 0, 50000000 };
		nanosleep(&ts, NULL);
		shared = 2; /* the parent must not have run in between */
		_exit(7);
	}
	t_eq(shared, 2, "parent resumes only after the child exits, and sees its writes");
	t_eq(child_pid, c, "the child's getpid() is what vfork returned");
	t_eq(child_ppid, parent, "the child's getppid() is the parent");
	int st = 0;
	t_waited(c, 0, "exit 7", "waitpid collects the vfork child's _exit(7)");

	/* exec releases the parent while the child lives on. */
	char *args[] = { (char *)t_self, "helper", "sleep", "300", "9", NULL };
	c = vfork();
	if (c == 0) {
		shared = 3;
		execv(t_self, args);
		_exit(127);
	}
	t_eq(shared, 3, "the child's write before exec is seen");
	t_eq(waitpid(c, &st, WNOHANG), 0, "parent resumed at exec: the child still runs");
	t_waited(c, 0, "exit 9", "the exec'd child exits 9");

	c = vfork();
	if (c == 0) {
		execl(t_path("/etc/forkline-tests/data/missing"), "missing", (char *)NULL);
		_exit(127);
	}
	t_waited(c, 0, "exit 127", "a failed exec in a vfork child: _exit(127)");
	return t_done();
}
