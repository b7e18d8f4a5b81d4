/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Namespace trees from a hand-built model: which namespace hangs under which
 * (ownership, parentage), the rows kept for a filter, a subtree, a depth
 * limit, and cycles that racing reads can make.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nstree.h"

#define NONE NSDB_NONE

/*
 * Inodes chosen so that inode order (the order of rows) is not tree order:
 *
 *   user U1 (900, initial)           owns N10, P20
 *     user U2 (500)                   owns N11, P21
 *       user U3 (300)                 owns UTS12, P22
 *   pid P20 (910) > P21 (400) > P22 (350) by parentage
 */
enum {
	N10 = 100,
	UTS12 = 200,
	U3 = 300,
	P22 = 350,
	P21 = 400,
	U2 = 500,
	N11 = 600,
	U1 = 900,
	P20 = 910,
};
#define NNS 9

static size_t idx_of(const struct nsdb *db, enum nstype t, uint64_t ino)
{
	size_t i = nsdb_find_ns(db, t, ino);
	assert_true(i != NONE);
	return i;
}

static void relate(struct nsdb *db, enum nstype t, uint64_t ino, uint64_t owner, uint64_t parent)
{
	struct nsdb_ns *ns = &db->ns[idx_of(db, t, ino)];
	ns->owner = owner;
	ns->parent = parent;
	ns->rel_done = NSDB_REL_OWNER | NSDB_REL_PARENT;
}

static void add_proc(struct nsdb *db, pid_t pid, uint64_t user, uint64_t net, uint64_t pidns)
{
	struct nsdb_proc p;
	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.ns[NSTYPE_USER] = user;
	p.ns[NSTYPE_NET] = net;
	p.ns[NSTYPE_PID] = pidns;
	assert_int_equal(nsdb_add_proc(db, &p), 0);
}

static struct nsdb *model(void)
{
	struct nsdb *db = nsdb_new();
	size_t i;

	assert_non_null(db);
	add_proc(db, 50, U1, N10, P20);
	add_proc(db, 40, U1, N10, P20);
	add_proc(db, 60, U2, N11, P21);
	assert_int_equal(nsdb_index(db), 0);
	/* namespaces no process is in (found through fds, mounts, ancestors) */
	assert_int_equal(nsdb_add_ns(db, NSTYPE_USER, U3, &i), 0);
	assert_int_equal(nsdb_add_ns(db, NSTYPE_UTS, UTS12, &i), 0);
	assert_int_equal(nsdb_add_ns(db, NSTYPE_PID, P22, &i), 0);
	assert_int_equal(nsdb_sort(db), 0);
	assert_int_equal(db->nns, NNS);

	relate(db, NSTYPE_USER, U1, 0, 0);
	relate(db, NSTYPE_USER, U2, U1, U1);
	relate(db, NSTYPE_USER, U3, U2, U2);
	/* a net namespace has no parent: whatever is recorded must be ignored */
	relate(db, NSTYPE_NET, N10, U1, U1);
	relate(db, NSTYPE_NET, N11, U2, 0);
	relate(db, NSTYPE_UTS, UTS12, U3, 0);
	relate(db, NSTYPE_PID, P20, U1, 0);
	relate(db, NSTYPE_PID, P21, U2, P20);
	relate(db, NSTYPE_PID, P22, U3, P21);
	return db;
}

/* The row of namespace (t, ino), or NONE. */
static size_t row_of(const struct nsdb *db, const struct render_row *rows, size_t n, enum nstype t, uint64_t ino)
{
	size_t i = nsdb_find_ns(db, t, ino);
	for (size_t k = 0; k < n; k++)
		if (rows[k].ns == i)
			return k;
	return NONE;
}

/* Depth of a row by walking its parents; fails on a loop. */
static size_t row_depth(const struct render_row *rows, size_t n, size_t k)
{
	size_t d = 0;
	while (rows[k].parent != NONE) {
		assert_true(rows[k].parent < n);
		k = rows[k].parent;
		d++;
		assert_true(d <= n);
	}
	return d;
}

