/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One discovery pass over a fixture /proc tree: processes, fds and nsfs
 * mounts (through the mountinfo fallback, as the tree has no nsfs file to
 * walk from), then relations.  Links read like the kernel's ("net:[INODE]");
 * those of process 100 resolve, through a second link of that name, to the
 * test process's real namespaces, so relations are the kernel's answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "discover.h"
#include "kernel.h"

#define FAKE_NET 4026599001ULL  /* process 200's, a dangling link */
#define FD_UTS 4026599002ULL    /* held by fd 4 of process 100 alone */
#define MOUNT_NET 4026599003ULL /* held by an nsfs mount alone */

#define REL_BOTH (NSDB_REL_OWNER | NSDB_REL_PARENT)
/* everything that needs no live kernel facility beyond nsfs ioctls */
#define SOURCES ((1u << SRC_PROCS) | (1u << SRC_THREADS) | (1u << SRC_FDS) | (1u << SRC_MOUNTS))

static char root[64], root_b[64];
static uint64_t real[NSTYPE_COUNT];

/* dir/ns/TYPE -> "TYPE:[INODE]" -> /proc/self/ns/TYPE */
static void real_link(const char *base, const char *dir, enum nstype t)
{
	char rel[128], target[64], self[64];
	snprintf(rel, sizeof(rel), "%s/ns", dir);
	fx_mkdirs(base, rel);
	snprintf(target, sizeof(target), "%s:[%llu]", nstype_name(t), (unsigned long long)real[t]);
	snprintf(rel, sizeof(rel), "%s/ns/%s", dir, nstype_name(t));
	fx_link(base, target, rel);
	snprintf(rel, sizeof(rel), "%s/ns/%s", dir, target);
	snprintf(self, sizeof(self), "/proc/self/ns/%s", nstype_name(t));
	fx_link(base, self, rel);
}

static uint64_t ino_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/*
 * Tree A: 100 is in our real namespaces, has fd 3 on its own net namespace
 * and fd 4 on a uts namespace nothing else holds, and sees an nsfs mount of a
 * net namespace no process is in; 200 is in a net namespace of its own
 * (a dangling link); 300 is a zombie.
 * Tree B: 100 alone, with only its net link.
 */
static int setup(void **state)
{
	char text[256];

	for (int t = 0; t < NSTYPE_COUNT; t++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name((enum nstype)t));
		real[t] = ino_of(path);
	}
	strcpy(root, "/tmp/nspect-discover-XXXXXX");
	assert_non_null(mkdtemp(root));
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (real[t])
			real_link(root, "100", (enum nstype)t);
	fx_mkdirs(root, "100/fd");
	snprintf(text, sizeof(text), "net:[%llu]", (unsigned long long)real[NSTYPE_NET]);
	fx_link(root, text, "100/fd/3");
	snprintf(text, sizeof(text), "uts:[%llu]", FD_UTS);
	fx_link(root, text, "100/fd/4");
	fx_link(root, "/dev/null", "100/fd/0");
	fx_write(root, "100/stat", "100 (holder) S 1 100 100 0");
	snprintf(text, sizeof(text),
		 "25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		 "36 25 0:4 net:[%llu] /run/netns/ghost rw shared:5 - nsfs nsfs rw\n",
		 MOUNT_NET);
	fx_write(root, "100/mountinfo", text);
	fx_mkdirs(root, "200/ns");
	snprintf(text, sizeof(text), "net:[%llu]", FAKE_NET);
	fx_link(root, text, "200/ns/net");
	fx_mkdirs(root, "300/ns");

	strcpy(root_b, "/tmp/nspect-discover-b-XXXXXX");
	assert_non_null(mkdtemp(root_b));
	real_link(root_b, "100", NSTYPE_NET);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", root, root_b);
	return system(cmd) == 0 ? 0 : -1;
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

/* The kernel's owner of our namespace of type t, 0 when hidden. */
static uint64_t kernel_owner(enum nstype t)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name(t));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	int ufd = ioctl(fd, NS_GET_USERNS);
	uint64_t ino = ufd >= 0 && fstat(ufd, &st) == 0 ? st.st_ino : 0;
	if (ufd >= 0)
		close(ufd);
	close(fd);
	return ino;
}

