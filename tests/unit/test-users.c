/* SPDX-License-Identifier: GPL-2.0-or-later */
/* uid -> user name: names from the password database, numbers for the rest, cached. */
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "users.h"

/* A uid the password database does not know, looked up the way the library does. */
static uid_t unknown_uid(void)
{
	struct passwd pw, *res;
	char buf[4096];
	for (uid_t uid = 3999999000u;; uid++)
		if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || !res)
			return uid;
}

static void test_known_names(void **state)
{
	struct users *u = users_new();
	assert_non_null(u);

	/* every system has root, and names it so */
	assert_string_equal(users_name(u, 0), "root");

	/* any other uid the database knows gets the database's name */
	uid_t uids[50];
	int checked = 0;
	struct passwd *pw;
	setpwent();
	while (checked < 50 && (pw = getpwent()))
		uids[checked++] = pw->pw_uid;
	endpwent();
	for (int i = 0; i < checked; i++) {
		/* a uid listed twice resolves to its first entry, as getpwuid says */
		pw = getpwuid(uids[i]);
		assert_non_null(pw);
		assert_string_equal(users_name(u, uids[i]), pw->pw_name);
	}
	assert_true(checked > 0);
	users_free(u);
}

static void test_unknown_is_number(void **state)
{
	struct users *u = users_new();
	uid_t uid = unknown_uid();
	char want[16];

	snprintf(want, sizeof(want), "%u", (unsigned)uid);
	assert_string_equal(users_name(u, uid), want);
	/* the overflow uid and the largest one print in full, unsigned */
	if (!getpwuid((uid_t)-1))
		assert_string_equal(users_name(u, (uid_t)-1), "4294967295");
	if (!getpwuid((uid_t)-2))
		assert_string_equal(users_name(u, (uid_t)-2), "4294967294");
	users_free(u);
}

static void test_cache(void **state)
{
	enum { N = 100 };
	struct users *u = users_new();
	const char *first[N];
	uid_t base = unknown_uid();

	/* more uids than the first allocation holds: earlier answers stay valid */
	for (unsigned i = 0; i < N; i++)
		first[i] = users_name(u, base + i);
	for (unsigned i = 0; i < N; i++) {
		char want[16];
		snprintf(want, sizeof(want), "%u", (unsigned)(base + i));
		if (getpwuid(base + i))
			continue; /* a real user right after our unknown uid: unlikely, not ours to test */
		assert_string_equal(first[i], want);
		/* the same string again: looked up once */
		assert_ptr_equal(users_name(u, base + i), first[i]);
	}
	assert_ptr_equal(users_name(u, 0), users_name(u, 0));
	users_free(u);
	/* freeing nothing is fine */
	users_free(NULL);
	u = users_new();
	users_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_names),
		cmocka_unit_test(test_unknown_is_number),
		cmocka_unit_test(test_cache),
	};
	return cmocka_run_group_tests_name("users", tests, NULL, NULL);
}