/* The parent row of (t, ino) is namespace (pt, pino). */
static void assert_under(const struct nsdb *db, const struct render_row *rows, size_t n, enum nstype t,
			 uint64_t ino, enum nstype pt, uint64_t pino)
{
	size_t k = row_of(db, rows, n, t, ino), pk = row_of(db, rows, n, pt, pino);
	assert_true(k != NONE);
	assert_true(pk != NONE);
	assert_int_equal(rows[k].parent, pk);
}

static void assert_top(const struct nsdb *db, const struct render_row *rows, size_t n, enum nstype t, uint64_t ino)
{
	size_t k = row_of(db, rows, n, t, ino);
	assert_true(k != NONE);
	assert_true(rows[k].parent == NONE);
}

static void test_parents_owner(void **state)
{
	struct nsdb *db = model();
	size_t tp[NNS];

	nstree_parents(db, NSTREE_OWNER, tp);
	assert_true(tp[idx_of(db, NSTYPE_USER, U1)] == NONE);
	assert_int_equal(tp[idx_of(db, NSTYPE_USER, U2)], idx_of(db, NSTYPE_USER, U1));
	assert_int_equal(tp[idx_of(db, NSTYPE_USER, U3)], idx_of(db, NSTYPE_USER, U2));
	assert_int_equal(tp[idx_of(db, NSTYPE_NET, N10)], idx_of(db, NSTYPE_USER, U1));
	assert_int_equal(tp[idx_of(db, NSTYPE_NET, N11)], idx_of(db, NSTYPE_USER, U2));
	assert_int_equal(tp[idx_of(db, NSTYPE_UTS, UTS12)], idx_of(db, NSTYPE_USER, U3));
	assert_int_equal(tp[idx_of(db, NSTYPE_PID, P20)], idx_of(db, NSTYPE_USER, U1));
	assert_int_equal(tp[idx_of(db, NSTYPE_PID, P21)], idx_of(db, NSTYPE_USER, U2));
	assert_int_equal(tp[idx_of(db, NSTYPE_PID, P22)], idx_of(db, NSTYPE_USER, U3));

	/* an owner outside the model, or a user namespace owning itself: a top */
	db->ns[idx_of(db, NSTYPE_NET, N11)].owner = 12345;
	db->ns[idx_of(db, NSTYPE_USER, U1)].owner = U1;
	/* the owner is always a user namespace, even when another type has that inode */
	db->ns[idx_of(db, NSTYPE_UTS, UTS12)].owner = P21;
	nstree_parents(db, NSTREE_OWNER, tp);
	assert_true(tp[idx_of(db, NSTYPE_NET, N11)] == NONE);
	assert_true(tp[idx_of(db, NSTYPE_USER, U1)] == NONE);
	assert_true(tp[idx_of(db, NSTYPE_UTS, UTS12)] == NONE);
	nsdb_free(db);
}

static void test_parents_parent(void **state)
{
	struct nsdb *db = model();
	size_t tp[NNS];

	nstree_parents(db, NSTREE_PARENT, tp);
	/* pid and user namespaces under their parents */
	assert_int_equal(tp[idx_of(db, NSTYPE_PID, P21)], idx_of(db, NSTYPE_PID, P20));
	assert_int_equal(tp[idx_of(db, NSTYPE_PID, P22)], idx_of(db, NSTYPE_PID, P21));
	assert_true(tp[idx_of(db, NSTYPE_PID, P20)] == NONE);
	assert_int_equal(tp[idx_of(db, NSTYPE_USER, U2)], idx_of(db, NSTYPE_USER, U1));
	assert_int_equal(tp[idx_of(db, NSTYPE_USER, U3)], idx_of(db, NSTYPE_USER, U2));
	assert_true(tp[idx_of(db, NSTYPE_USER, U1)] == NONE);
	/* other types have no parent, whatever the model says; nor by owner here */
	assert_true(tp[idx_of(db, NSTYPE_NET, N10)] == NONE);
	assert_true(tp[idx_of(db, NSTYPE_NET, N11)] == NONE);
	assert_true(tp[idx_of(db, NSTYPE_UTS, UTS12)] == NONE);

	/* a parent is of the same type: a pid namespace whose "parent" inode is a user namespace's */
	db->ns[idx_of(db, NSTYPE_PID, P22)].parent = U2;
	nstree_parents(db, NSTREE_PARENT, tp);
	assert_true(tp[idx_of(db, NSTYPE_PID, P22)] == NONE);
	nsdb_free(db);
}

