/* Purpose: starts hooks with the discipline they need (own session, clean
 * signals, no fd leaks): vfork+execve, or fork+execve as another user. */
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <grp.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Signals the daemon blocks, catches or ignores: the child must not inherit
 * any of that, or a hook could, say, never see SIGPIPE. */
static const int daemon_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD,
				      SIGUSR1, SIGUSR2, SIGQUIT, SIGALRM };

#define N_DAEMON_SIGNALS (sizeof(daemon_signals) / sizeof(daemon_signals[0]))

/* The signals a hook's child resets to SIG_DFL: the daemon's own, and any
 * that it inherited ignored (nohup, a shell's background job: SIGINT,
 * SIGQUIT, SIGTTOU...), found once with one sigaction query per signal. Only
 * the daemon's own code changes dispositions after that, and only those of
 * daemon_signals. */
static int reset_signals[NSIG];
static size_t n_reset_signals;

static void find_signals_to_reset(void)
{
	if (n_reset_signals)
		return;
	for (size_t i = 0; i < N_DAEMON_SIGNALS; i++)
		reset_signals[n_reset_signals++] = daemon_signals[i];
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		bool ours = false;

		for (size_t i = 0; i < N_DAEMON_SIGNALS; i++)
			ours |= daemon_signals[i] == sig;
		/* EINVAL: SIGKILL, SIGSTOP and glibc's internal signals. */
		if (!ours && sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL)
			reset_signals[n_reset_signals++] = sig;
	}
}

/* In a child before execve: every signal default (see reset_signals). */
static void reset_dispositions(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	for (size_t i = 0; i < n_reset_signals; i++)
		sigaction(reset_signals[i], &dfl, NULL);
}

/* What the child of spawn_as reports through its exec pipe when a step fails. */
struct child_error {
	int step; /* index in steps[] */
	int err;
};

static const char *const steps[] = { "execve", "setgroups", "setgid", "setuid" };
enum { STEP_EXEC, STEP_SETGROUPS, STEP_SETGID, STEP_SETUID };

/* Only async-signal-safe calls below: the child of fork. Never returns. */
static _Noreturn void child_fail(int errfd, int step)
{
	struct child_error ce = { .step = step, .err = errno };

	(void)!write(errfd, &ce, sizeof(ce));
	_exit(127);
}

/*
 * posix_spawn cannot change the user or groups of the child (POSIX has only
 * POSIX_SPAWN_RESETIDS, which goes back to the real ids), so a hook with
 * `user =` or `group =` is started with fork and execve instead. The daemon
 * is single-threaded and small, so fork's copy-on-write costs little, and the
 * child only makes async-signal-safe calls. It does what the posix_spawn
 * attributes and file actions of spawn_hook do, in the same order, then sets
 * the groups and the user, last the signal mask, then execve. A failing step
 * is reported through a close-on-exec pipe, as posix_spawn reports execve
 * errors: the caller gets an errno, never a child that silently kept root.
 */
static int spawn_as(char *const argv[], char *const envp[], const struct spawn_ids *ids,
		    int out_fd, struct spawned *out)
{
	struct child_error ce;
	int errpipe[2];
	ssize_t n;
	pid_t pid;

	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		out->failed = "pipe";
		return errno;
	}
	pid = fork();
	if (pid < 0) {
		int err = errno;
		close(errpipe[0]);
		close(errpipe[1]);
		out->failed = "fork";
		return err;
	}
	if (pid == 0) {
		sigset_t none;
		int null, efd = errpipe[1];

		reset_dispositions();
		if (setsid() < 0 || chdir("/") < 0)
			child_fail(efd, STEP_EXEC);
		null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
		    dup2(out_fd, STDERR_FILENO) < 0)
			child_fail(efd, STEP_EXEC);
		/* Like closefrom(3), but the error pipe stays until execve. */
		if (efd > STDERR_FILENO + 1)
			close_range(STDERR_FILENO + 1, (unsigned)efd - 1, 0);
		close_range((unsigned)efd + 1, ~0u, 0);
		if (ids->set_gid) {
			if (setgroups(ids->n_groups, ids->groups) < 0)
				child_fail(efd, STEP_SETGROUPS);
			if (setgid(ids->gid) < 0)
				child_fail(efd, STEP_SETGID);
		}
		if (ids->set_uid) {
			/* As root, setuid sets the real, effective and saved ids
			 * and clears the capabilities. A daemon that is not root
			 * but has CAP_SETUID keeps its capabilities, and its
			 * ambient ones would survive execve: drop them, the hook
			 * is meant to be unprivileged (EINVAL: before Linux 4.3,
			 * which has no ambient set). */
			if (setuid(ids->uid) < 0)
				child_fail(efd, STEP_SETUID);
			if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L) < 0 &&
			    errno != EINVAL)
				child_fail(efd, STEP_SETUID);
		}
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execve(argv[0], argv, envp);
		child_fail(efd, STEP_EXEC);
	}
	close(errpipe[1]);
	do
		n = read(errpipe[0], &ce, sizeof(ce));
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n == (ssize_t)sizeof(ce)) {
		/* The child has exited (or is about to): reap it now, it never
		 * became a hook. */
		waitpid(pid, NULL, 0);
		out->failed = steps[ce.step];
		return ce.err ? ce.err : EIO;
	}
	out->pid = pid;
	return 0;
}

/* The common case, as posix_spawn would do it but cheaper: glibc's child
 * queries and resets every one of the 64 signals, because it cannot know
 * which have handlers; this one knows (reset_signals). vfork: the daemon waits only
 * until the exec, and the child, sharing its memory, can hand back errno.
 * All signals stay blocked until the exec, so no handler of the daemon's can
 * run in the child on memory they share. */
static int spawn_plain(char *const argv[], char *const envp[], int out_fd, struct spawned *out)
{
	volatile int child_err = 0;
	sigset_t all, saved;
	pid_t pid;
	int err;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &saved);
	pid = vfork();
	if (pid == 0) {
		sigset_t none;
		int null;

		reset_dispositions();
		null = open("/dev/null", O_RDONLY);
		if (setsid() < 0 || chdir("/") < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
		    dup2(out_fd, STDOUT_FILENO) < 0 || dup2(out_fd, STDERR_FILENO) < 0)
			goto failed;
		/* Everything is O_CLOEXEC already; this also covers fds a
		 * library might have opened without it. */
		close_range(STDERR_FILENO + 1, ~0u, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execve(argv[0], argv, envp);
failed:
		child_err = errno ? errno : EIO;
		_exit(127);
	}
	err = pid < 0 ? errno : child_err;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (pid < 0)
		out->failed = "fork";
	if (pid > 0 && err) {
		/* It never became a hook: reap it now. */
		waitpid(pid, NULL, 0);
		return err;
	}
	out->pid = pid;
	return err;
}

int spawn_hook(char *const argv[], char *const envp[], const struct spawn_ids *ids,
	       struct spawned *out)
{
	int pipefd[2];
	int err;

	out->failed = "execve";
	find_signals_to_reset();
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		out->failed = "pipe";
		return errno;
	}
	if (ids && (ids->set_uid || ids->set_gid)) {
		err = spawn_as(argv, envp, ids, pipefd[1], out);
		close(pipefd[1]);
		if (err) {
			close(pipefd[0]);
			return err;
		}
		goto started;
	}
	err = spawn_plain(argv, envp, pipefd[1], out);
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		return err;
	}
started:
	/* Nobody reaps the child before we ask (SIGCHLD keeps its default), so
	 * the pid cannot be reused between the spawn and pidfd_open. */
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
