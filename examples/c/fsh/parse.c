/* fsh: the parser. Text becomes a list of and-or lists of pipelines of
   simple commands (fsh.h), following the POSIX shell grammar without its
   compound commands (if, while, for, case, subshells, functions):

     list     := andor ((';' | '&' | newline) andor)*
     andor    := pipeline (('&&' | '||') newline* pipeline)*
     pipeline := ['!'] command ('|' newline* command)*
     command  := (word | [N] redirection-operator word)+

   Words keep their quotes; expansion happens when the command runs. Input
   that stops inside a quote, after a trailing backslash, `|`, `&&` or `||`
   is incomplete: the caller reads another line and tries again. */
#include "fsh.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum token {
	T_WORD, T_IONUM, T_AND_IF, T_OR_IF, T_PIPE, T_AMP, T_SEMI, T_NEWLINE,
	T_LESS, T_GREAT, T_DGREAT, T_LESSAND, T_GREATAND, T_EOF,
};

struct parser {
	const char *s;
	size_t i;          /* scanning position */
	enum token tok;    /* the current token */
	char *word;        /* its text (T_WORD) */
	int ionum;         /* its number (T_IONUM) */
	size_t start;      /* where it starts */
	size_t prev_end;   /* where the previous token ended */
	enum parse_result result;
};

/* Mark the parse as failed (once), saying near what. */
static void syntax_error(struct parser *p, const char *what)
{
	if (p->result != P_OK)
		return;
	p->result = P_ERROR;
	warn("syntax error: %s", what);
}

/* Index just past the ')' matching the '(' before s[i], skipping quoted
   text; 0 if the text ends first. */
size_t skip_paren(const char *s, size_t i)
{
	int depth = 1;
	while (s[i]) {
		char c = s[i++];
		if (c == '\\' && s[i]) {
			i++;
		} else if (c == '\'') {
			while (s[i] && s[i] != '\'')
				i++;
			if (!s[i++])
				return 0;
		} else if (c == '"') {
			while (s[i] && s[i] != '"')
				i += s[i] == '\\' && s[i + 1] ? 2 : 1;
			if (!s[i++])
				return 0;
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && --depth == 0) {
			return i;
		}
	}
	return 0;
}

/* Scan a word starting at p->i, keeping it as typed. */
static void scan_word(struct parser *p)
{
	const char *s = p->s;
	size_t i = p->i;
	for (;;) {
		char c = s[i];
		if (!c || strchr(" \t\n;&|<>()", c))
			break;
		if (c == '\\') {
			if (!s[i + 1]) {
				p->result = P_INCOMPLETE;
				break;
			}
			i += 2;
		} else if (c == '\'') {
			const char *q = strchr(s + i + 1, '\'');
			if (!q) {
				p->result = P_INCOMPLETE;
				break;
			}
			i = (size_t)(q - s) + 1;
		} else if (c == '"') {
			i++;
			while (s[i] && s[i] != '"') {
				if (s[i] == '\\' && s[i + 1])
					i += 2;
				else if (s[i] == '$' && s[i + 1] == '(') {
					size_t e = skip_paren(s, i + 2);
					if (!e)
						break;
					i = e;
				} else
					i++;
			}
			if (s[i] != '"') {
				p->result = P_INCOMPLETE;
				break;
			}
			i++;
		} else if (c == '$' && s[i + 1] == '(') {
			size_t e = skip_paren(s, i + 2);
			if (!e) {
				p->result = P_INCOMPLETE;
				break;
			}
			i = e;
		} else if (c == '$' && s[i + 1] == '{') {
			const char *q = strchr(s + i, '}');
			if (!q) {
				p->result = P_INCOMPLETE;
				break;
			}
			i = (size_t)(q - s) + 1;
		} else {
			i++;
		}
	}
	p->word = xstrndup(s + p->i, i - p->i);
	p->i = i;
}

/* Advance to the next token. */
static void next(struct parser *p)
{
	const char *s = p->s;
	p->prev_end = p->i;
	free(p->word);
	p->word = 0;
	for (;;) {
		while (s[p->i] == ' ' || s[p->i] == '\t')
			p->i++;
		if (s[p->i] == '\\' && s[p->i + 1] == '\n')
			p->i += 2; /* a line continued between words */
		else if (s[p->i] == '#')
			while (s[p->i] && s[p->i] != '\n')
				p->i++;
		else
			break;
	}
	p->start = p->i;
	const char *c = s + p->i;
	size_t len = 1;
	if (!*c) {
		p->tok = T_EOF;
		len = 0;
	} else if (*c == '\n') {
		p->tok = T_NEWLINE;
	} else if (*c == '&') {
		p->tok = c[1] == '&' ? (len = 2, T_AND_IF) : T_AMP;
	} else if (*c == '|') {
		p->tok = c[1] == '|' ? (len = 2, T_OR_IF) : T_PIPE;
	} else if (*c == ';') {
		p->tok = T_SEMI;
	} else if (*c == '<') {
		if (c[1] == '<') {
			syntax_error(p, "here-documents (<<) are not supported");
			p->tok = T_EOF;
			return;
		}
		p->tok = c[1] == '&' ? (len = 2, T_LESSAND) : T_LESS;
	} else if (*c == '>') {
		if (c[1] == '>')
			p->tok = T_DGREAT, len = 2;
		else if (c[1] == '&')
			p->tok = T_GREATAND, len = 2;
		else
			p->tok = T_GREAT, len = c[1] == '|' ? 2 : 1;
	} else if (*c == '(' || *c == ')') {
		syntax_error(p, "subshells ( … ) are not supported");
		p->tok = T_EOF;
		return;
	} else {
		size_t d = 0;
		while (isdigit((unsigned char)c[d]))
			d++;
		if (d && d < 4 && (c[d] == '<' || c[d] == '>')) {
			p->tok = T_IONUM;
			p->ionum = atoi(c);
			p->i += d;
			return;
		}
		p->tok = T_WORD;
		scan_word(p);
		return;
	}
	p->i += len;
}