static size_t find(const struct nsdb *db, enum nstype t, uint64_t ino)
{
	size_t i = nsdb_find_ns(db, t, ino);
	assert_true(i != NSDB_NONE);
	return i;
}

static void assert_sorted(const struct nsdb *db)
{
	for (size_t i = 1; i < db->nns; i++)
		assert_true(db->ns[i - 1].ino < db->ns[i].ino ||
			    (db->ns[i - 1].ino == db->ns[i].ino && db->ns[i - 1].type < db->ns[i].type));
	/* and every lookup agrees with the order */
	for (size_t i = 0; i < db->nns; i++)
		assert_int_equal(nsdb_find_ns(db, db->ns[i].type, db->ns[i].ino), i);
}

static void test_sources_no_relations(void **state)
{
	int procfd = open_dir(root);
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	struct discover_opts o = { .typemask = NSTYPE_ALL_MASK, .sources = SOURCES, .nlfd = -1 };

	assert_int_equal(discover(db, procfd, &o, &st), 0);
	assert_sorted(db);
	assert_int_equal(db->nprocs, 2);
	assert_int_equal(st.vanished, 1); /* the zombie */
	assert_int_equal(st.mounts_fallback, 1);

	/* our net namespace: a process in it and an fd on it */
	size_t net = find(db, NSTYPE_NET, real[NSTYPE_NET]);
	assert_int_equal(db->ns[net].nprocs, 1);
	assert_int_equal(db->ns[net].holders, (1u << HOLDER_PROC) | (1u << HOLDER_FD));
	assert_int_equal(db->procs[db->ns[net].rep].pid, 100);

	/* a uts namespace only an fd holds */
	size_t uts = find(db, NSTYPE_UTS, FD_UTS);
	assert_int_equal(db->ns[uts].nprocs, 0);
	assert_int_equal(db->ns[uts].holders, 1u << HOLDER_FD);
	size_t h = db->ns[uts].first_holder;
	assert_true(h != NSDB_NONE);
	assert_int_equal(db->holders[h].pid, 100);
	assert_int_equal(db->holders[h].num, 4);

	/* a net namespace only a mount holds, reachable through the root of 100 */
	size_t ghost = find(db, NSTYPE_NET, MOUNT_NET);
	assert_int_equal(db->ns[ghost].holders, 1u << HOLDER_MOUNT);
	h = db->ns[ghost].first_holder;
	assert_string_equal(db->holders[h].path, "/run/netns/ghost");
	assert_string_equal(db->holders[h].open_path, "100/root/run/netns/ghost");
	assert_int_equal(db->holders[h].mntns, real[NSTYPE_MNT]);

	/* 200's own net namespace */
	assert_int_equal(db->ns[find(db, NSTYPE_NET, FAKE_NET)].nprocs, 1);

	/* neither ancestors nor relate_every: relations are the caller's to ask, of its rows */
	for (size_t i = 0; i < db->nns; i++) {
		assert_int_equal(db->ns[i].rel_done, 0);
		assert_int_equal(db->ns[i].owner, 0);
		assert_false(db->ns[i].holders & (1u << HOLDER_CHILD));
	}
	nsdb_free(db);
	close(procfd);
}

