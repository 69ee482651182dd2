/* Purpose: unit tests of spawn_hook: what a started hook gets, and an exec
 * failure reported as an error rather than as a hook that exits 127. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
#include "unit.h"

/* Reads the hook's output to EOF (bounded: the hook is a one-liner). */
static size_t read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (len + 1 < cap && poll(&p, 1, 5000) > 0) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return len;
}

TEST(spawn_gives_own_session_root_cwd_and_clean_signals)
{
	/* $$ is the hook's pid; ps-free checks through /proc/self. */
	char *argv[] = { "/bin/sh", "-c",
			 "echo sid=$(cut -d' ' -f6 /proc/$$/stat) pid=$$ cwd=$(pwd) "
			 "blk=$(sed -n 's/^SigBlk:\t//p' /proc/$$/status) "
			 "ign=$(sed -n 's/^SigIgn:\t//p' /proc/$$/status); read x; echo in=$?",
			 NULL };
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	char out[512], want[128];
	struct spawned sp = { 0 };
	sigset_t pipe_only, saved;
	int status;

	/* The daemon ignores SIGPIPE and blocks signals, and may have been
	 * started with signals ignored (run.sh's background jobs ignore
	 * SIGINT and SIGQUIT, a shell's trap '' others): a hook sees none of it. */
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGTERM);
	sigprocmask(SIG_BLOCK, &pipe_only, &saved);
	signal(SIGPIPE, SIG_IGN);
	CHECK(spawn_hook(argv, envp, NULL, &sp) == 0);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	CHECK(sp.pid > 0);
	read_all(sp.out_fd, out, sizeof(out));
	snprintf(want, sizeof(want), "sid=%d pid=%d cwd=/ blk=0000000000000000 ign=", (int)sp.pid,
		 (int)sp.pid);
	CHECK(strncmp(out, want, strlen(want)) == 0);
	/* Nothing ignored but glibc's internal signals 32 and 33 (bits 31 and
	 * 32), which no sigaction() can reach and glibc's own posix_spawn
	 * sets to ignored: make, for one, starts us that way. */
	{
		const char *ign = strstr(out, "ign=");
		unsigned long long mask = ign ? strtoull(ign + 4, NULL, 16) : ~0ull;

		if ((mask & ~0x180000000ull) != 0 || strncmp(out, want, strlen(want)) != 0)
			fprintf(stderr, "spawn output: %s", out);
		CHECK((mask & ~0x180000000ull) == 0);
	}
	/* stdin is /dev/null: read gets EOF at once. */
	CHECK(strstr(out, "in=1") != NULL);
	CHECK(waitpid(sp.pid, &status, 0) == sp.pid && WIFEXITED(status));
	close(sp.out_fd);
	if (sp.pidfd >= 0)
		close(sp.pidfd);
}

TEST(spawn_reports_an_exec_failure_as_an_error)
{
	char dir[] = "/tmp/ifhookd-spawn-XXXXXX", path[64];
	char *argv[] = { path, NULL };
	char *envp[] = { NULL };
	struct spawned sp = { 0 };
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	/* Executable, but no #! line and no ELF header: execve says ENOEXEC. */
	snprintf(path, sizeof(path), "%s/no-shebang", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0);
	CHECK(write(fd, "echo hi\n", 8) == 8);
	close(fd);
	CHECK(spawn_hook(argv, envp, NULL, &sp) == ENOEXEC);
	CHECK_STR(sp.failed, "execve");
	/* And the child that failed was reaped: no zombie of ours is left. */
	CHECK(waitpid(-1, NULL, WNOHANG) <= 0);
	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK(spawn_hook(argv, envp, NULL, &sp) == ENOENT);
	snprintf(path, sizeof(path), "%s/no-shebang", dir);
	unlink(path);
	rmdir(dir);
}
