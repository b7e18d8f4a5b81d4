/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsfs bind mounts as holders: the mountinfo fallback against a fixture
 * /proc tree (escaped paths, types filtered, other mount namespaces reached
 * through /proc/PID/root), the fallback chosen when the kernel walk cannot
 * run, and, as root, a real bind mount in a mount namespace of our own.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "mounts.h"

#define NET_BLUE 4026532001ULL
#define UTS_SPACE 4026532002ULL
#define PID_X 4026532003ULL
#define MNT_A 4026532010ULL
#define NET_LATE 4026532011ULL
#define MNT_OTHER 777ULL
#define MNT_NOFILE 888ULL
#define MNT_BAD 999ULL

static char root[64];
#define mkdirs(rel) fx_mkdirs(root, rel)
#define write_file(rel, text) fx_write(root, rel, text)
static uint64_t self_mnt; /* the inode of the fixture's self/ns/mnt: "our" mount namespace */

/*
 * self/ns/mnt is a plain file: its inode stands for our own mount namespace,
 * and it is no nsfs file, so the kernel walk (NS_MNT_GET_INFO) fails on it.
 * 100: in our mount namespace; 200: in another; 300: its mountinfo is gone;
 * 400: a mountinfo with a line libmount cannot read in the middle.
 */
static int setup(void **state)
{
	char path[256];
	struct stat st;

	strcpy(root, "/tmp/nspect-mounts-XXXXXX");
	assert_non_null(mkdtemp(root));
	mkdirs("self/ns");
	mkdirs("100");
	mkdirs("200");
	mkdirs("300");
	mkdirs("400");
	write_file("self/ns/mnt", "");
	snprintf(path, sizeof(path), "%s/self/ns/mnt", root);
	assert_int_equal(stat(path, &st), 0);
	self_mnt = st.st_ino;
	write_file("100/mountinfo",
		   "25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
		   "36 25 0:4 net:[4026532001] /run/netns/blue rw,nosuid,nodev,noexec,relatime shared:5 - nsfs nsfs rw\n"
		   "37 25 0:4 uts:[4026532002] /run/netns/with\\040space\\011tab rw - nsfs nsfs rw\n"
		   "38 25 0:22 / /proc rw,nosuid - proc proc rw\n"
		   "39 25 0:4 pid:[4026532003] /run/pidns rw - nsfs nsfs rw\n"
		   /* an nsfs mount whose root is no namespace link (should never happen): ignored */
		   "40 25 0:4 / /odd rw - nsfs nsfs rw\n"
		   /* a namespace type name that is not one */
		   "41 25 0:4 bogus:[5] /bogus rw - nsfs nsfs rw\n");
	write_file("200/mountinfo",
		   "50 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		   "51 50 0:4 net:[4026532001] /var/run/netns/blue rw - nsfs nsfs rw\n"
		   "52 50 0:4 mnt:[4026532010] /run/mntns/a rw - nsfs nsfs rw\n");
	write_file("400/mountinfo",
		   "59 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		   "this line is not mountinfo\n"
		   "60 1 0:4 net:[4026532011] /late rw - nsfs nsfs rw\n");
	return 0;
}

static int teardown(void **state)
{
	return fx_remove(root);
}

static void add_proc(struct nsdb *db, pid_t pid, uint64_t mnt)
{
	struct nsdb_proc p;
	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.ns[NSTYPE_MNT] = mnt;
	assert_int_equal(nsdb_add_proc(db, &p), 0);
}

/* Four processes in four mount namespaces, as a scan of the fixture would find them. */
static struct nsdb *model(void)
{
	struct nsdb *db = nsdb_new();
	add_proc(db, 100, self_mnt);
	add_proc(db, 200, MNT_OTHER);
	add_proc(db, 300, MNT_NOFILE);
	add_proc(db, 400, MNT_BAD);
	/* a second process in our mount namespace: one mountinfo per namespace is read */
	add_proc(db, 150, self_mnt);
	assert_int_equal(nsdb_index(db), 0);
	return db;
}

static int fixture_fd(void)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

/* The mount holders of (t, ino), in the order they were found. */
static size_t mount_holders(const struct nsdb *db, enum nstype t, uint64_t ino, const struct nsdb_holder **out,
			    size_t max)
{
	size_t n = 0;
	for (size_t h = 0; h < db->nholders; h++)
		if (db->holders[h].kind == HOLDER_MOUNT && db->holders[h].type == t && db->holders[h].ino == ino) {
			if (n < max)
				out[n] = &db->holders[h];
			n++;
		}
	return n;
}

