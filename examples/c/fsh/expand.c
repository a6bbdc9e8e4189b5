/* fsh: word expansion, in POSIX's order for each word: tilde, parameters
   ($NAME ${NAME} ${NAME:-word} $? $$ $! $# $0-$9 $@ $*), command
   substitution $(…) and arithmetic $((…)) (arith.c), then field splitting of what came unquoted from an
   expansion, pathname expansion (* ? [...]) and quote removal.

   A field is built byte by byte with a flag per byte saying whether it was
   quoted: quoted bytes never split a field and never act as glob
   characters. */
#include "fsh.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A field under construction. */
struct field {
	char *s, *quoted;
	size_t len, cap;
	int exists;   /* quotes were seen: "" is an empty field, not none */
	int suppress; /* "$@" with no parameters: no field at all */
};

/* The fields made so far (an argv under construction). */
struct fields {
	char **v;
	int n, cap;
};

/* Append a finished field, keeping the argv NULL-terminated. */
static void push(struct fields *out, char *s)
{
	if (out->n + 2 > out->cap) {
		out->cap = out->cap ? 2 * out->cap : 8;
		out->v = xrealloc(out->v, out->cap * sizeof *out->v);
	}
	out->v[out->n++] = s;
	out->v[out->n] = 0;
}

/* Append one byte to the field being built. */
static void put(struct field *f, char c, int quoted)
{
	if (f->len + 1 >= f->cap) {
		f->cap = f->cap ? 2 * f->cap : 32;
		f->s = xrealloc(f->s, f->cap);
		f->quoted = xrealloc(f->quoted, f->cap);
	}
	f->s[f->len] = c;
	f->quoted[f->len++] = (char)quoted;
}

/* ---- pathname expansion ---- */

/* Does the class at p ("[...]") match c? Sets *end past the class; 0 in
   *end means no closing bracket (then '[' is an ordinary character). */
static int class_match(const char *p, char c, const char **end)
{
	const char *q = p + 1;
	int negate = *q == '!' || *q == '^', found = 0;
	q += negate;
	if (*q == ']')
		found |= c == ']', q++;
	for (; *q && *q != ']'; q++) {
		if (q[1] == '-' && q[2] && q[2] != ']') {
			found |= c >= q[0] && c <= q[2];
			q += 2;
		} else {
			found |= c == *q;
		}
	}
	*end = *q ? q + 1 : 0;
	return found != negate;
}

/* Match a name against * ? [...] (a backslash escapes the next character). */
int glob_match(const char *p, const char *n)
{
	for (; *p; n++) {
		const char *end;
		switch (*p) {
		case '*':
			while (*p == '*')
				p++;
			if (!*p)
				return 1;
			for (; *n; n++)
				if (glob_match(p, n))
					return 1;
			return glob_match(p, n);
		case '?':
			if (!*n)
				return 0;
			p++;
			break;
		case '[':
			if (!*n)
				return 0;
			if (class_match(p, *n, &end)) {
				p = end;
				break;
			}
			if (end)
				return 0;
			if (*n != '[')
				return 0;
			p++;
			break;
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p++ != *n)
				return 0;
		}
	}
	return *n == 0;
}

/* Does a pattern component have an unescaped * ? or [ ? */
static int has_magic(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '*' || p[i] == '?' || p[i] == '[')
			return 1;
	}
	return 0;
}

/* The pattern with its escapes removed (the literal text). */
static char *unescape(const char *p, size_t len)
{
	char *r = xmalloc(len + 1), *o = r;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\\' && i + 1 < len)
			i++;
		*o++ = p[i];
	}
	*o = 0;
	return r;
}

/* Match `pat` (the rest of a pattern) against the tree under `prefix`
   (empty, or ending in '/'), adding whole paths that exist to `out`. */
static void glob_walk(const char *prefix, const char *pat, struct fields *out)
{
	const char *slash = strchr(pat, '/');
	size_t clen = slash ? (size_t)(slash - pat) : strlen(pat);
	if (!has_magic(pat, clen)) {
		char *lit = unescape(pat, clen);
		char *path = xmalloc(strlen(prefix) + clen + 2);
		sprintf(path, "%s%s%s", prefix, lit, slash ? "/" : "");
		free(lit);
		struct stat st;
		if (slash)
			glob_walk(path, slash + 1, out);
		else if (lstat(path, &st) == 0)
			push(out, xstrdup(path));
		free(path);
		return;
	}
	char *comp = xstrndup(pat, clen);
	DIR *d = opendir(*prefix ? prefix : ".");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && comp[0] != '.')
			continue;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !glob_match(comp, e->d_name))
			continue;
		char *path = xmalloc(strlen(prefix) + strlen(e->d_name) + 2);
		sprintf(path, "%s%s%s", prefix, e->d_name, slash ? "/" : "");
		struct stat st;
		if (!slash)
			push(out, path);
		else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			glob_walk(path, slash + 1, out), free(path);
		else
			free(path);
	}
	if (d)
		closedir(d);
	free(comp);
}

