/* Standard I/O (C99 7.19, POSIX). FILE is opaque. */
#ifndef _STDIO_H
#define _STDIO_H
#include <bits/alltypes.h>
#define __need___va_list
#include <stdarg.h>

__FL_BEGIN

typedef struct _FL_FILE FILE;
typedef off_t fpos_t;

#define EOF (-1)
#define BUFSIZ 8192
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define FILENAME_MAX 4096
#define FOPEN_MAX 1000
#define L_tmpnam 20

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin stdin
#define stdout stdout
#define stderr stderr

FILE *fopen(const char *, const char *);
FILE *fdopen(int, const char *);
int fclose(FILE *);
int fflush(FILE *);
int setvbuf(FILE *, char *, int, size_t);
void setbuf(FILE *, char *);
void setlinebuf(FILE *);
int fileno(FILE *);
int feof(FILE *);
int ferror(FILE *);
void clearerr(FILE *);
int fseek(FILE *, long, int);
int fseeko(FILE *, off_t, int);
long ftell(FILE *);
off_t ftello(FILE *);
void rewind(FILE *);

size_t fread(void *, size_t, size_t, FILE *);
size_t fwrite(const void *, size_t, size_t, FILE *);
size_t fread_unlocked(void *, size_t, size_t, FILE *);
size_t fwrite_unlocked(const void *, size_t, size_t, FILE *);
int fgetc(FILE *);
int getc(FILE *);
int getchar(void);
int ungetc(int, FILE *);
char *fgets(char *, int, FILE *);
int fputc(int, FILE *);
int putc(int, FILE *);
int putchar(int);
int fputs(const char *, FILE *);
int puts(const char *);
ssize_t getline(char **, size_t *, FILE *);
ssize_t getdelim(char **, size_t *, int, FILE *);
int getc_unlocked(FILE *);
int getchar_unlocked(void);
int fgetc_unlocked(FILE *);
int putc_unlocked(int, FILE *);
int putchar_unlocked(int);
int fputc_unlocked(int, FILE *);
void flockfile(FILE *);
int ftrylockfile(FILE *);
void funlockfile(FILE *);

int printf(const char *, ...) __FL_PRINTF(1, 2);
int fprintf(FILE *, const char *, ...) __FL_PRINTF(2, 3);
int sprintf(char *, const char *, ...) __FL_PRINTF(2, 3);
int snprintf(char *, size_t, const char *, ...) __FL_PRINTF(3, 4);
int dprintf(int, const char *, ...) __FL_PRINTF(2, 3);
int asprintf(char **, const char *, ...) __FL_PRINTF(2, 3);
int vprintf(const char *, __gnuc_va_list) __FL_PRINTF(1, 0);
int vfprintf(FILE *, const char *, __gnuc_va_list) __FL_PRINTF(2, 0);
int vsprintf(char *, const char *, __gnuc_va_list) __FL_PRINTF(2, 0);
int vsnprintf(char *, size_t, const char *, __gnuc_va_list) __FL_PRINTF(3, 0);
int vdprintf(int, const char *, __gnuc_va_list) __FL_PRINTF(2, 0);
int vasprintf(char **, const char *, __gnuc_va_list) __FL_PRINTF(2, 0);

int scanf(const char *, ...) __attribute__((__format__(__scanf__, 1, 2)));
int fscanf(FILE *, const char *, ...) __attribute__((__format__(__scanf__, 2, 3)));
int sscanf(const char *, const char *, ...) __attribute__((__format__(__scanf__, 2, 3)));
int vscanf(const char *, __gnuc_va_list) __attribute__((__format__(__scanf__, 1, 0)));
int vfscanf(FILE *, const char *, __gnuc_va_list) __attribute__((__format__(__scanf__, 2, 0)));
int vsscanf(const char *, const char *, __gnuc_va_list) __attribute__((__format__(__scanf__, 2, 0)));
void perror(const char *);
int rename(const char *, const char *);
int renameat(int, const char *, int, const char *);
int renameat2(int, const char *, int, const char *, unsigned);
int remove(const char *);
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define RENAME_WHITEOUT (1 << 2)

__FL_END
#endif
