/* Purpose: renders hook environments and argv on one line, escaped (escape.h). */
#include "evprint.h"

#include <string.h>

#include "env.h"
#include "escape.h"

void evprint_env(struct sbuf *b, char *const *envp, bool json)
{
	if (json)
		sbuf_addc(b, '{');
	for (size_t i = 0; envp[i]; i++) {
		const char *eq = strchr(envp[i], '=');

		if (i)
			sbuf_addc(b, json ? ',' : ' ');
		if (!json) {
			esc_shell_assignment(b, envp[i]);
			continue;
		}
		/* Names are ours (A-Z, _): only the values need escaping. */
		sbuf_addc(b, '"');
		sbuf_addn(b, envp[i], eq ? (size_t)(eq - envp[i]) : strlen(envp[i]));
		sbuf_add(b, "\":");
		esc_json(b, eq ? eq + 1 : "");
	}
	if (json)
		sbuf_addc(b, '}');
}

void evprint_argv(struct sbuf *b, char *const *argv, bool json)
{
	if (json)
		sbuf_addc(b, '[');
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			sbuf_addc(b, json ? ',' : ' ');
		if (json)
			esc_json(b, argv[i]);
		else
			esc_shell(b, argv[i]);
	}
	if (json)
		sbuf_addc(b, ']');
}

int evprint_event(FILE *out, const struct event *ev, bool json)
{
	char **envp = event_env(ev, "");
	struct sbuf b = { 0 };
	int rc = 0;

	evprint_env(&b, envp, json);
	sbuf_addc(&b, '\n');
	env_free(envp);
	/* One write per line and a flush, so a pipe reader gets whole lines
	 * as they happen. */
	if (fputs(sbuf_str(&b), out) == EOF || fflush(out) == EOF)
		rc = -1;
	sbuf_free(&b);
	return rc;
}

void evprint_hook(struct sbuf *b, const struct hook_spec *s, bool json)
{
	if (json) {
		sbuf_add(b, "{\"dry_run\":");
		esc_json(b, s->name);
		sbuf_add(b, ",\"argv\":");
		evprint_argv(b, s->argv, true);
		sbuf_add(b, ",\"env\":");
		evprint_env(b, s->envp, true);
		sbuf_addc(b, '}');
		return;
	}
	sbuf_add(b, "dry-run: ");
	if (s->rule)
		sbuf_add(b, "rule ");
	esc_shell(b, s->rule ? s->rule : s->name);
	sbuf_add(b, ": argv: ");
	evprint_argv(b, s->argv, false);
	sbuf_add(b, " env: ");
	evprint_env(b, s->envp, false);
}
