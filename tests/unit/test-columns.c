/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "columns.h"

static void test_table_sane(void **state)
{
	for (int i = 0; i < COL_COUNT; i++) {
		const struct column_info *c = &column_table[i];
		assert_non_null(c->name);
		assert_non_null(c->help);
		assert_non_null(c->get);
		assert_true(strlen(c->help) > 0);
		for (const char *p = c->name; *p; p++)
			assert_true(isupper((unsigned char)*p));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(c->name, column_table[j].name);
		assert_int_equal(column_from_name(c->name, strlen(c->name)), i);
	}
}

static void test_parse_replace(void **state)
{
	int cols[COLUMNS_MAX] = { COL_PID };
	size_t n = 1;
	char *bad = NULL;

	assert_int_equal(columns_parse("NS,type,Nprocs", cols, &n, COLUMNS_MAX, &bad), 0);
	assert_int_equal(n, 3);
	assert_int_equal(cols[0], COL_NS);
	assert_int_equal(cols[1], COL_TYPE);
	assert_int_equal(cols[2], COL_NPROCS);
	assert_null(bad);
}

static void test_parse_append(void **state)
{
	int cols[COLUMNS_MAX] = { COL_NS, COL_TYPE };
	size_t n = 2;
	char *bad = NULL;

	assert_int_equal(columns_parse("+path,ONS", cols, &n, COLUMNS_MAX, &bad), 0);
	assert_int_equal(n, 4);
	assert_int_equal(cols[0], COL_NS);
	assert_int_equal(cols[2], COL_PATH);
	assert_int_equal(cols[3], COL_ONS);
	/* duplicates are allowed, as in lsns */
	assert_int_equal(columns_parse("+NS", cols, &n, COLUMNS_MAX, &bad), 0);
	assert_int_equal(n, 5);
	assert_int_equal(cols[4], COL_NS);
}

static void test_parse_unknown(void **state)
{
	int cols[COLUMNS_MAX] = { COL_NS };
	size_t n = 1;
	char *bad = NULL;

	assert_int_equal(columns_parse("NS,FOO,TYPE", cols, &n, COLUMNS_MAX, &bad), -EINVAL);
	assert_string_equal(bad, "FOO");
	free(bad);
	/* on failure the list is unchanged */
	assert_int_equal(n, 1);
	assert_int_equal(cols[0], COL_NS);

	assert_int_equal(columns_parse("NS,,TYPE", cols, &n, COLUMNS_MAX, &bad), -EINVAL);
	assert_string_equal(bad, "");
	free(bad);
	assert_int_equal(columns_parse("", cols, &n, COLUMNS_MAX, &bad), -EINVAL);
	free(bad);
	assert_int_equal(columns_parse("+", cols, &n, COLUMNS_MAX, &bad), -EINVAL);
	free(bad);
	assert_int_equal(columns_parse("NS,", cols, &n, COLUMNS_MAX, &bad), -EINVAL);
	free(bad);
	assert_int_equal(columns_parse("NSX", cols, &n, COLUMNS_MAX, &bad), -EINVAL);
	assert_string_equal(bad, "NSX");
	free(bad);
}

static void test_parse_too_many(void **state)
{
	int cols[4];
	size_t n = 0;
	char *bad = NULL;

	assert_int_equal(columns_parse("NS,NS,NS,NS", cols, &n, 4, &bad), 0);
	assert_int_equal(columns_parse("NS,NS,NS,NS,NS", cols, &n, 4, &bad), -E2BIG);
	assert_int_equal(columns_parse("+NS", cols, &n, 4, &bad), -E2BIG);
	assert_null(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sane),
		cmocka_unit_test(test_parse_replace),
		cmocka_unit_test(test_parse_append),
		cmocka_unit_test(test_parse_unknown),
		cmocka_unit_test(test_parse_too_many),
	};
	return cmocka_run_group_tests_name("columns", tests, NULL, NULL);
}
