/* Purpose: unit tests of the hook environment: the exact variables of each
 * event kind, the kernel names, and names with shell metacharacters. */
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "env.h"
#include "testip.h"
#include "unit.h"

#define P "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"

/* The whole environment as "A=1\nB=2\n", in order (malloc'd). */
static char *env_text(const struct event *ev, const char *rule)
{
	char **envp = event_env(ev, rule);
	size_t size = 1;
	char *out;

	for (size_t i = 0; envp[i]; i++)
		size += strlen(envp[i]) + 1;
	out = malloc(size);
	out[0] = '\0';
	for (size_t i = 0; envp[i]; i++) {
		strcat(out, envp[i]);
		strcat(out, "\n");
	}
	env_free(envp);
	return out;
}

static struct event eth0(enum event_type t)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.origin = ORIGIN_KERNEL;
	ev.seq = 42;
	ev.ifindex = 2;
	strcpy(ev.iface, "eth0");
	ev.has_link = true;
	ev.link.up = true;
	ev.link.operstate = 6; /* IF_OPER_UP */
	ev.link.type = ARPHRD_ETHER;
	ev.link.mtu = 1500;
	strcpy(ev.link.kind, "veth");
	strcpy(ev.link.mac, "02:00:00:00:00:01");
	ev.link.ip4_addrs = "192.0.2.1/24 198.51.100.7/32";
	ev.link.ip6_addrs = "2001:db8::1/64";
	return ev;
}

#define LINK_FACTS                                                                 \
	"LINK_STATE=up\nOPERSTATE=up\nIFKIND=veth\nIFTYPE=ether\nMTU=1500\n"      \
	"MAC=02:00:00:00:00:01\nIP4_ADDRS=192.0.2.1/24 198.51.100.7/32\n"          \
	"IP6_ADDRS=2001:db8::1/64\n"

TEST(env_link_up)
{
	struct event ev = eth0(EV_LINK_UP);
	char *got = env_text(&ev, "");

	CHECK_STR(got, "EVENT=link-up\nIFACE=eth0\nIFINDEX=2\nEVENT_ORIGIN=kernel\n"
		       "EVENT_SEQ=42\nRULE=\n" P LINK_FACTS);
	free(got);
}

TEST(env_link_added_at_startup_without_addresses)
{
	struct event ev = eth0(EV_LINK_ADDED);
	char *got;

	ev.origin = ORIGIN_STARTUP;
	ev.seq = 1;
	ev.link.up = false;
	ev.link.operstate = 2; /* IF_OPER_DOWN */
	ev.link.kind[0] = '\0';
	ev.link.mac[0] = '\0';
	ev.link.ip4_addrs = NULL;
	ev.link.ip6_addrs = NULL;
	got = env_text(&ev, "myrule");
	CHECK_STR(got, "EVENT=link-added\nIFACE=eth0\nIFINDEX=2\nEVENT_ORIGIN=startup\n"
		       "EVENT_SEQ=1\nRULE=myrule\n" P
		       "LINK_STATE=down\nOPERSTATE=down\nIFKIND=\nIFTYPE=ether\nMTU=1500\n"
		       "MAC=\nIP4_ADDRS=\nIP6_ADDRS=\n");
	free(got);
}

TEST(env_link_renamed_has_old_iface)
{
	struct event ev = eth0(EV_LINK_RENAMED);
	char *got;

	strcpy(ev.old_iface, "veth0");
	got = env_text(&ev, "");
	CHECK_STR(got, "EVENT=link-renamed\nIFACE=eth0\nIFINDEX=2\nEVENT_ORIGIN=kernel\n"
		       "EVENT_SEQ=42\nRULE=\n" P LINK_FACTS "OLD_IFACE=veth0\n");
	free(got);
}

TEST(env_address_added_v6)
{
	struct event ev = eth0(EV_ADDRESS_ADDED);
	char *got;

	ev.family = AF_INET6;
	ev.address.addr = testip_addr("2001:db8::1");
	ev.address.prefixlen = 64;
	ev.address.scope = 0;
	got = env_text(&ev, "");
	CHECK_STR(got, "EVENT=address-added\nIFACE=eth0\nIFINDEX=2\nEVENT_ORIGIN=kernel\n"
		       "EVENT_SEQ=42\nRULE=\n" P LINK_FACTS
		       "FAMILY=inet6\nADDRESS=2001:db8::1\nPREFIXLEN=64\nSCOPE=global\nPEER=\n");
	free(got);
}

