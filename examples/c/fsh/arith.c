/* fsh: arithmetic expansion, $((expression)). Integers (long) with C's
   operators and precedence, as POSIX asks: ( ) unary + - ! ~, * / %, + -,
   < <= > >=, == !=, &&, ||. A name stands for its variable's value (0 if
   unset or empty); $NAME was already expanded before this runs. */
#include "fsh.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct arith {
	const char *s;
	const char *error; /* the first error, if any */
};

static long lor(struct arith *a);

/* Step over blanks between tokens. */
static void skip_blanks(struct arith *a)
{
	while (isspace((unsigned char)*a->s))
		a->s++;
}

/* Consume `op` if it comes next (and is not the start of a longer one). */
static int take(struct arith *a, const char *op)
{
	skip_blanks(a);
	size_t n = strlen(op);
	if (strncmp(a->s, op, n) || (n == 1 && strchr("&|=<>", op[0]) && a->s[1] == op[0]) ||
	    (n == 1 && strchr("<>!", op[0]) && a->s[1] == '='))
		return 0;
	a->s += n;
	return 1;
}

/* A number, a variable's value, or a parenthesised expression. */
static long primary(struct arith *a)
{
	skip_blanks(a);
	if (take(a, "(")) {
		long v = lor(a);
		if (!take(a, ")") && !a->error)
			a->error = "missing )";
		return v;
	}
	if (isdigit((unsigned char)*a->s)) {
		char *end;
		long v = strtol(a->s, &end, 0);
		a->s = end;
		return v;
	}
	size_t n = 0;
	while (is_name(a->s, n + 1))
		n++;
	if (!n) {
		if (!a->error)
			a->error = *a->s ? "syntax error" : "missing operand";
		return 0;
	}
	char *name = xstrndup(a->s, n);
	const char *value = var_get(name);
	free(name);
	a->s += n;
	return value ? strtol(value, 0, 0) : 0;
}

/* - + ! ~ before an operand. */
static long unary(struct arith *a)
{
	if (take(a, "-"))
		return -unary(a);
	if (take(a, "+"))
		return unary(a);
	if (take(a, "!"))
		return !unary(a);
	if (take(a, "~"))
		return ~unary(a);
	return primary(a);
}

/* * / %, left to right; division by zero is an error. */
static long mul(struct arith *a)
{
	long v = unary(a);
	for (;;) {
		int op = take(a, "*") ? '*' : take(a, "/") ? '/' : take(a, "%") ? '%' : 0;
		if (!op)
			return v;
		long r = unary(a);
		if (op != '*' && r == 0) {
			if (!a->error)
				a->error = "division by zero";
			return 0;
		}
		v = op == '*' ? v * r : op == '/' ? v / r : v % r;
	}
}

/* + -, left to right. */
static long add(struct arith *a)
{
	long v = mul(a);
	for (;;) {
		if (take(a, "+"))
			v += mul(a);
		else if (take(a, "-"))
			v -= mul(a);
		else
			return v;
	}
}

/* < <= > >=, each giving 1 or 0. */
static long rel(struct arith *a)
{
	long v = add(a);
	for (;;) {
		if (take(a, "<="))
			v = v <= add(a);
		else if (take(a, ">="))
			v = v >= add(a);
		else if (take(a, "<"))
			v = v < add(a);
		else if (take(a, ">"))
			v = v > add(a);
		else
			return v;
	}
}

/* == !=, each giving 1 or 0. */
static long eq(struct arith *a)
{
	long v = rel(a);
	for (;;) {
		if (take(a, "=="))
			v = v == rel(a);
		else if (take(a, "!="))
			v = v != rel(a);
		else
			return v;
	}
}

/* && and || evaluate both sides (nothing here has side effects). */
static long land(struct arith *a)
{
	long v = eq(a);
	while (take(a, "&&")) {
		long r = eq(a);
		v = v && r;
	}
	return v;
}

/* The whole expression: || binds loosest. */
static long lor(struct arith *a)
{
	long v = land(a);
	while (take(a, "||")) {
		long r = land(a);
		v = v || r;
	}
	return v;
}

/* Evaluate `expr`; on an error, report it and set *ok to 0. */
long arith_eval(const char *expr, int *ok)
{
	struct arith a = {.s = expr};
	long v = lor(&a);
	skip_blanks(&a);
	if (!a.error && *a.s)
		a.error = "syntax error";
	*ok = !a.error;
	if (a.error)
		warn("$((%s)): %s", expr, a.error);
	return v;
}
