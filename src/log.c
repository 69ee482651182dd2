/* Purpose: logging to stderr (with journald priority prefixes under systemd)
 * or syslog; log_warn appends strerror(errno). */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

static enum log_target log_to = LOG_TO_STDERR;
static bool verbose;
static bool prio_prefix;
static int facility = LOG_DAEMON;

static const struct {
	const char *name;
	int facility;
} facilities[] = {
	{ "daemon", LOG_DAEMON }, { "user", LOG_USER },	    { "local0", LOG_LOCAL0 },
	{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
	{ "local7", LOG_LOCAL7 },
};

/* systemd sets JOURNAL_STREAM=DEV:INODE when it connects stdout or stderr to
 * journald (systemd.exec(5)). Comparing it with what fd 2 really is, rather
 * than trusting INVOCATION_ID or NOTIFY_SOCKET, keeps the prefixes out of a
 * file or a terminal: those variables are inherited by everything a service
 * starts (a test suite run from a CI unit, a container under podman), whose
 * stderr is often not the journal at all. */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	if (!js || sscanf(js, "%llu:%llu%c", &dev, &ino, &tail) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) != 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_init(enum log_target target, bool want_verbose)
{
	if (log_to == LOG_TO_SYSLOG)
		closelog();
	log_to = target;
	verbose = want_verbose;
	prio_prefix = target == LOG_TO_STDERR && stderr_is_journal();
	if (target == LOG_TO_SYSLOG)
		openlog("ifhookd", LOG_PID | LOG_NDELAY, facility);
}

bool log_verbose(void)
{
	return verbose;
}

void log_set_facility(int f)
{
	facility = f;
}

int log_facility_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcmp(name, facilities[i].name) == 0)
			return facilities[i].facility;
	return -1;
}

__attribute__((format(printf, 3, 0))) static void log_emit(int prio, const char *prefix,
							    const char *fmt, va_list ap,
							    const char *suffix)
{
	char msg[2048], level[8] = "";

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_to == LOG_TO_SYSLOG) {
		syslog(prio, "%s%s%s%s", prefix, msg, suffix ? ": " : "",
		       suffix ? suffix : "");
		return;
	}
	if (prio_prefix)
		snprintf(level, sizeof(level), "<%d>", prio);
	/* One fprintf per line: lines from one daemon never interleave. */
	fprintf(stderr, "%sifhookd: %s%s%s%s\n", level, prefix, msg, suffix ? ": " : "",
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

/* Escapes control characters, DEL, backslashes and the bytes of `more`
 * (NULL: none) in the len bytes of s. */
static const char *escape(const char *s, size_t len, char *out, unsigned n, const char *more)
{
	static const char hex[] = "0123456789abcdef";
	unsigned o = 0;

	for (size_t i = 0; i < len && o + 5 < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '\\' || (more && strchr(more, c))) {
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

const char *log_safe_n(const char *s, size_t len, char *out, unsigned n)
{
	return escape(s, len, out, n, NULL);
}

const char *log_safe(const char *s, char *out, unsigned n)
{
	return log_safe_n(s, strlen(s), out, n);
}

const char *log_field(const char *s, char *out, unsigned n)
{
	return escape(s, strlen(s), out, n, " \"=");
}