TEST(env_address_removed_with_peer)
{
	struct event ev = eth0(EV_ADDRESS_REMOVED);
	char *got;

	ev.family = AF_INET;
	ev.address.addr = testip_addr("192.0.2.1");
	ev.address.prefixlen = 32;
	ev.address.scope = 253;
	ev.address.peer = testip_addr("192.0.2.2");
	got = env_text(&ev, "r");
	CHECK_STR(got, "EVENT=address-removed\nIFACE=eth0\nIFINDEX=2\nEVENT_ORIGIN=kernel\n"
		       "EVENT_SEQ=42\nRULE=r\n" P LINK_FACTS
		       "FAMILY=inet\nADDRESS=192.0.2.1\nPREFIXLEN=32\nSCOPE=link\n"
		       "PEER=192.0.2.2\n");
	free(got);
}

TEST(env_route_default_via_gateway)
{
	struct event ev = eth0(EV_ROUTE_ADDED);
	char *got;

	ev.family = AF_INET;
	ev.route.dst = testip_addr("0.0.0.0");
	ev.route.dst_len = 0;
	ev.route.gateway = testip_addr("192.0.2.254");
	ev.route.table = 254;
	ev.route.protocol = 16; /* RTPROT_DHCP */
	ev.route.metric = 100;
	got = env_text(&ev, "");
	CHECK_STR(got, "EVENT=route-added\nIFACE=eth0\nIFINDEX=2\nEVENT_ORIGIN=kernel\n"
		       "EVENT_SEQ=42\nRULE=\n" P LINK_FACTS
		       "FAMILY=inet\nROUTE_DST=default\nROUTE_GATEWAY=192.0.2.254\n"
		       "ROUTE_TABLE=main\nROUTE_PROTO=dhcp\nROUTE_METRIC=100\n");
	free(got);
}

TEST(env_route_without_device)
{
	struct event ev;
	char *got;

	memset(&ev, 0, sizeof(ev));
	ev.type = EV_ROUTE_REMOVED;
	ev.seq = 7;
	ev.family = AF_INET6;
	ev.route.dst = testip_addr("2001:db8:1::");
	ev.route.dst_len = 48;
	ev.route.table = 1000;
	ev.route.protocol = 99;
	ev.route.metric = 1024;
	got = env_text(&ev, "");
	CHECK_STR(got, "EVENT=route-removed\nIFACE=\nIFINDEX=0\nEVENT_ORIGIN=kernel\n"
		       "EVENT_SEQ=7\nRULE=\n" P
		       "FAMILY=inet6\nROUTE_DST=2001:db8:1::/48\nROUTE_GATEWAY=\n"
		       "ROUTE_TABLE=1000\nROUTE_PROTO=99\nROUTE_METRIC=1024\n");
	free(got);
}

TEST(env_ppp_connect)
{
	struct event ev = eth0(EV_PPP_CONNECT);
	char *got;

	strcpy(ev.iface, "ppp0");
	ev.ifindex = 12;
	ev.link.type = ARPHRD_PPP;
	ev.link.operstate = 0;
	strcpy(ev.link.kind, "ppp");
	ev.link.mac[0] = '\0';
	ev.link.mtu = 1492;
	ev.link.ip4_addrs = "192.0.2.1/32";
	ev.link.ip6_addrs = NULL;
	ev.family = AF_INET;
	ev.ppp.local = testip_addr("192.0.2.1");
	ev.ppp.remote = testip_addr("192.0.2.2");
	got = env_text(&ev, "");
	CHECK_STR(got, "EVENT=ppp-connect\nIFACE=ppp0\nIFINDEX=12\nEVENT_ORIGIN=kernel\n"
		       "EVENT_SEQ=42\nRULE=\n" P
		       "LINK_STATE=up\nOPERSTATE=unknown\nIFKIND=ppp\nIFTYPE=ppp\nMTU=1492\n"
		       "MAC=\nIP4_ADDRS=192.0.2.1/32\nIP6_ADDRS=\n"
		       "FAMILY=inet\nPPP_IFACE=ppp0\nPPP_LOCAL=192.0.2.1\nPPP_REMOTE=192.0.2.2\n");
	free(got);
}