static void check_fixture_result(struct nsdb *db, unsigned typemask, const struct scan_stats *st)
{
	const struct nsdb_holder *h[4];
	char want[64];

	assert_int_equal(st->mounts_fallback, 1);
	assert_int_equal(st->mntns_denied, 0);

	/* the same net namespace mounted in two mount namespaces: two holders */
	assert_int_equal(mount_holders(db, NSTYPE_NET, NET_BLUE, h, 4), 2);
	assert_string_equal(h[0]->path, "/run/netns/blue");
	assert_int_equal(h[0]->mntns, self_mnt);
	/* in our own mount namespace the mount point opens as it is */
	assert_string_equal(h[0]->open_path, "/run/netns/blue");
	assert_string_equal(h[1]->path, "/var/run/netns/blue");
	assert_int_equal(h[1]->mntns, MNT_OTHER);
	/* in another, through the root of one of its processes, relative to /proc */
	assert_string_equal(h[1]->open_path, "200/root/var/run/netns/blue");

	size_t blue = nsdb_find_ns(db, NSTYPE_NET, NET_BLUE);
	assert_true(blue != NSDB_NONE);
	assert_int_equal(db->ns[blue].holders, 1u << HOLDER_MOUNT);
	assert_int_equal(db->ns[blue].nprocs, 0);
	/* the first mount found can reopen it */
	assert_true(db->ns[blue].opener != NSDB_NONE);
	assert_ptr_equal(&db->holders[db->ns[blue].opener], h[0]);

	/* octal escapes of mountinfo become the bytes they stand for */
	assert_int_equal(mount_holders(db, NSTYPE_UTS, UTS_SPACE, h, 4), 1);
	assert_string_equal(h[0]->path, "/run/netns/with space\ttab");

	/* a mount namespace can be held by a mount too */
	assert_int_equal(mount_holders(db, NSTYPE_MNT, MNT_A, h, 4), 1);
	assert_string_equal(h[0]->path, "/run/mntns/a");

	/* a bad line does not hide the good ones after it */
	assert_int_equal(mount_holders(db, NSTYPE_NET, NET_LATE, h, 4), 1);
	snprintf(want, sizeof(want), "%d/root/late", 400);
	assert_string_equal(h[0]->open_path, want);

	/* only the types asked for */
	bool want_pid = typemask & (1u << NSTYPE_PID);
	assert_int_equal(mount_holders(db, NSTYPE_PID, PID_X, h, 4), want_pid ? 1 : 0);
	assert_int_equal(nsdb_find_ns(db, NSTYPE_PID, PID_X) != NSDB_NONE, want_pid);

	/* non-nsfs mounts and nsfs mounts that name no namespace add nothing */
	size_t n = 0;
	for (size_t i = 0; i < db->nholders; i++) {
		assert_int_equal(db->holders[i].kind, HOLDER_MOUNT);
		assert_true(strcmp(db->holders[i].path, "/odd") != 0);
		assert_true(strcmp(db->holders[i].path, "/bogus") != 0);
		assert_true(strcmp(db->holders[i].path, "/") != 0);
		n++;
	}
	assert_int_equal(n, want_pid ? 6 : 5);
}

static void test_mountinfo_fallback(void **state)
{
	int procfd = fixture_fd();
	struct scan_stats st = { 0 };
	struct nsdb *db = model();

	assert_int_equal(mounts_scan_mountinfo(db, procfd, NSTYPE_ALL_MASK, &st), 0);
	check_fixture_result(db, NSTYPE_ALL_MASK, &st);

	/* holders chain per namespace once sorted, in the order found */
	assert_int_equal(nsdb_sort(db), 0);
	size_t blue = nsdb_find_ns(db, NSTYPE_NET, NET_BLUE);
	size_t h = db->ns[blue].first_holder;
	assert_true(h != NSDB_NONE);
	assert_string_equal(db->holders[h].path, "/run/netns/blue");
	h = db->holders[h].next;
	assert_true(h != NSDB_NONE);
	assert_string_equal(db->holders[h].path, "/var/run/netns/blue");
	assert_true(db->holders[h].next == NSDB_NONE);
	nsdb_free(db);
	close(procfd);
}

static void test_mountinfo_typemask(void **state)
{
	int procfd = fixture_fd();
	struct scan_stats st = { 0 };
	struct nsdb *db = model();
	unsigned mask = NSTYPE_ALL_MASK & ~(1u << NSTYPE_PID);

	assert_int_equal(mounts_scan_mountinfo(db, procfd, mask, &st), 0);
	check_fixture_result(db, mask, &st);
	nsdb_free(db);

	/* net alone */
	db = model();
	memset(&st, 0, sizeof(st));
	assert_int_equal(mounts_scan_mountinfo(db, procfd, 1u << NSTYPE_NET, &st), 0);
	for (size_t i = 0; i < db->nholders; i++)
		assert_int_equal(db->holders[i].type, NSTYPE_NET);
	assert_int_equal(db->nholders, 3);
	nsdb_free(db);
	close(procfd);
}

