/* Purpose: the one function that starts a hook process. */
#ifndef IFHOOKD_SPAWN_H
#define IFHOOKD_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/* Who a hook runs as. Unset fields keep the daemon's own ids. */
struct spawn_ids {
	bool set_uid, set_gid;
	uid_t uid;
	gid_t gid;      /* the primary group, with set_gid */
	gid_t *groups;  /* the supplementary groups, with set_gid */
	size_t n_groups;
};

struct spawned {
	pid_t pid;  /* also the process group id: the hook leads its own session */
	int pidfd;  /* readable once the hook exits, or -1 where the kernel (before
		     * 5.3) or valgrind has no pidfd_open: then watch SIGCHLD */
	int out_fd; /* read end of the hook's stdout+stderr */
	const char *failed; /* on error, the step that failed: "execve",
			     * "setgroups", "setgid" or "setuid" */
};

/* Starts argv[0] with exactly envp (no shell, no PATH search), in a new
 * session, cwd /, stdin from /dev/null, stdout and stderr into a pipe, an empty
 * signal mask and default dispositions, as the user and groups of ids (NULL:
 * the daemon's). Returns 0, or an errno value (then out->failed says what). */
int spawn_hook(char *const argv[], char *const envp[], const struct spawn_ids *ids,
	       struct spawned *out);

/* Is any process of group pgid alive, zombies aside? (Reads /proc.) */
bool process_group_alive(pid_t pgid);

#endif
