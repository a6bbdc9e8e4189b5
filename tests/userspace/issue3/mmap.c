/* mmap — proves the address-space calls: anonymous private mappings are
 * zeroed and lazily backed (16 MiB written and read back; 256 MiB untouched
 * costs nothing), munmap of a middle page keeps the neighbours, MAP_FIXED
 * replaces, MAP_FIXED_NOREPLACE refuses, mprotect keeps contents, private
 * file mappings show the file (at an offset too, zero past EOF) and writes
 * to them stay private; and the errors Linux gives for bad arguments.
 */
#include "t.h"
#include <fcntl.h>
#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#define PG 4096
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* Byte i of data/pattern.bin (xtask/src/build/programs.rs makes it). */
static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 12) * 101 + 3);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	size_t big = 16 << 20;
	unsigned char *p = mmap(NULL, big, RW, ANON, -1, 0);
	if (p == MAP_FAILED)
		t_die("mmap 16 MiB");
	t_ok((uintptr_t)p % PG == 0, "mmap returns a page-aligned address");
	int zero = 1, kept = 1;
	for (size_t i = 0; i < big; i += 1024)
		zero &= p[i] == 0 && p[i + 1023] == 0;
	for (size_t i = 0; i < big; i += 1024)
		p[i] = (unsigned char)(i >> 10);
	for (size_t i = 0; i < big; i += 1024)
		kept &= p[i] == (unsigned char)(i >> 10);
	t_ok(zero, "anonymous memory is zeroed");
	t_ok(kept, "16 MiB written and read back");
	t_sys(munmap(p, big), "munmap 16 MiB");

	unsigned char *huge = mmap(NULL, 256 << 20, RW, ANON, -1, 0);
	t_ok(huge != MAP_FAILED, "256 MiB mapping (untouched) succeeds");
	if (huge != MAP_FAILED) {
		huge[(128 << 20) + 5] = 1;
		t_ok(huge[(128 << 20) + 5] == 1 && huge[0] == 0, "a page in its middle is usable");
		munmap(huge, 256 << 20);
	}

	unsigned char *three = mmap(NULL, 3 * PG, RW, ANON, -1, 0);
	memset(three, 'a', 3 * PG);
	t_sys(munmap(three + PG, PG), "munmap of the middle page");
	t_ok(three[0] == 'a' && three[PG - 1] == 'a' && three[2 * PG] == 'a' && three[3 * PG - 1] == 'a',
	     "the pages around the hole keep their data");
	unsigned char *fixed = mmap(three + PG, PG, RW, ANON | MAP_FIXED, -1, 0);
	t_ok(fixed == three + PG && fixed[0] == 0, "MAP_FIXED fills the hole with a zeroed page");
	unsigned char *over = mmap(three, PG, RW, ANON | MAP_FIXED, -1, 0);
	t_ok(over == three && three[0] == 0 && three[2 * PG] == 'a', "MAP_FIXED replaces an existing page");
	t_err((long)(intptr_t)mmap(three, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), EEXIST,
	      "MAP_FIXED_NOREPLACE over a mapping -> EEXIST");

	three[5] = 'x';
	t_sys(mprotect(three, 3 * PG, PROT_READ), "mprotect to read-only");
	t_ok(three[5] == 'x' && three[2 * PG] == 'a', "read-only pages keep their contents");
	t_sys(mprotect(three, 3 * PG, RW), "mprotect back to read-write");
	three[6] = 'y';
	t_ok(three[5] == 'x' && three[6] == 'y', "writable again");
	t_sys(munmap(three, 3 * PG), "munmap");
	t_err(mprotect(three, PG, PROT_READ), ENOMEM, "mprotect of unmapped memory -> ENOMEM");
	t_sys(munmap(three, PG), "munmap of unmapped memory is not an error");

	int fd = open(t_path("/etc/forkline-tests/data/pattern.bin"), O_RDONLY);
	if (fd < 0)
		t_die("open pattern.bin");
	size_t size = 3 * PG + 100;
	unsigned char *f = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (f == MAP_FAILED)
		t_die("mmap pattern.bin");
	int same = 1;
	for (size_t i = 0; i < size; i++)
		same &= f[i] == pattern(i);
	t_ok(same, "a private file mapping shows the file");
	int tail = 1;
	for (size_t i = size; i < 4 * PG; i++)
		tail &= f[i] == 0;
	t_ok(tail, "the rest of the last page is zero");
	unsigned char *off = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 2 * PG);
	t_ok(off != MAP_FAILED && off[0] == pattern(2 * PG) && off[PG + 99] == pattern(3 * PG + 99) && off[PG + 100] == 0,
	     "mapping at a page offset shows that part of the file");
	unsigned char *w = mmap(NULL, size, RW, MAP_PRIVATE, fd, 0);
	if (w != MAP_FAILED) {
		w[10] = (unsigned char)~pattern(10);
		unsigned char b;
		t_ok(pread(fd, &b, 1, 10) == 1 && b == pattern(10) && f[10] == pattern(10),
		     "writes to a private mapping do not reach the file or other mappings");
	} else {
		t_check(0, "writable private mapping of a read-only file", "%s", errname(errno));
	}

	t_err((long)(intptr_t)mmap(NULL, 0, RW, ANON, -1, 0), EINVAL, "mmap of length 0 -> EINVAL");
	t_err((long)(intptr_t)mmap((void *)0x10001000 + 1, PG, RW, ANON | MAP_FIXED, -1, 0), EINVAL,
	      "MAP_FIXED at an unaligned address -> EINVAL");
	t_err((long)(intptr_t)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL,
	      "mmap at an unaligned file offset -> EINVAL");
	t_err((long)(intptr_t)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0), EBADF, "mmap of a bad fd -> EBADF");
	t_err((long)(intptr_t)mmap(NULL, PG, RW, MAP_SHARED, fd, 0), EACCES,
	      "shared writable mapping of a read-only fd -> EACCES");
	t_err((long)(intptr_t)mmap(NULL, PG, RW, MAP_ANONYMOUS, -1, 0), EINVAL,
	      "neither MAP_PRIVATE nor MAP_SHARED -> EINVAL");
	t_err(munmap((char *)f + 1, PG), EINVAL, "munmap at an unaligned address -> EINVAL");
	t_err(munmap(f, 0), EINVAL, "munmap of length 0 -> EINVAL");
	/* Raw: musl's mprotect() rounds the address down itself. */
	t_err(syscall(SYS_mprotect, (char *)f + 1, PG, PROT_READ), EINVAL, "mprotect at an unaligned address -> EINVAL");
	return t_done();
}
