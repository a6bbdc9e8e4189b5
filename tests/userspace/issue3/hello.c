/* hello — proves a static program starts and its C library works: printf,
 * malloc/free/realloc (small, large and mmap-sized blocks, contents kept
 * across realloc) and __thread TLS (initialised .tdata, zeroed .tbss,
 * writable), which needs the kernel's auxv, brk, mmap and FS/GS setup.
 */
#include "t.h"

static __thread int tls_data = 42;
static __thread long tls_bss;
static __thread char tls_buf[100] = "thread-local";

/* Fill n bytes with a pattern derived from seed. */
static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed);
}

/* Does p hold fill(p, n, seed)'s pattern? */
static int holds(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 31 + seed))
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("hello, world\n");
	printf("printf: %d %5.2f %s %x %c %lld\n", -17, 3.14159, "str", 0xbeef, 'z', 1LL << 40);

	/* malloc of many sizes: small (brk heap) up to 4 MiB (mmap'ed). */
	size_t sizes[] = { 1, 16, 100, 4096, 65536, 200000, 4 << 20 };
	int all = 1;
	for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = malloc(sizes[i]);
		if (!p) {
			all = 0;
			break;
		}
		fill(p, sizes[i], i);
		all &= holds(p, sizes[i], i);
		free(p);
	}
	t_ok(all, "malloc/free of 1 B to 4 MiB, contents kept");

	/* realloc growth keeps the old contents, across the mmap threshold. */
	size_t n = 10;
	unsigned char *p = malloc(n);
	fill(p, n, 7);
	int kept = 1;
	while (p && n < (8 << 20)) {
		size_t m = n * 3;
		p = realloc(p, m);
		if (!p)
			break;
		kept &= holds(p, n, 7);
		fill(p, m, 7);
		n = m;
	}
	t_ok(p && kept, "realloc growth to 8 MiB keeps contents");
	p = realloc(p, 5);
	t_ok(p && holds(p, 5, 7), "realloc shrink keeps the prefix");
	free(p);

	void *many[1000];
	for (int i = 0; i < 1000; i++)
		many[i] = calloc(1, (size_t)(i % 37) * 8 + 1);
	int zero = 1;
	for (int i = 0; i < 1000; i++) {
		zero &= many[i] && ((char *)many[i])[0] == 0;
		free(many[i]);
	}
	t_ok(zero, "1000 calloc blocks are zeroed");

	t_eq(tls_data, 42, "__thread .tdata initialised");
	t_eq(tls_bss, 0, "__thread .tbss zeroed");
	t_ok(!strcmp(tls_buf, "thread-local"), "__thread array initialised");
	tls_data++;
	tls_bss = -5;
	strcat(tls_buf, " ok");
	t_eq(tls_data, 43, "__thread variable writable");
	t_eq(tls_bss, -5, "__thread .tbss writable");
	t_ok(!strcmp(tls_buf, "thread-local ok"), "__thread array writable");
	errno = 0;
	t_ok(close(-1) == -1 && errno == EBADF, "errno (thread-local in libc) set by a failing call");
	return t_done();
}