/* qsort order for glob matches: bytewise, as the C locale sorts. */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Finish the current field: add it (globbed if it has unquoted magic). */
static void emit(struct fields *out, struct field *f, int glob)
{
	if ((f->len || f->exists) && !(f->suppress && !f->len)) {
		int magic = 0;
		for (size_t i = 0; i < f->len; i++)
			magic |= !f->quoted[i] && strchr("*?[", f->s[i]);
		if (glob && magic) {
			/* the pattern: quoted specials escaped */
			char *pat = xmalloc(2 * f->len + 1), *o = pat;
			for (size_t i = 0; i < f->len; i++) {
				if (f->quoted[i] && strchr("*?[\\", f->s[i]))
					*o++ = '\\';
				*o++ = f->s[i];
			}
			*o = 0;
			int before = out->n;
			glob_walk(pat[0] == '/' ? "/" : "", pat + (pat[0] == '/'), out);
			if (out->n == before)
				push(out, unescape(pat, strlen(pat)));
			else
				qsort(out->v + before, out->n - before, sizeof *out->v, by_name);
			free(pat);
		} else {
			push(out, xstrndup(f->s ? f->s : "", f->len));
		}
	}
	f->len = 0;
	f->exists = f->suppress = 0;
}

/* ---- parameters, arithmetic and command substitution ---- */

/* Append an expansion's value: quoted (as is) or unquoted (split at
   blanks into fields when `split`). */
static void put_value(struct fields *out, struct field *f, const char *v, int quoted, int split)
{
	for (; *v; v++) {
		if (!quoted && split && strchr(" \t\n", *v)) {
			if (f->len)
				emit(out, f, 1);
		} else {
			put(f, *v, quoted);
		}
	}
}

/* The n strings of v joined by single spaces (malloc'ed). */
static char *join(char *const *v, int n)
{
	size_t len = 1;
	for (int k = 0; k < n; k++)
		len += strlen(v[k]) + 1;
	char *r = xmalloc(len);
	r[0] = 0;
	for (int k = 0; k < n; k++)
		strcat(strcat(r, k ? " " : ""), v[k]);
	return r;
}

/* The value of a special or named parameter (malloc'ed), NULL if unset. */
static char *param(const char *name, size_t len)
{
	char buf[32];
	if (len == 1 && strchr("?$!#", name[0])) {
		long v = name[0] == '?' ? sh.last_status : name[0] == '$' ? sh.pid
		       : name[0] == '!' ? sh.last_bg : sh.nargs;
		if (name[0] == '!' && !v)
			return 0;
		snprintf(buf, sizeof buf, "%ld", v);
		return xstrdup(buf);
	}
	if (len == 1 && name[0] >= '0' && name[0] <= '9') {
		int k = name[0] - '0';
		return k == 0 ? xstrdup(sh.argv0) : k <= sh.nargs ? xstrdup(sh.args[k - 1]) : 0;
	}
	if (len == 1 && (name[0] == '*' || name[0] == '@'))
		return join(sh.args, sh.nargs);
	char *n = xstrndup(name, len);
	const char *v = var_get(n);
	free(n);
	return v ? xstrdup(v) : 0;
}

/* Run `cmd` in a child with its output on a pipe; return the output less
   its trailing newlines. $? becomes the command's status. */
