/* Purpose: logging to stderr or syslog; log_warn appends strerror(errno). */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static enum log_target log_to = LOG_TO_STDERR;
static bool verbose;

void log_init(enum log_target target, bool want_verbose)
{
	if (log_to == LOG_TO_SYSLOG && target != LOG_TO_SYSLOG)
		closelog();
	log_to = target;
	verbose = want_verbose;
	if (target == LOG_TO_SYSLOG)
		openlog("ifhookd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

bool log_verbose(void)
{
	return verbose;
}

static void log_emit(int prio, const char *prefix, const char *fmt, va_list ap,
		     const char *suffix)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_to == LOG_TO_SYSLOG) {
		syslog(prio, "%s%s%s%s", prefix, msg, suffix ? ": " : "",
		       suffix ? suffix : "");
		return;
	}
	/* One fprintf per line: lines from one daemon never interleave. */
	fprintf(stderr, "ifhookd: %s%s%s%s\n", prefix, msg, suffix ? ": " : "",
		suffix ? suffix : "");
}

void log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, "", fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, "", fmt, ap, NULL);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_INFO, "", fmt, ap, NULL);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, "", fmt, ap, NULL);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, "fatal: ", fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, "fatal: ", fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

const char *log_safe(const char *s, char *out, unsigned n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned o = 0;

	for (; *s && o + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}