static void test_ancestors(void **state)
{
	int procfd = open_dir(root);
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	struct discover_opts o = { .typemask = NSTYPE_ALL_MASK, .sources = SOURCES | (1u << SRC_ANCESTORS),
				   .nlfd = -1 };

	assert_int_equal(discover(db, procfd, &o, &st), 0);
	assert_sorted(db);
	/* every namespace was asked its owner and parent */
	for (size_t i = 0; i < db->nns; i++)
		assert_int_equal(db->ns[i].rel_done & REL_BOTH, REL_BOTH);

	/* ours: the kernel's answer */
	uint64_t owner = kernel_owner(NSTYPE_NET);
	size_t net = find(db, NSTYPE_NET, real[NSTYPE_NET]);
	assert_int_equal(db->ns[net].owner, owner);
	if (owner) {
		/* the owner is in the model, holding a child */
		size_t u = find(db, NSTYPE_USER, owner);
		assert_true(db->ns[u].holders & (1u << HOLDER_CHILD));
	}
	/* namespaces that cannot be opened keep their relations unknown */
	assert_int_equal(db->ns[find(db, NSTYPE_UTS, FD_UTS)].owner, 0);
	assert_int_equal(db->ns[find(db, NSTYPE_NET, FAKE_NET)].owner, 0);
	assert_int_equal(db->ns[find(db, NSTYPE_NET, MOUNT_NET)].owner, 0);
	/* and holders chains survive the sort that ends discovery */
	size_t h = db->ns[find(db, NSTYPE_UTS, FD_UTS)].first_holder;
	assert_int_equal(db->holders[h].num, 4);
	nsdb_free(db);
	close(procfd);
}

/* Tree B: only a net namespace is known; its owner is added as an ancestor when asked. */
static void test_hidden_ancestor(void **state)
{
	uint64_t owner = kernel_owner(NSTYPE_NET);
	if (!owner)
		skip(); /* our net namespace's owner is hidden from us */

	int procfd = open_dir(root_b);
	for (int mode = 0; mode < 3; mode++) {
		struct nsdb *db = nsdb_new();
		struct scan_stats st = { 0 };
		struct discover_opts o = {
			.typemask = (1u << NSTYPE_NET) | (1u << NSTYPE_USER),
			.sources = mode == 0 ? (1u << SRC_PROCS) | (1u << SRC_ANCESTORS) : 1u << SRC_PROCS,
			.nlfd = -1,
			.relate_every = mode == 1,
		};
		assert_int_equal(discover(db, procfd, &o, &st), 0);
		assert_sorted(db);
		size_t net = find(db, NSTYPE_NET, real[NSTYPE_NET]);
		size_t u = nsdb_find_ns(db, NSTYPE_USER, owner);
		if (mode == 0) {
			/* with the ancestors source: the owner joins the model, held by its child alone */
			assert_int_equal(db->ns[net].owner, owner);
			assert_true(u != NSDB_NONE);
			assert_int_equal(db->ns[u].holders, 1u << HOLDER_CHILD);
			assert_int_equal(db->ns[u].nprocs, 0);
			assert_int_equal(db->nns, 2);
		} else if (mode == 1) {
			/* relate_every: relations asked, but nothing added */
			assert_int_equal(db->ns[net].owner, owner);
			assert_true(u == NSDB_NONE);
			assert_int_equal(db->nns, 1);
		} else {
			assert_int_equal(db->ns[net].owner, 0);
			assert_int_equal(db->ns[net].rel_done, 0);
			assert_int_equal(db->nns, 1);
		}
		nsdb_free(db);
	}
	close(procfd);
}

static void test_typemask_and_sources(void **state)
{
	int procfd = open_dir(root);
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };

	/* net only: no uts namespace from any source */
	struct discover_opts o = { .typemask = 1u << NSTYPE_NET, .sources = SOURCES, .nlfd = -1 };
	assert_int_equal(discover(db, procfd, &o, &st), 0);
	for (size_t i = 0; i < db->nns; i++)
		assert_int_equal(db->ns[i].type, NSTYPE_NET);
	assert_true(nsdb_find_ns(db, NSTYPE_NET, real[NSTYPE_NET]) != NSDB_NONE);
	assert_true(nsdb_find_ns(db, NSTYPE_NET, FAKE_NET) != NSDB_NONE);
	/* (the typemask without mnt is covered by test_fixed_mounts_fallback_typemask) */
	nsdb_free(db);

	/* processes without fds or mounts */
	db = nsdb_new();
	memset(&st, 0, sizeof(st));
	o = (struct discover_opts){ .typemask = NSTYPE_ALL_MASK, .sources = 1u << SRC_PROCS, .nlfd = -1 };
	assert_int_equal(discover(db, procfd, &o, &st), 0);
	assert_true(nsdb_find_ns(db, NSTYPE_UTS, FD_UTS) == NSDB_NONE);
	assert_true(nsdb_find_ns(db, NSTYPE_NET, MOUNT_NET) == NSDB_NONE);
	assert_int_equal(db->nholders, 0);
	assert_int_equal(st.mounts_fallback, 0);
	nsdb_free(db);
	close(procfd);
}

