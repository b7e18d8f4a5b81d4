/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "procfs.h"

#define S(lit) lit, sizeof(lit) - 1

static void test_nslink_valid(void **state)
{
	enum nstype t;
	uint64_t ino;

	assert_int_equal(procfs_parse_nslink(S("net:[4026531833]"), &t, &ino), 0);
	assert_int_equal(t, NSTYPE_NET);
	assert_int_equal(ino, 4026531833ULL);
	assert_int_equal(procfs_parse_nslink(S("cgroup:[1]"), &t, &ino), 0);
	assert_int_equal(t, NSTYPE_CGROUP);
	assert_int_equal(ino, 1);
	/* the largest inode that fits */
	assert_int_equal(procfs_parse_nslink(S("user:[18446744073709551615]"), &t, &ino), 0);
	assert_true(ino == UINT64_MAX);
}

static void test_nslink_malformed(void **state)
{
	enum nstype t = NSTYPE_COUNT;
	uint64_t ino = 42;
	static const char *bad[] = {
		"", "net", "net:", "net:[", "net:[]", "net:[12", "net:12]", "net:[12]x",
		"net:[-1]", "net:[ 1]", "net:[1 ]", "net:[0x10]", "bogus:[1]", ":[1]",
		"net[1]", "net:[0]", "NET:[1]", "net:[1]]", "pid_for_children",
		/* huge: one past UINT64_MAX, and far more digits */
		"net:[18446744073709551616]", "net:[99999999999999999999999999999999]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(procfs_parse_nslink(bad[i], strlen(bad[i]), &t, &ino), -EINVAL);
	/* outputs untouched on failure */
	assert_int_equal(t, NSTYPE_COUNT);
	assert_int_equal(ino, 42);
}

static void test_nslink_truncated(void **state)
{
	const char *full = "mnt:[4026531841]";
	enum nstype t;
	uint64_t ino;

	/* readlink into a short buffer returns a prefix: every prefix must be refused */
	for (size_t len = 0; len < strlen(full); len++)
		assert_int_equal(procfs_parse_nslink(full, len, &t, &ino), -EINVAL);
	assert_int_equal(procfs_parse_nslink(full, strlen(full), &t, &ino), 0);
}

static void test_stat_plain(void **state)
{
	struct procfs_stat st;
	assert_int_equal(procfs_parse_stat(S("1234 (bash) S 1000 1234 1234 34816 0"), &st), 0);
	assert_string_equal(st.comm, "bash");
	assert_int_equal(st.ppid, 1000);
	assert_int_equal(st.state, 'S');
}

static void test_stat_tricky_comm(void **state)
{
	struct procfs_stat st;

	assert_int_equal(procfs_parse_stat(S("7 (a b) c) R 1 7 7"), &st), 0);
	assert_string_equal(st.comm, "a b) c");
	assert_int_equal(st.ppid, 1);

	assert_int_equal(procfs_parse_stat(S("8 ((x)) S 2 8"), &st), 0);
	assert_string_equal(st.comm, "(x)");
	assert_int_equal(st.ppid, 2);

	assert_int_equal(procfs_parse_stat(S("9 (new\nline) S 3 9"), &st), 0);
	assert_string_equal(st.comm, "new\nline");
	assert_int_equal(st.ppid, 3);

	assert_int_equal(procfs_parse_stat(S("10 () Z 0 0"), &st), 0);
	assert_string_equal(st.comm, "");
	assert_int_equal(st.ppid, 0);
	assert_int_equal(st.state, 'Z');

	/* 16 bytes: a name of 15 characters plus the kernel's padding */
	assert_int_equal(procfs_parse_stat(S("11 (123456789012345) S 5 11"), &st), 0);
	assert_string_equal(st.comm, "123456789012345");

	/* workqueue workers report long names; they are cut at PROCFS_COMM_MAX */
	char buf[256], longname[100];
	memset(longname, 'w', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	int n = snprintf(buf, sizeof(buf), "12 (%s) I 2 0", longname);
	assert_int_equal(procfs_parse_stat(buf, (size_t)n, &st), 0);
	assert_int_equal(strlen(st.comm), PROCFS_COMM_MAX);
	assert_int_equal(st.ppid, 2);
}

static void test_stat_malformed(void **state)
{
	struct procfs_stat st;
	static const char *bad[] = {
		"", "1234", "1234 (bash", "1234 bash) S 1", "1234 (bash) S", "1234 (bash) S ",
		"1234 (bash)S 1", "1234 (bash) S x", "1234 (bash) S -1", "1234 (bash) S 1x",
		"1234 (bash) S 99999999999",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(procfs_parse_stat(bad[i], strlen(bad[i]), &st), -EINVAL);
}

static void test_stat_truncated(void **state)
{
	const char *full = "4321 (sleep) S 77 4321 4321 0 -1";
	struct procfs_stat st;

	/* a short read may end anywhere; the ppid must never be half a number */
	for (size_t len = 0; len <= strlen("4321 (sleep) S 77"); len++)
		assert_int_not_equal(procfs_parse_stat(full, len, &st), 0);
	assert_int_equal(procfs_parse_stat(full, strlen(full), &st), 0);
	assert_int_equal(st.ppid, 77);
}

static void test_escape(void **state)
{
	char out[64];

	assert_int_equal(procfs_escape(S("plain name"), out, sizeof(out)), 10);
	assert_string_equal(out, "plain name");
	procfs_escape(S("\x1b[31mred\a"), out, sizeof(out));
	assert_string_equal(out, "\\x1b[31mred\\x07");
	procfs_escape(S("tab\there\nnl\x7f"), out, sizeof(out));
	assert_string_equal(out, "tab\\x09here\\x0anl\\x7f");
	/* valid UTF-8 passes, invalid bytes and C1 controls are escaped */
	procfs_escape(S("caf\xc3\xa9"), out, sizeof(out));
	assert_string_equal(out, "caf\xc3\xa9");
	procfs_escape(S("bad\xff\xc3"), out, sizeof(out));
	assert_string_equal(out, "bad\\xff\\xc3");
	procfs_escape(S("c1\xc2\x9b" "2J"), out, sizeof(out));
	assert_string_equal(out, "c1\\xc2\\x9b2J");
	procfs_escape(S("overlong\xc0\xaf"), out, sizeof(out));
	assert_string_equal(out, "overlong\\xc0\\xaf");
	/* a literal "\\x41" cannot pass for an escaped byte; other backslashes stay */
	procfs_escape(S("a\\x41 b\\n"), out, sizeof(out));
	assert_string_equal(out, "a\\x5cx41 b\\n");
}

static void test_escape_bounds(void **state)
{
	char out[6];

	/* never writes past outsz, never splits an escape */
	assert_int_equal(procfs_escape(S("abcdefgh"), out, sizeof(out)), 5);
	assert_string_equal(out, "abcde");
	assert_int_equal(procfs_escape(S("a\x01"), out, sizeof(out)), 5);
	assert_string_equal(out, "a\\x01");
	assert_int_equal(procfs_escape(S("ab\x01"), out, sizeof(out)), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(procfs_escape(S("abcd\xc3\xa9"), out, sizeof(out)), 4);
	assert_string_equal(out, "abcd");
	assert_int_equal(procfs_escape(S("x"), out, 0), 0);
}

static void test_cmdline(void **state)
{
	char out[128];

	procfs_format_cmdline(S("sleep\0" "100\0"), out, sizeof(out));
	assert_string_equal(out, "sleep 100");
	procfs_format_cmdline(S("sh\0-c\0echo a\x1b" "b\0\0\0"), out, sizeof(out));
	/* bytes stay raw: the output layer escapes them, exactly once */
	assert_string_equal(out, "sh -c echo a\x1b" "b");
	/* a process that rewrote its cmdline without NULs */
	procfs_format_cmdline(S("nginx: worker process"), out, sizeof(out));
	assert_string_equal(out, "nginx: worker process");
	/* empty arguments keep their separators */
	procfs_format_cmdline(S("a\0\0b\0"), out, sizeof(out));
	assert_string_equal(out, "a  b");
	assert_int_equal(procfs_format_cmdline(S("\0\0"), out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void test_parse_numbers(void **state)
{
	pid_t pid;
	uint64_t v;

	assert_int_equal(procfs_parse_pid("1", &pid), 0);
	assert_int_equal(pid, 1);
	assert_int_equal(procfs_parse_pid("2147483647", &pid), 0);
	assert_int_equal(procfs_parse_pid("2147483648", &pid), -EINVAL);
	assert_int_equal(procfs_parse_pid("0", &pid), -EINVAL);
	assert_int_equal(procfs_parse_pid("-1", &pid), -EINVAL);
	assert_int_equal(procfs_parse_pid("abc", &pid), -EINVAL);
	assert_int_equal(procfs_parse_pid("12abc", &pid), -EINVAL);
	assert_int_equal(procfs_parse_pid("", &pid), -EINVAL);
	assert_int_equal(procfs_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(procfs_parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(procfs_parse_u64(" 1", &v), -EINVAL);
}

static void test_nsarg(void **state)
{
	int t;
	uint64_t ino;

	assert_int_equal(procfs_parse_nsarg("4026531833", &t, &ino), 0);
	assert_int_equal(t, -1);
	assert_true(ino == 4026531833ULL);
	assert_int_equal(procfs_parse_nsarg("net:4026531833", &t, &ino), 0);
	assert_int_equal(t, NSTYPE_NET);
	assert_int_equal(procfs_parse_nsarg("user:[12]", &t, &ino), 0);
	assert_int_equal(t, NSTYPE_USER);
	assert_int_equal(ino, 12);
	static const char *bad[] = { "", "0", "net:", "net:[", "net:[]", "foo:1", "net:0", "net:1x",
				     "1:2", ":5", "net:[5", "-1", "0x10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(procfs_parse_nsarg(bad[i], &t, &ino), -EINVAL);
}

static void test_nspid(void **state)
{
	pid_t v[4];
	size_t n;

	assert_int_equal(procfs_parse_nspid(S("Name:\tsleep\nTgid:\t7\nNSpid:\t4242\t7\t1\nNSsid:\t1\n"), v, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0], 4242);
	assert_int_equal(v[2], 1);
	/* the last line without a newline; more levels than room */
	assert_int_equal(procfs_parse_nspid(S("NSpid:\t9\t8\t7\t6\t5"), v, 4, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(v[3], 6);
	static const char *bad[] = { "", "Name:\tx\n", "NSpid:\n", "NSpid:\t12x\n", "NSpid:\t0\n",
				     "NSpid:\t-1\n", "XNSpid:\t5\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(procfs_parse_nspid(bad[i], strlen(bad[i]), v, 4, &n), -EINVAL);
}

static void test_idmap(void **state)
{
	char out[256];

	assert_int_equal(procfs_format_idmap(S("         0     100000      65536\n"), false, out, sizeof(out)), 14);
	assert_string_equal(out, "0-65535:100000");
	procfs_format_idmap(S("0 1000 1\n1 100000 65536\n"), false, out, sizeof(out));
	assert_string_equal(out, "0:1000,1-65536:100000");
	procfs_format_idmap(S("0 1000 1\n1 100000 65536\n"), true, out, sizeof(out));
	assert_string_equal(out, "0 1000 1\n1 100000 65536");
	/* the initial user namespace maps everything */
	procfs_format_idmap(S("0 0 4294967295\n"), false, out, sizeof(out));
	assert_string_equal(out, "0-4294967294:0");
	/* no map written yet */
	assert_int_equal(procfs_format_idmap(S(""), false, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(procfs_format_idmap(S("0 1000\n"), false, out, sizeof(out)), -EINVAL);
	assert_int_equal(procfs_format_idmap(S("0 1000 0\n"), false, out, sizeof(out)), -EINVAL);
	assert_int_equal(procfs_format_idmap(S("0 x 1\n"), false, out, sizeof(out)), -EINVAL);
	assert_int_equal(procfs_format_idmap(S("0 1 2 3\n"), false, out, sizeof(out)), -EINVAL);
	assert_int_equal(procfs_format_idmap(S("0 1000 1\n"), false, out, 4), -ENOBUFS);
}

static void test_timens(void **state)
{
	char out[128];

	procfs_format_timens(S("monotonic           0         0\nboottime            0         0\n"), out, sizeof(out));
	assert_string_equal(out, "monotonic=0s,boottime=0s");
	procfs_format_timens(S("monotonic 3600 0\nboottime -5 500\n"), out, sizeof(out));
	/* seconds plus nanoseconds, nanoseconds never negative: -5 s + 500 ns */
	assert_string_equal(out, "monotonic=+3600s,boottime=-4.999999500s");
	procfs_format_timens(S("monotonic 0 250000000\nboottime -1 0\n"), out, sizeof(out));
	assert_string_equal(out, "monotonic=+0.250000000s,boottime=-1s");
	assert_int_equal(procfs_format_timens(S("monotonic 1\n"), out, sizeof(out)), -EINVAL);
	assert_int_equal(procfs_format_timens(S("monotonic 1 2000000000\n"), out, sizeof(out)), -EINVAL);
	assert_int_equal(procfs_format_timens(S("monotonic x 0\n"), out, sizeof(out)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nslink_valid),
		cmocka_unit_test(test_nslink_malformed),
		cmocka_unit_test(test_nslink_truncated),
		cmocka_unit_test(test_stat_plain),
		cmocka_unit_test(test_stat_tricky_comm),
		cmocka_unit_test(test_stat_malformed),
		cmocka_unit_test(test_stat_truncated),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_bounds),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_nsarg),
		cmocka_unit_test(test_nspid),
		cmocka_unit_test(test_idmap),
		cmocka_unit_test(test_timens),
	};
	return cmocka_run_group_tests_name("procfs", tests, NULL, NULL);
}
