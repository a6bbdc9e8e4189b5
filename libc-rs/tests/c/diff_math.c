/* Differential test of math.h: every function on generated inputs
   (specials ±0, ±inf, NaN, subnormals, huge, tiny, integers, halves, and
   random bit patterns and ranges), one line per call with the result's
   bits, errno and any second result:
     NAME d|f INDEX BITS ERRNO [EXTRA…]
   tests/libc.rs compares the lines with glibc's build: bit-exact for the
   correctly rounded functions, within 1 ulp (same NaN/inf/zero-sign class)
   for the others, errno and extras always exact. Calls go through function
   pointers so the compiler folds nothing. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define RNG_SEED 0x2545f4914f6cdd1dULL
#include "rng.h"

#define N 400 /* double inputs per function */
#define NF 160 /* float inputs per function */

static double din[N], din2[N];
static float fin[NF], fin2[NF];
static long lines;

/* A double from raw bits. */
static double bits_d(unsigned long long b)
{
	double d;
	memcpy(&d, &b, 8);
	return d;
}

static const double specials[] = {
	0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 2.0, 3.0, -3.0, 10.0, 100.5,
	0x1p-1074, -0x1p-1074, 0x1p-1022, -0x1p-1022, 0x1.fffffffffffffp-1023, DBL_MAX, -DBL_MAX,
	1e-310, 1e-300, 1e300, -1e300, 709.7, 710.0, -745.2, -708.5, 1024.0, -1075.0, 0x1p52,
	0x1p52 + 0.5, 0x1p53, 4503599627370497.5, 1e22, 0.1, -0.1, 3.141592653589793, 1e-8,
	-1e-8, 171.5, -171.5, 0.99999999, 1.00000001, -0.99999999, 2147483647.5, -2147483648.5,
	9.3e18, -9.3e18,
};

/* Fill the input tables: the specials, NaN and infinities, then random
   values of several kinds. */
static void make_inputs(void)
{
	int ns = sizeof specials / sizeof specials[0];
	for (int i = 0; i < N; i++) {
		double d;
		if (i < ns)
			d = specials[i];
		else if (i == ns)
			d = INFINITY;
		else if (i == ns + 1)
			d = -INFINITY;
		else if (i == ns + 2)
			d = NAN;
		else
			switch (pick(7)) {
			case 0: /* any bits but NaN/inf */
				do
					d = bits_d(next());
				while (!isfinite(d));
				break;
			case 1: /* moderate exponents */
				d = ldexp((double)(next() >> 11) / 0x1p53, pick(80) - 40) * (pick(2) ? 1 : -1);
				break;
			case 2: /* integers */
				d = (double)(int)(next() % 2000001) - 1000000.0;
				break;
			case 3: /* halves */
				d = (double)(int)(next() % 20001) - 10000.0 + 0.5;
				break;
			case 4: /* small, where most functions are interesting */
				d = ((double)(next() >> 11) / 0x1p53 - 0.5) * 8;
				break;
			case 5: /* subnormal */
				d = bits_d(next() >> 12) * (pick(2) ? 1 : -1);
				break;
			default: /* large, near overflow thresholds */
				d = ((double)(next() >> 11) / 0x1p53) * 1500 - 750;
			}
		din[i] = d;
		din2[(i * 7 + 3) % N] = d;
	}
	for (int i = 0; i < N; i += 5)
		din2[i] = (double)(pick(41) - 20) / 2; /* small integer and half exponents */
	for (int i = 0; i < NF; i++) {
		fin[i] = (float)din[i * 2];
		fin2[i] = (float)din2[i * 2 + 1];
		if (i % 9 == 4)
			fin[i] = (float)(din[i] * 1e-30); /* float subnormals */
	}
}

/* Print one double result. */
static void out_d(const char *name, int i, double r, int e)
{
	unsigned long long b;
	memcpy(&b, &r, 8);
	printf("%s d %d %016llx %d", name, i, b, e);
	lines++;
}

/* Print one float result. */
static void out_f(const char *name, int i, float r, int e)
{
	unsigned b;
	memcpy(&b, &r, 4);
	printf("%s f %d %08x %d", name, i, b, e);
	lines++;
}

typedef double (*d1)(double);
typedef double (*d2)(double, double);
typedef float (*f1)(float);
typedef float (*f2)(float, float);

#define ONE(n) {#n, n, n##f}
static const struct { const char *name; d1 d; f1 f; } unary[] = {
	ONE(sqrt), ONE(cbrt), ONE(exp), ONE(exp2), ONE(expm1), ONE(log), ONE(log2), ONE(log10),
	ONE(log1p), ONE(sin), ONE(cos), ONE(tan), ONE(asin), ONE(acos), ONE(atan), ONE(sinh),
	ONE(cosh), ONE(tanh), ONE(asinh), ONE(acosh), ONE(atanh), ONE(erf), ONE(erfc), ONE(tgamma),
	ONE(floor), ONE(ceil), ONE(trunc), ONE(round), ONE(rint), ONE(nearbyint), ONE(fabs),
	ONE(logb),
};
static const struct { const char *name; d2 d; f2 f; } binary[] = {
	ONE(hypot), ONE(pow), ONE(atan2), ONE(fmod), ONE(remainder), ONE(copysign), ONE(fmin),
	ONE(fmax), ONE(fdim), ONE(nextafter),
};