/* Mount namespaces only known from an fd, with no process to read mountinfo through, are skipped. */
static void test_mountinfo_no_process(void **state)
{
	int procfd = fixture_fd();
	struct scan_stats st = { 0 };
	struct nsdb *db = nsdb_new();
	size_t i;

	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(nsdb_add_ns(db, NSTYPE_MNT, self_mnt, &i), 0);
	assert_int_equal(mounts_scan_mountinfo(db, procfd, NSTYPE_ALL_MASK, &st), 0);
	assert_int_equal(db->nholders, 0);
	assert_int_equal(st.mounts_fallback, 1);
	nsdb_free(db);
	close(procfd);
}

/* mounts_scan: the kernel walk cannot run on this tree (no nsfs file), so the fallback answers. */
static void test_scan_falls_back(void **state)
{
	int procfd = fixture_fd();
	struct scan_stats st = { 0 };
	struct nsdb *db = model();

	unsetenv("NSPECT_MOUNTS_FALLBACK");
	assert_int_equal(mounts_scan(db, procfd, NSTYPE_ALL_MASK, &st), 0);
	check_fixture_result(db, NSTYPE_ALL_MASK, &st);
	nsdb_free(db);

	/* and when forced */
	db = model();
	memset(&st, 0, sizeof(st));
	setenv("NSPECT_MOUNTS_FALLBACK", "1", 1);
	assert_int_equal(mounts_scan(db, procfd, NSTYPE_ALL_MASK, &st), 0);
	unsetenv("NSPECT_MOUNTS_FALLBACK");
	check_fixture_result(db, NSTYPE_ALL_MASK, &st);
	nsdb_free(db);
	close(procfd);
}

/*
 * As root: in a mount namespace of our own, bind-mount our uts namespace on
 * a file (as "ip netns add" does with net), and find it both ways.
 */
static int real_child(void *arg)
{
	const char *target = arg;
	int procfd, r;

	if (unshare(CLONE_NEWNS) < 0)
		return 77;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return 77;
	if (mount("/proc/self/ns/uts", target, NULL, MS_BIND, NULL) < 0)
		return 77;
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat uts, mnt;
	if (procfd < 0 || stat("/proc/self/ns/uts", &uts) < 0 || stat("/proc/self/ns/mnt", &mnt) < 0)
		return 1;

	for (int forced = 0; forced < 2; forced++) {
		struct scan_stats st = { 0 };
		struct nsdb *db = nsdb_new();
		struct nsdb_proc me;
		if (forced)
			setenv("NSPECT_MOUNTS_FALLBACK", "1", 1);
		/* ourselves alone is enough for the fallback to read our mountinfo */
		if (scan_proc_ns(procfd, getpid(), NSTYPE_ALL_MASK, &me) < 0 || nsdb_add_proc(db, &me) < 0 ||
		    nsdb_index(db) < 0)
			return 2;
		r = mounts_scan(db, procfd, 1u << NSTYPE_UTS, &st);
		if (r < 0)
			return 3;
		if (forced && st.mounts_fallback != 1)
			return 4;
		bool found = false;
		for (size_t h = 0; h < db->nholders; h++) {
			const struct nsdb_holder *x = &db->holders[h];
			if (x->kind != HOLDER_MOUNT || x->type != NSTYPE_UTS || strcmp(x->path, target) != 0)
				continue;
			if (x->ino != uts.st_ino || x->mntns != mnt.st_ino)
				return 5;
			/* in our own mount namespace: opens by its own path */
			if (!x->open_path || strcmp(x->open_path, target) != 0)
				return 6;
			found = true;
		}
		if (!found)
			return 7 + forced;
		nsdb_free(db);
		unsetenv("NSPECT_MOUNTS_FALLBACK");
	}
	close(procfd);
	return 0;
}

static void test_real_bind_mount(void **state)
{
	char target[128];
	int status;

	if (geteuid() != 0)
		skip();
	snprintf(target, sizeof(target), "%s/uts-pin", root);
	write_file("uts-pin", "");
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(real_child(target));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		fail_msg("as root, but: %s", "no mount namespaces here (a restricted container)");
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo_fallback),
		cmocka_unit_test(test_mountinfo_typemask),
		cmocka_unit_test(test_mountinfo_no_process),
		cmocka_unit_test(test_scan_falls_back),
		cmocka_unit_test(test_real_bind_mount),
	};
	return cmocka_run_group_tests_name("mounts", tests, setup, teardown);
}
