/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nsdb.h"

static struct nsdb_proc mkproc(pid_t pid, pid_t ppid, uint64_t net, uint64_t uts)
{
	struct nsdb_proc p;
	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.ppid = ppid;
	p.ns[NSTYPE_NET] = net;
	p.ns[NSTYPE_UTS] = uts;
	strcpy(p.comm, "x");
	return p;
}

static void test_grouping_counts_lowest(void **state)
{
	struct nsdb *db = nsdb_new();
	/* added out of pid order: the lowest pid must still win */
	struct nsdb_proc ps[] = {
		mkproc(30, 1, 900, 500), mkproc(10, 1, 900, 501), mkproc(20, 10, 901, 501),
		mkproc(5, 1, 901, 0),
	};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(nsdb_add_proc(db, &ps[i]), 0);
	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(nsdb_sort(db), 0);

	/* 2 net + 2 uts; pid 5 has no uts inode (unknown type) */
	assert_int_equal(db->nns, 4);
	size_t i = nsdb_find_ns(db, NSTYPE_NET, 900);
	assert_true(i != NSDB_NONE);
	assert_int_equal(db->ns[i].nprocs, 2);
	assert_int_equal(db->procs[db->ns[i].rep].pid, 10);
	i = nsdb_find_ns(db, NSTYPE_NET, 901);
	assert_int_equal(db->ns[i].nprocs, 2);
	assert_int_equal(db->procs[db->ns[i].rep].pid, 5);
	i = nsdb_find_ns(db, NSTYPE_UTS, 501);
	assert_int_equal(db->ns[i].nprocs, 2);
	assert_int_equal(db->procs[db->ns[i].rep].pid, 10);
	i = nsdb_find_ns(db, NSTYPE_UTS, 500);
	assert_int_equal(db->ns[i].nprocs, 1);

	/* the same inode under another type is another key */
	assert_true(nsdb_find_ns(db, NSTYPE_PID, 900) == NSDB_NONE);
	assert_true(nsdb_find_ino(db, 500) == nsdb_find_ns(db, NSTYPE_UTS, 500));
	assert_true(nsdb_find_ino(db, 12345) == NSDB_NONE);

	/* sorted by inode, as printed */
	for (size_t k = 1; k < db->nns; k++)
		assert_true(db->ns[k - 1].ino < db->ns[k].ino);
	nsdb_free(db);
}

static void test_find_proc(void **state)
{
	struct nsdb *db = nsdb_new();
	struct nsdb_proc p = mkproc(42, 1, 7, 8);
	assert_int_equal(nsdb_add_proc(db, &p), 0);
	assert_true(nsdb_find_proc(db, 42) == NSDB_NONE); /* not indexed yet */
	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(nsdb_find_proc(db, 42), 0);
	assert_true(nsdb_find_proc(db, 43) == NSDB_NONE);
	/* adding after indexing is refused rather than silently unindexed */
	assert_int_equal(nsdb_add_proc(db, &p), -EBUSY);
	nsdb_free(db);
}

static void test_duplicate_pid(void **state)
{
	struct nsdb *db = nsdb_new();
	struct nsdb_proc p = mkproc(42, 1, 7, 8);
	assert_int_equal(nsdb_add_proc(db, &p), 0);
	assert_int_equal(nsdb_add_proc(db, &p), 0);
	assert_int_equal(nsdb_index(db), -EEXIST);
	nsdb_free(db);
}

static void test_empty(void **state)
{
	struct nsdb *db = nsdb_new();
	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(db->nns, 0);
	assert_true(nsdb_find_ns(db, NSTYPE_NET, 1) == NSDB_NONE);
	assert_true(nsdb_find_proc(db, 1) == NSDB_NONE);
	nsdb_free(db);
	nsdb_free(NULL);
}

