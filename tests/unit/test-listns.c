/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The listns() path on a kernel that lacks it: a fake listns lists the ids of
 * our own namespaces, and a fake open-by-id opens /proc/self/ns/TYPE for them.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "listns.h"

/* fake ids: 1000 + type, ascending like the kernel's */
#define FAKE_ID(t) (1000u + (unsigned)(t))

static long fake_calls;

static long fake_listns(const struct nspect_ns_id_req *req, uint64_t *ids, size_t n, unsigned flags)
{
	size_t k = 0;
	fake_calls++;
	assert_int_equal(req->size, NSPECT_NS_ID_REQ_SIZE);
	assert_int_equal(flags, 0);
	for (int t = 0; t < NSTYPE_COUNT && k < n; t++)
		if (FAKE_ID(t) > req->ns_id)
			ids[k++] = FAKE_ID(t);
	return (long)k;
}

static int fake_open_by_id(uint64_t id)
{
	char path[64];
	if (id < 1000 || id >= 1000 + NSTYPE_COUNT)
		return -ENOENT;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name((enum nstype)(id - 1000)));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static long enosys_listns(const struct nspect_ns_id_req *req, uint64_t *ids, size_t n, unsigned flags)
{
	errno = ENOSYS;
	return -1;
}

static const struct listns_ops fake_ops = { fake_listns, fake_open_by_id };
static const struct listns_ops enosys_ops = { enosys_listns, fake_open_by_id };

static uint64_t self_ino(enum nstype t)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name(t));
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static void test_listns_adds_missing(void **state)
{
	struct nsdb *db = nsdb_new();
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t idx;

	assert_int_equal(nsdb_index(db), 0);
	/* the model already knows our net namespace, by the fake id */
	assert_int_equal(nsdb_add_ns(db, NSTYPE_NET, self_ino(NSTYPE_NET), &idx), 0);
	db->ns[idx].nsid = FAKE_ID(NSTYPE_NET);
	db->ns[idx].has_nsid = true;
	db->ns[idx].holders = 1u << HOLDER_PROC;

	struct relate_ctx ctx = { .db = db, .procfd = procfd, .nlfd = -1, .what = NSDB_REL_OWNER,
				  .typemask = NSTYPE_ALL_MASK & ~(1u << NSTYPE_TIME) };
	fake_calls = 0;
	assert_true(listns_available(&fake_ops));
	assert_int_equal(listns_scan(&ctx, &fake_ops), 0);
	assert_true(fake_calls >= 1);
	assert_int_equal(nsdb_sort(db), 0);

	for (int t = 0; t < NSTYPE_COUNT; t++) {
		size_t i = nsdb_find_ns(db, (enum nstype)t, self_ino((enum nstype)t));
		if (t == NSTYPE_TIME) {
			/* not in the type mask: not added */
			assert_true(i == NSDB_NONE);
			continue;
		}
		assert_true(i != NSDB_NONE);
		assert_int_equal(db->ns[i].nsid, FAKE_ID(t));
		if (t == NSTYPE_NET) {
			/* already known: kept as it was, not marked as the kernel's */
			assert_int_equal(db->ns[i].holders, 1u << HOLDER_PROC);
		} else {
			assert_true(db->ns[i].holders & (1u << HOLDER_KERNEL));
			/* relations were asked through the fd the fake opened */
			assert_true(db->ns[i].rel_done & NSDB_REL_OWNER);
		}
	}
	nsdb_free(db);
	close(procfd);
}

static void test_listns_missing_kernel(void **state)
{
	struct nsdb *db = nsdb_new();
	struct relate_ctx ctx = { .db = db, .procfd = -1, .nlfd = -1, .typemask = NSTYPE_ALL_MASK };

	assert_false(listns_available(&enosys_ops));
	assert_int_equal(listns_scan(&ctx, &enosys_ops), -ENOSYS);
	assert_int_equal(db->nns, 0);
	nsdb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listns_adds_missing),
		cmocka_unit_test(test_listns_missing_kernel),
	};
	return cmocka_run_group_tests_name("listns", tests, NULL, NULL);
}
