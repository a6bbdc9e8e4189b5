/* elf-corpus — proves that execve of broken ELF files (truncated,
 * corrupted, wrong machine or class, absurd or overlapping segments, huge
 * program-header counts, bad interpreters…) fails cleanly with the errno
 * Linux gives, and that the system carries on. The files and their
 * expected errnos come from kernel/libs/binfmt's malformed_cases, written
 * into /usr/share/forkline/elf-corpus/{64,32}/ with an INDEX by
 * `cargo xtask build`. Usage: elf-corpus 64|32.
 * On Linux some of these files are accepted (Forkline checks segment order
 * and file bounds more strictly) and then crash: there the test only
 * requires that every attempt ends and the valid program runs.
 */
#include "t.h"

int main(int argc, char **argv)
{
	const char *class = argc > 1 ? argv[1] : "64";
	int forkline = t_is_forkline();
	const char *root = getenv("FORKLINE_TEST_ROOT");
	char dir[512], path[1024];
	snprintf(dir, sizeof dir, "%s/usr/share/forkline/elf-corpus/%s", root ? root : "", class);
	snprintf(path, sizeof path, "%s/INDEX", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		t_die("open %s", path);
	char line[256];
	int cases = 0;
	while (fgets(line, sizeof line, f)) {
		char name[128];
		int want;
		if (line[0] == '#' || sscanf(line, "%127s %d", name, &want) != 2)
			continue;
		cases++;
		snprintf(path, sizeof path, "%s/%s", dir, name);
		fflush(stdout);
		pid_t c = fork();
		if (c < 0)
			t_die("fork");
		if (c == 0) {
			char *args[] = { path, NULL }, *env[] = { NULL };
			execve(path, args, env);
			_exit(errno < 256 ? errno : 255);
		}
		int st;
		if (waitpid(c, &st, 0) != c)
			t_die("waitpid");
		char what[256];
		snprintf(what, sizeof what, "exec %s/%s -> %s", class, name, want ? errname(want) : "runs, exit 0");
		if (forkline || want == 0)
			t_check(WIFEXITED(st) && WEXITSTATUS(st) == want, what, "got %s %d",
				WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		else
			t_ok(WIFEXITED(st) || WIFSIGNALED(st), "exec of a broken ELF ends (Linux)");
	}
	fclose(f);
	t_ok(cases > 20, "the corpus has its cases");
	t_eq(syscall(SYS_getpid), getpid(), "still running after every broken ELF");
	printf("%d files tried\n", cases);
	return t_done();
}
