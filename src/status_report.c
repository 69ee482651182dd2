/* Purpose: formats the status reply: counters, links as the daemon sees them,
 * running hooks with pid and age, and per-interface queue depth. */
#include "status_report.h"

#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "env.h"
#include "escape.h"
#include "hookq.h"
#include "log.h"
#include "sbuf.h"
#include "version.h"
#include "xalloc.h"

struct links {
	struct link_entry **v;
	size_t n;
};

static void collect_link(void *ctx, struct link_entry *l)
{
	struct links *ls = ctx;

	ls->v[ls->n++] = l;
}

static int by_ifindex(const void *a, const void *b)
{
	const struct link_entry *x = *(struct link_entry *const *)a;
	const struct link_entry *y = *(struct link_entry *const *)b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

/* A fixed-size name field as a string. */
static const char *name_of(const char *field, size_t size, char *out)
{
	memcpy(out, field, size);
	out[size] = '\0';
	return out;
}

static void add_str(struct sbuf *b, bool json, const char *key, const char *val)
{
	if (json) {
		sbuf_addf(b, "\"%s\":", key);
		esc_json(b, val);
	} else {
		sbuf_addf(b, " %s=", key);
		esc_shell(b, val);
	}
}

static void add_u64(struct sbuf *b, bool json, const char *key, uint64_t val)
{
	sbuf_addf(b, json ? "\"%s\":%llu" : " %s=%llu", key, (unsigned long long)val);
}

static void counters(struct sbuf *b, const struct status_view *v, bool json)
{
	struct jobs_stats js;

	jobs_get_stats(v->jobs, &js);
	const struct {
		const char *k;
		uint64_t v;
	} list[] = {
		{ "events", v->events },
		{ "hooks_run", js.started },
		{ "hooks_failed", js.failed },
		{ "hooks_timed_out", js.timed_out },
		{ "hooks_not_started", js.spawn_errors },
		{ "hooks_refused", js.refused },
		{ "enobufs_episodes", v->overruns },
		{ "resyncs", v->resyncs },
		{ "coalesced", js.coalesced },
		{ "debounced", js.debounced },
		{ "dropped", js.dropped },
		{ "malformed", v->malformed },
	};

	sbuf_add(b, json ? "\"counters\":{" : "counters:");
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		if (json && i)
			sbuf_addc(b, ',');
		add_u64(b, json, list[i].k, list[i].v);
	}
	sbuf_add(b, json ? "}" : "\n");
}

static void addr_list(struct sbuf *b, const struct link_entry *l, bool json)
{
	bool first = true;

	sbuf_add(b, json ? ",\"addresses\":[" : " addresses=");
	for (size_t i = 0; i < l->n_addrs; i++) {
		char ip[IP_STRLEN];

		if (!l->addrs[i].announced)
			continue; /* not usable yet (tentative) or link not up (PPP) */
		if (!first)
			sbuf_addc(b, ',');
		sbuf_addf(b, json ? "\"%s/%u\"" : "%s/%u", ip_format(&l->addrs[i].local, ip),
			  l->addrs[i].prefixlen);
		first = false;
	}
	if (json)
		sbuf_addc(b, ']');
}

static void one_link(struct sbuf *b, const struct link_entry *l, bool json)
{
	char name[IF_NAMESIZE + 1], kind[KIND_LEN + 1], type[12], mac[MAC_STRLEN], ip[IP_STRLEN];

	event_format_mac(mac, l->mac, l->mac_len);
	if (json) {
		sbuf_addf(b, "{\"ifindex\":%d,", l->ifindex);
		add_str(b, true, "name", name_of(l->name, sizeof(l->name), name));
		sbuf_addf(b, ",\"state\":\"%s\",\"operstate\":\"%s\",", l->up ? "up" : "down",
			  operstate_name(l->operstate));
		add_str(b, true, "type", iftype_name(l->type, type));
		sbuf_addc(b, ',');
		add_str(b, true, "kind", name_of(l->kind, sizeof(l->kind), kind));
		sbuf_addf(b, ",\"mtu\":%u,\"mac\":\"%s\"", l->mtu, mac);
	} else {
		sbuf_addf(b, "link %d ", l->ifindex);
		esc_shell(b, name_of(l->name, sizeof(l->name), name));
		sbuf_addf(b, ": state=%s operstate=%s type=%s", l->up ? "up" : "down",
			  operstate_name(l->operstate), iftype_name(l->type, type));
		add_str(b, false, "kind", name_of(l->kind, sizeof(l->kind), kind));
		sbuf_addf(b, " mtu=%u mac=%s", l->mtu, mac);
	}
	addr_list(b, l, json);
	if (l->type == 512 /* ARPHRD_PPP */) {
		sbuf_addf(b, json ? ",\"ppp\":{\"connected\":%s," : " ppp_connected=%s",
			  l->ppp_connected ? (json ? "true" : "yes") : (json ? "false" : "no"));
		sbuf_addf(b, json ? "\"local\":\"%s\"," : " ppp_local=%s", ip_format(&l->ppp_local, ip));
		sbuf_addf(b, json ? "\"remote\":\"%s\"}" : " ppp_remote=%s",
			  ip_format(&l->ppp_remote, ip));
	}
	sbuf_add(b, json ? "}" : "\n");
}

