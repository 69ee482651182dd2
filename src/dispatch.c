/* Purpose: turns one event into the ordered hook commands to run: matching
 * rules first, then hooks_dir/EVENT.d/, then hooks_dir itself. */
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "coalesce.h"
#include "env.h"
#include "rules.h"
#include "xalloc.h"

/* Copies a fixed-size interface name field, terminated even if full. */
static char *iface_copy(const struct event *ev)
{
	char name[IF_NAMESIZE + 1];

	memcpy(name, ev->iface, IF_NAMESIZE);
	name[IF_NAMESIZE] = '\0';
	return xstrdup(name);
}

static struct hook_spec *append(struct hook_spec **out, size_t *n)
{
	struct hook_spec *s;

	*out = xrealloc(*out, (*n + 1) * sizeof(**out));
	s = &(*out)[(*n)++];
	memset(s, 0, sizeof(*s));
	return s;
}

static void add_rule_run(struct hook_spec *s, const struct rule *r, const struct command *c,
			 const struct event *ev)
{
	bool with_args = r->args == ARGS_IFACE_EVENT, pppd = r->args == ARGS_PPPD;
	size_t argc = c->argc + (with_args ? 2 : 0) + (pppd ? PPPD_ARGC : 0), i;

	s->name = xasprintf("rule %s", r->name ? r->name : "");
	s->rule = xstrdup(r->name ? r->name : "");
	s->delay_ms = r->delay_ms;
	if (event_is_up(ev->type) && r->has_delay_up)
		s->delay_ms = r->delay_up_ms;
	else if (event_is_down(ev->type) && r->has_delay_down)
		s->delay_ms = r->delay_down_ms;
	s->argv = xmalloc((argc + 1) * sizeof(*s->argv));
	for (i = 0; i < c->argc; i++)
		s->argv[i] = xstrdup(c->argv[i]);
	if (with_args) {
		s->argv[i++] = iface_copy(ev);
		s->argv[i++] = xstrdup(event_name(ev->type));
	}
	if (pppd) {
		pppd_args(ev, s->argv + i);
		i += PPPD_ARGC;
	}
	s->argv[i] = NULL;
	s->envp = pppd ? event_env_pppd(ev, r->name ? r->name : "") :
			 event_env(ev, r->name ? r->name : "");
	s->ids.set_uid = r->has_user;
	s->ids.uid = r->uid;
	s->ids.set_gid = r->has_user || r->has_group;
	s->ids.gid = r->gid;
	if (s->ids.set_gid && r->n_groups) {
		/* A copy: a reload may free the rule before the hook starts. */
		s->ids.groups = xmalloc(r->n_groups * sizeof(*s->ids.groups));
		memcpy(s->ids.groups, r->groups, r->n_groups * sizeof(*s->ids.groups));
		s->ids.n_groups = r->n_groups;
	}
}

/* Takes ownership of path. */
static void add_file(struct hook_spec *s, char *path, const struct event *ev)
{
	s->name = xstrdup(path);
	s->argv = xmalloc(4 * sizeof(*s->argv));
	s->argv[0] = path;
	s->argv[1] = iface_copy(ev);
	s->argv[2] = xstrdup(event_name(ev->type));
	s->argv[3] = NULL;
	s->envp = event_env(ev, "");
}

size_t dispatch_build(const struct config *cfg, struct hooksdir *hd, const struct event *ev,
		      struct hook_spec **out)
{
	size_t n = 0, n_files;
	char **files;

	*out = NULL;
	for (size_t i = 0; cfg && i < cfg->n_rules; i++) {
		const struct rule *r = &cfg->rules[i];

		if (!rule_matches(r, ev))
			continue;
		for (size_t j = 0; j < r->n_runs; j++)
			add_rule_run(append(out, &n), r, &r->runs[j], ev);
	}
	/* hooksdir_list already orders EVENT.d/ files before top-level ones. */
	n_files = hooksdir_list(hd, ev->type, &files);
	for (size_t i = 0; i < n_files; i++)
		add_file(append(out, &n), files[i], ev);
	free(files);
	return n;
}

void hook_spec_clear(struct hook_spec *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->rule);
	free(s->ids.groups);
	for (size_t i = 0; s->argv && s->argv[i]; i++)
		free(s->argv[i]);
	free(s->argv);
	env_free(s->envp);
	memset(s, 0, sizeof(*s));
}
