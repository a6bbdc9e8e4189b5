/* The differential tests' generator: xorshift64 from RNG_SEED (each program
   defines its own before including this), the same sequence on every libc. */
#ifndef RNG_H
#define RNG_H

static unsigned long long rng = RNG_SEED;

/* The next 64 random bits. */
static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A random number in [0, n). */
static int pick(int n) { return (int)(next() % (unsigned long long)n); }
#endif
