/* General utilities (C99 7.20, POSIX). */
#ifndef _STDLIB_H
#define _STDLIB_H
#include <bits/alltypes.h>

__FL_BEGIN

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 2147483647
#define MB_CUR_MAX 1

typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
typedef struct { long long quot, rem; } lldiv_t;

void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
void *reallocarray(void *, size_t, size_t);
void free(void *);
int posix_memalign(void **, size_t, size_t);
void *aligned_alloc(size_t, size_t);
void *memalign(size_t, size_t);
void *valloc(size_t);
size_t malloc_usable_size(void *);

__FL_NORETURN void abort(void);
__FL_NORETURN void exit(int);
__FL_NORETURN void _Exit(int);
int atexit(void (*)(void));

char *getenv(const char *);
int getloadavg(double *, int);
int setenv(const char *, const char *, int);
int unsetenv(const char *);
int putenv(char *);
int clearenv(void);

long strtol(const char *, char **, int);
unsigned long strtoul(const char *, char **, int);
long long strtoll(const char *, char **, int);
unsigned long long strtoull(const char *, char **, int);
int atoi(const char *);
double strtod(const char *, char **);
float strtof(const char *, char **);
/* libc-rs: strtold has double's precision and range. */
long double strtold(const char *, char **);
double atof(const char *);
long atol(const char *);
long long atoll(const char *);

void qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void qsort_r(void *, size_t, size_t, int (*)(const void *, const void *, void *), void *);
void *bsearch(const void *, const void *, size_t, size_t, int (*)(const void *, const void *));

int rand(void);
void srand(unsigned);
int rand_r(unsigned *);
long random(void);
void srandom(unsigned);

int abs(int);
long labs(long);
long long llabs(long long);
div_t div(int, int);
ldiv_t ldiv(long, long);
lldiv_t lldiv(long long, long long);

__FL_END
#endif
