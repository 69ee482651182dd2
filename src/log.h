/* Purpose: the daemon's one logging API (stderr or syslog), printf-checked. */
#ifndef IFHOOKD_LOG_H
#define IFHOOKD_LOG_H

#include <stdbool.h>

enum log_target { LOG_TO_STDERR, LOG_TO_SYSLOG };

void log_init(enum log_target target, bool verbose);
bool log_verbose(void);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copies s into out (size n) with control characters and backslashes escaped
 * as \xNN, so that names chosen by anyone cannot forge log lines. */
const char *log_safe(const char *s, char *out, unsigned n);

#endif
