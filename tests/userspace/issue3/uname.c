/* uname — proves uname() fills struct utsname as Linux does: every field
 * NUL-terminated, sysname "Linux" or "Forkline", machine "x86_64" for both
 * ABIs (Linux reports i686 to 32-bit programs only under the PER_LINUX32
 * personality), nodename equal to gethostname().
 */
#include "t.h"

/* Is field a NUL-terminated, non-empty string within its 65 bytes? */
static int terminated(const char *field, size_t size)
{
	return field[0] && memchr(field, 0, size) != NULL;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct utsname u;
	memset(&u, 0xff, sizeof u);
	if (!t_sys(uname(&u), "uname() succeeds"))
		return t_done();
	t_ok(terminated(u.sysname, sizeof u.sysname) && terminated(u.nodename, sizeof u.nodename) &&
		     terminated(u.release, sizeof u.release) && terminated(u.version, sizeof u.version) &&
		     terminated(u.machine, sizeof u.machine),
	     "every field is a non-empty NUL-terminated string");
	t_ok(!strcmp(u.sysname, "Linux") || !strcmp(u.sysname, "Forkline"), "sysname is Linux or Forkline");
	t_info("sysname %s, release %s, version %s, nodename %s", u.sysname, u.release, u.version, u.nodename);
	printf("machine: %s\n", u.machine);
	t_ok(!strcmp(u.machine, "x86_64"), "machine is x86_64 (also for an i386 process)");
	char host[256];
	t_ok(gethostname(host, sizeof host) == 0 && !strcmp(host, u.nodename), "gethostname() is the nodename");
	struct utsname raw;
	t_ok(syscall(SYS_uname, &raw) == 0 && !memcmp(&raw, &u, sizeof raw), "the system call gives the same");
	return t_done();
}
