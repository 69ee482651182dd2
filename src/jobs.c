/* Purpose: per-interface hook queues, process groups, timeouts and hook output logging. */
#include "jobs.h"

#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hookq.h"
#include "log.h"
#include "once.h"
#include "spawn.h"
#include "trust.h"
#include "watch.h"
#include "xalloc.h"

#define KILL_GRACE_MS 5000
#define GROUP_RECHECK_MS 50
#define LINGER_PRUNE_AT 64
#define OUTPUT_LINE_MAX 1024
/* What one hook may put in the log; the rest is read and discarded, so a
 * hook printing megabytes neither blocks nor floods. */
#define OUTPUT_CAP (64 * 1024)

/* A started hook. It outlives its slot: after the leader exits it may still
 * own a pipe (a background child holds it) or a pending group kill. The
 * leader is reaped only when the record goes, so its pid, which is also the
 * process group id, cannot be reused while we might still signal the group. */
struct run {
	struct run *next;
	struct jobs *j;
	struct hookq *q; /* NULL once the leader exited */
	struct watch pid_w, out_w;
	char *name;
	char *who; /* "hook=PATH [rule=NAME]": the first key=value fields */
	char *ctx; /* "event=E iface=I seq=N": the last ones */
	pid_t pid;
	uint64_t started_ms, deadline_ms, kill_ms;
	uint64_t recheck_ms; /* look again whether the group is gone */
	bool reaped;         /* the leader's zombie is gone */
	bool lingering;      /* reaped, but its background children live on */
	bool exited, timed_out;
	bool dead; /* freed after the current epoll batch, which may still name it */
	size_t line_len;
	size_t logged; /* bytes of output logged so far, up to OUTPUT_CAP */
	char line[OUTPUT_LINE_MAX + 1];
};

struct jobs {
	int epfd;
	unsigned max_jobs, timeout_s;
	bool stopping;
	struct hookqs qs;
	uint64_t next_delayed_ms;
	struct run *runs;
	struct run *graveyard;
	size_t n_lingering;
	size_t n_running;
	uint64_t started, failed, timed_out, spawn_errors, refused;
	struct once refusals_logged;
	jobs_dry_run_fn dry_run; /* set: hooks are shown to it, never started */
	void *dry_ctx;
};

/* Bound per interface: coalescing keeps one waiting event per link state,
 * address and route, so only a flood of distinct routes can reach it. */
#define MAX_PENDING_PER_QUEUE 4096

struct jobs *jobs_new(int epfd, unsigned max_jobs, unsigned timeout_s)
{
	struct jobs *j = xcalloc(1, sizeof(*j));

	j->epfd = epfd;
	hookqs_init(&j->qs, MAX_PENDING_PER_QUEUE);
	jobs_set_limits(j, max_jobs, timeout_s);
	return j;
}

void jobs_set_limits(struct jobs *j, unsigned max_jobs, unsigned timeout_s)
{
	j->max_jobs = max_jobs ? max_jobs : 1;
	j->timeout_s = timeout_s ? timeout_s : 1;
}


/* ---------- output ---------- */

static void log_line(struct run *r)
{
	char safe[OUTPUT_LINE_MAX * 4 + 1];

	r->line[r->line_len] = '\0';
	if (r->logged < OUTPUT_CAP)
		log_info("%s[%d]: %s", r->name, (int)r->pid, log_safe_n(r->line, r->line_len, safe, sizeof(safe)));
	r->logged += r->line_len + 1;
	if (r->logged >= OUTPUT_CAP && r->logged - r->line_len - 1 < OUTPUT_CAP)
		log_warnx("hook %s[%d]: more than %d KiB of output; discarding the rest %s pid=%d "
			  "%s",
			  r->name, (int)r->pid, OUTPUT_CAP / 1024, r->who, (int)r->pid, r->ctx);
	r->line_len = 0;
}

static void run_maybe_free(struct run *r);

static void close_output(struct run *r)
{
	if (r->line_len)
		log_line(r);
	if (r->out_w.fd >= 0) {
		int fd = r->out_w.fd;
		watch_del(r->j->epfd, &r->out_w);
		close(fd);
	}
}