/*
 * Was a bug, kept as a regression test: the mountinfo fallback
 * reads the mountinfo of one process per mount namespace in the model, but
 * with a typemask without mnt no mount namespace is in the model, so nsfs
 * mounts of the asked type (ip netns add) are never found: "nspect list -t net"
 * misses them on kernels without listmount, while "nspect list" shows them.
 */
static void test_fixed_mounts_fallback_typemask(void **state)
{
	int procfd = open_dir(root);
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	struct discover_opts o = { .typemask = 1u << NSTYPE_NET, .sources = SOURCES, .nlfd = -1 };
	assert_int_equal(discover(db, procfd, &o, &st), 0);
	size_t ghost = nsdb_find_ns(db, NSTYPE_NET, MOUNT_NET);
	int found = ghost != NSDB_NONE;
	nsdb_free(db);
	close(procfd);
	assert_true(found);
}

/*
 * Was a bug, kept as a regression test: a pass that finds
 * nothing (here: only bind mounts, of a type none is of) ends in
 * nsdb_sort() of an empty model, which calls
 * qsort(NULL, 0, ...): undefined behaviour that UBSan with
 * -fno-sanitize-recover (--enable-sanitizers) aborts on.
 */
static void test_fixed_nothing_found(void **state)
{
	int procfd = open_dir(root);
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	struct discover_opts o = { .typemask = 1u << NSTYPE_TIME, .sources = 1u << SRC_MOUNTS, .nlfd = -1 };
	assert_int_equal(discover(db, procfd, &o, &st), 0);
	assert_int_equal(db->nprocs, 0);
	assert_int_equal(db->nns, 0);
	nsdb_free(db);
	close(procfd);
}

/* A /proc that cannot be read at all is an error, not an empty system. */
static void test_bad_procfd(void **state)
{
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	struct discover_opts o = { .typemask = NSTYPE_ALL_MASK, .sources = SOURCES, .nlfd = -1 };

	assert_int_equal(discover(db, -1, &o, &st), -EBADF);
	nsdb_free(db);
}

/* The real /proc: the test process and its namespaces are found. */
static void test_real_proc(void **state)
{
	int procfd = open_dir("/proc");
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	struct discover_opts o = { .typemask = NSTYPE_ALL_MASK,
				   .sources = (1u << SRC_PROCS) | (1u << SRC_ANCESTORS),
				   .nlfd = -1 };

	assert_int_equal(discover(db, procfd, &o, &st), 0);
	assert_sorted(db);
	size_t me = nsdb_find_proc(db, getpid());
	assert_true(me != NSDB_NONE);
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		if (!real[t])
			continue;
		assert_int_equal(db->procs[me].ns[t], real[t]);
		size_t i = find(db, (enum nstype)t, real[t]);
		assert_true(db->ns[i].nprocs >= 1);
		assert_true(db->ns[i].holders & (1u << HOLDER_PROC));
		assert_int_equal(db->ns[i].owner, kernel_owner((enum nstype)t));
	}
	nsdb_free(db);
	close(procfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sources_no_relations),
		cmocka_unit_test(test_ancestors),
		cmocka_unit_test(test_hidden_ancestor),
		cmocka_unit_test(test_typemask_and_sources),
		cmocka_unit_test(test_fixed_mounts_fallback_typemask),
		cmocka_unit_test(test_fixed_nothing_found),
		cmocka_unit_test(test_bad_procfd),
		cmocka_unit_test(test_real_proc),
	};
	return cmocka_run_group_tests_name("discover", tests, setup, teardown);
}
