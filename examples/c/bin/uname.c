/* uname [-asnrvm]: the kernel's names, from uname(2): -s system (default),
   -n node, -r release, -v version, -m machine, -a all of them. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

/* Print the chosen fields in uname's order. */
int main(int argc, char **argv)
{
	struct utsname u;
	const char *order = "snrvm";
	char want[8] = "";
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || strspn(argv[i] + 1, "asnrvm") != strlen(argv[i] + 1)) {
			fprintf(stderr, "usage: uname [-asnrvm]\n");
			return 1;
		}
		strncat(want, argv[i] + 1, sizeof want - strlen(want) - 1);
	}
	if (!*want)
		strcpy(want, "s");
	if (strchr(want, 'a'))
		strcpy(want, order);
	if (uname(&u) < 0) {
		perror("uname");
		return 1;
	}
	const char *field[] = {u.sysname, u.nodename, u.release, u.version, u.machine};
	int first = 1;
	for (int k = 0; k < 5; k++) {
		if (!strchr(want, order[k]))
			continue;
		printf("%s%s", first ? "" : " ", field[k]);
		first = 0;
	}
	printf("\n");
	return 0;
}
