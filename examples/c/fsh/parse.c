/* fsh: the parser. Text becomes a list of and-or lists of pipelines of
   commands (fsh.h), following the POSIX shell grammar less case,
   subshells and functions:

     list     := andor ((';' | '&' | newline) andor)*
     andor    := pipeline (('&&' | '||') newline* pipeline)*
     pipeline := ['!'] command ('|' newline* command)*
     command  := (word | [N] redirection-operator word)+
               | compound redirection*
     compound := if list then list (elif list then list)* [else list] fi
               | while list do list done | until list do list done
               | for NAME [in word*] (';' | newline) do list done
               | '{' list '}'

   Reserved words (if then else elif fi while until for in do done { })
   count only where a command may start, and unquoted.

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

static struct andor *parse_list(struct parser *p, const char *const *stops);

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

/* Is the current token the unquoted word w? */
static int at_word(struct parser *p, const char *w)
{
	return p->tok == T_WORD && !strcmp(p->word, w);
}

/* Consume the reserved word w that must come now; end of text there means
   the user has more to type. */
static void expect_word(struct parser *p, const char *w)
{
	if (at_word(p, w))
		next(p);
	else if (p->tok == T_EOF && p->result == P_OK)
		p->result = P_INCOMPLETE;
	else if (p->result == P_OK) {
		char msg[64];
		snprintf(msg, sizeof msg, "`%s' expected", w);
		syntax_error(p, msg);
	}
}

/* A list that must not be empty, up to one of `stops`. */
static struct andor *parse_part(struct parser *p, const char *const *stops)
{
	struct andor *l = parse_list(p, stops);
	if (!l && p->result == P_OK) {
		if (p->tok == T_EOF)
			p->result = P_INCOMPLETE;
		else
			syntax_error(p, "a command is missing");
	}
	return l;
}

/* After `if` or `elif`: cond then body, and what follows. */
static void parse_if(struct parser *p, struct command *c)
{
	static const char *const then[] = {"then", 0}, *const rest[] = {"elif", "else", "fi", 0};
	static const char *const fi[] = {"fi", 0};
	c->kind = C_IF;
	c->cond = parse_part(p, then);
	expect_word(p, "then");
	if (p->result == P_OK)
		c->body = parse_part(p, rest);
	if (p->result != P_OK)
		return;
	if (at_word(p, "elif")) {
		next(p);
		c->orelse = xmalloc(sizeof *c->orelse);
		memset(c->orelse, 0, sizeof *c->orelse);
		parse_if(p, c->orelse); /* it consumes the one `fi` */
		return;
	}
	if (at_word(p, "else")) {
		next(p);
		c->orelse = xmalloc(sizeof *c->orelse);
		memset(c->orelse, 0, sizeof *c->orelse);
		c->orelse->kind = C_GROUP;
		c->orelse->body = parse_part(p, fi);
	}
	expect_word(p, "fi");
}

/* do list done, the body of every loop. */
static void parse_do(struct parser *p, struct command *c)
{
	static const char *const done[] = {"done", 0};
	while (p->tok == T_NEWLINE)
		next(p);
	expect_word(p, "do");
	if (p->result == P_OK)
		c->body = parse_part(p, done);
	expect_word(p, "done");
}

/* After `for`: NAME [in WORD…] (; or newline) do … done. */
static void parse_for(struct parser *p, struct command *c)
{
	c->kind = C_FOR;
	if (p->tok != T_WORD || !is_name(p->word, strlen(p->word))) {
		syntax_error(p, "for needs a variable name");
		return;
	}
	c->var = p->word;
	p->word = 0;
	next(p);
	while (p->tok == T_NEWLINE)
		next(p);
	if (at_word(p, "in")) {
		next(p);
		c->items = xmalloc(sizeof *c->items);
		c->items[0] = 0;
		while (p->tok == T_WORD) {
			c->items = xrealloc(c->items, (c->nitems + 2) * sizeof *c->items);
			c->items[c->nitems++] = p->word;
			c->items[c->nitems] = 0;
			p->word = 0;
			next(p);
		}
	}
	if (p->tok == T_SEMI)
		next(p);
	parse_do(p, c);
}

