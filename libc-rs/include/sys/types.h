/* POSIX sys/types.h. */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H
#include <bits/alltypes.h>
#include <stdint.h>
#include <bits/pthreadtypes.h>
typedef unsigned long long dev_t;
typedef unsigned long long ino_t;
typedef unsigned long nlink_t;
typedef long blksize_t;
typedef long long blkcnt_t;
typedef int id_t;
typedef int key_t;
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
#endif
