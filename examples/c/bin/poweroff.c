/* poweroff: ask init to stop everything and power the machine off, the
   way busybox's init understands it: SIGUSR2 to pid 1. Forkline's
   /sbin/init then ends every process and exits, and the kernel powers off
   when init exits (QEMU quits). */
#include <signal.h>
#include <stdio.h>

/* Signal init; it does the rest. */
int main(void)
{
	if (kill(1, SIGUSR2) < 0) {
		perror("poweroff: kill(1, SIGUSR2)");
		return 1;
	}
	return 0;
}
