/* Dumps this process's initial stack, from the stack pointer the kernel
 * started it with (argc's address: argv - one word) up to the end of the
 * [stack] mapping, as hex. The host's create_elf_tables wrote these bytes;
 * the differential test rebuilds them with binfmt::create_elf_tables. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned long sp = (unsigned long)argv - sizeof(void *);
	unsigned long lo, hi, top = 0;
	char line[512];
	FILE *maps = fopen("/proc/self/maps", "r");

	if (!maps)
		return 2;
	while (fgets(line, sizeof line, maps))
		if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			top = hi;
	fclose(maps);
	if (!top || top <= sp || argc < 0)
		return 3;
	printf("sp %lx\ntop %lx\nbytes ", sp, top);
	for (const unsigned char *b = (const unsigned char *)sp; b < (const unsigned char *)top; b++)
		printf("%02x", *b);
	printf("\n");
	return 0;
}
