# Purpose: build, test, run and install ifhookd with plain GNU make.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
MANDIR ?= $(PREFIX)/share/man
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
	$(CC) $(CFLAGS) -c -o $@ $<

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

install: ifhookd
	install -D -m 0755 ifhookd $(DESTDIR)$(SBINDIR)/ifhookd
	install -D -m 0644 man/ifhookd.8 $(DESTDIR)$(MANDIR)/man8/ifhookd.8
	install -D -m 0644 man/ifhookd.conf.5 $(DESTDIR)$(MANDIR)/man5/ifhookd.conf.5
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/ifhookd/hooks.d $(DESTDIR)$(SYSCONFDIR)/ifhookd/rules.d
	[ -e $(DESTDIR)$(SYSCONFDIR)/ifhookd/ifhookd.conf ] || \
		install -m 0644 contrib/ifhookd.conf.installed $(DESTDIR)$(SYSCONFDIR)/ifhookd/ifhookd.conf

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/ifhookd $(DESTDIR)$(MANDIR)/man8/ifhookd.8 \
	      $(DESTDIR)$(MANDIR)/man5/ifhookd.conf.5

clean:
	rm -rf build ifhookd
