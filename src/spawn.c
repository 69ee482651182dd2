/* Purpose: posix_spawn with the discipline hooks need (own session, clean signals, no fd leaks). */
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <spawn.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* Signals the daemon blocks, catches or ignores: the child must not inherit
 * any of that, or a hook could, say, never see SIGPIPE. */
static const int daemon_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD,
				      SIGUSR1, SIGUSR2, SIGQUIT, SIGALRM };

int spawn_hook(char *const argv[], char *const envp[], struct spawned *out)
{
	posix_spawnattr_t attr;
	posix_spawn_file_actions_t fa;
	sigset_t none, defaults;
	int pipefd[2];
	int err;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return errno;
	sigemptyset(&none);
	sigemptyset(&defaults);
	for (size_t i = 0; i < sizeof(daemon_signals) / sizeof(daemon_signals[0]); i++)
		sigaddset(&defaults, daemon_signals[i]);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
						POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawn_file_actions_init(&fa);
	/* Hooks start in /, whether or not the daemon detached. */
	posix_spawn_file_actions_addchdir_np(&fa, "/");
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	/* Everything is O_CLOEXEC already; this also covers fds a library
	 * might have opened without it. */
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	err = posix_spawn(&out->pid, argv[0], &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		return err;
	}
	/* Nobody reaps the child before we ask (SIGCHLD keeps its default), so
	 * the pid cannot be reused between posix_spawn and pidfd_open. */
	out->pidfd = pidfd_open(out->pid, 0);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	out->out_fd = pipefd[0];
	return 0;
}

bool process_group_alive(pid_t pgid)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	bool alive = false;

	if (!proc)
		return true; /* cannot tell: assume the worst, kill as planned */
	while (!alive && (de = readdir(proc))) {
		char path[300], buf[512], state;
		int pgrp;
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		/* "pid (comm) state ppid pgrp": comm may hold spaces and ')'. */
		char *close_paren = strrchr(buf, ')');
		if (close_paren && sscanf(close_paren + 1, " %c %*d %d", &state, &pgrp) == 2)
			alive = pgrp == pgid && state != 'Z' && state != 'X';
	}
	closedir(proc);
	return alive;
}
