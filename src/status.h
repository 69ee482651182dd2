/* Purpose: the daemon's status socket: a unix stream socket, root only (0600),
 * served from the event loop without ever blocking it. */
#ifndef IFHOOKD_STATUS_H
#define IFHOOKD_STATUS_H

#include <stdbool.h>

/* Builds the reply to one request (json or text); returns a malloc'd string. */
typedef char *(*status_report_fn)(void *ctx, bool json);

struct status_server;

/* Listens on path (a stale socket there is replaced; a live one, or anything
 * that is not a socket, is left alone and NULL is returned, logged). */
struct status_server *status_open(int epfd, const char *path, status_report_fn fn, void *ctx);
/* Closes every connection and removes the socket file. NULL is fine. */
void status_close(struct status_server *s);

/* The protocol: the client sends one line, "text" or "json"; the server
 * answers with the report and closes. A client has STATUS_CLIENT_MS for all
 * of it; at most STATUS_MAX_CLIENTS are served at once, later ones are
 * closed at once. */
#define STATUS_CLIENT_MS 2000
#define STATUS_MAX_CLIENTS 16

#endif