/* Skip newlines (allowed after |, && and ||); end of text there means the
   user has more to type. */
static void skip_newlines(struct parser *p)
{
	while (p->tok == T_NEWLINE)
		next(p);
	if (p->tok == T_EOF && p->result == P_OK)
		p->result = P_INCOMPLETE;
}

/* < > >> <& >& (a number before one is a T_IONUM). */
static int is_redir_op(enum token t)
{
	return t == T_LESS || t == T_GREAT || t == T_DGREAT || t == T_LESSAND || t == T_GREATAND;
}

/* A redirection: [N] op word, the current token being N or op. */
static struct redir *parse_redir(struct parser *p)
{
	struct redir *r = xmalloc(sizeof *r);
	int fd = -1;
	if (p->tok == T_IONUM) {
		fd = p->ionum;
		next(p);
	}
	switch (p->tok) {
	case T_LESS: r->kind = R_IN; break;
	case T_GREAT: r->kind = R_OUT; break;
	case T_DGREAT: r->kind = R_APPEND; break;
	default: r->kind = R_DUP; break;
	}
	r->fd = fd >= 0 ? fd : (p->tok == T_LESS || p->tok == T_LESSAND) ? 0 : 1;
	r->next = 0;
	next(p);
	if (p->tok != T_WORD) {
		syntax_error(p, "a redirection needs a file name");
		r->target = xstrdup("");
		return r;
	}
	r->target = p->word;
	p->word = 0;
	next(p);
	return r;
}

/* A simple command: words and redirections, in any order. */
static struct command *parse_command(struct parser *p)
{
	struct command *c = xmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	struct redir **rtail = &c->redirs;
	for (;;) {
		if (p->tok == T_WORD) {
			c->words = xrealloc(c->words, (c->nwords + 2) * sizeof *c->words);
			c->words[c->nwords++] = p->word;
			c->words[c->nwords] = 0;
			p->word = 0;
			next(p);
		} else if (p->tok == T_IONUM || is_redir_op(p->tok)) {
			*rtail = parse_redir(p);
			rtail = &(*rtail)->next;
		} else {
			break;
		}
		if (p->result != P_OK)
			break;
	}
	if (!c->nwords && !c->redirs && p->result == P_OK)
		syntax_error(p, p->tok == T_EOF ? "a command is missing" : "unexpected operator");
	return c;
}

/* [!] command | command … */
static struct pipeline *parse_pipeline(struct parser *p, enum join join)
{
	struct pipeline *pl = xmalloc(sizeof *pl);
	memset(pl, 0, sizeof *pl);
	pl->join = join;
	if (p->tok == T_WORD && strcmp(p->word, "!") == 0) {
		pl->negate = 1;
		next(p);
	}
	struct command **tail = &pl->cmds;
	for (;;) {
		*tail = parse_command(p);
		tail = &(*tail)->next;
		if (p->result != P_OK || p->tok != T_PIPE)
			break;
		next(p);
		skip_newlines(p);
		if (p->result != P_OK)
			break;
	}
	return pl;
}

/* pipeline && pipeline || … */
static struct andor *parse_andor(struct parser *p)
{
	struct andor *a = xmalloc(sizeof *a);
	memset(a, 0, sizeof *a);
	size_t start = p->start;
	struct pipeline **tail = &a->pipes;
	enum join join = J_FIRST;
	for (;;) {
		*tail = parse_pipeline(p, join);
		tail = &(*tail)->next;
		if (p->result != P_OK || (p->tok != T_AND_IF && p->tok != T_OR_IF))
			break;
		join = p->tok == T_AND_IF ? J_AND : J_OR;
		next(p);
		skip_newlines(p);
		if (p->result != P_OK)
			break;
	}
	size_t end = p->prev_end;
	while (end > start && strchr(" \t\n", p->s[end - 1]))
		end--;
	a->text = xstrndup(p->s + start, end - start);
	return a;
}

/* list := andor ((; | & | newline) andor)* */
enum parse_result parse(const char *src, struct andor **out)
{
	struct parser p = {.s = src, .result = P_OK};
	struct andor *list = 0, **tail = &list;
	next(&p);
	while (p.result == P_OK) {
		while (p.tok == T_NEWLINE)
			next(&p);
		if (p.tok == T_EOF)
			break;
		struct andor *a = parse_andor(&p);
		*tail = a;
		tail = &a->next;
		if (p.result != P_OK)
			break;
		if (p.tok == T_AMP || p.tok == T_SEMI) {
			a->background = p.tok == T_AMP;
			next(&p);
		} else if (p.tok != T_NEWLINE && p.tok != T_EOF) {
			syntax_error(&p, "unexpected operator");
		}
	}
	free(p.word);
	if (p.result != P_OK) {
		free_list(list);
		list = 0;
	}
	*out = list;
	return p.result;
}

/* Free a parsed list and everything in it. */
void free_list(struct andor *l)
{
	while (l) {
		struct andor *next_a = l->next;
		for (struct pipeline *p = l->pipes, *np; p; p = np) {
			np = p->next;
			for (struct command *c = p->cmds, *nc; c; c = nc) {
				nc = c->next;
				free_argv(c->words);
				for (struct redir *r = c->redirs, *nr; r; r = nr) {
					nr = r->next;
					free(r->target);
					free(r);
				}
				free(c);
			}
			free(p);
		}
		free(l->text);
		free(l);
		l = next_a;
	}
}
