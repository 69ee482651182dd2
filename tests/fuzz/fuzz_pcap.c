/* Purpose: libFuzzer target: the input as a pcap file through the capture
 * reader (pcap.c) and the replay feed (feed.c) into a fresh classifier, each
 * event's environment rendered as monitor prints it (text and JSON). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "env.h"
#include "evprint.h"
#include "feed.h"
#include "pcap.h"

#define FUZZ_MAX_INPUT (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *ctx, const struct event *ev)
{
	char **envp = event_env(ev, "");
	struct sbuf b = { 0 };

	if ((unsigned)ev->type >= EV_COUNT)
		abort();
	evprint_env(&b, envp, false);
	evprint_env(&b, envp, true);
	/* One event, one line: no newline may come through unescaped. */
	if (memchr(sbuf_str(&b), '\n', b.len))
		abort();
	sbuf_free(&b);
	env_free(envp);
	(*(uint64_t *)ctx)++;
}

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	if (!strstr(msg, "byte offset"))
		abort(); /* every complaint names where */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcap_reader r;
	struct pcap_packet p;
	struct classify c;
	struct feed f;
	uint64_t events = 0;
	char err[256];
	uint8_t *buf;
	int rc;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	/* An exact-size copy, so that ASan sees any read past the input. */
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	classify_init(&c, sink, &events, 3000);
	feed_init(&f, &c, true, warn, NULL);
	if (pcap_open(&r, buf, size, err, sizeof(err)) == 0) {
		while ((rc = pcap_next(&r, &p, err, sizeof(err))) > 0) {
			if (p.data < buf || p.data + p.len > buf + size)
				abort();
			feed_packet(&f, &p);
		}
		if (rc < 0 && !strstr(err, "byte offset"))
			abort();
		feed_finish(&f);
	} else if (!strstr(err, "byte offset")) {
		abort();
	}
	classify_free(&c);
	free(buf);
	return 0;
}
