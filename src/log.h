/* Purpose: the daemon's one logging API (stderr or syslog), printf-checked. */
#ifndef IFHOOKD_LOG_H
#define IFHOOKD_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_target { LOG_TO_STDERR, LOG_TO_SYSLOG };

/* With LOG_TO_STDERR, each line gets a "<N>" priority prefix (sd-daemon(3)'s
 * convention, which journald strips and turns into the entry's level) when
 * stderr is the journal stream named by $JOURNAL_STREAM. */
void log_init(enum log_target target, bool verbose);
bool log_verbose(void);
/* The syslog facility (LOG_DAEMON by default) of the next log_init. */
void log_set_facility(int facility);
/* "daemon", "user", "local0".."local7" -> LOG_*; -1 for anything else. */
int log_facility_from_name(const char *name);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copies s into out (size n) with control characters and backslashes escaped
 * as \xNN, so that names chosen by anyone cannot forge log lines. */
const char *log_safe(const char *s, char *out, unsigned n);
/* The same for len bytes that may contain NUL (shown as \x00). */
const char *log_safe_n(const char *s, size_t len, char *out, unsigned n);
/* The same for the value of a key=value field at the end of a line: blanks,
 * '"' and '=' are escaped too, so a field never splits. Parsers split such a
 * tail on blanks, then each field at its first '='. */
const char *log_field(const char *s, char *out, unsigned n);

#endif
