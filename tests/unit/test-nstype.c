/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kernel.h"
#include "nstype.h"

static void test_names_round_trip(void **state)
{
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		assert_int_equal(nstype_from_name(nstype_table[t].name), t);
		assert_int_equal(nstype_from_clone_flag(nstype_table[t].clone_flag), t);
	}
}

static void test_unknown_names(void **state)
{
	assert_int_equal(nstype_from_name("foo"), -EINVAL);
	assert_int_equal(nstype_from_name(""), -EINVAL);
	assert_int_equal(nstype_from_name("NET"), -EINVAL);     /* lsns is case-sensitive for types */
	assert_int_equal(nstype_from_name("netx"), -EINVAL);
	assert_int_equal(nstype_from_name_len("network", 3), NSTYPE_NET);
	assert_int_equal(nstype_from_clone_flag(0), -EINVAL);
	assert_int_equal(nstype_from_clone_flag(CLONE_NEWNET | CLONE_NEWUTS), -EINVAL);
}

static void test_only_pid_and_user_have_parents(void **state)
{
	for (int t = 0; t < NSTYPE_COUNT; t++)
		assert_int_equal(nstype_table[t].has_parent, t == NSTYPE_PID || t == NSTYPE_USER);
}

static void test_flags_distinct(void **state)
{
	unsigned long seen = 0;
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		assert_int_equal(seen & nstype_table[t].clone_flag, 0);
		seen |= nstype_table[t].clone_flag;
	}
	assert_int_equal(nstype_table[NSTYPE_TIME].clone_flag, 0x80);
	assert_int_equal(nstype_table[NSTYPE_CGROUP].clone_flag, 0x02000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_only_pid_and_user_have_parents),
		cmocka_unit_test(test_flags_distinct),
	};
	return cmocka_run_group_tests_name("nstype", tests, NULL, NULL);
}
