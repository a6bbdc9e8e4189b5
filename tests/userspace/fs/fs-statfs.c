/* fs-statfs — proves statfs and fstatfs, and on i386 the two layouts
 * (the old 32-bit struct statfs of call 99/100 and the packed statfs64 of
 * call 268/269, whose size argument must be exact): /proc answers as
 * procfs (PROC_SUPER_MAGIC), the root filesystem with consistent block
 * counts (on Forkline, as tmpfs: TMPFS_MAGIC), fstatfs agrees with statfs
 * and takes O_PATH descriptors; ENOENT, EBADF and EINVAL as on Linux.
 */
#include "fs.h"
#include <sys/statfs.h>
#include <sys/vfs.h>

#define PROC_SUPER_MAGIC 0x9fa0
#define TMPFS_MAGIC 0x01021994

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct statfs s, f;
	t_sys(statfs("/proc", &s), "statfs /proc");
	t_ok(s.f_type == PROC_SUPER_MAGIC && s.f_bsize == 4096 && s.f_namelen == 255, "procfs: its magic, 4 KiB blocks, 255-byte names");
	t_sys(statfs("/proc/self/stat", &s), "statfs of a file in /proc");
	t_eq(s.f_type, PROC_SUPER_MAGIC, "is procfs too");
	t_sys(statfs("/tmp", &s), "statfs /tmp");
	t_info("/tmp: f_type %#lx f_bsize %ld f_blocks %llu f_bfree %llu", (unsigned long)s.f_type, (long)s.f_bsize,
	       (unsigned long long)s.f_blocks, (unsigned long long)s.f_bfree);
	t_ok(s.f_bsize > 0 && s.f_blocks > 0 && s.f_bfree <= s.f_blocks && s.f_bavail <= s.f_blocks && s.f_namelen == 255,
	     "block size, counts that add up, 255-byte names");
	t_ok(t_is_forkline() ? s.f_type == TMPFS_MAGIC : s.f_type != 0, "a filesystem type (tmpfs's magic on Forkline)");
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	t_sys(fstatfs(fd, &f), "fstatfs of /tmp");
	t_ok(f.f_type == s.f_type && f.f_bsize == s.f_bsize && f.f_blocks == s.f_blocks, "agrees with statfs");
	close(fd);
	fd = open("/proc", O_PATH);
	t_ok(fstatfs(fd, &f) == 0 && f.f_type == PROC_SUPER_MAGIC, "fstatfs takes an O_PATH descriptor");
	close(fd);
	t_err(statfs("/tmp/forkline-missing/x", &s), ENOENT, "statfs of a missing path -> ENOENT");
	t_err(statfs("", &s), ENOENT, "statfs(\"\") -> ENOENT");
	t_err(fstatfs(77, &s), EBADF, "fstatfs of a bad fd -> EBADF");
	t_err(syscall(SYS_statfs, "/proc", t_addr(1)), EFAULT, "statfs into a bad buffer -> EFAULT");
#ifdef __i386__
	struct { uint32_t type, bsize, blocks, bfree, bavail, files, ffree, fsid[2], namelen, frsize, flags, spare[4]; } old;
	t_sys(syscall(SYS_statfs, "/proc", &old), "i386 statfs (call 99): the 32-bit layout");
	t_ok(old.type == PROC_SUPER_MAGIC && old.bsize == 4096 && old.namelen == 255, "its fields are where i386 puts them");
	struct __attribute__((packed)) { uint32_t type, bsize; uint64_t blocks, bfree, bavail, files, ffree; uint32_t fsid[2], namelen, frsize, flags, spare[4]; } s64;
	t_ok(sizeof s64 == 84, "struct statfs64 is 84 bytes on i386");
	t_sys(syscall(SYS_statfs64, "/proc", sizeof s64, &s64), "i386 statfs64 (call 268) with size 84");
	t_ok(s64.type == PROC_SUPER_MAGIC && s64.namelen == 255, "the packed layout");
	t_err(syscall(SYS_statfs64, "/proc", 88, &s64), EINVAL, "statfs64 with size 88 -> EINVAL");
	t_err(syscall(SYS_fstatfs64, 77, sizeof s64, &s64), EBADF, "fstatfs64 of a bad fd -> EBADF");
#else
	t_sys(statfs("/proc", &s), "statfs again (i386 checks its two layouts here)");
	t_ok(s.f_type == PROC_SUPER_MAGIC && s.f_bsize == 4096 && s.f_namelen == 255, "the same answer");
	t_ok(sizeof s == 120, "struct statfs is 120 bytes on x86_64");
	t_sys(statfs("/proc", &s), "statfs a third time");
	t_ok(s.f_type == PROC_SUPER_MAGIC, "still procfs");
	t_err(fstatfs(-1, &s), EBADF, "fstatfs(-1) -> EBADF");
#endif
	return t_done();
}
