/* fsh, the Forkline shell: declarations shared by its files.

   main.c     options, reading input (the terminal does the line editing),
              the prompt, running a string or a file
   parse.c    text → a tree of lists, and-or lists, pipelines, commands
              (simple, or if/while/until/for/{ } holding lists)
   expand.c   a command's words → argv: quotes, $VAR, $(…), ~, globs
   arith.c    $((arithmetic))
   exec.c     running the tree: fork, pipes, redirections, PATH search,
              exec, and the compound commands' control flow
   jobs.c     process groups, the terminal's foreground, waiting, reporting
   builtins.c cd, exit, export, echo, test, jobs, fg, kill, …
   vars.c     shell variables, the environment, positional parameters

   Words are kept as typed (quotes included) and expanded only when their
   command runs, so `false; echo $?` and `cd /; echo $PWD` see the effect
   of what ran before them. */
#ifndef FSH_H
#define FSH_H
#include <stddef.h>
#include <sys/types.h>

/* ---- the syntax tree (parse.c) ---- */

struct andor;

enum redir_kind {
	R_IN,     /* N<file  (N defaults to 0) */
	R_OUT,    /* N>file  (N defaults to 1) */
	R_APPEND, /* N>>file */
	R_DUP,    /* N>&M, N<&M: make N a copy of M; M "-" closes N */
};

struct redir {
	int fd;
	enum redir_kind kind;
	char *target; /* raw word */
	struct redir *next;
};

enum command_kind {
	C_SIMPLE, /* words (assignments first) and redirections */
	C_IF,     /* if cond; then body; [elif … (orelse, a C_IF) | else … (orelse, a C_GROUP)] fi */
	C_WHILE,  /* while cond; do body; done */
	C_UNTIL,  /* until cond; do body; done */
	C_FOR,    /* for var [in items]; do body; done */
	C_GROUP,  /* { body; } */
};

/* One command of a pipeline; compound ones hold lists. */
struct command {
	enum command_kind kind;
	char **words;
	int nwords;
	struct redir *redirs; /* a compound's come after its closing word */
	struct andor *cond, *body;
	struct command *orelse;
	char *var;
	char **items; /* raw words; NULL without `in`: the positional parameters */
	int nitems;
	struct command *next; /* the next command of its pipeline */
};

enum join { J_FIRST, J_AND, J_OR };

/* Commands joined by |, optionally negated with !. */
struct pipeline {
	struct command *cmds;
	int negate;
	enum join join; /* how it follows the previous pipeline of its and-or list */
	struct pipeline *next;
};

/* Pipelines joined by && and ||; the unit `&` puts in the background. */
struct andor {
	struct pipeline *pipes;
	int background;
	char *text; /* as typed, for job messages */
	struct andor *next;
};

enum parse_result { P_OK, P_INCOMPLETE, P_ERROR };

/* Parse `src` (one or more complete lines). On P_OK *out is the list
   (NULL if there was nothing but blanks and comments); on P_ERROR the
   message has been printed. */
enum parse_result parse(const char *src, struct andor **out);
void free_list(struct andor *l);
/* Index just past the ')' closing a '(' that ends before s[i] (quotes
   skipped); 0 if the text ends first. */
size_t skip_paren(const char *s, size_t i);

/* ---- expansion (expand.c) ---- */

/* Expand words into a NULL-terminated argv (fields split, globs matched). */
char **expand_words(char *const *words, int n, int *argc);
/* Expand one word without field splitting or globbing (redirection
   targets, assignment values); NULL on an error already reported. */
char *expand_word(const char *word);
void free_argv(char **argv);
/* Does `pattern` (with \-escapes) match `name`? */
int glob_match(const char *pattern, const char *name);
/* $((expr)) (arith.c): its value; *ok = 0 after reporting an error. */
long arith_eval(const char *expr, int *ok);

/* ---- running (exec.c) ---- */

int run_list(struct andor *l);
/* Parse and run a whole string, as -c and $(…) do; returns the status. */
int run_string(const char *src);
/* Is word a NAME=value assignment? */
int is_assignment(const char *word);
/* The file `name` resolves to on PATH (malloc'ed), or NULL. */
char *path_search(const char *name);

/* ---- jobs (jobs.c) ---- */

struct job;
/* Set up job control if the shell is interactive (own group, terminal). */
void jobs_init(int interactive);
struct job *job_new(const char *text);
/* Record one forked process of the job; first one's pid is the group. */
void job_add(struct job *j, pid_t pid);
/* The job's process group under job control (0 before its first
   process, or without job control: children then stay in the shell's). */
pid_t job_pgid(const struct job *j);
/* How many processes the job has. */
int job_size(const struct job *j);
/* Is the shell doing job control (own groups, terminal handed over)? */
int job_control_enabled(void);
/* Wait for a foreground job (holding the terminal if interactive);
   returns its status as $? sees it. */
int job_wait_fg(struct job *j);
/* Leave a job running in the background (announced if interactive). */
void job_background(struct job *j);
/* Collect finished children without blocking; report done jobs if asked. */
void jobs_reap(int report);
/* The job `spec` names: %N, %+, %-, %string, or a pid; NULL if none. */
struct job *job_find(const char *spec);
void job_drop(struct job *j);
/* The exit status $? reports for a wait status. */
int status_of(int wstatus);

int builtin_jobs(int argc, char **argv);
int builtin_fg(int argc, char **argv);
int builtin_bg(int argc, char **argv);
int builtin_wait(int argc, char **argv);
int builtin_kill(int argc, char **argv);

/* ---- builtins (builtins.c) ---- */

typedef int (*builtin_fn)(int argc, char **argv);
/* The builtin called `name`, or NULL. */
builtin_fn find_builtin(const char *name);

/* ---- variables (vars.c) ---- */

void vars_init(char **envp);
const char *var_get(const char *name);
/* export: 1 export, 0 keep as it was (new variables are not exported). */
void var_set(const char *name, const char *value, int export);
void var_export(const char *name);
void var_unset(const char *name);
/* The environment for a new program: exported variables, overridden by
   `assigns` (NAME=value strings). Free with free_argv. */
char **var_environ(char **assigns, int nassigns);
/* Print `export NAME='value'` lines (export) or NAME='value' (set). */
void var_print(int exported_only);
int is_name(const char *s, size_t len);

/* ---- the shell's state (main.c) ---- */

struct shell {
	int interactive;  /* a terminal session with job control */
	int last_status;  /* $? */
	pid_t pid;        /* $$ */
	pid_t last_bg;    /* $! */
	int errexit;      /* set -e */
	int xtrace;       /* set -x */
	char *argv0;      /* $0 */
	char **args;      /* $1 … */
	int nargs;
	int exiting;      /* `exit` ran: stop reading input */
	int exit_status;
	int loops;        /* how many loops enclose what runs now */
	int breaking;     /* `break N`: loops still to leave */
	int continuing;   /* `continue N`: loops to leave before the next round */
	int conditions;   /* inside if/while conditions, where set -e does not apply */
};
extern struct shell sh;

/* Report an error as "fsh: …" on stderr. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run a script file in this shell (source, and scripts without #!). */
int run_file(const char *path);
/* malloc that cannot fail (the shell has nothing sensible to do without memory). */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