int main(void)
{
	make_inputs();
	for (unsigned k = 0; k < sizeof unary / sizeof unary[0]; k++) {
		for (int i = 0; i < N; i++) {
			errno = 0;
			double r = unary[k].d(din[i]);
			out_d(unary[k].name, i, r, errno);
			putchar('\n');
		}
		for (int i = 0; i < NF; i++) {
			errno = 0;
			float r = unary[k].f(fin[i]);
			out_f(unary[k].name, i, r, errno);
			putchar('\n');
		}
	}
	for (unsigned k = 0; k < sizeof binary / sizeof binary[0]; k++) {
		for (int i = 0; i < N; i++) {
			errno = 0;
			double r = binary[k].d(din[i], din2[i]);
			out_d(binary[k].name, i, r, errno);
			putchar('\n');
		}
		for (int i = 0; i < NF; i++) {
			errno = 0;
			float r = binary[k].f(fin[i], fin2[i]);
			out_f(binary[k].name, i, r, errno);
			putchar('\n');
		}
	}
	/* The functions with other shapes. */
	double (*volatile vfma)(double, double, double) = fma;
	double (*volatile vfrexp)(double, int *) = frexp;
	double (*volatile vldexp)(double, int) = ldexp;
	double (*volatile vscalbn)(double, int) = scalbn;
	double (*volatile vmodf)(double, double *) = modf;
	double (*volatile vremquo)(double, double, int *) = remquo;
	double (*volatile vlgamma)(double) = lgamma;
	int (*volatile vilogb)(double) = ilogb;
	long (*volatile vlround)(double) = lround;
	long long (*volatile vllround)(double) = llround;
	long (*volatile vlrint)(double) = lrint;
	float (*volatile vlgammaf)(float) = lgammaf;
	float (*volatile vfrexpf)(float, int *) = frexpf;
	float (*volatile vmodff)(float, float *) = modff;
	for (int i = 0; i < N; i++) {
		double x = din[i], y = din2[i], z = din2[(i + 1) % N], ip;
		int e, q, n = pick(2200) - 1100;
		errno = 0;
		out_d("fma", i, vfma(x, y, z), errno);
		errno = 0;
		double m = vfrexp(x, &e);
		out_d("frexp", i, m, errno);
		printf(" %d\n", isfinite(x) && x != 0 ? e : 0);
		errno = 0;
		out_d("ldexp", i, vldexp(x, n), errno);
		errno = 0;
		printf("\n");
		out_d("scalbn", i, vscalbn(x, n), errno);
		errno = 0;
		double f = vmodf(x, &ip);
		out_d("modf", i, f, errno);
		unsigned long long ib;
		memcpy(&ib, &ip, 8);
		printf(" %016llx\n", ib);
		errno = 0;
		q = 0;
		double rq = vremquo(x, y, &q);
		out_d("remquo", i, rq, errno);
		/* Only the sign and the low 3 bits of the quotient are specified. */
		printf(" %d\n", isnan(rq) ? 0 : (q < 0 ? -1 : 1) * ((q < 0 ? -q : q) & 7));
		errno = 0;
		signgam = 0;
		out_d("lgamma", i, vlgamma(x), errno);
		printf(" %d\n", isnan(x) ? 0 : signgam);
		errno = 0;
		int il = vilogb(x);
		printf("ilogb d %d %d %d\n", i, il, errno);
		errno = 0;
		long lr = vlround(x);
		printf("lround d %d %ld %d\n", i, lr, errno);
		errno = 0;
		long long llr = vllround(x);
		printf("llround d %d %lld %d\n", i, llr, errno);
		errno = 0;
		lr = vlrint(x);
		printf("lrint d %d %ld %d\n", i, lr, errno);
		lines += 4;
	}
	for (int i = 0; i < NF; i++) {
		float x = fin[i], ip;
		int e;
		errno = 0;
		signgam = 0;
		out_f("lgamma", i, vlgammaf(x), errno);
		printf(" %d\n", isnan(x) ? 0 : signgam);
		errno = 0;
		out_f("frexp", i, vfrexpf(x, &e), errno);
		printf(" %d\n", isfinite(x) && x != 0 ? e : 0);
		errno = 0;
		out_f("modf", i, vmodff(x, &ip), errno);
		unsigned ib;
		memcpy(&ib, &ip, 4);
		printf(" %08x\n", ib);
	}
	/* The macros. */
	double cls[] = {0.0, -0.0, 0x1p-1074, 1.0, -INFINITY, NAN};
	for (int i = 0; i < 6; i++) {
		volatile double v = cls[i];
		printf("class d %d %d %d %d %d %d %d\n", i, fpclassify(v), isnan(v) != 0, isinf(v),
		       isfinite(v) != 0, isnormal(v) != 0, signbit(v) != 0);
		lines++;
	}
	printf("constants %d %d %d %d %.17g %d\n", FP_ILOGB0, FP_ILOGBNAN, math_errhandling,
	       HUGE_VAL == INFINITY, M_PI, (int)sizeof(double_t));
	printf("diff_math: %ld calls\n", lines);
	return 0;
}
