/* Purpose: parses and checks single config values (numbers, seconds,
 * booleans, globs, prefixes) and builds the paths settings refer to. */
#include "config_parse.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "xalloc.h"

bool cfg_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* dir/rel, or rel alone when it is absolute or dir is empty. */
char *cfg_join_path(const char *dir, const char *rel)
{
	if (rel[0] == '/' || dir[0] == '\0')
		return xstrdup(rel);
	return xasprintf("%s%s%s", dir, cfg_has_suffix(dir, "/") ? "" : "/", rel);
}

/* The directory part of path ("" when it has none), for relative settings. */
char *cfg_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (!slash)
		return xstrdup("");
	if (slash == path)
		return xstrdup("/");
	d = xmalloc((size_t)(slash - path) + 1);
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return d;
}

bool cfg_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* Seconds with up to three decimals ("1.5", "1.5s"), or "250ms", into
 * milliseconds. */
bool cfg_parse_seconds_ms(const char *s, unsigned long long max_s, unsigned *ms)
{
	unsigned long long whole = 0, frac = 0;
	unsigned digits = 0, frac_digits = 0;

	/* The unit comes last ("250ms"), so allow the larger of the two
	 * ranges while reading digits; each is checked at the end. */
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		whole = whole * 10 + (unsigned)(*s - '0');
		if (whole > max_s * 1000)
			return false;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, frac_digits++) {
			if (frac_digits == 3)
				return false;
			frac = frac * 10 + (unsigned)(*s - '0');
		}
		if (frac_digits == 0)
			return false;
	}
	/* "2", "2s", "1.5s" are seconds; "250ms" is milliseconds. */
	if (strcmp(s, "ms") == 0 && frac_digits == 0) {
		if (digits == 0 || whole > max_s * 1000)
			return false;
		*ms = (unsigned)whole;
		return true;
	}
	if (*s == 's')
		s++;
	if (*s || digits == 0 || whole > max_s)
		return false;
	while (frac_digits++ < 3)
		frac *= 10;
	if (whole * 1000 + frac > max_s * 1000)
		return false;
	*ms = (unsigned)(whole * 1000 + frac);
	return true;
}

bool cfg_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* fnmatch takes an unclosed '[' literally; here it is almost certainly a
 * typo, so it is refused. Returns NULL or what is wrong. */
static const char *glob_problem(const char *g)
{
	for (const char *s = g; *s; s++) {
		if (*s == '\\') {
			if (!s[1])
				return "ends in a lone backslash";
			s++;
		} else if (*s == '[') {
			const char *c = s + 1;

			if (*c == '!' || *c == '^')
				c++;
			if (*c == ']') /* a leading ']' is a member, not the end */
				c++;
			while (*c && *c != ']')
				c++;
			if (!*c)
				return "has an unbalanced '['";
			s = c;
		}
	}
	return NULL;
}

static bool has_wildcard(const char *g)
{
	return strpbrk(g, "*?[\\") != NULL;
}

static void globs_add(char ***list, size_t *n, const char *word)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(word);
}

void cfg_globs_free(struct globs *g)
{
	for (size_t i = 0; i < g->n_pos; i++)
		free(g->pos[i]);
	for (size_t i = 0; i < g->n_neg; i++)
		free(g->neg[i]);
	free(g->pos);
	free(g->neg);
	memset(g, 0, sizeof(*g));
}

static bool matches_some_event(const char *glob)
{
	for (int t = 0; t < EV_COUNT; t++)
		if (fnmatch(glob, event_name((enum event_type)t), 0) == 0)
			return true;
	return false;
}

/* Splits value on blanks into g, checking each glob. */
void cfg_parse_globs(struct parser *p, enum rule_key key, const char *value, struct globs *g)
{
	char *copy = xstrdup(value), *save = NULL;
	char safe[SAFE_LEN];

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		bool neg = w[0] == '!';
		const char *pat = w + neg;
		const char *why;

		if (!*pat) {
			cfg_err(p, p->path, p->line, "%s: '!' must be followed by a pattern",
				cfg_rule_keys[key]);
			continue;
		}
		why = glob_problem(pat);
		if (why) {
			cfg_err(p, p->path, p->line, "%s: bad pattern '%s': it %s",
				cfg_rule_keys[key], SAFE(safe, pat), why);
			continue;
		}
		if (key == RK_EVENT && !matches_some_event(pat)) {
			cfg_err(p, p->path, p->line, "event: '%s' matches no event name",
				SAFE(safe, pat));
			continue;
		}
		if (key == RK_INTERFACE && !has_wildcard(pat) && strlen(pat) >= IF_NAMESIZE) {
			cfg_err(p, p->path, p->line,
				"interface: '%s' is longer than an interface name can be (%d)",
				SAFE(safe, pat), IF_NAMESIZE - 1);
			continue;
		}
		if (neg)
			globs_add(&g->neg, &g->n_neg, pat);
		else
			globs_add(&g->pos, &g->n_pos, pat);
	}
	free(copy);
}

/* The kernel stores a route's destination with the host bits cleared, so a
 * destination with host bits set could never match. */
bool cfg_host_bits_clear(const struct ipprefix *pfx, struct ipprefix *masked)
{
	unsigned bytes = ip_addr_len(pfx->addr.family);

	*masked = *pfx;
	for (unsigned i = 0; i < bytes; i++) {
		unsigned bit = i * 8;
		uint8_t keep = bit >= pfx->len	    ? 0
			       : bit + 8 <= pfx->len ? 0xff
						     : (uint8_t)(0xff << (8 - (pfx->len - bit)));

		masked->addr.bytes[i] &= keep;
	}
	return ip_equal(&pfx->addr, &masked->addr);
}

bool cfg_parse_size(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0, mult = 1;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > max)
			return false;
	}
	if (p == s)
		return false;
	if (*p == 'K' || *p == 'k')
		mult = 1024;
	else if (*p == 'M' || *p == 'm')
		mult = 1024 * 1024;
	else if (*p == 'G' || *p == 'g')
		mult = 1024 * 1024 * 1024;
	if (mult > 1)
		p++;
	if (*p || v > max / mult)
		return false;
	*out = v * mult;
	return true;
}
