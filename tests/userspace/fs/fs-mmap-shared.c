/* fs-mmap-shared — proves that a file's mappings and its read()/write()
 * share one copy of its bytes (the page cache): a store through a
 * MAP_SHARED mapping is what read() returns at once, write() shows in a
 * live mapping, two mappings in one process and mappings across fork see
 * each other's stores, while a MAP_PRIVATE mapping's store stays private;
 * a store through a shared mapping updates the file's mtime.
 * The last page's tail past EOF reads as zeros and never reaches the
 * file; a page wholly past EOF is SIGBUS, also once ftruncate shrinks the
 * file under a live mapping (in this or another process); growing it
 * makes the page read as zeros.
 * msync and mmap/mprotect give Linux's EINVAL, ENOMEM and EACCES, and a
 * 1 GiB ftruncate is sparse: it takes neither blocks nor memory.
 */
#include "fs.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

#define p fs_path
#define PG 4096L

static sigjmp_buf back;
static volatile int got_sig, got_code;
static volatile void *got_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(back, 1);
}

/* Read (or write, with `store`) the byte at a; the signal it raised, or 0. */
static int touch(volatile char *a, int store)
{
	got_sig = 0;
	if (sigsetjmp(back, 1) == 0) {
		if (store)
			*a = 'z';
		else
			(void)*a;
	}
	return got_sig;
}

/* A file of `size` bytes of 'a' + i % 26, open read-write. */
static int make_file(const char *path, long size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		t_die("create %s", path);
	for (long i = 0; i < size; i++) {
		char c = (char)('a' + i % 26);
		if (write(fd, &c, 1) != 1)
			t_die("write %s", path);
	}
	return fd;
}

static char *map(long len, int prot, int flags, int fd)
{
	char *m = mmap(NULL, (size_t)len, prot, flags, fd, 0);
	if (m == MAP_FAILED)
		t_die("mmap");
	return m;
}

static char byte_at(int fd, long off)
{
	char c = '?';
	if (pread(fd, &c, 1, off) != 1)
		return '?';
	return c;
}

/* Make the pipes `up` (child to parent) and `down`, then fork. */
static pid_t fork_with_pipes(int up[2], int down[2])
{
	if (pipe(up) < 0 || pipe(down) < 0)
		t_die("pipe");
	fflush(stdout);
	return fork();
}

static void close_pipes(int up[2], int down[2])
{
	close(up[0]), close(up[1]), close(down[0]), close(down[1]);
}

