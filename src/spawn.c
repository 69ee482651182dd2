/* Purpose: posix_spawn with the discipline hooks need (own session, clean signals, no fd leaks). */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
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
	if (out->pidfd < 0) {
		err = errno;
		kill(-out->pid, SIGKILL);
		waitpid(out->pid, NULL, 0);
		close(pipefd[0]);
		return err;
	}
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	out->out_fd = pipefd[0];
	return 0;
}
