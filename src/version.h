/* Purpose: the version and the default configuration path, shared by the commands. */
#ifndef IFHOOKD_VERSION_H
#define IFHOOKD_VERSION_H

#define IFHOOKD_VERSION "0.1.0"
#define DEFAULT_CONFIG SYSCONFDIR "/ifhookd/ifhookd.conf"
#define DEFAULT_STATUS_SOCKET "/run/ifhookd.sock"

#endif