static void coherence(void)
{
	int fd = make_file(p("f"), 2 * PG);
	char *m = map(2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	m[10] = 'X';
	m[PG + 5] = 'Y';
	t_ok(byte_at(fd, 10) == 'X' && byte_at(fd, PG + 5) == 'Y', "a store through MAP_SHARED is what read() sees at once");
	t_sys(pwrite(fd, "W", 1, 20), "pwrite into the mapped file");
	t_ok(m[20] == 'W', "the live mapping sees the write() at once");
	char *m2 = map(2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	t_ok(m2 != m, "a second shared mapping at another address");
	t_ok(m2[10] == 'X' && m2[20] == 'W', "it sees what the first stored");
	m2[30] = 'Q';
	t_ok(m[30] == 'Q', "and the first sees the second's store");

	/* Across fork: the child stores, the parent sees it, and back. */
	int to_child[2], to_parent[2];
	pid_t pid = fork_with_pipes(to_parent, to_child);
	if (pid == 0) {
		m[100] = 'C';
		t_send(to_parent[1], '1');
		if (t_recv(to_child[0]) != '2')
			_exit(3);
		_exit(m[101] == 'P' && m2[101] == 'P' ? 0 : 4);
	}
	t_ok(t_recv(to_parent[0]) == '1', "the child stored through its inherited mapping");
	t_ok(m[100] == 'C' && m2[100] == 'C' && byte_at(fd, 100) == 'C', "the parent's mappings and read() see the child's store");
	m[101] = 'P';
	t_send(to_child[1], '2');
	t_wait_ok(pid, "the child sees the parent's store (exit 0)");
	close_pipes(to_parent, to_child);

	/* A mapping made in another process (after fork, not inherited). */
	pid = fork();
	if (pid == 0) {
		char *c = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (c == MAP_FAILED || c[101] != 'P')
			_exit(3);
		c[102] = 'N';
		_exit(0);
	}
	t_wait_ok(pid, "a child's own new mapping sees the file (exit 0)");
	t_ok(m[102] == 'N' && byte_at(fd, 102) == 'N', "and its store reaches the parent's mapping and the file");

	/* MAP_PRIVATE: stores stay private; an untouched page follows the file. */
	char *pv = map(2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
	t_ok(pv[10] == 'X', "a private mapping starts with the file's bytes");
	pv[10] = 'p';
	t_ok(byte_at(fd, 10) == 'X' && m[10] == 'X', "its store does not reach the file or shared mappings");
	t_sys(pwrite(fd, "R", 1, 11), "write() to the page the private mapping copied");
	t_ok(pv[11] != 'R', "the copied page no longer follows the file");
	t_sys(pwrite(fd, "S", 1, PG + 6), "write() to a page the private mapping has not stored to");
	t_ok(pv[PG + 6] == 'S', "that page still shows the file (as Linux)");
	munmap(pv, 2 * PG);
	munmap(m2, 2 * PG);
	munmap(m, 2 * PG);
	close(fd);
}

static void end_of_file(void)
{
	int fd = make_file(p("e"), 100);
	char *m = map(3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	int zero = 1;
	for (long i = 100; i < PG; i++)
		zero &= m[i] == 0;
	t_ok(zero, "the last page's bytes past EOF read as zeros");
	m[200] = 'T';
	struct stat st;
	fstat(fd, &st);
	char c;
	t_ok(st.st_size == 100 && pread(fd, &c, 1, 200) == 0, "a store past EOF in the last page does not grow the file");
	t_eq(touch(m + PG, 0), SIGBUS, "reading a page wholly past EOF -> SIGBUS");
	t_ok(got_code == BUS_ADRERR && got_addr == m + PG, "si_code BUS_ADRERR, si_addr the address");
	t_eq(touch(m + 2 * PG + 7, 1), SIGBUS, "storing there -> SIGBUS");

	t_sys(ftruncate(fd, 3 * PG), "ftruncate grows the file under the mapping");
	t_ok(touch(m + PG, 0) == 0 && m[PG] == 0 && m[2 * PG + 7] == 0, "the new pages map and read as zeros");
	m[PG + 1] = 'G';
	t_ok(byte_at(fd, PG + 1) == 'G', "and a store there reaches the file");

	t_sys(ftruncate(fd, 10), "ftruncate shrinks the file under the live mapping");
	t_eq(touch(m + PG + 1, 0), SIGBUS, "a page that was mapped and is now past EOF -> SIGBUS");
	t_eq(touch(m + 2 * PG, 1), SIGBUS, "storing to one -> SIGBUS");
	zero = 1;
	for (long i = 10; i < PG; i++)
		zero &= m[i] == 0;
	t_ok(zero && m[9] == 'j', "the new last page keeps its bytes and reads zeros past EOF");
	/* Another process's mapping loses the pages too. */
	t_sys(ftruncate(fd, 2 * PG), "grow it again to two pages");
	int ready[2], go[2];
	pid_t pid = fork_with_pipes(ready, go);
	if (pid == 0) {
		char *c = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (c == MAP_FAILED || touch(c + PG, 1))
			_exit(3);
		t_send(ready[1], 'r');
		if (t_recv(go[0]) != 'g')
			_exit(4);
		_exit(touch(c + PG, 0) == SIGBUS && got_code == BUS_ADRERR ? 0 : 5);
	}
	t_ok(t_recv(ready[0]) == 'r' && byte_at(fd, PG) == 'z', "a child maps the file and stores to its second page");
	t_sys(ftruncate(fd, PG), "the parent shrinks the file to one page");
	t_send(go[1], 'g');
	t_wait_ok(pid, "the child's next touch of that page is SIGBUS (exit 0)");
	close_pipes(ready, go);

	char *pv = map(2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
	t_eq(touch(pv + PG, 0), SIGBUS, "a private mapping's page past EOF -> SIGBUS too");
	pv[5] = 'v';
	t_sys(ftruncate(fd, 0), "ftruncate to 0 under a private mapping with a copied page");
	t_eq(touch(pv + 5, 0), SIGBUS, "the copied page is gone with the file's: SIGBUS");
	munmap(pv, 2 * PG);
	munmap(m, 3 * PG);
	close(fd);
}

static void times(void)
{
	int fd = make_file(p("t"), PG);
	struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	t_sys(futimens(fd, old), "set the file's times into the past");
	char *m = map(PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	(void)m[0];
	struct stat st;
	fstat(fd, &st);
	t_ok(st.st_mtime == 1000000000, "reading through a shared mapping leaves mtime");
	m[1] = 'M';
	t_sys(msync(m, PG, MS_SYNC), "msync after a store");
	fstat(fd, &st);
	t_ok(st.st_mtime > 1000000000 && st.st_ctime > 1000000000, "the store through it updated mtime and ctime");
	munmap(m, PG);
	close(fd);
}

static void errors(void)
{
	int fd = make_file(p("m"), PG);
	char *m = map(PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	t_sys(msync(m, PG, MS_SYNC), "msync MS_SYNC");
	t_sys(msync(m, PG, MS_ASYNC), "msync MS_ASYNC");
	t_sys(msync(m, PG, MS_INVALIDATE), "msync MS_INVALIDATE");
	t_sys(msync(m, 0, MS_SYNC), "msync of length 0");
	t_err(msync(m, PG, MS_SYNC | MS_ASYNC), EINVAL, "msync with MS_SYNC and MS_ASYNC -> EINVAL");
	t_err(msync(m, PG, 8), EINVAL, "msync with an unknown flag -> EINVAL");
	t_err(msync(m + 1, PG, MS_SYNC), EINVAL, "msync at an unaligned address -> EINVAL");
	munmap(m, PG);
	t_err(msync(m, PG, MS_SYNC), ENOMEM, "msync of an unmapped range -> ENOMEM");
	close(fd);

	int ro = open(p("m"), O_RDONLY);
	t_err((long)mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES, "shared writable mapping of a read-only fd -> EACCES");
	m = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	t_ok(m != MAP_FAILED, "a shared read-only mapping of it works");
	t_err(mprotect(m, PG, PROT_READ | PROT_WRITE), EACCES, "mprotect adding PROT_WRITE to it -> EACCES");
	munmap(m, PG);
	m = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 0);
	t_ok(m != MAP_FAILED && mprotect(m, PG, PROT_READ | PROT_WRITE) == 0, "a private one may become writable");
	m[0] = '!';
	t_ok(byte_at(ro, 0) == 'a', "and its store stays private");
	munmap(m, PG);
	close(ro);
	int wo = open(p("m"), O_WRONLY);
	t_err((long)mmap(NULL, PG, PROT_WRITE, MAP_SHARED, wo, 0), EACCES, "mapping a write-only fd -> EACCES");
	close(wo);
	int ap = open(p("m"), O_RDWR | O_APPEND);
	m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ap, 0);
	t_ok(m != MAP_FAILED, "a shared writable mapping of an O_APPEND fd works (only append-only inodes refuse)");
	if (m != MAP_FAILED)
		munmap(m, PG);
	close(ap);
}

static long free_kib(void)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return -1;
	return (long)(si.freeram / 1024 * si.mem_unit);
}

static void sparse(void)
{
	int fd = open(p("s"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	long before = free_kib();
	t_sys(ftruncate(fd, 1L << 30), "ftruncate a new file to 1 GiB");
	long after = free_kib();
	struct stat st;
	fstat(fd, &st);
	t_ok(st.st_size == 1L << 30, "st_size is 1 GiB");
	t_info("st_blocks %ld, free memory %ld KiB -> %ld KiB", (long)st.st_blocks, before, after);
	t_ok(st.st_blocks * 512 < (1L << 20), "but it takes (almost) no blocks");
	t_ok(before - after < 64 * 1024, "and free memory barely changes");
	char buf[64];
	memset(buf, 'x', sizeof buf);
	t_ok(pread(fd, buf, sizeof buf, 1L << 29) == sizeof buf && buf[0] == 0 && buf[63] == 0, "the middle reads as zeros");
	t_ok(pwrite(fd, "hole", 4, 1L << 29) == 4 && byte_at(fd, (1L << 29) + 3) == 'e', "a write in the middle lands");
	fstat(fd, &st);
	t_info("st_blocks after one write: %ld", (long)st.st_blocks);
	t_ok(st.st_blocks > 0 && st.st_blocks * 512 < (1L << 20), "and takes a block or so");
	char *m = map(2 * PG, PROT_READ, MAP_SHARED, fd);
	t_ok(m[0] == 0 && m[PG + 9] == 0, "a mapping of the hole reads zeros");
	munmap(m, 2 * PG);
	close(fd);
	t_sys(unlink(p("s")), "unlink it");

	/* Forkline promises exact accounting: an unlinked file's pages come back. */
	if (t_is_forkline()) {
		static char chunk[64 * 1024];
		memset(chunk, 1, sizeof chunk); /* its pages are ours before counting */
		int f = make_file(p("big"), 0);
		long base = free_kib();
		for (int i = 0; i < 64; i++)
			if (write(f, chunk, sizeof chunk) != sizeof chunk)
				t_die("write big");
		long full = free_kib();
		char *bm = map(4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, f);
		bm[0] = 2;
		close(f);
		unlink(p("big"));
		long mapped = free_kib();
		munmap(bm, 4 * PG);
		long gone = free_kib();
		t_info("free KiB: %ld, 4 MiB file %ld, unlinked but mapped %ld, unmapped %ld", base, full, mapped, gone);
		t_check_here(base - full >= 4096 && full - mapped < 4096, "a 4 MiB file holds its pages until its last mapping goes",
			     "see above");
		/* Page tables and kernel heap may keep a page or two. */
		t_check_here(gone - mapped >= 4096 && base - gone <= 32, "then its 4 MiB are free again", "see above");
	}
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	fs_scratch("fs-mmap-shared");
	coherence();
	end_of_file();
	times();
	errors();
	sparse();
	fs_cleanup();
	return t_done();
}
