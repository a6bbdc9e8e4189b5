/* A small program with the features the loader must honour: printf,
 * malloc, thread-local storage, and data + bss segments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread int tls_counter = 41;
static char bss_buffer[8192];
int data_value = 7;

int main(int argc, char **argv)
{
	char *p = malloc(64);
	if (!p)
		return 1;
	strcpy(p, "hello");
	tls_counter++;
	bss_buffer[argc] = (char)data_value;
	printf("%s %d %d\n", p, tls_counter, bss_buffer[argc] + (int)strlen(argv[0]) * 0);
	free(p);
	return 0;
}
