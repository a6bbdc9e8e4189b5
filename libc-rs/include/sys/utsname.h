/* POSIX sys/utsname.h: Linux's struct new_utsname, filled by uname(2) on
   both ABIs (glibc's layout, _UTSNAME_LENGTH 65). */
#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H
#include <bits/alltypes.h>

__FL_BEGIN

#define _UTSNAME_LENGTH 65
#define _UTSNAME_DOMAIN_LENGTH _UTSNAME_LENGTH

struct utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

int uname(struct utsname *);

__FL_END
#endif
