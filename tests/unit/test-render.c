/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "render.h"

#define NONE NSDB_NONE
/* designated, so adding a field to render_row does not break -Wextra builds */
#define ROW(n, p, up) { .ns = (n), .proc = (p), .parent = (up) }

static void test_cycles_cut(void **state)
{
	/* 0 <- 1 <- 2 <- 0 is a loop; 3 -> 3 points at itself; 4 -> 0 is fine */
	struct render_row rows[5] = {
		ROW(0, 0, 2), ROW(0, 0, 0), ROW(0, 0, 1), ROW(0, 0, 3), ROW(0, 0, 0),
	};
	render_break_cycles(rows, 5);
	for (size_t i = 0; i < 5; i++) {
		/* every walk up must end at a root within n steps */
		size_t j = i, steps = 0;
		while (j != NONE && steps <= 5) {
			j = rows[j].parent;
			steps++;
		}
		assert_true(j == NONE);
	}
	/* exactly one link of the loop was cut, the rest kept */
	int roots = 0;
	for (size_t i = 0; i < 3; i++)
		roots += rows[i].parent == NONE;
	assert_int_equal(roots, 1);
	assert_true(rows[3].parent == NONE);
	assert_int_equal(rows[4].parent, 0);
}

static void test_tree_order(void **state)
{
	/* 0 <- 2 <- 3, 1 root, 4 -> 0: preorder is 0 2 3 4 1 */
	struct render_row rows[5] = {
		ROW(10, 0, NONE), ROW(11, 0, NONE), ROW(12, 0, 0), ROW(13, 0, 2), ROW(14, 0, 0),
	};
	assert_int_equal(render_tree_order(rows, 5), 0);
	size_t want[5] = { 10, 12, 13, 14, 11 };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(rows[i].ns, want[i]);
	/* parents follow their rows to the new places */
	assert_true(rows[0].parent == NONE);
	assert_int_equal(rows[1].parent, 0);
	assert_int_equal(rows[2].parent, 1);
	assert_int_equal(rows[3].parent, 0);
	assert_true(rows[4].parent == NONE);
	/* a loop no root reaches is refused, the rows left alone */
	struct render_row loop[2] = { ROW(1, 0, 1), ROW(2, 0, 0) };
	assert_int_equal(render_tree_order(loop, 2), -EINVAL);
	assert_int_equal(loop[0].ns, 1);
	assert_int_equal(render_tree_order(NULL, 0), 0);
}

static void test_cycles_forest_untouched(void **state)
{
	struct render_row rows[4] = { ROW(0, 0, NONE), ROW(0, 0, 0), ROW(0, 0, 1), ROW(0, 0, 0) };
	render_break_cycles(rows, 4);
	assert_true(rows[0].parent == NONE);
	assert_int_equal(rows[1].parent, 0);
	assert_int_equal(rows[2].parent, 1);
	assert_int_equal(rows[3].parent, 0);
	render_break_cycles(NULL, 0);
}

/* A model of two processes, parent 100 and child 200 in its own net ns. */
static struct nsdb *two_procs(void)
{
	struct nsdb *db = nsdb_new();
	struct nsdb_proc a, b;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.pid = 100;
	a.ppid = 1;
	a.ns[NSTYPE_NET] = 4026531000ULL;
	strcpy(a.comm, "parent");
	b.pid = 200;
	b.ppid = 100;
	b.ns[NSTYPE_NET] = 4026532000ULL;
	strcpy(b.comm, "child\x1b");
	/* as if scan_proc_info had read them: this model has no /proc behind it */
	a.info_loaded = a.info_ok = b.info_loaded = b.info_ok = true;
	assert_int_equal(nsdb_add_proc(db, &a), 0);
	assert_int_equal(nsdb_add_proc(db, &b), 0);
	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(nsdb_sort(db), 0);
	return db;
}

static char *render(struct nsdb *db, struct render_opts *o, const int *cols, size_t ncols,
		    struct render_row *rows, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct users *u = users_new();
	/* procfd -1: cmdline cannot be read, so COMMAND falls back to comm */
	struct column_ctx ctx = { .db = db, .procfd = -1, .users = u, .json = o->json };
	assert_int_equal(render_rows(&ctx, cols, ncols, rows, n, o, f), 0);
	fclose(f);
	users_free(u);
	return buf;
}

static void test_json_tree(void **state)
{
	struct nsdb *db = two_procs();
	struct render_row rows[2] = { ROW(0, 0, NONE), ROW(1, 1, 0) };
	int cols[] = { COL_NS, COL_NPROCS, COL_COMMAND, COL_NETNSID };
	struct render_opts o = { .json = true, .tree_col = 2, .table_name = "namespaces" };

	char *out = render(db, &o, cols, 4, rows, 2);
	assert_non_null(strstr(out, "\"namespaces\": ["));
	assert_non_null(strstr(out, "\"ns\": 4026531000"));
	assert_non_null(strstr(out, "\"nprocs\": 1"));
	assert_non_null(strstr(out, "\"children\": ["));
	/* the child row sits inside the parent's children */
	assert_true(strstr(out, "\"children\"") < strstr(out, "4026532000"));
	/* the escape byte never reaches the output raw */
	assert_null(strchr(out, '\x1b'));
	assert_non_null(strstr(out, "child\\\\x1b"));
	/* NETNSID not asked of the kernel: null, never a made-up number */
	assert_non_null(strstr(out, "\"netnsid\": null"));
	free(out);
	nsdb_free(db);
}

static void test_raw_flat(void **state)
{
	struct nsdb *db = two_procs();
	struct render_row rows[2] = { ROW(0, 0, NONE), ROW(1, 1, NONE) };
	int cols[] = { COL_NS, COL_TYPE, COL_PID, COL_PPID };
	struct render_opts o = { .raw = true, .noheadings = true, .tree_col = -1 };

	char *out = render(db, &o, cols, 4, rows, 2);
	assert_string_equal(out, "4026531000 net 100 1\n4026532000 net 200 100\n");
	free(out);
	nsdb_free(db);
}

static void test_json_empty_arrays(void **state)
{
	struct nsdb *db = two_procs();
	/* a command that looks like libsmartcols' empty array must survive as data */
	strcpy(db->procs[0].comm, "x [null] y");
	struct render_row rows[2] = { ROW(0, 0, NONE), ROW(1, 1, NONE) };
	int cols[] = { COL_NS, COL_NSFS, COL_COMMAND };
	struct render_opts o = { .json = true, .tree_col = -1, .table_name = "namespaces" };

	char *out = render(db, &o, cols, 3, rows, 2);
	assert_null(strstr(out, "null\n"));
	assert_non_null(strstr(out, "\"nsfs\": []"));
	assert_non_null(strstr(out, "\"command\": \"x [null] y\""));
	free(out);
	nsdb_free(db);
}

static void test_column_list(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct render_opts o = { .raw = true, .noheadings = true, .tree_col = -1 };
	assert_int_equal(render_column_list(&o, f), 0);
	fclose(f);
	int lines = 0;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, COL_COUNT);
	assert_non_null(strstr(buf, "NS number "));
	assert_non_null(strstr(buf, "TYPE string "));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycles_cut),
		cmocka_unit_test(test_cycles_forest_untouched),
		cmocka_unit_test(test_tree_order),
		cmocka_unit_test(test_json_tree),
		cmocka_unit_test(test_raw_flat),
		cmocka_unit_test(test_json_empty_arrays),
		cmocka_unit_test(test_column_list),
	};
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
