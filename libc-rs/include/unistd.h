/* POSIX unistd.h: processes, file descriptors, the generic syscall(). */
#ifndef _UNISTD_H
#define _UNISTD_H
#include <bits/alltypes.h>

__FL_BEGIN

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define _SC_CLK_TCK 2
#define _SC_OPEN_MAX 4
#define _SC_PAGESIZE 30
#define _SC_PAGE_SIZE _SC_PAGESIZE
#define _SC_NPROCESSORS_CONF 83
#define _SC_NPROCESSORS_ONLN 84
#define _SC_THREAD_DESTRUCTOR_ITERATIONS 73
#define _SC_THREAD_KEYS_MAX 74
#define _SC_THREAD_STACK_MIN 75

pid_t fork(void);
pid_t _Fork(void);
pid_t vfork(void);
__FL_NORETURN void _exit(int);
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
pid_t getpgid(pid_t);
int setpgid(pid_t, pid_t);
pid_t getpgrp(void);
pid_t setsid(void);
pid_t getsid(pid_t);

ssize_t read(int, void *, size_t);
ssize_t write(int, const void *, size_t);
int close(int);
off_t lseek(int, off_t, int);
off_t lseek64(int, off_t, int);
int pipe(int [2]);
int pipe2(int [2], int);
int dup(int);
int dup2(int, int);
int dup3(int, int, int);
int isatty(int);
int fsync(int);
int fdatasync(int);
int syncfs(int);
void sync(void);
ssize_t pread(int, void *, size_t, off_t);
ssize_t pwrite(int, const void *, size_t, off_t);
ssize_t pread64(int, void *, size_t, off_t);
ssize_t pwrite64(int, const void *, size_t, off_t);
int truncate(const char *, off_t);
int ftruncate(int, off_t);
int truncate64(const char *, off_t);
int ftruncate64(int, off_t);

int unlink(const char *);
int unlinkat(int, const char *, int);
int rmdir(const char *);
int access(const char *, int);
int faccessat(int, const char *, int, int);
ssize_t readlink(const char *__restrict, char *__restrict, size_t);
ssize_t readlinkat(int, const char *__restrict, char *__restrict, size_t);
int symlink(const char *, const char *);
int symlinkat(const char *, int, const char *);
int link(const char *, const char *);
int linkat(int, const char *, int, const char *, int);
int chown(const char *, uid_t, gid_t);
int fchown(int, uid_t, gid_t);
int lchown(const char *, uid_t, gid_t);
int fchownat(int, const char *, uid_t, gid_t, int);
int gethostname(char *, size_t);
int sethostname(const char *, size_t);

int execve(const char *, char *const [], char *const []);
int execv(const char *, char *const []);
int execvp(const char *, char *const []);
int execvpe(const char *, char *const [], char *const []);
int execl(const char *, const char *, ...);
int execlp(const char *, const char *, ...);
int execle(const char *, const char *, ...);

unsigned sleep(unsigned);
unsigned alarm(unsigned);
int pause(void);
int usleep(useconds_t);
char *getcwd(char *, size_t);
int chdir(const char *);
long syscall(long, ...);
long sysconf(int);
int getpagesize(void);

extern char **environ;

__FL_END
#endif
