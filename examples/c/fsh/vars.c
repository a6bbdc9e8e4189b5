/* fsh: shell variables. Each has a value and an export flag; the
   environment a program receives is built from the exported ones when it
   is started (plus any NAME=value words before its name), so the shell's
   own `environ` is read once at startup and never changed. */
#include "fsh.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct var {
	char *name, *value;
	int exported;
	struct var *next;
};

static struct var *vars;

/* A shell name: a letter or _, then letters, digits or _. */
int is_name(const char *s, size_t len)
{
	if (!len || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* The variable called name, or NULL. */
static struct var *find(const char *name)
{
	for (struct var *v = vars; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	return 0;
}

/* Import the environment we were started with, all exported. */
void vars_init(char **envp)
{
	for (; envp && *envp; envp++) {
		const char *eq = strchr(*envp, '=');
		if (!eq || !is_name(*envp, (size_t)(eq - *envp)))
			continue;
		char *name = xstrndup(*envp, (size_t)(eq - *envp));
		var_set(name, eq + 1, 1);
		free(name);
	}
	if (!var_get("PATH"))
		var_set("PATH", "/bin:/sbin:/usr/bin", 1);
}

/* A variable's value, or NULL if unset. */
const char *var_get(const char *name)
{
	struct var *v = find(name);
	return v ? v->value : 0;
}

/* Create or change a variable; export 1 also exports it. */
void var_set(const char *name, const char *value, int export)
{
	struct var *v = find(name);
	if (!v) {
		v = xmalloc(sizeof *v);
		v->name = xstrdup(name);
		v->value = 0;
		v->exported = 0;
		v->next = vars;
		vars = v;
	}
	free(v->value);
	v->value = xstrdup(value);
	v->exported |= export;
}

/* Mark a variable exported (created empty-valued if it did not exist, as
   `export NAME` of an unset NAME exports it once it gets a value: here
   it simply gets the empty value). */
void var_export(const char *name)
{
	struct var *v = find(name);
	if (v)
		v->exported = 1;
	else
		var_set(name, "", 1);
}

/* Forget a variable (exported or not). */
void var_unset(const char *name)
{
	for (struct var **p = &vars; *p; p = &(*p)->next) {
		if (!strcmp((*p)->name, name)) {
			struct var *v = *p;
			*p = v->next;
			free(v->name);
			free(v->value);
			free(v);
			return;
		}
	}
}

/* NAME=value strings for execve: assignments first, then exported variables they do not override. */
char **var_environ(char **assigns, int nassigns)
{
	int n = nassigns;
	for (struct var *v = vars; v; v = v->next)
		n += v->exported;
	char **env = xmalloc((n + 1) * sizeof *env);
	int k = 0;
	for (int a = 0; a < nassigns; a++)
		env[k++] = xstrdup(assigns[a]);
	for (struct var *v = vars; v; v = v->next) {
		if (!v->exported)
			continue;
		size_t nl = strlen(v->name);
		int overridden = 0;
		for (int a = 0; a < nassigns; a++)
			overridden |= !strncmp(assigns[a], v->name, nl) && assigns[a][nl] == '=';
		if (overridden)
			continue;
		env[k] = xmalloc(nl + strlen(v->value) + 2);
		sprintf(env[k++], "%s=%s", v->name, v->value);
	}
	env[k] = 0;
	return env;
}

/* Print one value in single quotes, as it would be typed back. */
static void print_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	putchar('\'');
}

/* qsort order for listings: by name. */
static int by_name(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

/* List variables sorted by name, quoted to be typed back. */
void var_print(int exported_only)
{
	int n = 0;
	for (struct var *v = vars; v; v = v->next)
		n++;
	struct var **all = xmalloc((n + 1) * sizeof *all);
	n = 0;
	for (struct var *v = vars; v; v = v->next)
		all[n++] = v;
	qsort(all, n, sizeof *all, by_name);
	for (int k = 0; k < n; k++) {
		if (exported_only && !all[k]->exported)
			continue;
		printf("%s%s=", exported_only ? "export " : "", all[k]->name);
		print_quoted(all[k]->value);
		putchar('\n');
	}
	free(all);
}
