/* Purpose: the line reader that feeds inih one checked line at a time, so
 * that line numbers stay right and every bad line is reported, not just the first. */
#include "config_parse.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void cfg_err(struct parser *p, const char *path, int line, const char *fmt, ...)
{
	char *msg, *full;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		full = xasprintf("%s:%d: %s", path, line, msg);
	else
		full = xasprintf("%s: %s", path, msg);
	p->errors++;
	if (p->err)
		p->err(p->err_ctx, full);
	free(msg);
	free(full);
}

static bool is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Checks one line (leading whitespace already gone); starts sections.
 * Returns false for a malformed line, after reporting it. */
static bool check_line(struct parser *p, char *s)
{
	if (*s == '\0' || *s == ';' || *s == '#')
		return true;
	if (*s == '[') {
		char *close = strchr(s, ']'), *after;
		char content[256];
		size_t n;

		if (!close)
			goto bad;
		/* inih ends the header at an inline comment ("[a ;x]"). */
		for (char *c = s + 1; c < close; c++)
			if (*c == ';' && isspace((unsigned char)c[-1]))
				goto bad;
		after = close + 1;
		while (isspace((unsigned char)*after))
			after++;
		/* After ']' only an inline comment: ';' after whitespace. */
		if (*after && !(*after == ';' && after > close + 1))
			goto bad;
		n = (size_t)(close - s - 1);
		if (n >= sizeof(content))
			goto bad;
		memcpy(content, s + 1, n);
		content[n] = '\0';
		cfg_start_section(p, content);
		return true;
	}
	if (!is_key_char(*s))
		goto bad;
	while (is_key_char(*s))
		s++;
	while (cfg_is_blank(*s))
		s++;
	if (*s == '=')
		return true;
bad:
	cfg_err(p, p->path, p->line, "expected '[section]' or 'key = value'");
	return false;
}

static char *hand_comment(char *str)
{
	strcpy(str, ";");
	return str;
}

/* inih's reader: one real line per call. Long lines, malformed lines and
 * indentation are dealt with here, because inih would split the first,
 * stop counting after the first error and join the last to the line before. */
static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	ssize_t got = getline(&p->buf, &p->bufsz, p->fp);
	size_t len;
	char *s;

	if (got < 0 || num < 2)
		return NULL;
	p->line++;
	len = (size_t)got;
	if (len && p->buf[len - 1] == '\n')
		p->buf[--len] = '\0';
	if (strlen(p->buf) != len) {
		cfg_err(p, p->path, p->line, "line contains a NUL byte");
		return hand_comment(str);
	}
	if (len > (size_t)num - 1) {
		cfg_err(p, p->path, p->line, "line too long (at most %d characters)", num - 1);
		return hand_comment(str);
	}
	s = p->buf;
	if (p->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (isspace((unsigned char)*s))
		s++;
	if (!check_line(p, s))
		return hand_comment(str);
	memcpy(str, s, strlen(s) + 1);
	return str;
}

/* Returns false when the file could not be opened. */
bool cfg_parse_file(struct parser *p, const char *path, bool main_file)
{
	int rc;

	p->fp = fopen(path, "re");
	if (!p->fp) {
		cfg_err(p, path, 0, "%s", strerror(errno));
		return false;
	}
	p->path = path;
	p->line = 0;
	p->main_file = main_file;
	p->sec = SEC_NONE;
	memset(p->rule_key_line, 0, sizeof(p->rule_key_line));
	rc = ini_parse_stream(read_line, p, cfg_on_pair, p);
	if (ferror(p->fp))
		cfg_err(p, path, 0, "read error: %s", strerror(errno));
	else if (rc > 0) /* a line our checks let through and inih did not like */
		cfg_err(p, path, rc, "syntax error");
	else if (rc < 0)
		cfg_err(p, path, 0, "cannot parse (inih error %d)", rc);
	fclose(p->fp);
	p->fp = NULL;
	return true;
}
