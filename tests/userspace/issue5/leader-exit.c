/* leader-exit — proves a process outlives its main thread: main calls
 * pthread_exit while a second thread runs; that thread still prints,
 * getpid() is unchanged, and its exit(3) is the whole process's status
 * (as init too: the kernel waits for init's last thread).
 */
#include "t.h"
#include <pthread.h>

static pid_t pid;

static void *second(void *arg)
{
	(void)arg;
	usleep(100000); /* let the main thread be gone first */
	printf("second thread: pid unchanged %s\n", getpid() == pid ? "yes" : "no");
	printf("second thread: exit(3)\n");
	fflush(stdout);
	exit(3);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	pid = getpid();
	pthread_t t;
	if (pthread_create(&t, NULL, second, NULL))
		t_die("pthread_create");
	printf("main thread: pthread_exit\n");
	fflush(stdout);
	pthread_exit(NULL);
}