struct walk {
	struct sbuf *b;
	bool json, first;
	uint64_t now_ms;
};

static void one_run(void *ctx, const struct jobs_run_info *ri)
{
	struct walk *w = ctx;
	char iface[IF_NAMESIZE + 1] = "";
	uint64_t age = w->now_ms - ri->started_ms;

	if (ri->iface)
		name_of(ri->iface, IF_NAMESIZE, iface);
	if (w->json) {
		sbuf_add(w->b, w->first ? "{" : ",{");
		add_str(w->b, true, "name", ri->name);
		sbuf_addf(w->b, ",\"pid\":%d,\"age_ms\":%llu,", ri->pid, (unsigned long long)age);
		add_str(w->b, true, "iface", iface);
		sbuf_addf(w->b, ",\"ifindex\":%d}", ri->ifindex);
	} else {
		char safe[1024];

		/* "rule NAME" or a path, as the log names the hook. */
		sbuf_addf(w->b, "hook %s", log_safe(ri->name, safe, sizeof(safe)));
		sbuf_addf(w->b, ": pid=%d age=%llu.%01llus", ri->pid, (unsigned long long)age / 1000,
			  (unsigned long long)(age % 1000) / 100);
		add_str(w->b, false, "iface", iface);
		sbuf_addf(w->b, " ifindex=%d\n", ri->ifindex);
	}
	w->first = false;
}

static void one_queue(void *ctx, const struct hookq *q)
{
	struct walk *w = ctx;
	char iface[IF_NAMESIZE + 1];

	name_of(q->iface, sizeof(q->iface), iface);
	if (w->json) {
		sbuf_add(w->b, w->first ? "{" : ",{");
		add_str(w->b, true, "iface", iface);
		sbuf_addf(w->b, ",\"ifindex\":%d,\"waiting\":%zu,\"busy\":%s}", q->ifindex,
			  q->n_pending, q->busy ? "true" : "false");
	} else {
		sbuf_add(w->b, "queue ");
		esc_shell(w->b, iface);
		sbuf_addf(w->b, ": ifindex=%d waiting=%zu busy=%s\n", q->ifindex, q->n_pending,
			  q->busy ? "yes" : "no");
	}
	w->first = false;
}

char *status_format(const struct status_view *v, bool json)
{
	struct sbuf b = { 0 };
	struct links ls = { .v = xcalloc(v->st->n_links + 1, sizeof(*ls.v)) };
	struct walk w = { .b = &b, .json = json, .first = true, .now_ms = v->now_ms };
	uint64_t up = v->now_ms - v->started_ms;

	state_links_foreach(v->st, collect_link, &ls);
	qsort(ls.v, ls.n, sizeof(*ls.v), by_ifindex);
	if (json) {
		sbuf_addf(&b, "{\"version\":\"%s\",\"pid\":%d,\"uptime_s\":%llu,\"dry_run\":%s,",
			  IFHOOKD_VERSION, (int)v->pid, (unsigned long long)up / 1000,
			  v->dry_run ? "true" : "false");
		counters(&b, v, true);
		sbuf_addf(&b, ",\"routes\":%zu,\"links\":[", v->st->n_routes);
		for (size_t i = 0; i < ls.n; i++) {
			if (i)
				sbuf_addc(&b, ',');
			one_link(&b, ls.v[i], true);
		}
		sbuf_add(&b, "],\"hooks\":[");
		jobs_foreach_run(v->jobs, one_run, &w);
		sbuf_add(&b, "],\"queues\":[");
		w.first = true;
		jobs_foreach_queue(v->jobs, one_queue, &w);
		sbuf_add(&b, "]}\n");
	} else {
		sbuf_addf(&b, "ifhookd %s: pid=%d uptime=%llus%s\n", IFHOOKD_VERSION, (int)v->pid,
			  (unsigned long long)up / 1000, v->dry_run ? " dry-run" : "");
		counters(&b, v, false);
		sbuf_addf(&b, "links=%zu routes=%zu\n", ls.n, v->st->n_routes);
		for (size_t i = 0; i < ls.n; i++)
			one_link(&b, ls.v[i], false);
		jobs_foreach_run(v->jobs, one_run, &w);
		jobs_foreach_queue(v->jobs, one_queue, &w);
	}
	free(ls.v);
	return sbuf_take(&b);
}
