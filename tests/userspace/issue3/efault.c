/* efault — proves that bad user pointers make system calls fail with
 * EFAULT and never hurt the process or the kernel: unmapped, NULL, kernel
 * and (x86_64) non-canonical addresses, read into a read-only page, write
 * from a PROT_NONE page, bad path, struct and result pointers. Raw system
 * calls where the C library would touch the pointer itself (the vDSO, or
 * converting a kernel struct stat).
 */
#include "t.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>

#ifdef __x86_64__
#define KERNEL_ADDR t_addr(0xffff888000000000UL)
#else
#define KERNEL_ADDR t_addr(0xfffff000UL) /* above an i386 process's TASK_SIZE */
#endif

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int fd = open(t_path("/etc/forkline-tests/data/hello.txt"), O_RDONLY);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct stat st;
	fflush(stdout);
	t_err(write(1, t_addr(1), 10), EFAULT, "write from address 1 -> EFAULT");
	t_err(write(1, t_addr(0), 10), EFAULT, "write from NULL -> EFAULT");
	t_err(write(1, KERNEL_ADDR, 10), EFAULT, "write from a kernel address -> EFAULT");
	t_err(read(fd, KERNEL_ADDR, 10), EFAULT, "read into a kernel address -> EFAULT");
	t_err(read(fd, ro, 10), EFAULT, "read into a read-only page -> EFAULT");
	t_err(write(1, none, 10), EFAULT, "write from a PROT_NONE page -> EFAULT");
#ifdef __x86_64__
	t_err(write(1, t_addr(0x8000000000000000UL), 1), EFAULT, "write from a non-canonical address -> EFAULT");
	t_err(read(fd, t_addr(0x0000800000000000UL), 1), EFAULT, "read into the first non-user address -> EFAULT");
#endif
	t_err(open(t_addr(1), O_RDONLY), EFAULT, "open with a bad path pointer -> EFAULT");
	t_err(open(t_addr(0), O_RDONLY), EFAULT, "open(NULL) -> EFAULT");
	t_err(stat(KERNEL_ADDR, &st), EFAULT, "stat with a kernel-address path -> EFAULT");
#ifdef SYS_fstat64
	t_err(syscall(SYS_fstat64, fd, t_addr(1)), EFAULT, "fstat64 into a bad pointer -> EFAULT");
#else
	t_err(syscall(SYS_fstat, fd, t_addr(1)), EFAULT, "fstat into a bad pointer -> EFAULT");
#endif
	t_err(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, t_addr(1)), EFAULT, "clock_gettime system call, bad result -> EFAULT");
	t_err(syscall(SYS_gettimeofday, t_addr(1), NULL), EFAULT, "gettimeofday system call, bad result -> EFAULT");
	t_err(syscall(SYS_uname, t_addr(1)), EFAULT, "uname into a bad pointer -> EFAULT");
	t_err(syscall(SYS_getrandom, KERNEL_ADDR, 16, 0), EFAULT, "getrandom into a kernel address -> EFAULT");
	t_err(syscall(SYS_rt_sigaction, SIGUSR1, t_addr(1), NULL, 8), EFAULT, "rt_sigaction from a bad pointer -> EFAULT");
	t_err(syscall(SYS_rt_sigprocmask, SIG_BLOCK, t_addr(1), NULL, 8), EFAULT, "rt_sigprocmask from a bad pointer -> EFAULT");
	t_err(syscall(SYS_nanosleep, t_addr(1), NULL), EFAULT, "nanosleep with a bad pointer -> EFAULT");
	char buf[8];
	t_ok(read(fd, buf, 5) == 5 && !memcmp(buf, "Hello", 5), "the fd still works (no partial read happened)");
	printf("still running after every bad pointer\n");
	return t_done();
}
