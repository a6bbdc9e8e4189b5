/* reboot — proves reboot(2) as Linux's kernel/reboot.c answers it:
 *   reboot errors     the magic numbers are checked (EINVAL), unknown
 *                     commands (and kexec, hibernation: not built in) are
 *                     EINVAL; on Forkline also CAD_ON/CAD_OFF (on a Linux
 *                     host they would change the host, so not there)
 *   reboot poweroff | restart | restart2 | halt
 *                     the command itself (booted as init by
 *                     tests/userspace.rs: the machine must go down with
 *                     the kernel's "reboot: ..." line, nothing after)
 */
#include "t.h"

#define MAGIC1 0xfee1deadu
#define MAGIC2 0x28121969u
#define CMD_RESTART 0x01234567u
#define CMD_HALT 0xcdef0123u
#define CMD_CAD_ON 0x89abcdefu
#define CMD_CAD_OFF 0u
#define CMD_POWER_OFF 0x4321fedcu
#define CMD_RESTART2 0xa1b2c3d4u
#define CMD_KEXEC 0x45584543u
#define CMD_SW_SUSPEND 0xd000fce2u

static long sys_reboot(unsigned m1, unsigned m2, unsigned cmd, const char *arg)
{
	return syscall(SYS_reboot, m1, m2, cmd, arg);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "errors";
	if (!strcmp(what, "poweroff") || !strcmp(what, "restart") || !strcmp(what, "restart2") || !strcmp(what, "halt")) {
		unsigned cmd = !strcmp(what, "poweroff") ? CMD_POWER_OFF
			       : !strcmp(what, "restart") ? CMD_RESTART
			       : !strcmp(what, "halt")    ? CMD_HALT
							  : CMD_RESTART2;
		printf("reboot: calling reboot(%s)\n", what);
		fflush(stdout);
		sys_reboot(MAGIC1, MAGIC2, cmd, "firmware-words");
		printf("FAIL: reboot(%s) returned: %s\n", what, errname(errno));
		return 1;
	}
	t_err(sys_reboot(0xdeadbeef, MAGIC2, CMD_POWER_OFF, 0), EINVAL, "a wrong first magic -> EINVAL");
	t_err(sys_reboot(MAGIC1, 0x12345678, CMD_POWER_OFF, 0), EINVAL, "a wrong second magic -> EINVAL");
	if (t_is_forkline()) {
		t_check_here(sys_reboot(MAGIC1, MAGIC2, 0x12345, 0) == -1 && errno == EINVAL,
			     "an unknown command -> EINVAL", "%s", errname(errno));
		t_check_here(sys_reboot(MAGIC1, MAGIC2, CMD_KEXEC, 0) == -1 && errno == EINVAL,
			     "kexec (not built in) -> EINVAL", "%s", errname(errno));
		t_check_here(sys_reboot(MAGIC1, MAGIC2, CMD_SW_SUSPEND, 0) == -1 && errno == EINVAL,
			     "hibernation (not built in) -> EINVAL", "%s", errname(errno));
		t_check_here(sys_reboot(MAGIC1, 0x05121996, CMD_CAD_OFF, 0) == 0, "CAD_OFF with another magic2",
			     "%s", errname(errno));
		t_check_here(sys_reboot(MAGIC1, 0x20112000, CMD_CAD_ON, 0) == 0, "CAD_ON", "%s", errname(errno));
		t_check_here(sys_reboot(MAGIC1, MAGIC2, CMD_RESTART2, t_addr(1)) == -1 && errno == EFAULT,
			     "RESTART2 with a bad string -> EFAULT", "%s", errname(errno));
	}
	printf("still running\n");
	return t_done();
}
