/* Differential test of the string functions on generated inputs: results
   printed as offsets, signs (for the comparisons, whose magnitude C leaves
   unspecified) and contents. Also every alignment and length of
   memcpy/memmove/memset/strlen up to 80 bytes, through function pointers so
   the compiler cannot substitute its builtins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#define RNG_SEED 0x853c49e6748fea9bULL
#include "rng.h"
static int sgn(int v) { return (v > 0) - (v < 0); }

static void *(*volatile p_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile p_memmove)(void *, const void *, size_t) = memmove;
static void *(*volatile p_memset)(void *, int, size_t) = memset;
static size_t (*volatile p_strlen)(const char *) = strlen;
static char *(*volatile p_strcpy)(char *, const char *) = strcpy;
static char *(*volatile p_stpcpy)(char *, const char *) = stpcpy;
static char *(*volatile p_strcat)(char *, const char *) = strcat;
static char *(*volatile p_strncpy)(char *, const char *, size_t) = strncpy;
static char *(*volatile p_strncat)(char *, const char *, size_t) = strncat;

static void gen(char *s, int max)
{
	static const char alpha[] = "abcAB ,.-x\t\x80\xff";
	int n = pick(max);
	for (int i = 0; i < n; i++)
		s[i] = alpha[pick(sizeof alpha - 1)];
	s[n] = 0;
}

static void dump(const char *tag, const unsigned char *p, size_t n)
{
	printf("%s:", tag);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(void)
{
	/* Alignments and lengths. */
	unsigned char a[256], b[256];
	for (int off = 0; off < 16; off++)
		for (int n = 0; n < 80; n++) {
			for (int i = 0; i < 256; i++)
				a[i] = (unsigned char)(i * 7 + 1), b[i] = 0xee;
			p_memcpy(b + (off ^ 5), a + off, n);
			p_memmove(a + off + 3, a + off, n);
			p_memmove(a + off, a + off + 5, n);
			p_memset(b + off + 100, off * 3 + n, n);
			a[off + n + 10] = 0;
			printf("al %d %d %zu %d %d\n", off, n, p_strlen((char *)a + off + n / 2 + 1), a[off + n / 2], b[off + 100]);
			dump("a", a, 128);
			dump("b", b, 200);
		}
	char s1[64], s2[64], d[256];
	for (int i = 0; i < 4000; i++) {
		gen(s1, 12);
		gen(s2, 6);
		size_t n = (size_t)pick(14);
		int c = "ab, x\0"[pick(6)];
		char *r;
		printf("%d [%s] [%s] n=%zu c=%d: ", i, s1, s2, n, c);
		printf("cmp=%d ncmp=%d case=%d ncase=%d mem=%d ", sgn(strcmp(s1, s2)), sgn(strncmp(s1, s2, n)),
		       sgn(strcasecmp(s1, s2)), sgn(strncasecmp(s1, s2, n)), sgn(memcmp(s1, s2, n < 7 ? n : 7)));
		r = strchr(s1, c);
		printf("chr=%ld ", r ? r - s1 : -1);
		r = strrchr(s1, c);
		printf("rchr=%ld ", r ? r - s1 : -1);
		r = memchr(s1, c, strlen(s1) + 1);
		printf("memchr=%ld ", r ? r - s1 : -1);
		r = strstr(s1, s2);
		printf("str=%ld ", r ? r - s1 : -1);
		r = strpbrk(s1, s2);
		printf("pbrk=%ld spn=%zu cspn=%zu nlen=%zu ", r ? r - s1 : -1, strspn(s1, s2), strcspn(s1, s2), strnlen(s1, n));
		memset(d, 'Z', sizeof d);
		p_strcpy(d, s1);
		p_strcat(d, s2);
		printf("cat=[%s] ", d);
		memset(d, 'Z', sizeof d);
		r = p_stpcpy(d, s2);
		printf("stp=%ld ", r - d);
		memset(d, 'Z', 40);
		p_strncpy(d, s1, n);
		dump("ncpy", (unsigned char *)d, 16);
		strcpy(d, s2);
		p_strncat(d, s1, n);
		printf("ncat=[%s] ", d);
		char *dup = strndup(s1, n);
		printf("ndup=[%s] ", dup);
		free(dup);
		char tok[64], *save = 0, *t;
		strcpy(tok, s1);
		printf("tok:");
		for (t = strtok_r(tok, s2[0] ? s2 : " ", &save); t; t = strtok_r(0, s2[0] ? s2 : " ", &save))
			printf("<%s>", t);
		printf(" ctype:");
		for (int k = -1; k < 256; k += 37)
			printf("%d%d%d%d%d%d%d%d%d%d%d%d%c", !!isalnum(k), !!isalpha(k), !!isblank(k), !!iscntrl(k), !!isdigit(k),
			       !!isgraph(k), !!islower(k), !!isprint(k), !!ispunct(k), !!isspace(k), !!isupper(k), !!isxdigit(k),
			       k < 0 ? '.' : toupper(k) == k && tolower(k) == k ? '=' : '~');
		printf("\n");
	}
	for (int e = -1; e < 136; e++)
		printf("strerror(%d)=%s\n", e, strerror(e));
	for (int sig = 0; sig < 66; sig++)
		printf("strsignal(%d)=%s\n", sig, strsignal(sig));
	return 0;
}
