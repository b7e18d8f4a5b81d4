/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "filter.h"

/* Three columns: NS (number), TYPE (string), NPROCS (number). */
static const char *names[] = { "NS", "TYPE", "NPROCS" };
static const enum filter_type types[] = { FILTER_NUMBER, FILTER_STRING, FILTER_NUMBER };

static int lookup(const char *name, size_t len, enum filter_type *ret_type)
{
	for (int i = 0; i < 3; i++)
		if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0) {
			*ret_type = types[i];
			return i;
		}
	return -1;
}

struct row {
	const char *v[3];
};

static const char *value(void *ctx, int column)
{
	return ((struct row *)ctx)->v[column];
}

static bool match(const char *expr, struct row *row)
{
	struct filter *f = NULL;
	struct filter_error err;
	int r = filter_parse(expr, lookup, &f, &err);
	if (r != 0)
		fail_msg("parse of '%s' failed at %zu: %s", expr, err.pos, err.msg);
	bool m = filter_eval(f, value, row);
	filter_free(f);
	return m;
}

static void test_compare(void **state)
{
	struct row net = { { "4026531833", "net", "65" } };
	struct row uts = { { "4026532100", "uts", "9" } };

	assert_true(match("TYPE == \"net\"", &net));
	assert_false(match("TYPE == \"net\"", &uts));
	assert_true(match("type eq 'uts'", &uts));
	assert_true(match("TYPE != 'net'", &uts));
	/* numbers compare as numbers: 9 < 65, though "9" > "65" as strings */
	assert_true(match("NPROCS < 65", &uts));
	assert_true(match("NPROCS lt 10", &uts));
	assert_true(match("NPROCS >= 65", &net));
	assert_true(match("NPROCS ge 65 and NPROCS le 65", &net));
	assert_true(match("NPROCS > 64.5", &net));
	assert_true(match("NS == 4026531833", &net));
	assert_true(match("NPROCS != NS", &net));
}

static void test_logic(void **state)
{
	struct row net = { { "4026531833", "net", "65" } };

	assert_true(match("TYPE == 'net' && NPROCS > 1", &net));
	assert_false(match("TYPE == 'net' && NPROCS > 100", &net));
	assert_true(match("TYPE == 'pid' || NPROCS > 1", &net));
	assert_true(match("!(TYPE == 'pid')", &net));
	assert_true(match("not TYPE == 'pid'", &net));
	assert_true(match("(TYPE == 'pid' or TYPE == 'net') and not NPROCS < 2", &net));
	/* and binds tighter than or */
	assert_true(match("TYPE == 'net' or TYPE == 'pid' and NPROCS > 1000", &net));
	assert_false(match("(TYPE == 'net' or TYPE == 'pid') and NPROCS > 1000", &net));
}

static void test_regex_and_bare(void **state)
{
	struct row net = { { "4026531833", "net", "65" } };
	struct row empty = { { "1", NULL, "0" } };

	assert_true(match("TYPE =~ '^n.t$'", &net));
	assert_true(match("TYPE =~ '^n(e|x)+t*[]a+]*$' && TYPE =~ 'e{1,3}' && TYPE =~ '(n{1}e?){1,2}'", &net));
	assert_false(match("TYPE !~ 'e'", &net));
	assert_true(match("TYPE !~ 'x'", &net));
	assert_true(match("TYPE", &net));
	assert_false(match("TYPE", &empty));
	assert_false(match("NPROCS", &empty)); /* 0 is false */
	assert_true(match("NPROCS", &net));
	/* an empty value is an empty string, and no number */
	assert_true(match("TYPE == ''", &empty));
	assert_false(match("NPROCS > 5", &empty));
}

static void expect_error(const char *expr, size_t pos, const char *needle)
{
	struct filter *f = NULL;
	struct filter_error err;
	assert_int_equal(filter_parse(expr, lookup, &f, &err), -EINVAL);
	if (err.pos != pos || !strstr(err.msg, needle))
		fail_msg("'%s': got pos %zu '%s', want pos %zu '%s'", expr, err.pos, err.msg, pos, needle);
	assert_null(f);
}

static void test_errors(void **state)
{
	expect_error("", 0, "empty");
	expect_error("FOO == 1", 0, "unknown column 'FOO'");
	expect_error("TYPE == 'net' && BAR", 17, "unknown column 'BAR'");
	expect_error("TYPE == 'net", 8, "unterminated");
	expect_error("(TYPE == 'net'", 0, "unbalanced '('");
	expect_error("TYPE == 'net')", 13, "unbalanced ')'");
	expect_error("TYPE = 'net'", 5, "unexpected character");
	expect_error("TYPE =~ '('", 8, "regular expression");
	/* found by fuzzing: stacked and nested repetitions make regcomp take gigabytes */
	expect_error("TYPE =~ ' ++++++++++++++++++++++++++++++'", 8, "too many repetitions");
	expect_error("TYPE =~ '((a{99}){99}){99}'", 8, "too many repetitions");
	expect_error("TYPE =~ 'a{9}{9}'", 8, "too many repetitions");
	expect_error("TYPE =~ NS", 5, "quoted regular expression");
	expect_error("TYPE ==", 7, "ends too early");
	expect_error("'net'", 5, "operator");
	expect_error("TYPE == 'a' TYPE", 12, "expected");
	expect_error("NPROCS > 12abc", 9, "malformed number");
	expect_error("NPROCS > 1.2.3", 9, "malformed number");
	expect_error("NPROCS > 1.", 9, "malformed number");
	expect_error("TYPE == 'a' &&", 14, "ends too early");
	/* found by fuzzing: an error right after a parenthesis leaked the group */
	expect_error("!(TYPE =~ '^n') \x1a", 16, "unexpected character");
}

static void test_limits(void **state)
{
	/* very deep or very long input is refused, never a stack overflow */
	size_t n = 100000;
	char *deep = malloc(n * 2 + 16);
	memset(deep, '(', n);
	strcpy(deep + n, "TYPE");
	struct filter *f = NULL;
	struct filter_error err;
	assert_int_equal(filter_parse(deep, lookup, &f, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "deeply"));
	free(deep);

	char *longexpr = malloc(n * 12 + 1);
	longexpr[0] = '\0';
	for (size_t i = 0; i < 10000; i++)
		strcat(longexpr, i ? " or NS == 1" : "NS == 1");
	assert_int_equal(filter_parse(longexpr, lookup, &f, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "too long"));
	free(longexpr);
}

static void collect(void *arg, int column)
{
	((int *)arg)[column]++;
}

static void test_columns_used(void **state)
{
	struct filter *f = NULL;
	struct filter_error err;
	int seen[3] = { 0 };
	assert_int_equal(filter_parse("TYPE == 'net' && NPROCS > NS", lookup, &f, &err), 0);
	filter_for_each_column(f, collect, seen);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 1);
	assert_int_equal(seen[2], 1);
	filter_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_logic),
		cmocka_unit_test(test_regex_and_bare),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_columns_used),
	};
	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