TEST(env_ppp_disconnect_ipv6_only)
{
	struct event ev = eth0(EV_PPP_DISCONNECT);
	char *got;

	strcpy(ev.iface, "ppp1");
	ev.link.up = false;
	ev.link.type = ARPHRD_PPP;
	ev.family = AF_INET6;
	ev.ppp.local = testip_addr("fe80::1");
	ev.ppp.remote = testip_addr("fe80::2");
	got = env_text(&ev, "");
	CHECK(strstr(got, "\nFAMILY=inet6\nPPP_IFACE=ppp1\nPPP_LOCAL=fe80::1\n"
			  "PPP_REMOTE=fe80::2\n") != NULL);
	CHECK(strstr(got, "\nLINK_STATE=down\n") != NULL);
	free(got);
}

/* CONNECT_TIME: ppp-disconnect only, whole seconds; empty when unknown. */
TEST(env_ppp_disconnect_connect_time)
{
	struct event ev = eth0(EV_PPP_DISCONNECT);
	char *got;

	strcpy(ev.iface, "ppp0");
	ev.link.type = ARPHRD_PPP;
	ev.family = AF_INET;
	ev.ppp.local = testip_addr("192.0.2.1");
	ev.ppp.remote = testip_addr("192.0.2.2");
	ev.ppp.connect_time_known = true;
	ev.ppp.connect_time_ms = 3723999;
	got = env_text(&ev, "");
	CHECK(strstr(got, "\nPPP_REMOTE=192.0.2.2\nCONNECT_TIME=3723\n") != NULL);
	CHECK(strstr(got, "IFNAME=") == NULL && strstr(got, "PPP_TTY") == NULL);
	free(got);
	ev.ppp.connect_time_known = false;
	got = env_text(&ev, "");
	CHECK(strstr(got, "\nCONNECT_TIME=\n") != NULL);
	free(got);
	ev.type = EV_PPP_CONNECT;
	ev.ppp.connect_time_known = true;
	got = env_text(&ev, "");
	CHECK(strstr(got, "CONNECT_TIME") == NULL);
	free(got);
}

/* args = pppd: pppd's and Debian's ip-up names after the usual ones, and
 * pppd's argument order with the placeholders. */
TEST(env_pppd_variables_and_arguments)
{
	struct event ev = eth0(EV_PPP_DISCONNECT);
	char **envp, *argv[PPPD_ARGC + 1], *got;
	size_t size = 1;

	strcpy(ev.iface, "ppp3");
	ev.link.type = ARPHRD_PPP;
	ev.family = AF_INET;
	ev.ppp.local = testip_addr("203.0.113.7");
	ev.ppp.remote = testip_addr("203.0.113.1");
	ev.ppp.connect_time_known = true;
	ev.ppp.connect_time_ms = 61000;
	envp = event_env_pppd(&ev, "compat");
	for (size_t i = 0; envp[i]; i++)
		size += strlen(envp[i]) + 1;
	got = calloc(1, size);
	for (size_t i = 0; envp[i]; i++) {
		strcat(got, envp[i]);
		strcat(got, "\n");
	}
	env_free(envp);
	CHECK(strstr(got, "\nRULE=compat\n") != NULL);
	CHECK(strstr(got, "\nFAMILY=inet\nPPP_IFACE=ppp3\nPPP_LOCAL=203.0.113.7\n"
			  "PPP_REMOTE=203.0.113.1\nCONNECT_TIME=61\n"
			  "IFNAME=ppp3\nIPLOCAL=203.0.113.7\nIPREMOTE=203.0.113.1\n"
			  "PPP_TTY=\nPPP_TTYNAME=\nPPP_SPEED=0\nPPP_IPPARAM=\n") != NULL);
	CHECK(strstr(got, "DEVICE=") == NULL && strstr(got, "\nSPEED=") == NULL);
	free(got);

	pppd_args(&ev, argv);
	argv[PPPD_ARGC] = NULL;
	CHECK_STR(argv[0], "ppp3");
	CHECK_STR(argv[1], "");
	CHECK_STR(argv[2], "0");
	CHECK_STR(argv[3], "203.0.113.7");
	CHECK_STR(argv[4], "203.0.113.1");
	CHECK_STR(argv[5], "");
	for (int i = 0; i < PPPD_ARGC; i++)
		free(argv[i]);
}

TEST(env_shell_metacharacters_byte_for_byte)
{
	/* 15 bytes, the longest name the kernel allows. */
	static const char name[] = "a$(id)`b`;\"'\\ *";
	struct event ev = eth0(EV_LINK_UP);
	char **envp;

	CHECK(strlen(name) == 15);
	memcpy(ev.iface, name, sizeof(name));
	envp = event_env(&ev, "r");
	CHECK_STR(envp[1], "IFACE=a$(id)`b`;\"'\\ *");
	CHECK(memcmp(envp[1] + 6, name, sizeof(name)) == 0);
	env_free(envp);
}

