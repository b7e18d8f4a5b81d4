/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scanner against a fixture /proc tree made of plain directories and
 * dangling symlinks ("net:[100]" reads back with readlink like the real thing).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "scan.h"

static char root[64];
#define mkdirs(rel) fx_mkdirs(root, rel)
#define link_to(target, rel) fx_link(root, target, rel)
#define write_file(rel, text) fx_write(root, rel, text)

/* pid 10: net 100, uts 200; a thread 11 that unshared net (101); fds: ns 102, a file */
/* pid 20: net 100, uts 201; pid 30: a zombie (no ns links) */
static int setup(void **state)
{
	strcpy(root, "/tmp/nspect-scan-XXXXXX");
	assert_non_null(mkdtemp(root));
	mkdirs("10/ns");
	mkdirs("10/task/10");
	mkdirs("10/task/11");
	mkdirs("10/fd");
	mkdirs("10/task/11/ns");
	mkdirs("20/ns");
	mkdirs("20/task/20");
	mkdirs("20/fd");
	mkdirs("30/ns");
	mkdirs("self");
	link_to("net:[100]", "10/ns/net");
	link_to("uts:[200]", "10/ns/uts");
	link_to("net:[101]", "10/task/11/ns/net");
	link_to("uts:[200]", "10/task/11/ns/uts");
	link_to("net:[102]", "10/fd/3");
	link_to("/etc/passwd", "10/fd/4");
	link_to("net:[100]", "20/ns/net");
	link_to("uts:[201]", "20/ns/uts");
	write_file("10/stat", "10 (ten (x)) S 1 10 10 0");
	write_file("20/stat", "20 (twenty) S 10 20 20 0");
	write_file("not-a-pid", "");
	return 0;
}

static int teardown(void **state)
{
	return fx_remove(root);
}

static void test_scan_fixture(void **state)
{
	int procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	unsigned sources = (1u << SRC_PROCS) | (1u << SRC_THREADS) | (1u << SRC_FDS);

	assert_int_equal(scan_procs(db, procfd, NSTYPE_ALL_MASK, sources, &st), 0);
	assert_int_equal(nsdb_sort(db), 0);
	assert_int_equal(db->nprocs, 2);
	assert_int_equal(st.vanished, 1); /* the zombie, 30 */

	size_t n100 = nsdb_find_ns(db, NSTYPE_NET, 100);
	assert_true(n100 != NSDB_NONE);
	assert_int_equal(db->ns[n100].nprocs, 2);
	assert_int_equal(db->procs[db->ns[n100].rep].pid, 10);

	/* the thread of 10 that left net 100 for 101 */
	size_t n101 = nsdb_find_ns(db, NSTYPE_NET, 101);
	assert_true(n101 != NSDB_NONE);
	assert_true(db->ns[n101].holders & (1u << HOLDER_THREAD));
	size_t h = db->ns[n101].first_holder;
	while (h != NSDB_NONE && db->holders[h].kind != HOLDER_THREAD)
		h = db->holders[h].next;
	assert_true(h != NSDB_NONE);
	assert_int_equal(db->holders[h].pid, 10);
	assert_int_equal(db->holders[h].num, 11);
	/* its uts is the process's own: no holder for that */
	size_t u200 = nsdb_find_ns(db, NSTYPE_UTS, 200);
	assert_false(db->ns[u200].holders & (1u << HOLDER_THREAD));

	/* the fd, and only the nsfs one */
	size_t n102 = nsdb_find_ns(db, NSTYPE_NET, 102);
	assert_true(n102 != NSDB_NONE);
	assert_int_equal(db->ns[n102].holders, 1u << HOLDER_FD);
	assert_int_equal(db->ns[n102].nprocs, 0);
	h = db->ns[n102].first_holder;
	assert_int_equal(db->holders[h].pid, 10);
	assert_int_equal(db->holders[h].num, 3);

	/* details of shown processes are read on demand */
	struct nsdb_proc *p = &db->procs[nsdb_find_proc(db, 10)];
	assert_false(p->info_loaded);
	assert_true(scan_proc_info(procfd, p));
	assert_string_equal(p->comm, "ten (x)");
	assert_int_equal(p->ppid, 1);
	/* no cmdline file: the command falls back to comm */
	assert_string_equal(scan_cmdline(procfd, p), "ten (x)");
	nsdb_free(db);
	close(procfd);
}

static void test_sources_switch(void **state)
{
	int procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };

	/* processes alone: neither the thread's nor the fd's namespace */
	assert_int_equal(scan_procs(db, procfd, NSTYPE_ALL_MASK, 1u << SRC_PROCS, &st), 0);
	assert_true(nsdb_find_ns(db, NSTYPE_NET, 101) == NSDB_NONE);
	assert_true(nsdb_find_ns(db, NSTYPE_NET, 102) == NSDB_NONE);
	nsdb_free(db);

	/* only net links read: no uts namespace at all */
	db = nsdb_new();
	assert_int_equal(scan_procs(db, procfd, 1u << NSTYPE_NET, 1u << SRC_PROCS, &st), 0);
	assert_true(nsdb_find_ns(db, NSTYPE_UTS, 200) == NSDB_NONE);
	assert_true(nsdb_find_ns(db, NSTYPE_NET, 100) != NSDB_NONE);
	nsdb_free(db);
	close(procfd);
}

static void test_parse_sources(void **state)
{
	unsigned mask;
	char *bad;

	assert_int_equal(scan_parse_sources("procs,fds", &mask, &bad), 0);
	assert_int_equal(mask, (1u << SRC_PROCS) | (1u << SRC_FDS));
	assert_int_equal(scan_parse_sources("all", &mask, &bad), 0);
	assert_int_equal(mask, SRC_ALL_MASK);
	assert_int_equal(scan_parse_sources("procs,bogus", &mask, &bad), -EINVAL);
	assert_string_equal(bad, "bogus");
	free(bad);
	assert_int_equal(scan_parse_sources("", &mask, &bad), -EINVAL);
	free(bad);
	for (int i = 0; i < SRC_COUNT; i++) {
		assert_int_equal(scan_parse_sources(scan_sources[i].name, &mask, &bad), 0);
		assert_int_equal(mask, 1u << i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_fixture),
		cmocka_unit_test(test_sources_switch),
		cmocka_unit_test(test_parse_sources),
	};
	return cmocka_run_group_tests_name("scan", tests, setup, teardown);
}