static void test_rows_all(void **state)
{
	struct nsdb *db = model();
	size_t tp[NNS];
	bool match[NNS];
	struct render_row *rows = NULL;
	size_t n = 0;

	for (size_t i = 0; i < NNS; i++)
		match[i] = true;
	nstree_parents(db, NSTREE_OWNER, tp);
	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, NNS);
	/* rows in namespace (inode) order, none of them mere context */
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(rows[k].ns, k);
		assert_false(rows[k].context);
		if (k > 0)
			assert_true(db->ns[rows[k - 1].ns].ino < db->ns[rows[k].ns].ino);
	}
	assert_top(db, rows, n, NSTYPE_USER, U1);
	assert_under(db, rows, n, NSTYPE_USER, U2, NSTYPE_USER, U1);
	assert_under(db, rows, n, NSTYPE_USER, U3, NSTYPE_USER, U2);
	assert_under(db, rows, n, NSTYPE_NET, N10, NSTYPE_USER, U1);
	assert_under(db, rows, n, NSTYPE_UTS, UTS12, NSTYPE_USER, U3);
	assert_under(db, rows, n, NSTYPE_PID, P22, NSTYPE_USER, U3);
	assert_int_equal(row_depth(rows, n, row_of(db, rows, n, NSTYPE_UTS, UTS12)), 3);

	/* each row carries the lowest-pid process of its namespace, or none */
	size_t k = row_of(db, rows, n, NSTYPE_NET, N10);
	assert_true(rows[k].proc != NONE);
	assert_int_equal(db->procs[rows[k].proc].pid, 40);
	k = row_of(db, rows, n, NSTYPE_NET, N11);
	assert_int_equal(db->procs[rows[k].proc].pid, 60);
	k = row_of(db, rows, n, NSTYPE_UTS, UTS12);
	assert_true(rows[k].proc == NONE);
	free(rows);

	/* the parentage tree of the same model: three pid levels, net alone at the top */
	nstree_parents(db, NSTREE_PARENT, tp);
	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, NNS);
	assert_top(db, rows, n, NSTYPE_PID, P20);
	assert_under(db, rows, n, NSTYPE_PID, P21, NSTYPE_PID, P20);
	assert_under(db, rows, n, NSTYPE_PID, P22, NSTYPE_PID, P21);
	assert_top(db, rows, n, NSTYPE_NET, N10);
	assert_top(db, rows, n, NSTYPE_UTS, UTS12);
	free(rows);
	nsdb_free(db);
}

