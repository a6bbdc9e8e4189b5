/* Differential test of sscanf (and vsscanf, fscanf through a file): every
   format of a table against generated inputs, printed with the return value
   and every destination (unassigned ones keep their fill pattern).
   tests/libc.rs requires glibc's output. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RNG_SEED 0x5deece66dULL
#include "rng.h"

/* A format and the types of its destinations: i int, h short, c signed
   char, l long, L long long, u unsigned, U unsigned long long, f float,
   d double, D long double, s char[64], p pointer, z size_t. */
static const struct {
	const char *fmt, *types;
} cases[] = {
	{"%d", "i"}, {"%i", "i"}, {"%u", "u"}, {"%o", "u"}, {"%x", "u"}, {"%X", "u"}, {"%hd", "h"}, {"%hhd", "c"},
	{"%hhu", "c"}, {"%ld", "l"}, {"%lld", "L"}, {"%llx", "U"}, {"%lli", "L"}, {"%jd", "L"}, {"%zu", "z"},
	{"%td", "z"}, {"%Lf", "D"}, {"%qd", "L"}, {"%3d", "i"}, {"%1d", "i"}, {"%2i", "i"}, {"%3x", "u"},
	{"%d%d", "ii"}, {"%d %d", "ii"}, {"%d,%d", "ii"}, {"%*d%d", "i"}, {"%d%n", "ii"}, {"%n%d%n", "iii"},
	{"%c", "s"}, {"%3c", "s"}, {"%*c%c", "s"}, {" %c", "s"}, {"%s", "s"}, {"%5s", "s"}, {"%s%s", "ss"},
	{"%s %n", "si"}, {"%[a-z]", "s"}, {"%[^ ]", "s"}, {"%[]a]", "s"}, {"%[^]x]", "s"}, {"%4[0-9a-f]", "s"},
	{"%[-+0-9]", "s"}, {"%[^\n]%n", "si"}, {"%f", "f"}, {"%e", "f"}, {"%g", "f"}, {"%a", "f"}, {"%lf", "d"},
	{"%le", "d"}, {"%lg", "d"}, {"%la", "d"}, {"%4lf", "d"}, {"%lf%n", "di"}, {"%f%f", "ff"}, {"%p", "p"},
	{"%%%d", "i"}, {"%d%%", "i"}, {"x%d", "i"}, {"%dx%d", "ii"}, {" %d ", "i"}, {"%d %s", "is"},
	{"%i%c", "is"}, {"%x%n", "ui"}, {"%lf%s", "ds"}, {"%*s%n", "i"}, {"%*[a-z]%d", "i"}, {"%2s%d", "si"},
	{"%lu", "z"}, {"%hu", "h"}, {"%hx", "h"}, {"%5lf", "d"}, {"%lE", "d"}, {"%lG", "d"}, {"%lA", "d"}, {"%F", "f"},
};

static const char *pieces[] = {" ", "  ", "\t", "\n", "-", "+", "0", "1", "7", "9", "12", "123", "0x", "0X", "1f",
	"ff", "x", "a", "z", "Z", ",", "%", ".", "e", "E", "e-", "p", "p+", "inf", "INFINITY", "infin", "nan", "NaN",
	"nan(1)", "2147483647", "2147483648", "4294967296", "-2147483649", "9223372036854775808", "99999999999999999999",
	"1.5", "-0.25e3", "1e400", "1e-400", "0x1.8p3", "0x.8", "]", "^", "abc", "hello", "(nil)", "0xdeadbeef"};

static union {
	char s[64];
	long long ll;
	long double ld;
} dest[4];

/* Print one destination of type t. */
static void show(char t, int i)
{
	void *p = &dest[i];
	switch (t) {
	case 'i': printf(" %d", *(int *)p); break;
	case 'h': printf(" %d", *(short *)p); break;
	case 'c': printf(" %d", *(signed char *)p); break;
	case 'l': printf(" %ld", *(long *)p); break;
	case 'L': printf(" %lld", *(long long *)p); break;
	case 'u': printf(" %u", *(unsigned *)p); break;
	case 'U': printf(" %llu", *(unsigned long long *)p); break;
	case 'z': printf(" %zu", *(size_t *)p); break;
	case 'p': printf(" %lx", (unsigned long)*(void **)p); break;
	case 'f': printf(" %a", (double)*(float *)p); break;
	case 'd': printf(" %a", *(double *)p); break;
	case 'D': printf(" %a", (double)*(long double *)p); break;
	case 's':
		printf(" [");
		for (int j = 0; j < 12; j++)
			putchar(dest[i].s[j] < ' ' ? '?' : dest[i].s[j]);
		printf("]");
		break;
	}
}

static void fill(void)
{
	for (int i = 0; i < 4; i++) {
		memset(&dest[i], 0x5a, sizeof dest[i]);
		dest[i].s[63] = 0;
	}
}

/* vsscanf, through a variadic wrapper. */
static int vs(const char *in, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsscanf(in, fmt, ap);
	va_end(ap);
	return r;
}

static void print_case(int n, const char *fmt, const char *types, const char *in, int r)
{
	printf("%d <", n);
	for (const char *p = fmt; *p; p++)
		putchar(*p < ' ' ? '?' : *p);
	printf("> [");
	for (const char *p = in; *p; p++)
		putchar(*p < ' ' ? '?' : *p);
	printf("] = %d", r);
	for (int i = 0; types[i]; i++)
		show(types[i], i);
	printf("\n");
}

int main(void)
{
	static char in[256];
	int n = 0;
	for (int round = 0; round < 90; round++) {
		for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
			in[0] = 0;
			int k = pick(5);
			for (int j = 0; j < k; j++)
				strcat(in, pieces[pick(sizeof pieces / sizeof pieces[0])]);
			fill();
			int r = round % 2 ? sscanf(in, cases[c].fmt, &dest[0], &dest[1], &dest[2], &dest[3])
					  : vs(in, cases[c].fmt, &dest[0], &dest[1], &dest[2], &dest[3]);
			print_case(n++, cases[c].fmt, cases[c].types, in, r);
		}
	}
	/* fscanf on a file: fields across lines, the rest left for fgets. */
	char path[64];
	mkdir("/tmp", 01777);
	snprintf(path, sizeof path, "/tmp/diff_scanf.%d", (int)getpid());
	FILE *f = fopen(path, "w+");
	if (f) {
		fputs("  42 -7 hello 3.5e1\n0x1f rest of line\n", f);
		rewind(f);
		int a = 0, b = 0, x = 0;
		double d = 0;
		char s[16] = "", line[64] = "";
		int r1 = fscanf(f, "%d %d %15s %lf", &a, &b, s, &d);
		int r2 = fscanf(f, "%x", &x);
		fgets(line, sizeof line, f);
		int r3 = fscanf(f, "%d", &a);
		printf("fscanf %d %d %d %s %a | %d %x [%s] | %d\n", r1, a, b, s, d, r2, x, line, r3);
		fclose(f);
		remove(path);
	}
	return 0;
}