static void read_output(struct run *r)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(r->out_w.fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			close_output(r);
			return;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				log_line(r);
				continue;
			}
			r->line[r->line_len++] = buf[i];
			if (r->line_len == OUTPUT_LINE_MAX)
				log_line(r); /* a very long line is logged in pieces */
		}
	}
}

static void on_output(struct watch *w, uint32_t events)
{
	struct run *r = (struct run *)((char *)w - offsetof(struct run, out_w));

	(void)events;
	if (r->dead || r->out_w.fd < 0)
		return;
	read_output(r);
	run_maybe_free(r);
}

/* ---------- exit ---------- */

static void log_exit(struct run *r, const siginfo_t *si)
{
	struct jobs *j = r->j;
	unsigned long long ms = mono_ms() - r->started_ms;

	if (si->si_code == CLD_EXITED) {
		if (si->si_status == 0) {
			log_debug("hook %s[%d] exited with status 0 %s pid=%d status=0 ms=%llu %s",
				  r->name, (int)r->pid, r->who, (int)r->pid, ms, r->ctx);
			return;
		}
		j->failed++;
		log_info("hook %s[%d] exited with status %d %s pid=%d status=%d ms=%llu %s", r->name,
			 (int)r->pid, si->si_status, r->who, (int)r->pid, si->si_status, ms, r->ctx);
	} else {
		const char *sig = sigabbrev_np(si->si_status) ? sigabbrev_np(si->si_status) : "?";

		j->failed++;
		log_info("hook %s[%d] killed by signal %d (SIG%s) %s pid=%d signal=%d ms=%llu%s %s",
			 r->name, (int)r->pid, si->si_status, sig, r->who, (int)r->pid,
			 si->si_status, ms, r->timed_out ? " timed_out=yes" : "", r->ctx);
	}
}

static void release_slot(struct run *r)
{
	struct jobs *j = r->j;

	if (!r->q)
		return;
	hookqs_done(&j->qs, r->q);
	r->q = NULL;
	j->n_running--;
}