static char *command_output(const char *cmd)
{
	int fds[2];
	if (pipe(fds) < 0) {
		warn("pipe: %s", strerror(errno));
		return xstrdup("");
	}
	fflush(0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		sh.interactive = 0;
		exit(run_string(cmd));
	}
	close(fds[1]);
	size_t len = 0, cap = 256;
	char *buf = xmalloc(cap);
	ssize_t n;
	while (pid > 0 && (n = read(fds[0], buf + len, cap - len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
		if (len + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
	}
	close(fds[0]);
	int status;
	if (pid < 0)
		warn("fork: %s", strerror(errno));
	else if (waitpid(pid, &status, 0) == pid)
		sh.last_status = status_of(status);
	while (len && buf[len - 1] == '\n')
		len--;
	buf[len] = 0;
	return buf;
}

/* Expand the $ at w[i]; returns the index after it, or 0 on an error. */
static size_t dollar(const char *w, size_t i, struct field *f, struct fields *out, int dq, int split)
{
	const char *p = w + i + 1;
	char *value = 0;
	size_t end;
	if (p[0] == '(' && p[1] == '(' && (end = skip_paren(w, i + 2)) && w[end - 2] == ')') {
		/* $((expression)): expand $NAMEs inside, then evaluate */
		char *raw = xstrndup(p + 2, end - i - 5);
		char *expr = expand_word(raw);
		free(raw);
		if (!expr)
			return 0;
		int ok;
		long v = arith_eval(expr, &ok);
		free(expr);
		if (!ok)
			return 0;
		char buf[32];
		snprintf(buf, sizeof buf, "%ld", v);
		value = xstrdup(buf);
	} else if (*p == '(') {
		end = skip_paren(w, i + 2);
		if (!end) {
			warn("missing ) in %s", w);
			return 0;
		}
		char *cmd = xstrndup(p + 1, end - i - 3);
		value = command_output(cmd);
		free(cmd);
	} else if (*p == '{') {
		const char *close = strchr(p, '}');
		if (!close) {
			warn("%s: bad substitution", w + i);
			return 0;
		}
		const char *colon = strstr(p, ":-");
		size_t nlen = (size_t)((colon && colon < close ? colon : close) - p - 1);
		if (!is_name(p + 1, nlen) && !(nlen == 1 && strchr("?$!#*@0123456789", p[1]))) {
			warn("%.*s: bad substitution", (int)(close - p + 2), w + i);
			return 0;
		}
		value = param(p + 1, nlen);
		if (colon && colon < close && (!value || !*value)) {
			free(value);
			char *word = xstrndup(colon + 2, (size_t)(close - colon - 2));
			value = expand_word(word);
			free(word);
		}
		end = (size_t)(close - w) + 1;
	} else if (*p && strchr("?$!#*@0123456789", *p)) {
		if (*p == '@' && dq) { /* "$@": one field per parameter */
			for (int k = 0; k < sh.nargs; k++) {
				if (k)
					emit(out, f, 0);
				put_value(out, f, sh.args[k], 1, 0);
			}
			f->suppress = sh.nargs == 0;
			return i + 2;
		}
		value = param(p, 1);
		end = i + 2;
	} else {
		size_t n = 0;
		while (is_name(p, n + 1))
			n++;
		if (!n) {
			put(f, '$', dq);
			return i + 1;
		}
		value = param(p, n);
		end = i + 1 + n;
	}
	if (value)
		put_value(out, f, value, dq, split);
	free(value);
	return end;
}

/* Expand one word into `out`; -1 on an error already reported. */
static int expand_into(const char *w, struct fields *out, int split)
{
	struct field f = {0};
	int dq = 0;
	for (size_t i = 0; w[i];) {
		char c = w[i];
		if (c == '\'' && !dq) {
			f.exists = 1;
			for (i++; w[i] && w[i] != '\''; i++)
				put(&f, w[i], 1);
			i += w[i] == '\'';
		} else if (c == '"') {
			dq = !dq;
			f.exists = 1;
			i++;
		} else if (c == '\\' && w[i + 1]) {
			char n = w[i + 1];
			if (n == '\n')
				;
			else if (!dq || strchr("$`\"\\", n))
				put(&f, n, 1);
			else
				put(&f, '\\', 1), put(&f, n, 1);
			i += 2;
		} else if (c == '$') {
			size_t next = dollar(w, i, &f, out, dq, split);
			if (!next) {
				free(f.s), free(f.quoted);
				return -1;
			}
			i = next;
		} else if (c == '~' && i == 0 && (w[1] == 0 || w[1] == '/')) {
			const char *home = var_get("HOME");
			put_value(out, &f, home ? home : "~", 1, 0);
			i++;
		} else {
			put(&f, c, dq);
			i++;
		}
	}
	emit(out, &f, split);
	free(f.s);
	free(f.quoted);
	return 0;
}

/* Every word's fields, in order; NULL after an error already reported. */
char **expand_words(char *const *words, int n, int *argc)
{
	struct fields out = {0};
	push(&out, 0); /* an argv even when no field comes */
	out.n = 0;
	for (int k = 0; k < n; k++)
		if (expand_into(words[k], &out, 1) < 0) {
			free_argv(out.v);
			return 0;
		}
	*argc = out.n;
	return out.v;
}

/* One string from one word: fields joined by spaces, no globbing. */
char *expand_word(const char *word)
{
	struct fields out = {0};
	if (expand_into(word, &out, 0) < 0)
		return 0;
	char *r = join(out.v, out.n);
	free_argv(out.v);
	return r;
}

/* Free a NULL-terminated array of strings (NULL is fine). */
void free_argv(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}
