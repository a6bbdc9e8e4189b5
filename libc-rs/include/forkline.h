/* libc-rs internals a test program may look at. Not part of any standard.

   __fl_kernel_entries counts how the C library entered the kernel:
     [FL_ENTRY_SYSCALL]   x86_64 `syscall` instructions
     [FL_ENTRY_GS_SYSINFO] i386 `call *%gs:16` (TCB's sysinfo; after startup)
     [FL_ENTRY_DL_SYSINFO] i386 `call *_dl_sysinfo` (before the TCB exists)
     [FL_ENTRY_INT80]     i386 `int $0x80` (the _dl_sysinfo_int80 routine used
                          when the kernel gives no AT_SYSINFO; vfork; sigreturn)
   With AT_SYSINFO the two call forms reach the vDSO's __kernel_vsyscall. */
#ifndef _FORKLINE_H
#define _FORKLINE_H
#include <bits/alltypes.h>

__FL_BEGIN

#define FL_ENTRY_SYSCALL 0
#define FL_ENTRY_GS_SYSINFO 1
#define FL_ENTRY_DL_SYSINFO 2
#define FL_ENTRY_INT80 3
extern unsigned __fl_kernel_entries[4];

/* Where `call *_dl_sysinfo` goes (i386): AT_SYSINFO or the int $0x80 routine. */
#ifdef __i386__
extern unsigned long _dl_sysinfo;
#endif

/* Look a vDSO function up by name and version; table 0 = any (GNU hash
   first), 1 = DT_GNU_HASH only, 2 = DT_HASH only. 0 when absent. */
unsigned long __fl_vdso_lookup(const char *name, const char *version, int table);

/* Bit 0: clock_gettime, bit 1: gettimeofday, bit 2: time use the vDSO. */
int __fl_vdso_time_functions(void);

__FL_END
#endif