static void check_exit(struct run *r)
{
	struct jobs *j = r->j;
	siginfo_t si = { 0 };

	if (r->dead || r->exited)
		return;
	/* WNOWAIT: learn the status but leave the zombie, so the process group
	 * id stays ours until any pending group kill is done. */
	if (waitid(P_PID, (id_t)r->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
		return;
	if (r->pid_w.fd >= 0) {
		int fd = r->pid_w.fd;
		watch_del(j->epfd, &r->pid_w);
		close(fd);
	}
	if (r->out_w.fd >= 0)
		read_output(r); /* log what it printed before its exit line */
	r->exited = true;
	log_exit(r, &si);
	release_slot(r);
	run_maybe_free(r); /* the next hook starts from the main loop */
}

static void on_exit_ready(struct watch *w, uint32_t events)
{
	(void)events;
	check_exit((struct run *)((char *)w - offsetof(struct run, pid_w)));
}

void jobs_child_exited(struct jobs *j)
{
	/* Only runs without a pidfd (kernel before 5.3, or valgrind) wait for
	 * SIGCHLD; the others learn of their exit from the pidfd. */
	for (struct run *r = j->runs, *next; r; r = next) {
		next = r->next;
		if (r->pid_w.fd < 0)
			check_exit(r);
	}
}

static void unlink_and_bury(struct run *r)
{
	struct jobs *j = r->j;

	for (struct run **pp = &j->runs; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	if (r->lingering)
		j->n_lingering--;
	r->dead = true;
	r->next = j->graveyard;
	j->graveyard = r;
}

static void end_group(struct run *r, uint64_t now_ms)
{
	kill(-r->pid, SIGTERM);
	r->kill_ms = now_ms + KILL_GRACE_MS;
	r->recheck_ms = now_ms + GROUP_RECHECK_MS;
}

/* Forgets lingering groups that have ended since. */
static void prune_lingering(struct jobs *j)
{
	for (struct run *r = j->runs, *next; r; r = next) {
		next = r->next;
		if (r->lingering && !r->kill_ms && kill(-r->pid, 0) != 0)
			unlink_and_bury(r);
	}
}

static void run_maybe_free(struct run *r)
{
	struct jobs *j = r->j;

	if (!r->exited || r->out_w.fd >= 0)
		return;
	/* A pending group kill matters only while something in the group,
	 * other than the zombie leader we keep, is still alive. A member that
	 * is dying is not a zombie yet: look again soon, not at the grace end. */
	if (r->kill_ms) {
		if (process_group_alive(r->pid)) {
			r->recheck_ms = mono_ms() + GROUP_RECHECK_MS;
			return;
		}
		r->kill_ms = 0;
	}
	if (!r->reaped) {
		waitpid(r->pid, NULL, 0); /* reap the zombie kept by WNOWAIT */
		r->reaped = true;
		/* Background children that let go of the output (">/dev/null &")
		 * outlive their hook. Their group is remembered so that shutdown
		 * ends it instead of orphaning it; the group id cannot be reused
		 * while any member lives. */
		if (kill(-r->pid, 0) == 0) {
			r->lingering = true;
			if (++j->n_lingering > LINGER_PRUNE_AT)
				prune_lingering(j);
			if (j->stopping)
				end_group(r, mono_ms());
			return;
		}
	}
	unlink_and_bury(r);
}

static void bury(struct jobs *j)
{
	while (j->graveyard) {
		struct run *r = j->graveyard;
		j->graveyard = r->next;
		free(r->name);
		free(r->who);
		free(r->ctx);
		free(r);
	}
}

/* ---------- starting ---------- */

/* The value of NAME in envp, "" if unset. */
static const char *env_value(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return "";
}

/* The key=value tail of the lines about a hook (ifhookd(8), LOGGING): who
 * ("hook=PATH", plus "rule=NAME" for a rule's command) and which event
 * ("event=E iface=I seq=N", as the hook's own environment says). */
static void hook_fields(const struct hook_spec *s, char **who, char **ctx)
{
	char path[1024], rule[512], iface[IF_NAMESIZE * 4 + 1];

	log_field(s->argv[0], path, sizeof(path));
	if (s->rule)
		*who = xasprintf("hook=%s rule=%s", path, log_field(s->rule, rule, sizeof(rule)));
	else
		*who = xasprintf("hook=%s", path);
	*ctx = xasprintf("event=%s iface=%s seq=%s", env_value(s->envp, "EVENT"),
			 log_field(env_value(s->envp, "IFACE"), iface, sizeof(iface)),
			 env_value(s->envp, "EVENT_SEQ"));
}

/* Checked as late as can be, right before the spawn, rather than when the
 * event came: the file may have changed while the hook waited, and most
 * events of a storm never get here (they are coalesced away). */
static bool may_start(struct jobs *j, const char *path)
{
	char why[160], safe[1024], field[1024];

	if (!trust_start_problem(path, why, sizeof(why)))
		return true;
	j->refused++;
	if (once_first(&j->refusals_logged, path, why))
		log_warnx("hooks: not running %s: %s hook=%s action=refuse",
			  log_safe(path, safe, sizeof(safe)), why,
			  log_field(path, field, sizeof(field)));
	return false;
}

/* Starts the next runnable hook; false when there is none. */
static bool start_next(struct jobs *j)
{
	struct hook_spec spec;
	struct spawned sp;
	char label[IF_NAMESIZE * 4 + 32];
	struct hookq *q = hookqs_next(&j->qs, &spec, label, sizeof(label));
	int err;
	char *who, *ctx;

	if (!q)
		return false;
	/* --dry-run shows what a real run would start: refusals included. */
	if (!may_start(j, spec.argv[0])) {
		hook_spec_clear(&spec);
		hookqs_done(&j->qs, q);
		return true;
	}
	if (j->dry_run) {
		/* --dry-run: the hook is shown instead of run, and done at once. */
		j->dry_run(j->dry_ctx, &spec, label);
		hook_spec_clear(&spec);
		hookqs_done(&j->qs, q);
		return true;
	}
	hook_fields(&spec, &who, &ctx);
	err = spawn_hook(spec.argv, spec.envp, &spec.ids, &sp);
	if (err) {
		/* A bad hook file (no shebang, vanished, not executable) is
		 * reported, and the queue goes on. A failed switch of user or
		 * group is reported as such: the hook never ran. */
		const char *errname = strerrorname_np(err) ? strerrorname_np(err) : "?";

		j->spawn_errors++;
		if (strcmp(sp.failed, "execve") == 0)
			log_warnx("hook %s: cannot execute %s: %s %s error=%s %s", spec.name,
				  spec.argv[0], strerror(err), who, errname, ctx);
		else
			log_warnx("hook %s: cannot start %s: %s: %s %s error=%s step=%s %s",
				  spec.name, spec.argv[0], sp.failed, strerror(err), who, errname,
				  sp.failed, ctx);
		free(who);
		free(ctx);
		hook_spec_clear(&spec);
		hookqs_done(&j->qs, q);
		return true;
	}
	struct run *r = xcalloc(1, sizeof(*r));
	r->j = j;
	r->q = q;
	r->name = spec.name;
	spec.name = NULL;
	r->who = who;
	r->ctx = ctx;
	r->pid = sp.pid;
	r->started_ms = mono_ms();
	r->deadline_ms = r->started_ms + (uint64_t)j->timeout_s * 1000;
	r->pid_w.fd = r->out_w.fd = -1;
	if ((sp.pidfd >= 0 && watch_add(j->epfd, &r->pid_w, sp.pidfd, EPOLLIN, on_exit_ready) < 0) ||
	    watch_add(j->epfd, &r->out_w, sp.out_fd, EPOLLIN, on_output) < 0)
		fatal("epoll_ctl");
	r->next = j->runs;
	j->runs = r;
	j->n_running++;
	j->started++;
	char ids[64] = "";
	if (spec.ids.set_uid || spec.ids.set_gid)
		snprintf(ids, sizeof(ids), " uid=%u gid=%u",
			 (unsigned)(spec.ids.set_uid ? spec.ids.uid : getuid()),
			 (unsigned)spec.ids.gid);
	log_debug("hook %s[%d] started (%s) %s pid=%d%s %s", r->name, (int)r->pid, label, r->who,
		  (int)r->pid, ids, r->ctx);
	hook_spec_clear(&spec);
	return true;
}

void jobs_pump(struct jobs *j)
{
	while (!j->stopping && j->n_running < j->max_jobs && start_next(j))
		;
}

void jobs_forget_refusals(struct jobs *j)
{
	once_clear(&j->refusals_logged);
}

void jobs_add_event(struct jobs *j, const struct event *ev, struct hook_spec *specs, size_t n)
{
	uint64_t now = mono_ms();

	if (j->stopping) {
		for (size_t i = 0; i < n; i++)
			hook_spec_clear(&specs[i]);
		return;
	}
	hookqs_add(&j->qs, ev, specs, n, now);
	if (j->qs.delayed && (!j->next_delayed_ms || j->next_delayed_ms > now))
		j->next_delayed_ms = hookqs_release_due(&j->qs, now);
}

/* ---------- time ---------- */

void jobs_tick(struct jobs *j, uint64_t now_ms)
{
	if (j->next_delayed_ms && now_ms >= j->next_delayed_ms) {
		j->next_delayed_ms = hookqs_release_due(&j->qs, now_ms);
		jobs_pump(j);
	}
	for (struct run *r = j->runs, *next; r; r = next) {
		next = r->next;
		if (!r->exited && !r->timed_out && now_ms >= r->deadline_ms) {
			r->timed_out = true;
			j->timed_out++;
			log_warnx("hook %s[%d] timed out after %u s; SIGTERM to its process group "
				  "%s pid=%d timeout=%u %s",
				  r->name, (int)r->pid, j->timeout_s, r->who, (int)r->pid,
				  j->timeout_s, r->ctx);
			kill(-r->pid, SIGTERM);
			r->kill_ms = now_ms + KILL_GRACE_MS;
		} else if (r->recheck_ms && now_ms >= r->recheck_ms &&
			   !(r->kill_ms && now_ms >= r->kill_ms)) {
			r->recheck_ms = 0;
			run_maybe_free(r);
		} else if (r->kill_ms && now_ms >= r->kill_ms) {
			/* Whatever of the group survived SIGTERM, the leader's
			 * background children included, goes now. */
			if (process_group_alive(r->pid) && kill(-r->pid, SIGKILL) == 0)
				log_debug("hook %s[%d]: SIGKILL to its process group %s pid=%d %s",
					  r->name, (int)r->pid, r->who, (int)r->pid, r->ctx);
			r->kill_ms = 0;
			r->recheck_ms = 0;
			run_maybe_free(r);
		}
	}
	/* Called after each epoll batch, so no pending event names a buried run. */
	bury(j);
}

uint64_t jobs_next_deadline(const struct jobs *j)
{
	uint64_t min = j->next_delayed_ms;

	for (const struct run *r = j->runs; r; r = r->next) {
		uint64_t d = 0;
		if (!r->exited && !r->timed_out)
			d = r->deadline_ms;
		else if (r->kill_ms)
			d = r->recheck_ms && r->recheck_ms < r->kill_ms ? r->recheck_ms : r->kill_ms;
		if (d && (!min || d < min))
			min = d;
	}
	return min;
}

void jobs_shutdown(struct jobs *j)
{
	j->stopping = true;
	hookqs_drop_all(&j->qs);
	j->next_delayed_ms = 0;
	/* Hooks already gone may have left children holding their output:
	 * those groups are ended now rather than orphaned. */
	uint64_t now = mono_ms();
	for (struct run *r = j->runs, *next; r; r = next) {
		next = r->next;
		if (!r->exited || r->kill_ms)
			continue;
		if (r->lingering && kill(-r->pid, 0) != 0)
			unlink_and_bury(r); /* its children have ended since */
		else
			end_group(r, now);
	}
}

bool jobs_idle(const struct jobs *j)
{
	return !j->runs && !j->qs.n_pending && !j->qs.delayed && !j->graveyard;
}

bool jobs_pid_in_hook(const struct jobs *j, uint32_t pid)
{
	char path[64], buf[512];
	int session;

	if (!pid || !j->runs)
		return false;
	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) state ppid pgrp session": comm may hold spaces and ')'. */
	char *close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %*c %*d %*d %d", &session) != 1)
		return false;
	/* Every hook leads its own session (setsid), and its leader's pid is
	 * kept until the run record goes. */
	for (const struct run *r = j->runs; r; r = r->next)
		if (r->pid == session)
			return true;
	return false;
}

void jobs_get_stats(const struct jobs *j, struct jobs_stats *out)
{
	out->started = j->started;
	out->failed = j->failed;
	out->timed_out = j->timed_out;
	out->spawn_errors = j->spawn_errors;
	out->refused = j->refused;
	out->running = j->n_running;
	out->pending = j->qs.n_pending;
	out->coalesced = j->qs.coalesced;
	out->debounced = j->qs.debounced;
	out->dropped = j->qs.dropped;
}

void jobs_free(struct jobs *j)
{
	if (!j)
		return;
	jobs_shutdown(j);
	for (struct run *r = j->runs, *next; r; r = next) {
		next = r->next;
		if (r->pid_w.fd >= 0)
			close(r->pid_w.fd);
		if (r->out_w.fd >= 0)
			close(r->out_w.fd);
		free(r->name);
		free(r->who);
		free(r->ctx);
		free(r);
	}
	bury(j);
	hookqs_free(&j->qs);
	once_clear(&j->refusals_logged);
	free(j);
}

/* ---------- dry run and introspection (ifhookd --dry-run, status) ---------- */

void jobs_set_dry_run(struct jobs *j, jobs_dry_run_fn fn, void *ctx)
{
	j->dry_run = fn;
	j->dry_ctx = ctx;
}

void jobs_foreach_run(const struct jobs *j, jobs_run_fn fn, void *ctx)
{
	for (const struct run *r = j->runs; r; r = r->next) {
		struct jobs_run_info ri = { .name = r->name, .pid = (int)r->pid,
					    .started_ms = r->started_ms };
		if (r->exited)
			continue; /* only its background children are left */
		if (r->q) {
			ri.iface = r->q->iface;
			ri.ifindex = r->q->ifindex;
		}
		fn(ctx, &ri);
	}
}

void jobs_foreach_queue(const struct jobs *j, jobs_queue_fn fn, void *ctx)
{
	for (const struct hookq *q = j->qs.queues; q; q = q->next)
		fn(ctx, q);
}
