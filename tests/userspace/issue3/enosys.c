/* enosys — proves that system call numbers the kernel does not have return
 * ENOSYS and the process carries on: holes in the table, numbers past its
 * end, and -1.
 */
#include "t.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
#ifdef __x86_64__
	static const long numbers[] = { 400, 1000, 100000, -1 }; /* 337..423 is a hole */
#else
	static const long numbers[] = { 222, 251, 1000, 100000, -1 }; /* 222, 251: holes */
#endif
	for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		char what[64];
		snprintf(what, sizeof what, "syscall(%ld) -> ENOSYS", numbers[i]);
		errno = 0;
		long r = syscall(numbers[i], 1, 2, 3, 4, 5, 6);
		int e = errno;
		t_check(r == -1 && e == ENOSYS, what, "got %ld, %s", r, errname(e));
		t_eq(syscall(SYS_getpid), getpid(), "a normal system call still works");
	}
	printf("still running\n");
	return t_done();
}