static void test_rows_filter_keeps_ancestors(void **state)
{
	struct nsdb *db = model();
	size_t tp[NNS];
	bool match[NNS] = { false };
	struct render_row *rows = NULL;
	size_t n = 0;

	nstree_parents(db, NSTREE_OWNER, tp);
	/* only the uts namespace matches: its three owners come along as context */
	match[idx_of(db, NSTYPE_UTS, UTS12)] = true;
	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, 4);
	assert_false(rows[row_of(db, rows, n, NSTYPE_UTS, UTS12)].context);
	assert_true(rows[row_of(db, rows, n, NSTYPE_USER, U3)].context);
	assert_true(rows[row_of(db, rows, n, NSTYPE_USER, U2)].context);
	assert_true(rows[row_of(db, rows, n, NSTYPE_USER, U1)].context);
	assert_true(row_of(db, rows, n, NSTYPE_NET, N10) == NONE);
	assert_true(row_of(db, rows, n, NSTYPE_PID, P22) == NONE);
	assert_under(db, rows, n, NSTYPE_UTS, UTS12, NSTYPE_USER, U3);
	assert_under(db, rows, n, NSTYPE_USER, U3, NSTYPE_USER, U2);
	assert_top(db, rows, n, NSTYPE_USER, U1);
	free(rows);

	/* a match whose owner also matches: the owner is a match, not context */
	match[idx_of(db, NSTYPE_USER, U2)] = true;
	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, 4);
	assert_false(rows[row_of(db, rows, n, NSTYPE_USER, U2)].context);
	assert_true(rows[row_of(db, rows, n, NSTYPE_USER, U3)].context);
	free(rows);

	/* nothing matches: no rows (and still a buffer to free) */
	memset(match, 0, sizeof(match));
	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, 0);
	free(rows);
	nsdb_free(db);
}