TEST(env_full_name_field_is_terminated)
{
	/* A name field without its NUL must not run into the next field. */
	struct event ev = eth0(EV_LINK_RENAMED);
	char **envp;

	memset(ev.iface, 'x', sizeof(ev.iface));
	memset(ev.old_iface, 'y', sizeof(ev.old_iface));
	envp = event_env(&ev, "");
	CHECK(strlen(envp[1]) == strlen("IFACE=") + IF_NAMESIZE);
	for (size_t i = 0; envp[i]; i++)
		if (strncmp(envp[i], "OLD_IFACE=", 10) == 0)
			CHECK(strlen(envp[i]) == 10 + IF_NAMESIZE);
	env_free(envp);
}

TEST(env_every_entry_is_name_equals_value)
{
	static const enum event_type types[] = {EV_LINK_UP, EV_ADDRESS_ADDED, EV_ROUTE_CHANGED,
						EV_PPP_CONNECT, EV_LINK_RENAMED};

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		struct event ev = eth0(types[t]);
		char **envp = event_env(&ev, "rule");
		size_t n = 0;

		for (; envp[n]; n++) {
			const char *eq = strchr(envp[n], '=');

			CHECK(eq != NULL && eq > envp[n]);
			/* No name twice. */
			for (size_t j = 0; j < n && eq; j++)
				CHECK(strncmp(envp[j], envp[n], (size_t)(eq - envp[n]) + 1) != 0);
		}
		CHECK(n >= 15);
		env_free(envp);
	}
}

TEST(env_kernel_names)
{
	char buf[12];

	CHECK_STR(operstate_name(0), "unknown");
	CHECK_STR(operstate_name(1), "notpresent");
	CHECK_STR(operstate_name(2), "down");
	CHECK_STR(operstate_name(3), "lowerlayerdown");
	CHECK_STR(operstate_name(4), "testing");
	CHECK_STR(operstate_name(5), "dormant");
	CHECK_STR(operstate_name(6), "up");
	CHECK_STR(operstate_name(77), "unknown");

	CHECK_STR(scope_name(0, buf), "global");
	CHECK_STR(scope_name(200, buf), "site");
	CHECK_STR(scope_name(253, buf), "link");
	CHECK_STR(scope_name(254, buf), "host");
	CHECK_STR(scope_name(17, buf), "17");

	CHECK_STR(iftype_name(ARPHRD_ETHER, buf), "ether");
	CHECK_STR(iftype_name(ARPHRD_LOOPBACK, buf), "loopback");
	CHECK_STR(iftype_name(512, buf), "ppp");
	CHECK_STR(iftype_name(0xFFFE, buf), "none");
	CHECK_STR(iftype_name(768, buf), "ipip");
	CHECK_STR(iftype_name(769, buf), "tunnel6");
	CHECK_STR(iftype_name(776, buf), "sit");
	CHECK_STR(iftype_name(778, buf), "gre");
	CHECK_STR(iftype_name(823, buf), "ip6gre");
	CHECK_STR(iftype_name(32, buf), "infiniband");
	CHECK_STR(iftype_name(801, buf), "ieee802.11");
	CHECK_STR(iftype_name(280, buf), "can");
	CHECK_STR(iftype_name(519, buf), "rawip");
	CHECK_STR(iftype_name(0xFFFF, buf), "void");
	CHECK_STR(iftype_name(65535u + 1, buf), "65536");
	CHECK_STR(iftype_name(803, buf), "803");

	CHECK_STR(proto_name(1, buf), "redirect");
	CHECK_STR(proto_name(2, buf), "kernel");
	CHECK_STR(proto_name(3, buf), "boot");
	CHECK_STR(proto_name(4, buf), "static");
	CHECK_STR(proto_name(9, buf), "ra");
	CHECK_STR(proto_name(16, buf), "dhcp");
	CHECK_STR(proto_name(186, buf), "186");

	CHECK_STR(table_name(254, buf), "main");
	CHECK_STR(table_name(253, buf), "default");
	CHECK_STR(table_name(255, buf), "local");
	CHECK_STR(table_name(4294967295u, buf), "4294967295");
	CHECK_STR(table_name(0, buf), "0");
}