/* A compound command, the current token being its first word. */
static void parse_compound(struct parser *p, struct command *c)
{
	static const char *const do_[] = {"do", 0}, *const brace[] = {"}", 0};
	char *first = p->word;
	p->word = 0;
	next(p);
	if (!strcmp(first, "if")) {
		parse_if(p, c);
	} else if (!strcmp(first, "while") || !strcmp(first, "until")) {
		c->kind = first[0] == 'w' ? C_WHILE : C_UNTIL;
		c->cond = parse_part(p, do_);
		if (p->result == P_OK)
			parse_do(p, c);
	} else if (!strcmp(first, "for")) {
		parse_for(p, c);
	} else {
		c->kind = C_GROUP;
		c->body = parse_part(p, brace);
		expect_word(p, "}");
	}
	free(first);
}

/* A command: a compound one (and its redirections), or words and
   redirections in any order. */
static struct command *parse_command(struct parser *p)
{
	static const char *const openers[] = {"if", "while", "until", "for", "{", 0};
	static const char *const closers[] = {"then", "elif", "else", "fi", "do", "done", "}", "in", 0};
	struct command *c = xmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	struct redir **rtail = &c->redirs;
	for (int k = 0; p->tok == T_WORD && closers[k]; k++)
		if (at_word(p, closers[k])) {
			char msg[64];
			snprintf(msg, sizeof msg, "unexpected `%s'", closers[k]);
			syntax_error(p, msg);
			return c;
		}
	for (int k = 0; p->tok == T_WORD && openers[k]; k++)
		if (at_word(p, openers[k])) {
			parse_compound(p, c);
			while (p->result == P_OK && (p->tok == T_IONUM || is_redir_op(p->tok))) {
				*rtail = parse_redir(p);
				rtail = &(*rtail)->next;
			}
			if (p->result == P_OK && p->tok == T_WORD)
				syntax_error(p, "unexpected word after a compound command");
			return c;
		}
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

/* Is the current token one of `stops` (NULL: none)? */
static int at_stop(struct parser *p, const char *const *stops)
{
	for (; stops && *stops; stops++)
		if (at_word(p, *stops))
			return 1;
	return 0;
}

/* list := andor ((; | & | newline) andor)*, up to the end of the text or
   to one of `stops` where a command would start. */
static struct andor *parse_list(struct parser *p, const char *const *stops)
{
	struct andor *list = 0, **tail = &list;
	while (p->result == P_OK) {
		while (p->tok == T_NEWLINE)
			next(p);
		if (p->tok == T_EOF || at_stop(p, stops))
			break;
		struct andor *a = parse_andor(p);
		*tail = a;
		tail = &a->next;
		if (p->result != P_OK)
			break;
		if (p->tok == T_AMP || p->tok == T_SEMI) {
			a->background = p->tok == T_AMP;
			next(p);
		} else if (p->tok != T_NEWLINE && p->tok != T_EOF && !at_stop(p, stops)) {
			syntax_error(p, "unexpected operator");
		}
	}
	return list;
}

enum parse_result parse(const char *src, struct andor **out)
{
	struct parser p = {.s = src, .result = P_OK};
	next(&p);
	struct andor *list = parse_list(&p, 0);
	free(p.word);
	if (p.result != P_OK) {
		free_list(list);
		list = 0;
	}
	*out = list;
	return p.result;
}

/* Free one command, compound parts included. */
static void free_command(struct command *c)
{
	if (!c)
		return;
	free_argv(c->words);
	for (struct redir *r = c->redirs, *nr; r; r = nr) {
		nr = r->next;
		free(r->target);
		free(r);
	}
	free_list(c->cond);
	free_list(c->body);
	free_command(c->orelse);
	free(c->var);
	free_argv(c->items);
	free(c);
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
				free_command(c);
			}
			free(p);
		}
		free(l->text);
		free(l);
		l = next_a;
	}
}