static void test_rows_subtree(void **state)
{
	struct nsdb *db = model();
	size_t tp[NNS];
	bool match[NNS];
	struct render_row *rows = NULL;
	size_t n = 0;
	size_t u2 = idx_of(db, NSTYPE_USER, U2);

	for (size_t i = 0; i < NNS; i++)
		match[i] = true;
	nstree_parents(db, NSTREE_OWNER, tp);
	/* below U2: U2 itself, U3, N11, UTS12, P21, P22; never U1 above it */
	assert_int_equal(nstree_rows(db, tp, match, u2, 0, &rows, &n), 0);
	assert_int_equal(n, 6);
	assert_true(row_of(db, rows, n, NSTYPE_USER, U1) == NONE);
	assert_true(row_of(db, rows, n, NSTYPE_NET, N10) == NONE);
	assert_true(row_of(db, rows, n, NSTYPE_PID, P20) == NONE);
	assert_top(db, rows, n, NSTYPE_USER, U2);
	assert_under(db, rows, n, NSTYPE_NET, N11, NSTYPE_USER, U2);
	assert_under(db, rows, n, NSTYPE_UTS, UTS12, NSTYPE_USER, U3);
	for (size_t k = 0; k < n; k++)
		assert_false(rows[k].context);
	free(rows);

	/* a match deep below the root: the path up to the root is context, and stops there */
	memset(match, 0, sizeof(match));
	match[idx_of(db, NSTYPE_PID, P22)] = true;
	match[idx_of(db, NSTYPE_NET, N10)] = true; /* outside the subtree: dropped */
	assert_int_equal(nstree_rows(db, tp, match, u2, 0, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_true(rows[row_of(db, rows, n, NSTYPE_USER, U2)].context);
	assert_true(rows[row_of(db, rows, n, NSTYPE_USER, U3)].context);
	assert_false(rows[row_of(db, rows, n, NSTYPE_PID, P22)].context);
	assert_top(db, rows, n, NSTYPE_USER, U2);
	assert_under(db, rows, n, NSTYPE_PID, P22, NSTYPE_USER, U3);
	free(rows);

	/* a leaf as the root: itself alone */
	for (size_t i = 0; i < NNS; i++)
		match[i] = true;
	assert_int_equal(nstree_rows(db, tp, match, idx_of(db, NSTYPE_NET, N11), 0, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].ns, idx_of(db, NSTYPE_NET, N11));
	assert_true(rows[0].parent == NONE);
	free(rows);
	nsdb_free(db);
}

static void test_rows_max_depth(void **state)
{
	struct nsdb *db = model();
	size_t tp[NNS];
	bool match[NNS];
	struct render_row *rows = NULL;
	size_t n = 0;

	for (size_t i = 0; i < NNS; i++)
		match[i] = true;
	nstree_parents(db, NSTREE_OWNER, tp);
	/* one level: the initial user namespace alone */
	assert_int_equal(nstree_rows(db, tp, match, NONE, 1, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].ns, idx_of(db, NSTYPE_USER, U1));
	free(rows);
	/* two levels: and what it owns directly */
	assert_int_equal(nstree_rows(db, tp, match, NONE, 2, &rows, &n), 0);
	assert_int_equal(n, 4);
	assert_under(db, rows, n, NSTYPE_USER, U2, NSTYPE_USER, U1);
	assert_under(db, rows, n, NSTYPE_NET, N10, NSTYPE_USER, U1);
	assert_under(db, rows, n, NSTYPE_PID, P20, NSTYPE_USER, U1);
	for (size_t k = 0; k < n; k++)
		assert_true(row_depth(rows, n, k) < 2);
	free(rows);
	/* depth counts from the subtree's root, not from the top of everything */
	assert_int_equal(nstree_rows(db, tp, match, idx_of(db, NSTYPE_USER, U2), 2, &rows, &n), 0);
	assert_int_equal(n, 4); /* U2; U3, N11, P21 */
	assert_true(row_of(db, rows, n, NSTYPE_UTS, UTS12) == NONE);
	assert_true(row_of(db, rows, n, NSTYPE_USER, U3) != NONE);
	free(rows);
	/* a limit deeper than the tree: everything */
	assert_int_equal(nstree_rows(db, tp, match, NONE, 100, &rows, &n), 0);
	assert_int_equal(n, NNS);
	free(rows);
	nsdb_free(db);
}

/* A loop of owners, as reads racing with setns/unshare can produce. */
static void test_rows_cycle(void **state)
{
	struct nsdb *db = nsdb_new();
	size_t i, tp[4];
	bool match[4] = { true, true, true, true };
	struct render_row *rows = NULL;
	size_t n = 0;

	assert_int_equal(nsdb_add_ns(db, NSTYPE_USER, 10, &i), 0);
	assert_int_equal(nsdb_add_ns(db, NSTYPE_USER, 20, &i), 0);
	assert_int_equal(nsdb_add_ns(db, NSTYPE_USER, 30, &i), 0);
	assert_int_equal(nsdb_add_ns(db, NSTYPE_NET, 40, &i), 0);
	assert_int_equal(nsdb_sort(db), 0);
	/* 10 -> 20 -> 30 -> 10, and net 40 owned by 20 */
	db->ns[idx_of(db, NSTYPE_USER, 10)].owner = 20;
	db->ns[idx_of(db, NSTYPE_USER, 20)].owner = 30;
	db->ns[idx_of(db, NSTYPE_USER, 30)].owner = 10;
	db->ns[idx_of(db, NSTYPE_NET, 40)].owner = 20;
	nstree_parents(db, NSTREE_OWNER, tp);

	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, 4);
	int tops = 0;
	for (size_t k = 0; k < n; k++) {
		tops += rows[k].parent == NONE;
		(void)row_depth(rows, n, k); /* terminates: a forest */
	}
	assert_int_equal(tops, 1);
	assert_under(db, rows, n, NSTYPE_NET, 40, NSTYPE_USER, 20);
	free(rows);

	/* only the net namespace matches: the walk up the loop stops, each once */
	memset(match, 0, sizeof(match));
	match[idx_of(db, NSTYPE_NET, 40)] = true;
	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, 4);
	tops = 0;
	for (size_t k = 0; k < n; k++) {
		tops += rows[k].parent == NONE;
		assert_int_equal(rows[k].context, rows[k].ns != idx_of(db, NSTYPE_NET, 40));
		(void)row_depth(rows, n, k);
	}
	assert_int_equal(tops, 1);
	free(rows);

	/* a subtree rooted on the loop: the root is the top, the loop cut above it */
	for (size_t k = 0; k < 4; k++)
		match[k] = true;
	size_t root = idx_of(db, NSTYPE_USER, 20);
	assert_int_equal(nstree_rows(db, tp, match, root, 0, &rows, &n), 0);
	assert_int_equal(n, 4);
	assert_top(db, rows, n, NSTYPE_USER, 20);
	assert_under(db, rows, n, NSTYPE_USER, 10, NSTYPE_USER, 20);
	assert_under(db, rows, n, NSTYPE_USER, 30, NSTYPE_USER, 10);
	assert_under(db, rows, n, NSTYPE_NET, 40, NSTYPE_USER, 20);
	free(rows);

	/* with a depth limit on the loop */
	assert_int_equal(nstree_rows(db, tp, match, root, 2, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_true(row_of(db, rows, n, NSTYPE_USER, 30) == NONE);
	free(rows);
	nsdb_free(db);
}

static void test_rows_empty(void **state)
{
	struct nsdb *db = nsdb_new();
	struct render_row *rows = NULL;
	size_t n = 99;
	bool match[1] = { true };
	size_t tp[1] = { NONE };

	nstree_parents(db, NSTREE_OWNER, tp);
	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, 0);
	free(rows);
	nsdb_free(db);
}

/* A long chain and a wide fan: no recursion, and depths stay right. */
static void test_rows_deep_and_wide(void **state)
{
	enum { DEEP = 100000, WIDE = 1000 };
	struct nsdb *db = nsdb_new();
	size_t i, n = 0;
	struct render_row *rows = NULL;

	/* user 1 <- user 2 <- ... <- user DEEP, plus WIDE net namespaces owned by user 1 */
	for (uint64_t ino = 1; ino <= DEEP; ino++)
		assert_int_equal(nsdb_add_ns(db, NSTYPE_USER, ino, &i), 0);
	for (uint64_t ino = DEEP + 1; ino <= DEEP + WIDE; ino++)
		assert_int_equal(nsdb_add_ns(db, NSTYPE_NET, ino, &i), 0);
	assert_int_equal(nsdb_sort(db), 0);
	for (i = 0; i < db->nns; i++)
		db->ns[i].owner = db->ns[i].type == NSTYPE_USER ? (db->ns[i].ino > 1 ? db->ns[i].ino - 1 : 0) : 1;

	size_t *tp = calloc(db->nns, sizeof(*tp));
	bool *match = calloc(db->nns, sizeof(*match));
	assert_non_null(tp);
	assert_non_null(match);
	nstree_parents(db, NSTREE_OWNER, tp);

	/* the deepest one alone matches: every user namespace above it is context */
	match[idx_of(db, NSTYPE_USER, DEEP)] = true;
	assert_int_equal(nstree_rows(db, tp, match, NONE, 0, &rows, &n), 0);
	assert_int_equal(n, DEEP);
	assert_false(rows[n - 1].context);
	assert_true(rows[0].context);
	assert_true(rows[0].parent == NONE);
	for (size_t k = 1; k < n; k++)
		assert_int_equal(rows[k].parent, k - 1);
	free(rows);

	/* everything, cut at three levels: users 1..3 and the fan under user 1 */
	for (i = 0; i < db->nns; i++)
		match[i] = true;
	assert_int_equal(nstree_rows(db, tp, match, NONE, 3, &rows, &n), 0);
	assert_int_equal(n, 3 + WIDE);
	for (size_t k = 0; k < n; k++) {
		const struct nsdb_ns *ns = &db->ns[rows[k].ns];
		if (ns->type == NSTYPE_NET)
			assert_int_equal(db->ns[rows[rows[k].parent].ns].ino, 1);
	}
	free(rows);
	free(tp);
	free(match);
	nsdb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parents_owner),
		cmocka_unit_test(test_parents_parent),
		cmocka_unit_test(test_rows_all),
		cmocka_unit_test(test_rows_filter_keeps_ancestors),
		cmocka_unit_test(test_rows_subtree),
		cmocka_unit_test(test_rows_max_depth),
		cmocka_unit_test(test_rows_cycle),
		cmocka_unit_test(test_rows_empty),
		cmocka_unit_test(test_rows_deep_and_wide),
	};
	return cmocka_run_group_tests_name("nstree", tests, NULL, NULL);
}
