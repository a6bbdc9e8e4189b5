/* Diagnostics (C99 7.2). Included again, it follows NDEBUG anew. */
#include <bits/alltypes.h>
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
__FL_BEGIN
__FL_NORETURN void __assert_fail(const char *, const char *, unsigned, const char *);
__FL_END
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
#if __STDC_VERSION__ >= 201112L && !defined(__cplusplus)
#undef static_assert
#define static_assert _Static_assert
#endif
