/* cow — proves fork's copy-on-write isolation of the stack, the heap,
 * initialised data, bss and private anonymous mappings, in both directions:
 * the child sees the parent's values at fork time; writes by either one
 * are invisible to the other, whoever writes first; the last owner keeps
 * writing after the other exits; a grandchild gets the child's values;
 * and a large region both only read stays intact.
 */
#include "t.h"
#include <sched.h>
#include <sys/mman.h>

#define PAGES 16
#define PG 4096

static int data_var = 1111;
static int bss_var;
static int data_pages[PAGES * PG / sizeof(int)] = { 7 };
static unsigned char big_ro[4 << 20]; /* bss: filled at run time */

/* The memory under test: one word in each kind of memory, plus a few
   pages of data and heap. */
struct mem {
	int *stack, *heap, *anon;
	int *heap_pages;
};

static void set_all(struct mem *m, int v)
{
	data_var = bss_var = *m->stack = *m->heap = *m->anon = v;
	for (int i = 0; i < PAGES; i++) {
		data_pages[i * PG / sizeof(int)] = v + i;
		m->heap_pages[i * PG / sizeof(int)] = v - i;
	}
}

/* Does every kind of memory hold v? Prints which do not. */
static int all_are(struct mem *m, int v, const char *who)
{
	int ok = 1;
	const struct { const char *name; int got; } w[] = {
		{ "data", data_var }, { "bss", bss_var }, { "stack", *m->stack }, { "heap", *m->heap }, { "anon", *m->anon },
	};
	for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++)
		if (w[i].got != v) {
			printf("FAIL: %s: %s holds %d, want %d\n", who, w[i].name, w[i].got, v);
			ok = 0;
		}
	for (int i = 0; i < PAGES; i++)
		if (data_pages[i * PG / sizeof(int)] != v + i || m->heap_pages[i * PG / sizeof(int)] != v - i) {
			printf("FAIL: %s: page %d of data or heap changed\n", who, i);
			ok = 0;
			break;
		}
	return ok;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	int on_stack = 0;
	struct mem m = { &on_stack, malloc(sizeof(int)), mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
			 malloc(PAGES * PG) };
	for (size_t i = 0; i < sizeof big_ro; i += 512)
		big_ro[i] = (unsigned char)(i >> 9);
	set_all(&m, 100);
	int to_child[2], to_parent[2];
	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		t_die("pipe");

	/* 1: the child writes first. */
	pid_t c = fork();
	if (c == 0) {
		t_ok(all_are(&m, 100, "child"), "child sees the parent's values at fork time");
		set_all(&m, 200);
		t_ok(all_are(&m, 200, "child"), "child's writes stick in the child");
		t_send(to_parent[1], 'w');
		t_recv(to_child[0]);
		t_ok(all_are(&m, 200, "child"), "parent's later writes do not reach the child");
		pid_t g = fork();
		if (g == 0)
			_exit(all_are(&m, 200, "grandchild") ? 0 : 1);
		t_wait_ok(g, "a grandchild sees the child's values");
		t_child_exit();
	}
	t_recv(to_parent[0]);
	t_ok(all_are(&m, 100, "parent"), "child's writes do not reach the parent");
	set_all(&m, 300);
	t_send(to_child[1], 'c');
	t_wait_ok(c, "child 1's checks passed");
	t_ok(all_are(&m, 300, "parent"), "parent writes on as the last owner");
	set_all(&m, 301);
	t_ok(all_are(&m, 301, "parent"), "and again");

	/* 2: the parent writes first. */
	c = fork();
	if (c == 0) {
		t_recv(to_child[0]);
		t_ok(all_are(&m, 301, "child"), "parent's writes after fork do not reach the child");
		set_all(&m, 500);
		t_ok(all_are(&m, 500, "child"), "child writes after the parent did");
		t_send(to_parent[1], 'w'); /* and prints nothing after: the parent now does */
		t_child_exit();
	}
	set_all(&m, 400);
	t_send(to_child[1], 'p');
	t_recv(to_parent[0]);
	t_ok(all_are(&m, 400, "parent"), "child's writes do not reach the parent (parent wrote first)");
	t_wait_ok(c, "child 2's checks passed");

	/* 3: memory that neither writes stays intact in both. */
	c = fork();
	if (c == 0) {
		int ok = 1;
		for (size_t i = 0; i < sizeof big_ro; i += 512)
			ok &= big_ro[i] == (unsigned char)(i >> 9);
		_exit(ok ? 0 : 1);
	}
	t_wait_ok(c, "child reads 4 MiB of shared, unwritten data intact");
	int ok = 1;
	for (size_t i = 0; i < sizeof big_ro; i += 512)
		ok &= big_ro[i] == (unsigned char)(i >> 9);
	t_ok(ok, "parent's 4 MiB intact too");

	/* 4: both write the same page, alternately, many times. */
	c = fork();
	for (int i = 0; i < 2000; i++) {
		data_var = c ? i : -i;
		if (i % 200 == 0)
			sched_yield();
		if (data_var != (c ? i : -i))
			break;
		data_var = 0;
	}
	if (c == 0)
		_exit(data_var == 0 ? 0 : 1);
	t_wait_ok(c, "child's writes to a page the parent also writes stay its own");
	t_eq(data_var, 0, "parent's writes to that page stay its own");
	return t_done();
}
