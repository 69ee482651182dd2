/* Purpose: a tiny unit-test harness: TEST() registers, CHECK() records failures. */
#ifndef IFHOOKD_UNIT_H
#define IFHOOKD_UNIT_H

#include <stdbool.h>
#include <string.h>

void unit_register(const char *name, void (*fn)(void));
void unit_fail(const char *file, int line, const char *what);
void unit_fail_str(const char *file, int line, const char *what, const char *got,
		   const char *want);

#define TEST(name)                                                                 \
	static void name(void);                                                    \
	__attribute__((constructor)) static void unit_reg_##name(void)             \
	{                                                                          \
		unit_register(#name, name);                                        \
	}                                                                          \
	static void name(void)

#define CHECK(cond)                                                                \
	do {                                                                       \
		if (!(cond))                                                       \
			unit_fail(__FILE__, __LINE__, #cond);                      \
	} while (0)

/* Compares two C strings (NULL counts as ""), printing both on mismatch. */
#define CHECK_STR(got, want)                                                       \
	do {                                                                       \
		const char *unit_g = (got), *unit_w = (want);                      \
		if (strcmp(unit_g ? unit_g : "", unit_w ? unit_w : "") != 0)       \
			unit_fail_str(__FILE__, __LINE__, #got, unit_g, unit_w);   \
	} while (0)

#endif
