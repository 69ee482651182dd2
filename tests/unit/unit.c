/* Purpose: runs every registered unit test and prints one PASS/FAIL line each. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_TESTS 512

static struct {
	const char *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static int n_tests;
static int current_failures;

void unit_register(const char *name, void (*fn)(void))
{
	if (n_tests == MAX_TESTS) {
		fprintf(stderr, "unit: too many tests\n");
		exit(2);
	}
	tests[n_tests].name = name;
	tests[n_tests].fn = fn;
	n_tests++;
}

void unit_fail(const char *file, int line, const char *what)
{
	current_failures++;
	printf("  %s:%d: check failed: %s\n", file, line, what);
}

void unit_fail_str(const char *file, int line, const char *what, const char *got,
		   const char *want)
{
	current_failures++;
	printf("  %s:%d: %s is \"%s\", expected \"%s\"\n", file, line, what,
	       got ? got : "(null)", want ? want : "(null)");
}

int main(int argc, char **argv)
{
	const char *suite = argc > 1 ? argv[1] : "unit";
	int failed = 0;

	/* Constructors register in reverse order on some toolchains: sort by
	 * nothing, but run in registration order for stable output. */
	for (int i = 0; i < n_tests; i++) {
		current_failures = 0;
		tests[i].fn();
		printf("%s %s:%s\n", current_failures ? "FAIL" : "PASS", suite,
		       tests[i].name);
		if (current_failures)
			failed++;
	}
	fflush(stdout);
	return failed ? 1 : 0;
}
