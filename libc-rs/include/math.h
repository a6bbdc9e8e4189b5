/* C99 math.h over the libm crate (musl's libm in Rust), with glibc's errno
   behaviour: math_errhandling is MATH_ERRNO | MATH_ERREXCEPT (errno is set;
   libc-rs's functions raise no floating-point exceptions of their own).
   libc-rs's long double has double's precision and range (as its strtold):
   the `l` functions are inline wrappers of the double ones. No -lm needed
   (an empty libm.a is there for link lines that name it). */
#ifndef _MATH_H
#define _MATH_H
#include <features.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HUGE_VAL (__builtin_huge_val())
#define HUGE_VALF (__builtin_huge_valf())
#define HUGE_VALL (__builtin_huge_vall())
#define INFINITY (__builtin_inff())
#define NAN (__builtin_nanf(""))

#define FP_NAN 0
#define FP_INFINITE 1
#define FP_ZERO 2
#define FP_SUBNORMAL 3
#define FP_NORMAL 4

#define FP_ILOGB0 (-2147483647 - 1)
#define FP_ILOGBNAN (-2147483647 - 1)
#define MATH_ERRNO 1
#define MATH_ERREXCEPT 2
#define math_errhandling (MATH_ERRNO | MATH_ERREXCEPT)

#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ == 2
typedef long double float_t;
typedef long double double_t;
#else
typedef float float_t;
typedef double double_t;
#endif

#define fpclassify(x) __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf_sign(x)
#define isfinite(x) __builtin_isfinite(x)
#define isnormal(x) __builtin_isnormal(x)
#define signbit(x) __builtin_signbit(x)
#define isgreater(x, y) __builtin_isgreater(x, y)
#define isgreaterequal(x, y) __builtin_isgreaterequal(x, y)
#define isless(x, y) __builtin_isless(x, y)
#define islessequal(x, y) __builtin_islessequal(x, y)
#define islessgreater(x, y) __builtin_islessgreater(x, y)
#define isunordered(x, y) __builtin_isunordered(x, y)

#if defined(_GNU_SOURCE) || defined(_DEFAULT_SOURCE) || defined(_BSD_SOURCE) || \
	defined(_XOPEN_SOURCE) || !defined(__STRICT_ANSI__)
#define M_E 2.7182818284590452354
#define M_LOG2E 1.4426950408889634074
#define M_LOG10E 0.43429448190325182765
#define M_LN2 0.69314718055994530942
#define M_LN10 2.30258509299404568402
#define M_PI 3.14159265358979323846
#define M_PI_2 1.57079632679489661923
#define M_PI_4 0.78539816339744830962
#define M_1_PI 0.31830988618379067154
#define M_2_PI 0.63661977236758134308
#define M_2_SQRTPI 1.12837916709551257390
#define M_SQRT2 1.41421356237309504880
#define M_SQRT1_2 0.70710678118654752440
extern int signgam;
#endif

/* The functions of one and of two doubles, each with its float (f) and
   long double (l) twin. */
#define __FL_MATH_UNARY(X)                                                              \
	X(sqrt) X(cbrt) X(exp) X(exp2) X(exp10) X(expm1) X(log) X(log2) X(log10) X(log1p) \
	X(sin) X(cos) X(tan) X(asin) X(acos) X(atan) X(sinh) X(cosh) X(tanh) X(asinh)    \
	X(acosh) X(atanh) X(erf) X(erfc) X(tgamma) X(lgamma) X(floor) X(ceil) X(trunc)   \
	X(round) X(rint) X(nearbyint) X(fabs) X(logb)
#define __FL_MATH_BINARY(X)                                                            \
	X(hypot) X(pow) X(atan2) X(fmod) X(remainder) X(copysign) X(fmin) X(fmax) X(fdim) \
	X(nextafter)
#define __FL_MATH1(n) double n(double); float n##f(float);
#define __FL_MATH2(n) double n(double, double); float n##f(float, float);
__FL_MATH_UNARY(__FL_MATH1)
__FL_MATH_BINARY(__FL_MATH2)
#undef __FL_MATH1
#undef __FL_MATH2
double fma(double, double, double);
float fmaf(float, float, float);
double frexp(double, int *);
float frexpf(float, int *);
double ldexp(double, int);
float ldexpf(float, int);
double scalbn(double, int);
float scalbnf(float, int);
double modf(double, double *);
float modff(float, float *);
double remquo(double, double, int *);
float remquof(float, float, int *);
double lgamma_r(double, int *);
float lgammaf_r(float, int *);
int ilogb(double);
int ilogbf(float);
long lround(double);
long lroundf(float);
long long llround(double);
long long llroundf(float);
long lrint(double);
long lrintf(float);
long long llrint(double);
long long llrintf(float);

/* long double: double's precision (see the top of this file). */
#define __FL_MATHL1(n) \
	static __inline long double n##l(long double __x) { return n((double)__x); }
#define __FL_MATHL2(n)                                                        \
	static __inline long double n##l(long double __x, long double __y)   \
	{                                                                    \
		return n((double)__x, (double)__y);                          \
	}
__FL_MATH_UNARY(__FL_MATHL1)
__FL_MATH_BINARY(__FL_MATHL2)
#undef __FL_MATHL1
#undef __FL_MATHL2
static __inline long double fmal(long double __x, long double __y, long double __z)
{
	return fma((double)__x, (double)__y, (double)__z);
}
static __inline long double frexpl(long double __x, int *__e) { return frexp((double)__x, __e); }
static __inline long double ldexpl(long double __x, int __n) { return ldexp((double)__x, __n); }
static __inline long double scalbnl(long double __x, int __n) { return scalbn((double)__x, __n); }
static __inline long double modfl(long double __x, long double *__i)
{
	double __d;
	double __f = modf((double)__x, &__d);
	*__i = __d;
	return __f;
}
static __inline long double remquol(long double __x, long double __y, int *__q)
{
	return remquo((double)__x, (double)__y, __q);
}
static __inline int ilogbl(long double __x) { return ilogb((double)__x); }
static __inline long lroundl(long double __x) { return lround((double)__x); }
static __inline long long llroundl(long double __x) { return llround((double)__x); }
static __inline long lrintl(long double __x) { return lrint((double)__x); }
static __inline long long llrintl(long double __x) { return llrint((double)__x); }

#ifdef __cplusplus
}
#endif
#endif
