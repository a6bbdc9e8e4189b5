/* sys/sysinfo.h: the kernel's struct sysinfo, CPU counts. */
#ifndef _SYS_SYSINFO_H
#define _SYS_SYSINFO_H
#include <bits/alltypes.h>

__FL_BEGIN
#define SI_LOAD_SHIFT 16
struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram;
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;
	unsigned short pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;
	char _f[20 - 2 * sizeof(long) - sizeof(int)];
};
int sysinfo(struct sysinfo *);
int get_nprocs(void);
int get_nprocs_conf(void);
__FL_END
#endif
