/* fault [segv|abort|fpe|ill|trap|kill]: end this process with a signal on
   purpose, to see how the kernel delivers it and how the shell reports it
   ("Killed by signal 11 (SIGSEGV: Segmentation fault)", $? = 139).
     segv   store through a null pointer: a page fault the kernel turns into SIGSEGV
     abort  abort(): SIGABRT from the C library
     fpe    integer division by zero: #DE → SIGFPE
     ill    ud2, an undefined instruction: #UD → SIGILL
     trap   int3, a breakpoint with no debugger: #BP → SIGTRAP
     kill   kill(getpid(), SIGKILL) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Perform the chosen fault; returns only if it did not kill us. */
int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "segv";
	printf("fault: %s in pid %d\n", what, getpid());
	fflush(stdout);
	if (!strcmp(what, "segv")) {
		*(volatile int *)0 = 1;
	} else if (!strcmp(what, "abort")) {
		abort();
	} else if (!strcmp(what, "fpe")) {
		/* in assembly: a C division by zero is undefined, and gcc may not emit it */
		__asm__ volatile("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\tcltd\n\tidivl %%ecx" ::: "eax", "ecx", "edx");
	} else if (!strcmp(what, "ill")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(what, "trap")) {
		__asm__ volatile("int3");
	} else if (!strcmp(what, "kill")) {
		kill(getpid(), SIGKILL);
	} else {
		fprintf(stderr, "usage: fault [segv|abort|fpe|ill|trap|kill]\n");
		return 2;
	}
	fprintf(stderr, "fault: still alive after %s?\n", what);
	return 1;
}
