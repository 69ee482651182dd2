/* Purpose: tells a service manager (systemd's $NOTIFY_SOCKET) about readiness,
 * reloads, shutdown and status, without libsystemd. */
#ifndef IFHOOKD_NOTIFY_H
#define IFHOOKD_NOTIFY_H

/* Sends one notification, such as "READY=1\nSTATUS=...", as one datagram to
 * $NOTIFY_SOCKET. Does nothing when the variable is unset; a failure is
 * logged once and otherwise ignored (the daemon works the same unsupervised).
 * Returns 1 if sent, 0 if there is no socket, -1 on error. */
int notify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The value for MONOTONIC_USEC=, which RELOADING=1 should carry. */
unsigned long long notify_monotonic_usec(void);

#endif
