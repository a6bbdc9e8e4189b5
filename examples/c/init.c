/* init: Forkline's /sbin/init, the first program the kernel runs when no
   init= is given (kernel_init tries /sbin/init, /etc/init, /bin/init,
   /bin/sh, /init). It mounts nothing (/proc and /dev are always there).

   1. It runs the boot demo, `/bin/fsh /etc/rc`, unless the word `nodemo`
      was passed to init (kernel command line `-- nodemo`; also read from
      /proc/cmdline when the kernel has one). ^C skips the rest of it.
   2. It starts the shell, /bin/fsh, on the console. Each of these runs in a
      session of its own with the console as its controlling terminal
      (setsid + TIOCSCTTY), so that the shell can do job control and ^C
      reaches whatever runs in the foreground, never init.
   3. When the shell exits (`exit`, ^D) the machine powers off; when it is
      killed, a new one starts. `poweroff` (SIGUSR2, as busybox's init
      takes it) or SIGTERM power off too: init ends every process, syncs
      and calls reboot(RB_POWER_OFF); if that fails it exits, and the
      kernel powers off when init exits.

   As pid 1 it is also the parent of every orphan; it reaps them whenever
   it waits. The word `poweroff` powers off right after the demo (for
   tests and unattended runs). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t poweroff_requested;

/* Remember a power-off request (poweroff sends SIGUSR2; SIGTERM too). */
static void on_poweroff(int sig)
{
	poweroff_requested = sig;
}

/* Is `word` among init's arguments or on /proc/cmdline (if it exists)? */
static int has_word(int argc, char **argv, const char *word)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], word))
			return 1;
	char line[4096];
	FILE *f = fopen("/proc/cmdline", "r");
	if (!f)
		return 0;
	int found = 0;
	if (fgets(line, sizeof line, f))
		for (char *w = strtok(line, " \t\n"); w && !found; w = strtok(0, " \t\n"))
			found = !strcmp(w, word);
	fclose(f);
	return found;
}

/* Start `argv` in a new session that owns the console; its pid. */
static pid_t spawn_session(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		if (ioctl(0, TIOCSCTTY, 1) < 0)
			fprintf(stderr, "init: %s gets no controlling terminal: %s\n", argv[0],
				strerror(errno));
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, 0);
		signal(SIGUSR2, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL); /* ignored by init; ^C must reach the session */
		execv(argv[0], argv);
		fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

/* Wait for `pid`, reaping any orphan that ends meanwhile; its wait status,
   or -1 if a power-off request came first. */
static int wait_for(pid_t pid)
{
	for (;;) {
		int status;
		pid_t r = waitpid(-1, &status, 0);
		if (r == pid)
			return status;
		if (r < 0 && errno == EINTR && poweroff_requested)
			return -1;
		if (r < 0 && errno == ECHILD)
			return 0;
	}
}

/* Sleep for ms milliseconds. */
static void pause_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	nanosleep(&t, 0);
}

/* End every other process (SIGTERM, a moment's grace, SIGKILL), reap
   them, and power off with reboot(2); should that fail (not allowed),
   return: init's exit powers the machine off too. */
static int shutdown(void)
{
	printf("init: stopping all processes\n");
	fflush(stdout);
	kill(-1, SIGTERM);
	for (int i = 0; i < 20 && waitpid(-1, 0, WNOHANG) >= 0; i++)
		pause_ms(25);
	kill(-1, SIGKILL);
	while (waitpid(-1, 0, 0) > 0)
		;
	printf("init: powering off\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	perror("init: reboot(RB_POWER_OFF)");
	return 0;
}

/* The demo, then the shell, for as long as it should run. */
int main(int argc, char **argv)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_poweroff; /* no SA_RESTART: a request ends waitpid */
	sigaction(SIGUSR2, &sa, 0);
	sigaction(SIGTERM, &sa, 0);
	signal(SIGINT, SIG_IGN); /* Linux sends init SIGINT for ctrl-alt-del */
	setenv("PATH", "/bin:/sbin", 1);
	setenv("HOME", "/", 1);
	setenv("SHELL", "/bin/fsh", 1);
	if (chdir("/") < 0)
		perror("init: chdir /");
	if (getpid() != 1)
		fprintf(stderr, "init: not pid 1 (%d): orphans will not come here\n", getpid());

	if (!has_word(argc, argv, "nodemo") && access("/etc/rc", R_OK) == 0) {
		char *rc[] = {"/bin/fsh", "/etc/rc", 0};
		pid_t pid = spawn_session(rc);
		int status = pid > 0 ? wait_for(pid) : 0;
		if (status > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGINT)
			printf("\ninit: demo interrupted\n");
	}
	if (has_word(argc, argv, "poweroff"))
		return shutdown();

	time_t last_start = 0;
	int quick_deaths = 0;
	while (!poweroff_requested) {
		char *shell[] = {"/bin/fsh", 0};
		last_start = time(0);
		pid_t pid = spawn_session(shell);
		int status = pid > 0 ? wait_for(pid) : -1;
		if (status < 0 || poweroff_requested)
			break;
		if (WIFEXITED(status)) {
			printf("init: the shell exited with status %d\n", WEXITSTATUS(status));
			break;
		}
		printf("init: the shell was killed by signal %d (%s); starting a new one\n",
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
		quick_deaths = time(0) - last_start < 2 ? quick_deaths + 1 : 0;
		if (quick_deaths >= 5) {
			printf("init: the shell keeps dying; giving up\n");
			break;
		}
	}
	return shutdown();
}
