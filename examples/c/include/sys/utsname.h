/* <sys/utsname.h> for the example programs, used only while libc-rs has
   none (see sys/ioctl.h here): Linux's struct new_utsname and uname(2),
   whose number is the "new" uname on both ABIs. */
#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H
#include <unistd.h>
#include <sys/syscall.h>

struct utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

/* Fill `u` with the kernel's names. */
static inline int uname(struct utsname *u)
{
	return (int)syscall(SYS_uname, u);
}

#endif
