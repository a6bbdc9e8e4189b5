/* brk — proves the program break: brk(0) reports it, above the end of our
 * data; growing by 1 MiB gives zeroed, writable memory; shrinking and
 * growing again gives zeroed pages (never old data); a break below the
 * start is refused (the break stays); sbrk(0) agrees. Raw system calls to
 * move the break, because musl's sbrk/brk refuse to.
 */
#include "t.h"

extern char end[]; /* end of .bss (linker) */

static uintptr_t sys_brk(uintptr_t addr)
{
	return (uintptr_t)syscall(SYS_brk, addr);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("brk: start\n"); /* stdio allocates its buffer before we look */
	uintptr_t start = sys_brk(0);
	uintptr_t grown = sys_brk(start + (1 << 20));
	int zero = 1, kept = 1;
	if (grown == start + (1 << 20)) {
		for (uintptr_t p = start; p < grown; p += 512)
			zero &= *(volatile char *)p == 0;
		for (uintptr_t p = start; p < grown; p += 512)
			*(volatile char *)p = (char)(p >> 9);
		for (uintptr_t p = start; p < grown; p += 512)
			kept &= *(volatile char *)p == (char)(p >> 9);
	}
	uintptr_t page = (start + 4095) & ~(uintptr_t)4095;
	uintptr_t shrunk = sys_brk(page + 4096);
	uintptr_t regrown = sys_brk(start + (1 << 20));
	int fresh = 1;
	if (regrown == start + (1 << 20))
		for (uintptr_t p = page + 4096; p < regrown; p += 512)
			fresh &= *(volatile char *)p == 0;
	uintptr_t below = sys_brk(start - (64 << 20));
	uintptr_t restored = sys_brk(start);
	uintptr_t libc_view = (uintptr_t)sbrk(0);

	t_ok(start >= (uintptr_t)end, "brk(0) is above the end of .bss");
	t_eq(grown - start, 1 << 20, "brk grows by 1 MiB");
	t_ok(zero, "new break memory is zeroed");
	t_ok(kept, "break memory is writable and keeps data");
	t_eq(shrunk, page + 4096, "brk shrinks");
	t_eq(regrown - start, 1 << 20, "brk grows again");
	t_ok(fresh, "pages given back and regrown are zeroed again");
	t_eq(below, start + (1 << 20), "a break below the start is refused, the break stays");
	t_eq(restored, start, "brk back to the start");
	t_eq(libc_view, start, "sbrk(0) agrees");
	t_info("break at %#lx", (unsigned long)start);
	return t_done();
}
