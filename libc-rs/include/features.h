/* Feature-test glue: libc-rs exposes its whole API unconditionally. */
#ifndef _FEATURES_H
#define _FEATURES_H
#define __LIBC_RS__ 1
#endif