static void test_many(void **state)
{
	/* enough to force several rehashes of both tables */
	enum { N = 50000, GROUP = 7 };
	struct nsdb *db = nsdb_new();
	for (pid_t pid = 1; pid <= N; pid++) {
		struct nsdb_proc p = mkproc(pid, pid - 1, 4026531000ULL + (uint64_t)(pid / GROUP), 99);
		assert_int_equal(nsdb_add_proc(db, &p), 0);
	}
	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(db->nns, N / GROUP + 1 + 1);
	size_t total = 0;
	for (size_t i = 0; i < db->nns; i++)
		if (db->ns[i].type == NSTYPE_NET) {
			total += db->ns[i].nprocs;
			/* lowest member of group g is g*GROUP (pid 0 does not exist) */
			pid_t lowest = (pid_t)((db->ns[i].ino - 4026531000ULL) * GROUP);
			assert_int_equal(db->procs[db->ns[i].rep].pid, lowest ? lowest : 1);
		}
	assert_int_equal(total, N);
	size_t u = nsdb_find_ns(db, NSTYPE_UTS, 99);
	assert_int_equal(db->ns[u].nprocs, N);
	for (pid_t pid = 1; pid <= N; pid += 997)
		assert_int_equal(db->procs[nsdb_find_proc(db, pid)].pid, pid);
	nsdb_free(db);
}

static void test_holders(void **state)
{
	struct nsdb *db = nsdb_new();
	struct nsdb_proc p = mkproc(10, 1, 900, 0);
	assert_int_equal(nsdb_add_proc(db, &p), 0);
	assert_int_equal(nsdb_index(db), 0);

	/* an fd to the process's own net ns, and a mount of a namespace no process is in */
	struct nsdb_holder fd = { .type = NSTYPE_NET, .ino = 900, .kind = HOLDER_FD, .pid = 10, .num = 3 };
	struct nsdb_holder mnt = { .type = NSTYPE_NET, .ino = 5, .kind = HOLDER_MOUNT, .mntns = 77 };
	mnt.path = strdup("/run/netns/a");
	mnt.open_path = strdup("/run/netns/a");
	assert_int_equal(nsdb_add_holder(db, &fd), 0);
	assert_int_equal(nsdb_add_holder(db, &mnt), 0);
	struct nsdb_holder mnt2 = { .type = NSTYPE_NET, .ino = 5, .kind = HOLDER_MOUNT, .mntns = 78 };
	mnt2.path = strdup("/x");
	assert_int_equal(nsdb_add_holder(db, &mnt2), 0);
	assert_int_equal(nsdb_sort(db), 0);

	size_t a = nsdb_find_ns(db, NSTYPE_NET, 900), b = nsdb_find_ns(db, NSTYPE_NET, 5);
	assert_int_equal(db->ns[a].holders, (1u << HOLDER_PROC) | (1u << HOLDER_FD));
	assert_int_equal(db->ns[b].holders, 1u << HOLDER_MOUNT);
	assert_int_equal(db->ns[b].nprocs, 0);
	assert_true(db->ns[b].rep == NSDB_NONE);
	/* the first openable holder stands in for a process */
	assert_int_equal(db->holders[db->ns[b].opener].mntns, 77);
	/* chains list each namespace's holders in the order found */
	size_t h = db->ns[b].first_holder;
	assert_int_equal(db->holders[h].mntns, 77);
	h = db->holders[h].next;
	assert_int_equal(db->holders[h].mntns, 78);
	assert_true(db->holders[h].next == NSDB_NONE);
	h = db->ns[a].first_holder;
	assert_int_equal(db->holders[h].kind, HOLDER_FD);
	assert_true(db->holders[h].next == NSDB_NONE);
	/* sorted by inode: the process-less one (5) comes first */
	assert_int_equal(db->ns[0].ino, 5);
	nsdb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouping_counts_lowest),
		cmocka_unit_test(test_find_proc),
		cmocka_unit_test(test_duplicate_pid),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_holders),
	};
	return cmocka_run_group_tests_name("nsdb", tests, NULL, NULL);
}
