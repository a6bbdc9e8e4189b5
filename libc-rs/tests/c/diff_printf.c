/* Differential test of the printf family: thousands of generated
   conversions (every conversion, flag, width, precision and length
   modifier, including %f %e %g %a on double and long double, %n, %m, %p,
   positional arguments, truncating snprintf, and vsnprintf reached through
   a C va_list). Built against libc-rs and against glibc; tests/libc.rs
   requires byte-identical output. Deterministic: a fixed xorshift seed. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RNG_SEED 0x9e3779b97f4a7c15ULL
#include "rng.h"

static char out[65536];

/* vsnprintf through our own variadic function: the va_list is built by gcc. */
static int via_va(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

static void show(int idx, const char *fmt, int r, size_t cap)
{
	printf("%d [%s] r=%d [", idx, fmt, r);
	size_t len = r < 0 ? 0 : (size_t)r;
	if (len >= cap)
		len = cap ? cap - 1 : 0;
	fwrite(out, 1, len, stdout);
	printf("]\n");
}

static long long int_pool(void)
{
	static const long long pool[] = {0, 1, -1, 7, -42, 127, 128, 255, 256, -128, -129, 32767, -32768, 65535, 65536,
		2147483647LL, -2147483647LL - 1, 4294967295LL, 4294967296LL, 9223372036854775807LL,
		-9223372036854775807LL - 1, 1000000, 0x1234567890abcdefLL, 10, 100, 99999};
	if (pick(3) == 0)
		return (long long)next();
	return pool[pick(sizeof pool / sizeof pool[0])];
}

static double dbl_pool(void)
{
	static const double pool[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 3.5, -2.5, 0.25, 0.125, 0.1, 0.2, 0.3,
		9.999999, 9.9999995, 99.995, 0.00001234, 1e-5, 1e-4, 123456.789, 1e21, 1e22, 1e-300, 5e-324,
		2.2250738585072014e-308, 1.7976931348623157e308, 3.141592653589793, 2.718281828459045,
		1e15, 1e16, 1e17, 0.9999, 0.95, 0.05, 0.005, 1.0 / 0.0, -1.0 / 0.0, 123.456, 1024.0, 65536.5};
	int k = pick(4);
	if (k == 0) {
		union { double d; unsigned long long u; } v;
		v.u = next();
		return v.d;
	}
	if (k == 1)
		return (double)int_pool() / (double)(1 + pick(1000));
	return pool[pick(sizeof pool / sizeof pool[0])];
}

static long double ld_pool(void)
{
	int k = pick(3);
	if (k == 0) {
		/* A random x87 value: explicit integer bit set, moderate exponent
		   (or sometimes any exponent, including denormals). */
		union { long double d; struct { unsigned long long m; unsigned short se; } p; } v;
		memset(&v, 0, sizeof v);
		v.p.m = next() | (1ULL << 63);
		int e = pick(8) == 0 ? pick(0x7fff) : 16383 + pick(400) - 200;
		if (e == 0)
			v.p.m &= ~(1ULL << 63);
		v.p.se = (unsigned short)(e | (pick(2) << 15));
		return v.d;
	}
	if (k == 1)
		return (long double)dbl_pool() / 3.0L;
	return (long double)dbl_pool();
}

/* Append "%[flags][width][.prec]" to f; returns the star arguments needed. */
static int spec_head(char *f, int *w, int *p, int allow_prec)
{
	int stars = 0;
	strcat(f, "%");
	static const char flags[] = "-+ #0";
	for (int i = 0; i < 5; i++)
		if (pick(4) == 0) {
			size_t n = strlen(f);
			f[n] = flags[i];
			f[n + 1] = 0;
		}
	int k = pick(4);
	if (k == 1)
		sprintf(f + strlen(f), "%d", 1 + pick(25));
	else if (k == 2) {
		strcat(f, "*");
		*w = pick(50) - 25;
		stars |= 1;
	}
	if (allow_prec) {
		k = pick(5);
		if (k == 1)
			strcat(f, ".");
		else if (k == 2)
			sprintf(f + strlen(f), ".%d", pick(20));
		else if (k == 3) {
			strcat(f, ".*");
			*p = pick(30) - 5;
			stars |= 2;
		}
	}
	return stars;
}

#define CALL(...) (use_va ? via_va(out, cap, __VA_ARGS__) : snprintf(out, cap, __VA_ARGS__))
#define STARS(fmt, ...) \
	(stars == 3 ? CALL(fmt, w, p, __VA_ARGS__) : stars == 1 ? CALL(fmt, w, __VA_ARGS__) \
	 : stars == 2 ? CALL(fmt, p, __VA_ARGS__) : CALL(fmt, __VA_ARGS__))

static void one(int idx)
{
	char f[64] = "";
	int w = 0, p = 0, r = 0;
	size_t cap = sizeof out;
	int use_va = pick(2);
	if (pick(10) == 0)
		cap = (size_t)pick(12);
	if (pick(3) == 0)
		strcat(f, "<");
	int cls = pick(9);
	int stars = spec_head(f, &w, &p, cls != 3);
	switch (cls) {
	case 0: case 1: { /* integers */
		static const char *lens[] = {"", "hh", "h", "l", "ll", "j", "z", "t", "q"};
		int L = pick(9);
		strcat(f, lens[L]);
		char conv[2] = {"diouxX"[pick(6)], 0};
		strcat(f, conv);
		long long v = int_pool();
		if (L == 0 || L == 1 || L == 2)
			r = STARS(f, (int)v);
		else if (L == 3 || L == 6 || L == 7)
			r = STARS(f, (long)v);
		else
			r = STARS(f, v);
		break;
	}
	case 2: case 6: { /* double */
		const char *lens = pick(4) == 0 ? "l" : "";
		strcat(f, lens);
		char conv[2] = {"fFeEgGaA"[pick(8)], 0};
		strcat(f, conv);
		r = STARS(f, dbl_pool());
		break;
	}
	case 7: { /* long double */
		strcat(f, "L");
		char conv[2] = {"fFeEgGaA"[pick(8)], 0};
		strcat(f, conv);
		r = STARS(f, ld_pool());
		break;
	}
	case 3: { /* characters */
		int wide = pick(4) == 0;
		strcat(f, wide ? "lc" : "c");
		r = STARS(f, wide ? "AbZ!~"[pick(5)] : 32 + pick(95));
		break;
	}
	case 4: { /* strings */
		static const char *strs[] = {"", "a", "hello", "hello, world", "tab\there", "0123456789abcdef", NULL};
		static const int *wstrs[] = {0};
		(void)wstrs;
		if (pick(6) == 0) {
			strcat(f, "ls");
			r = STARS(f, pick(2) ? L"wide" : L"");
		} else {
			strcat(f, "s");
			r = STARS(f, strs[pick(7)]);
		}
		break;
	}
	case 5: { /* pointers */
		strcat(f, "p");
		void *v = pick(3) == 0 ? (void *)0 : (void *)(unsigned long)next();
		r = STARS(f, v);
		break;
	}
	default: { /* %m and %% */
		if (pick(2)) {
			strcat(f, "m");
			errno = pick(140);
			r = stars == 3 ? CALL(f, w, p) : stars == 1 ? CALL(f, w) : stars == 2 ? CALL(f, p) : CALL(f);
		} else {
			strcpy(f, "100%% sure %5%");
			r = CALL(f);
		}
		break;
	}
	}
	show(idx, f, r, cap);
}

/* Fixed cases: glibc's documented corners. */
static void fixed(void)
{
	size_t cap = sizeof out;
	int r, n1 = -1, n2 = -1;
	signed char hn = 0;
	long long lln = 0;
	r = snprintf(out, cap, "%s|%.3s|%.6s|%10s|", (char *)0, (char *)0, (char *)0, (char *)0);
	show(-1, "null strings", r, cap);
	r = snprintf(out, cap, "abc%n def%hhn%lln %d", &n1, &hn, &lln, 5);
	show(-2, "%n", r, cap);
	printf("n1=%d hn=%d lln=%lld\n", n1, hn, lln);
	r = snprintf(out, cap, "%2$s %1$d %2$s %3$*4$d|%5$.*6$f|", 5, "x", 7, 4, 3.14159, 2);
	show(-3, "positional", r, cap);
	r = snprintf(out, cap, "%y %5y %-5% %");
	show(-4, "not conversions", r, cap);
	r = snprintf(out, cap, "%.0f %.0f %.0f %.0f %.1f %.2f %.3f", 0.5, 1.5, 2.5, -0.5, 0.25, 0.125, 1.0005);
	show(-5, "ties to even", r, cap);
	r = snprintf(out, cap, "%.30f|%.20e|%.25g|%a|%La", 0.1, 1.0 / 3, 2.0 / 3, 0.1, 0.1L);
	show(-6, "exact digits", r, cap);
	r = snprintf(out, cap, "%f|%e|%g", 1.7976931348623157e308, 4.9e-324, 4.9e-324);
	show(-7, "extremes", r, cap);
	r = snprintf(out, cap, "%.1100f", 4.9e-324);
	show(-8, "all digits of the smallest denormal", r, cap);
	r = snprintf(out, cap, "%Lf|%Le|%Lg|%La", 1e4000L, 1e-4000L, 3.3621031431120935063e-4932L, 1e-4940L);
	show(-9, "long double range", r, cap);
	n2 = snprintf(NULL, 0, "%d%s", 12345, "abc");
	printf("size query %d\n", n2);
	r = snprintf(out, 4, "%s", "truncated");
	show(-10, "truncated", r, 4);
	r = snprintf(out, 1, "%d", 42);
	printf("cap1 r=%d out0=%d\n", r, out[0]);
	r = snprintf(out, cap, "%lc", 0x263a);
	printf("wide non-ascii r=%d errno=%d\n", r, r < 0 ? errno : 0);
}

int main(void)
{
	fixed();
	for (int i = 0; i < 12000; i++)
		one(i);
	return 0;
}
