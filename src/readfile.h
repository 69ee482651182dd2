/* Purpose: reads a whole file (or standard input) into memory, for the capture reader. */
#ifndef IFHOOKD_READFILE_H
#define IFHOOKD_READFILE_H

#include <stddef.h>
#include <stdint.h>

/* path "-" is standard input. Returns a malloc'd buffer (8-byte aligned),
 * or NULL with errno set. */
uint8_t *read_whole_file(const char *path, size_t *size);

#endif
