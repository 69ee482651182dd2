# Purpose: build, test, run and install ifhookd with plain GNU make.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/ifhookd
EXAMPLESDIR ?= $(DOCDIR)/examples
DESTDIR ?=

PKG_CONFIG ?= pkg-config
MNL_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libmnl 2>/dev/null)
MNL_LIBS ?= $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null)
INIH_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags inih 2>/dev/null)
INIH_LIBS ?= $(shell $(PKG_CONFIG) --libs inih 2>/dev/null)

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
CFLAGS += -std=c11 -Wall -Wextra $(WERROR) -Wshadow -Wformat=2 \
	  -D_GNU_SOURCE -DSYSCONFDIR=\"$(SYSCONFDIR)\" $(MNL_CFLAGS) $(INIH_CFLAGS)
LDLIBS += $(MNL_LIBS) $(INIH_LIBS)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=build/%.o)
UNIT_SRCS := $(wildcard tests/unit/*.c)
DEPS := $(wildcard src/*.h tests/unit/*.h)

.PHONY: all check test-build run install uninstall clean deps deps-run

all: ifhookd

build/%.o: src/%.c $(DEPS)
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/libifhookd.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

ifhookd: build/main.o build/libifhookd.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/unit-tests: $(UNIT_SRCS) build/libifhookd.a $(DEPS)
	$(CC) $(CFLAGS) -iquote src -o $@ $(UNIT_SRCS) build/libifhookd.a $(LDLIBS)

# The same unit tests and library sources, built with ASan and UBSan.
build/asan/unit-tests: $(UNIT_SRCS) $(LIB_SRCS) $(DEPS)
	@mkdir -p build/asan
	$(CC) $(CFLAGS) -O1 $(SANFLAGS) -iquote src -o $@ $(UNIT_SRCS) $(LIB_SRCS) $(LDLIBS)

build/tunppp: tests/tools/tunppp.c
	@mkdir -p build
	$(CC) $(CFLAGS) -o $@ $<

test-build: ifhookd build/unit-tests build/asan/unit-tests build/tunppp

# Installs missing build and test dependencies when root on Debian, else
# names exactly what is missing.
deps:
	@contrib/ensure-deps.sh check
deps-run:
	@contrib/ensure-deps.sh build

check: deps
	$(MAKE) test-build
	tests/run.sh

run: deps-run
	$(MAKE) ifhookd
	./ifhookd -f -v -c etc/ifhookd.conf

# Examples, never enabled: the hooks of hooks.d/, the installed configuration,
# the service files of contrib/ with this install's paths in them, and the PPP
# hooks and ip-up.d compatibility rules of contrib/ppp/.
EXAMPLE_DIRS := hooks.d systemd sysvinit openrc ppp
PPP_EXAMPLES := ppp-reconnect ppp-default-route ppp-notify run-ip-up
EXAMPLES := hooks.d/log-event ifhookd.conf systemd/ifhookd.service systemd/nonroot.conf \
	    sysvinit/ifhookd openrc/ifhookd $(PPP_EXAMPLES:%=ppp/%) ppp/ip-up-compat.conf
SED_PATHS = sed -e 's|/usr/sbin/ifhookd|$(SBINDIR)/ifhookd|g' \
		-e 's|/etc/ifhookd|$(SYSCONFDIR)/ifhookd|g'

# The configuration is installed only where there is none: an admin's is
# never overwritten, and `make uninstall` leaves it (and any hooks) in place.
install: ifhookd
	install -D -m 0755 ifhookd $(DESTDIR)$(SBINDIR)/ifhookd
	install -D -m 0644 man/ifhookd.8 $(DESTDIR)$(MANDIR)/man8/ifhookd.8
	install -D -m 0644 man/ifhookd.conf.5 $(DESTDIR)$(MANDIR)/man5/ifhookd.conf.5
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/ifhookd/hooks.d $(DESTDIR)$(SYSCONFDIR)/ifhookd/rules.d
	[ -e $(DESTDIR)$(SYSCONFDIR)/ifhookd/ifhookd.conf ] || \
		install -m 0644 contrib/ifhookd.conf.installed $(DESTDIR)$(SYSCONFDIR)/ifhookd/ifhookd.conf
	install -d -m 0755 $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(EXAMPLE_DIRS))
	install -m 0755 hooks.d/log-event $(DESTDIR)$(EXAMPLESDIR)/hooks.d/log-event
	install -m 0644 contrib/ifhookd.conf.installed $(DESTDIR)$(EXAMPLESDIR)/ifhookd.conf
	$(SED_PATHS) contrib/systemd/ifhookd.service >$(DESTDIR)$(EXAMPLESDIR)/systemd/ifhookd.service
	install -m 0644 contrib/systemd/nonroot.conf $(DESTDIR)$(EXAMPLESDIR)/systemd/nonroot.conf
	$(SED_PATHS) contrib/sysvinit/ifhookd >$(DESTDIR)$(EXAMPLESDIR)/sysvinit/ifhookd
	$(SED_PATHS) contrib/openrc/ifhookd >$(DESTDIR)$(EXAMPLESDIR)/openrc/ifhookd
	chmod 0644 $(DESTDIR)$(EXAMPLESDIR)/systemd/ifhookd.service
	chmod 0755 $(DESTDIR)$(EXAMPLESDIR)/sysvinit/ifhookd $(DESTDIR)$(EXAMPLESDIR)/openrc/ifhookd
	install -m 0755 $(PPP_EXAMPLES:%=contrib/ppp/%) $(DESTDIR)$(EXAMPLESDIR)/ppp/
	install -m 0644 contrib/ppp/ip-up-compat.conf $(DESTDIR)$(EXAMPLESDIR)/ppp/

# Empty directories go too; the configuration, and hooks_dir or rules_dir
# holding anything, stay.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/ifhookd $(DESTDIR)$(MANDIR)/man8/ifhookd.8 \
	      $(DESTDIR)$(MANDIR)/man5/ifhookd.conf.5 \
	      $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(EXAMPLES))
	for d in $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(EXAMPLE_DIRS)) $(DESTDIR)$(EXAMPLESDIR) \
		 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/ifhookd/hooks.d \
		 $(DESTDIR)$(SYSCONFDIR)/ifhookd/rules.d; do \
		[ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || echo "uninstall: kept $$d (not empty)"; \
	done

clean:
	rm -rf build ifhookd

# ---- Fuzzing: libFuzzer targets under ASan and UBSan (needs clang) ----
# The targets link the library sources directly, like build/asan/unit-tests.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 15
FUZZ_NAMES := netlink config
FUZZ_BINS := $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
FUZZ_SANFLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
		-fno-sanitize-recover=all

.PHONY: fuzz fuzz-check fuzz-seeds

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_netlink.h $(LIB_SRCS) $(DEPS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(CFLAGS) -O1 $(FUZZ_SANFLAGS) -iquote src -o $@ $< $(LIB_SRCS) $(LDLIBS)

test-build: $(FUZZ_BINS)

# Each target for FUZZ_SECONDS; the corpus grows in build/fuzz/work/NAME,
# never in the tree (copy what is worth keeping into tests/fuzz/corpus/ by hand).
fuzz: $(FUZZ_BINS)
	@for n in $(FUZZ_NAMES); do \
		tests/fuzz/fuzz.sh $$n $(FUZZ_SECONDS) build/fuzz/work/$$n || exit 1; \
	done

# The short run that tests/run.sh (make check) does too.
fuzz-check: $(FUZZ_BINS)
	@for n in $(FUZZ_NAMES); do \
		tests/fuzz/fuzz.sh $$n $(FUZZ_CHECK_SECONDS) || exit 1; \
	done

# Rewrites the netlink seeds from tests/fuzz/gen_seeds.c.
build/fuzz/gen_seeds: tests/fuzz/gen_seeds.c tests/fuzz/fuzz_netlink.h tests/unit/nlbuild.c tests/unit/nlbuild.h
	@mkdir -p build/fuzz
	$(CC) $(CFLAGS) -iquote tests/unit -o $@ tests/fuzz/gen_seeds.c tests/unit/nlbuild.c $(LDLIBS)

fuzz-seeds: build/fuzz/gen_seeds
	@mkdir -p tests/fuzz/corpus/netlink
	build/fuzz/gen_seeds tests/fuzz/corpus/netlink

# ---- The real-PPP end-to-end test alone (make check runs it too, as
# integration:ppp-real): Debian's kernel in QEMU with a real pppd pair.
# The kernel and busybox are cached in IFHOOKD_PPP_CACHE (default
# ~/.cache/ifhookd-ppp); as root, missing packages are installed.
.PHONY: ppp-test
ppp-test: ifhookd
	tests/ppp/test.sh

# ---- Captures (ifhookd record/replay): the fixtures of tests/data/ and the
# pcap reader's fuzz target. `make test-data` rewrites tests/data/*.pcap from
# tests/tools/gen_captures.c; review what they replay to, then update
# tests/data/*.events (tests/integration/replay-data.sh compares both).
build/gen_captures: tests/tools/gen_captures.c tests/unit/nlbuild.c tests/unit/pcapbuild.c \
		    build/libifhookd.a $(DEPS)
	$(CC) $(CFLAGS) -iquote src -iquote tests/unit -o $@ tests/tools/gen_captures.c \
		tests/unit/nlbuild.c tests/unit/pcapbuild.c build/libifhookd.a $(LDLIBS)

.PHONY: test-data
test-data: build/gen_captures
	build/gen_captures tests/data

test-build: build/gen_captures

FUZZ_NAMES += pcap
FUZZ_BINS += build/fuzz/fuzz_pcap
test-build fuzz fuzz-check: build/fuzz/fuzz_pcap

# ---- make bench (root): speed, cost and scale of ifhookd side by side with
# ip monitor, an ip-monitor shell loop, a pyroute2 loop, ifplugd, busybox
# ifplugd and netplug, each scenario in a fresh private network namespace;
# prints a table (also build/bench/table.txt). BENCH_QUICK=1: reduced counts.
# Other knobs: see tests/bench/bench.sh. tests/bench/deps.sh installs the peers.
BENCH_BINS := build/bench/stamp build/bench/trigger build/bench/nlwatch build/bench/classbench

build/bench/stamp build/bench/trigger build/bench/nlwatch: build/bench/%: tests/bench/%.c
	@mkdir -p build/bench
	$(CC) $(CFLAGS) -o $@ $<

# Like build/asan/unit-tests, it compiles the library sources itself.
build/bench/classbench: tests/bench/classbench.c tests/unit/nlbuild.c $(LIB_SRCS) $(DEPS)
	@mkdir -p build/bench
	$(CC) $(CFLAGS) -iquote src -iquote tests/unit -o $@ tests/bench/classbench.c \
		tests/unit/nlbuild.c $(LIB_SRCS) $(LDLIBS)

.PHONY: bench
bench: deps-run
	$(MAKE) ifhookd build/tunppp $(BENCH_BINS)
	tests/bench/bench.sh
