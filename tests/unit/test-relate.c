/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Relations between namespaces.  A fixture /proc tree whose namespace links
 * read like the kernel's ("net:[INODE]") but resolve, through a second link
 * of that name, to the test process's real namespaces: so opening through a
 * process, a thread, an fd or a mount, the inode check that guards against
 * reused pids, and the nsfs ioctls all run against real namespaces.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "kernel.h"
#include "relate.h"
#include "scan.h"

#define REL_BOTH (NSDB_REL_OWNER | NSDB_REL_PARENT)

static char root[64];
#define mkdirs(rel) fx_mkdirs(root, rel)
#define link_to(target, rel) fx_link(root, target, rel)
static uint64_t real[NSTYPE_COUNT]; /* our own namespaces, 0 for types this kernel lacks */

/*
 * dir/ns/NAME -> "NAME:[INODE]" -> /proc/self/ns/REALTYPE: readlink reads like
 * the kernel's link, open lands in our real namespace of type realtype.
 */
static void ns_link(const char *dir, enum nstype t, enum nstype realtype)
{
	char rel[128], target[64], self[64];
	snprintf(rel, sizeof(rel), "%s/ns", dir);
	mkdirs(rel);
	snprintf(target, sizeof(target), "%s:[%llu]", nstype_name(t), (unsigned long long)real[t]);
	snprintf(rel, sizeof(rel), "%s/ns/%s", dir, nstype_name(t));
	link_to(target, rel);
	snprintf(rel, sizeof(rel), "%s/ns/%s", dir, target);
	snprintf(self, sizeof(self), "/proc/self/ns/%s", nstype_name(realtype));
	link_to(self, rel);
}

static uint64_t ino_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static uint64_t fd_ino(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/*
 * 100: every type, each its real namespace;   200: net only;
 * 300: a net link whose namespace is really our uts one (a reused pid);
 * 400: fd 5 holds our net namespace;           500: a thread (of 10) in it;
 * 600/root/pin: a bind mount of it, seen from that process's root.
 */
static int setup(void **state)
{
	char path[256];

	for (int t = 0; t < NSTYPE_COUNT; t++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name((enum nstype)t));
		real[t] = ino_of(path);
	}
	assert_true(real[NSTYPE_NET] && real[NSTYPE_USER] && real[NSTYPE_UTS]);
	strcpy(root, "/tmp/nspect-relate-XXXXXX");
	assert_non_null(mkdtemp(root));
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (real[t])
			ns_link("100", (enum nstype)t, (enum nstype)t);
	ns_link("200", NSTYPE_NET, NSTYPE_NET);
	ns_link("300", NSTYPE_NET, NSTYPE_UTS);
	mkdirs("400/fd");
	link_to("/proc/self/ns/net", "400/fd/5");
	ns_link("500", NSTYPE_NET, NSTYPE_NET);
	mkdirs("600/root");
	link_to("/proc/self/ns/net", "600/root/pin");
	return 0;
}

static int teardown(void **state)
{
	return fx_remove(root);
}

static int fixture_fd(void)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

/* A process whose types in mask are our real namespaces. */
static void add_proc(struct nsdb *db, pid_t pid, unsigned mask)
{
	struct nsdb_proc p;
	memset(&p, 0, sizeof(p));
	p.pid = pid;
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (mask & (1u << t))
			p.ns[t] = real[t];
	assert_int_equal(nsdb_add_proc(db, &p), 0);
}

static size_t find(const struct nsdb *db, enum nstype t)
{
	size_t i = nsdb_find_ns(db, t, real[t]);
	assert_true(i != NSDB_NONE);
	return i;
}

/* What the kernel says of our namespace of type t, asked directly. */
static void kernel_owner(enum nstype t, uint64_t *ret_owner, bool *ret_has_uid, uid_t *ret_uid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name(t));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	int ufd = ioctl(fd, NS_GET_USERNS);
	*ret_owner = ufd >= 0 ? fd_ino(ufd) : 0;
	int uid_fd = t == NSTYPE_USER ? fd : ufd;
	*ret_has_uid = uid_fd >= 0 && ioctl(uid_fd, NS_GET_OWNER_UID, ret_uid) == 0;
	if (ufd >= 0)
		close(ufd);
	close(fd);
}

static void test_open_via_process(void **state)
{
	int procfd = fixture_fd();
	struct nsdb *db = nsdb_new();

	add_proc(db, 100, NSTYPE_ALL_MASK);
	assert_int_equal(nsdb_index(db), 0);
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		if (!real[t])
			continue;
		int fd = relate_open_ns(db, procfd, &db->ns[find(db, (enum nstype)t)]);
		assert_true(fd >= 0);
		assert_int_equal(fd_ino(fd), real[t]);
		assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		close(fd);
	}
	nsdb_free(db);
	close(procfd);
}

static void test_open_other_process(void **state)
{
	int procfd = fixture_fd();
	struct nsdb *db = nsdb_new();

	/* the lowest pid (50) has exited since the scan: another process of the namespace opens it */
	add_proc(db, 50, 1u << NSTYPE_NET);
	add_proc(db, 200, 1u << NSTYPE_NET);
	assert_int_equal(nsdb_index(db), 0);
	size_t i = find(db, NSTYPE_NET);
	assert_int_equal(db->procs[db->ns[i].rep].pid, 50);
	int fd = relate_open_ns(db, procfd, &db->ns[i]);
	assert_true(fd >= 0);
	assert_int_equal(fd_ino(fd), real[NSTYPE_NET]);
	close(fd);
	nsdb_free(db);

	/* every process gone: -ENOENT */
	db = nsdb_new();
	add_proc(db, 50, 1u << NSTYPE_NET);
	add_proc(db, 60, 1u << NSTYPE_NET);
	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(relate_open_ns(db, procfd, &db->ns[find(db, NSTYPE_NET)]), -ENOENT);
	nsdb_free(db);
	close(procfd);
}

/* The pid now runs in another namespace than the scan saw: never opened as if it were the same. */
static void test_open_checks_inode(void **state)
{
	int procfd = fixture_fd();
	struct nsdb *db = nsdb_new();

	add_proc(db, 300, 1u << NSTYPE_NET);
	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(relate_open_ns(db, procfd, &db->ns[find(db, NSTYPE_NET)]), -ENOENT);
	nsdb_free(db);

	/* nor through a holder that now leads elsewhere */
	db = nsdb_new();
	assert_int_equal(nsdb_index(db), 0);
	struct nsdb_holder h = { .type = NSTYPE_UTS, .ino = real[NSTYPE_UTS], .kind = HOLDER_FD, .pid = 400, .num = 5 };
	assert_int_equal(nsdb_add_holder(db, &h), 0);
	assert_int_equal(relate_open_ns(db, procfd, &db->ns[find(db, NSTYPE_UTS)]), -ENOENT);
	nsdb_free(db);
	close(procfd);
}

static void check_holder_opens(int procfd, const struct nsdb_holder *h, bool opens)
{
	struct nsdb *db = nsdb_new();
	struct nsdb_holder copy = *h;

	assert_int_equal(nsdb_index(db), 0);
	if (h->path)
		copy.path = strdup(h->path);
	if (h->open_path)
		copy.open_path = strdup(h->open_path);
	assert_int_equal(nsdb_add_holder(db, &copy), 0);
	size_t i = find(db, NSTYPE_NET);
	assert_int_equal(db->ns[i].opener != NSDB_NONE, opens);
	int fd = relate_open_ns(db, procfd, &db->ns[i]);
	if (opens) {
		assert_true(fd >= 0);
		assert_int_equal(fd_ino(fd), real[NSTYPE_NET]);
		close(fd);
	} else {
		assert_int_equal(fd, -ENOENT);
	}
	nsdb_free(db);
}

/* A namespace no process is in opens through what holds it. */
static void test_open_via_holders(void **state)
{
	int procfd = fixture_fd();
	uint64_t net = real[NSTYPE_NET];

	struct nsdb_holder fd = { .type = NSTYPE_NET, .ino = net, .kind = HOLDER_FD, .pid = 400, .num = 5 };
	check_holder_opens(procfd, &fd, true);
	/* a thread: through its own task id */
	struct nsdb_holder thread = { .type = NSTYPE_NET, .ino = net, .kind = HOLDER_THREAD, .pid = 10, .num = 500 };
	check_holder_opens(procfd, &thread, true);
	/* a mount: through the path that reaches it from here (relative to /proc) */
	struct nsdb_holder mount = { .type = NSTYPE_NET, .ino = net, .kind = HOLDER_MOUNT, .mntns = 1,
				     .path = "/pin", .open_path = "600/root/pin" };
	check_holder_opens(procfd, &mount, true);
	/* a mount no path reaches: known to exist, but not to be opened */
	struct nsdb_holder unreachable = { .type = NSTYPE_NET, .ino = net, .kind = HOLDER_MOUNT, .mntns = 1,
					   .path = "/pin" };
	check_holder_opens(procfd, &unreachable, false);
	/* an fd since closed */
	struct nsdb_holder closed = { .type = NSTYPE_NET, .ino = net, .kind = HOLDER_FD, .pid = 400, .num = 6 };
	struct nsdb *db = nsdb_new();
	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(nsdb_add_holder(db, &closed), 0);
	assert_true(relate_open_ns(db, procfd, &db->ns[find(db, NSTYPE_NET)]) < 0);
	nsdb_free(db);
	close(procfd);
}

static void test_relate_owner(void **state)
{
	int procfd = fixture_fd();
	struct nsdb *db = nsdb_new();

	add_proc(db, 100, NSTYPE_ALL_MASK);
	assert_int_equal(nsdb_index(db), 0);
	struct relate_ctx ctx = { .db = db, .procfd = procfd, .nlfd = -1, .what = REL_BOTH, .typemask = NSTYPE_ALL_MASK };
	size_t net = find(db, NSTYPE_NET), user = find(db, NSTYPE_USER);
	size_t nns = db->nns;

	assert_int_equal(relate_ns(&ctx, net), 0);
	assert_int_equal(db->ns[net].rel_done & REL_BOTH, REL_BOTH);
	uint64_t owner;
	bool has_uid;
	uid_t uid;
	kernel_owner(NSTYPE_NET, &owner, &has_uid, &uid);
	assert_int_equal(db->ns[net].owner, owner);
	assert_int_equal(db->ns[net].has_owner_uid, has_uid);
	if (has_uid)
		assert_int_equal(db->ns[net].owner_uid, uid);
	/* net namespaces have no parent */
	assert_int_equal(db->ns[net].parent, 0);
	assert_int_equal(db->nns, nns);
	if (owner == real[NSTYPE_USER]) {
		/* the user namespace that owns it holds a child now */
		assert_true(db->ns[user].holders & (1u << HOLDER_CHILD));
		/* and it was asked in the same pass */
		assert_int_equal(db->ns[user].rel_done & REL_BOTH, REL_BOTH);
	}

	/* asked once: a second call asks nothing again */
	db->ns[net].owner = 12345;
	assert_int_equal(relate_ns(&ctx, net), 0);
	assert_int_equal(db->ns[net].owner, 12345);
	nsdb_free(db);
	close(procfd);
}

/* Owners not in the model are added when ancestors are asked for, and only of the types asked. */
static void test_relate_ancestors(void **state)
{
	int procfd = fixture_fd();
	uint64_t owner;
	bool has_uid;
	uid_t uid;

	kernel_owner(NSTYPE_UTS, &owner, &has_uid, &uid);
	if (!owner)
		skip(); /* our uts namespace's owner is hidden from us */

	for (int mode = 0; mode < 3; mode++) {
		struct nsdb *db = nsdb_new();
		/* a process of which only the uts namespace is known */
		add_proc(db, 100, 1u << NSTYPE_UTS);
		assert_int_equal(nsdb_index(db), 0);
		struct relate_ctx ctx = {
			.db = db,
			.procfd = procfd,
			.nlfd = -1,
			.what = REL_BOTH,
			.ancestors = mode > 0,
			.typemask = mode == 2 ? 1u << NSTYPE_UTS : NSTYPE_ALL_MASK,
		};
		assert_int_equal(relate_all(&ctx), 0);
		size_t uts = find(db, NSTYPE_UTS);
		assert_int_equal(db->ns[uts].owner, owner);
		size_t u = nsdb_find_ns(db, NSTYPE_USER, owner);
		if (mode == 1) {
			/* the owner joins the model, held by its child, and is asked in turn */
			assert_true(u != NSDB_NONE);
			assert_int_equal(db->ns[u].holders, 1u << HOLDER_CHILD);
			assert_int_equal(db->ns[u].nprocs, 0);
			assert_int_equal(db->ns[u].rel_done & REL_BOTH, REL_BOTH);
			assert_int_equal(db->nns, 2);
		} else {
			/* not asked for ancestors, or not for user namespaces: known, not added */
			assert_true(u == NSDB_NONE);
			assert_int_equal(db->nns, 1);
		}
		nsdb_free(db);
	}
	close(procfd);
}

static void test_relate_all_typemask(void **state)
{
	int procfd = fixture_fd();
	struct nsdb *db = nsdb_new();

	add_proc(db, 100, NSTYPE_ALL_MASK);
	assert_int_equal(nsdb_index(db), 0);
	unsigned mask = (1u << NSTYPE_NET) | (1u << NSTYPE_IPC);
	struct relate_ctx ctx = { .db = db, .procfd = procfd, .nlfd = -1, .what = NSDB_REL_OWNER, .typemask = mask };
	assert_int_equal(relate_all(&ctx), 0);
	for (size_t i = 0; i < db->nns; i++) {
		if (mask & (1u << db->ns[i].type)) {
			assert_int_equal(db->ns[i].rel_done, NSDB_REL_OWNER);
		} else {
			/* other types are left alone, unless revealed as an owner (holding a child) */
			assert_int_equal(db->ns[i].rel_done, 0);
			assert_int_equal(db->ns[i].owner, 0);
		}
	}
	nsdb_free(db);
	close(procfd);
}

/* A namespace whose holders are all gone keeps its relations unknown, and is not asked again. */
static void test_relate_gone(void **state)
{
	int procfd = fixture_fd();
	struct nsdb *db = nsdb_new();

	add_proc(db, 50, 1u << NSTYPE_NET); /* no such process in the fixture */
	assert_int_equal(nsdb_index(db), 0);
	struct relate_ctx ctx = { .db = db, .procfd = procfd, .nlfd = -1, .what = REL_BOTH, .ancestors = true,
				  .typemask = NSTYPE_ALL_MASK };
	size_t net = find(db, NSTYPE_NET);
	assert_int_equal(relate_ns(&ctx, net), 0);
	assert_int_equal(db->ns[net].rel_done, REL_BOTH);
	assert_int_equal(db->ns[net].owner, 0);
	assert_false(db->ns[net].has_owner_uid);
	assert_int_equal(db->nns, 1);
	nsdb_free(db);
	close(procfd);
}

/* Not a namespace file: the nsfs ioctls are missing, which is an error, not "unknown". */
static void test_relate_not_nsfs(void **state)
{
	struct nsdb *db = nsdb_new();
	size_t i;

	assert_int_equal(nsdb_index(db), 0);
	assert_int_equal(nsdb_add_ns(db, NSTYPE_NET, 1, &i), 0);
	struct relate_ctx ctx = { .db = db, .procfd = -1, .nlfd = -1, .what = REL_BOTH, .typemask = NSTYPE_ALL_MASK };
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_int_equal(relate_ns_fd(&ctx, i, fd), -ENOTTY);
	/* the fd stays the caller's */
	assert_true(fcntl(fd, F_GETFD) >= 0);
	close(fd);
	nsdb_free(db);
}

/* Parents: a user namespace of a child process, under ours (unprivileged where user namespaces are allowed). */
static void test_relate_user_parent(void **state)
{
	int go[2], ready[2];
	char c = 'n';

	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		c = unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);

	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct nsdb *db = nsdb_new();
	struct nsdb_proc p;
	int r = scan_proc_ns(procfd, pid, 1u << NSTYPE_USER, &p);
	bool ok = c == 'y' && r == 0;
	if (ok) {
		assert_int_equal(nsdb_add_proc(db, &p), 0);
		assert_int_equal(nsdb_index(db), 0);
		struct relate_ctx ctx = { .db = db, .procfd = procfd, .nlfd = -1, .what = REL_BOTH,
					  .ancestors = true, .typemask = 1u << NSTYPE_USER };
		assert_int_equal(relate_all(&ctx), 0);
	}
	close(go[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!ok) {
		nsdb_free(db);
		close(procfd);
		skip(); /* user namespaces not allowed here */
	}
	size_t child = nsdb_find_ns(db, NSTYPE_USER, p.ns[NSTYPE_USER]);
	assert_true(child != NSDB_NONE);
	assert_true(p.ns[NSTYPE_USER] != real[NSTYPE_USER]);
	/* its parent and its owner are both ours */
	assert_int_equal(db->ns[child].parent, real[NSTYPE_USER]);
	assert_int_equal(db->ns[child].owner, real[NSTYPE_USER]);
	/* created by us */
	assert_true(db->ns[child].has_owner_uid);
	assert_int_equal(db->ns[child].owner_uid, geteuid());
	/* ours was revealed as an ancestor and joined the model */
	size_t ours = nsdb_find_ns(db, NSTYPE_USER, real[NSTYPE_USER]);
	assert_true(ours != NSDB_NONE);
	assert_true(db->ns[ours].holders & (1u << HOLDER_CHILD));
	assert_int_equal(db->ns[ours].rel_done & REL_BOTH, REL_BOTH);
	/* whose own parent is beyond our sight: the climb stops there */
	assert_int_equal(db->ns[ours].parent, 0);
	assert_int_equal(db->nns, 2);
	nsdb_free(db);
	close(procfd);
}

/* A pid namespace under ours (needs CAP_SYS_ADMIN): NS_GET_PARENT through pid_for_children. */
static void test_relate_pid_parent(void **state)
{
	if (geteuid() != 0)
		skip();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWPID) < 0)
			_exit(77);
		/* the new pid namespace exists once its first process (its pid 1) does */
		pid_t init = fork();
		if (init < 0)
			_exit(77);
		if (init == 0) {
			pause();
			_exit(0);
		}
		int fd = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
		kill(init, SIGKILL);
		struct nsdb *db = nsdb_new();
		size_t i;
		if (fd < 0 || nsdb_index(db) < 0 || nsdb_add_ns(db, NSTYPE_PID, fd_ino(fd), &i) < 0)
			_exit(1);
		struct relate_ctx ctx = { .db = db, .procfd = -1, .nlfd = -1, .what = REL_BOTH,
					  .ancestors = true, .typemask = 1u << NSTYPE_PID };
		if (relate_ns_fd(&ctx, i, fd) != 0)
			_exit(2);
		if (db->ns[i].parent != real[NSTYPE_PID])
			_exit(3);
		/* the parent joined the model, held by its child */
		size_t up = nsdb_find_ns(db, NSTYPE_PID, real[NSTYPE_PID]);
		if (up == NSDB_NONE || !(db->ns[up].holders & (1u << HOLDER_CHILD)))
			_exit(4);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Give the net namespace at nsfd the id `id` in ours (RTM_NEWNSID). */
static int assign_netnsid(int nsfd, int id)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		char pad[3];
		struct nlattr a1;
		uint32_t fd;
		struct nlattr a2;
		int32_t id;
	} req;
	char buf[512];
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl < 0)
		return -errno;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_NEWNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = 1;
	req.g.rtgen_family = AF_UNSPEC;
	req.a1.nla_type = NETNSA_FD;
	req.a1.nla_len = NLA_HDRLEN + sizeof(uint32_t);
	req.fd = (uint32_t)nsfd;
	req.a2.nla_type = NETNSA_NSID;
	req.a2.nla_len = NLA_HDRLEN + sizeof(int32_t);
	req.id = id;
	int r = -EIO;
	if (send(nl, &req, sizeof(req), 0) == (ssize_t)sizeof(req)) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		if (n > 0 && NLMSG_OK(nh, (size_t)n) && nh->nlmsg_type == NLMSG_ERROR)
			r = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
	}
	close(nl);
	return r;
}

static void test_netnsid(void **state)
{
	int nl = relate_netlink_open();
	int id = -5;

	assert_true(nl >= 0);
	assert_true(fcntl(nl, F_GETFD) & FD_CLOEXEC);
	/* our own network namespace has no id in itself */
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_int_equal(relate_netnsid(nl, fd, &id), 0);
	assert_int_equal(id, -1);
	close(fd);
	/* not a network namespace: the kernel's error */
	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	id = -5;
	assert_true(relate_netnsid(nl, fd, &id) < 0);
	assert_int_equal(id, -5);
	close(fd);

	/* through relate: asked only of net namespaces, with a socket */
	int procfd = fixture_fd();
	struct nsdb *db = nsdb_new();
	add_proc(db, 100, NSTYPE_ALL_MASK);
	assert_int_equal(nsdb_index(db), 0);
	struct relate_ctx ctx = { .db = db, .procfd = procfd, .nlfd = nl, .what = NSDB_REL_NETNSID,
				  .typemask = NSTYPE_ALL_MASK };
	db->ns[find(db, NSTYPE_NET)].netnsid = 99;
	assert_int_equal(relate_all(&ctx), 0);
	assert_int_equal(db->ns[find(db, NSTYPE_NET)].netnsid, -1);
	assert_int_equal(db->ns[find(db, NSTYPE_UTS)].netnsid, -1);
	nsdb_free(db);
	close(procfd);

	/* as root, a new network namespace given an id: that id */
	if (geteuid() != 0) {
		close(nl);
		return;
	}
	int ready[2];
	char c = 'n';
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	/* the fd keeps the namespace once the child is gone */
	int nsfd = c == 'y' ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	int status;
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (nsfd < 0) {
		close(nl);
		skip(); /* no network namespaces here */
	}
	assert_true(fd_ino(nsfd) != real[NSTYPE_NET]);
	assert_int_equal(assign_netnsid(nsfd, 4242), 0);
	id = -5;
	assert_int_equal(relate_netnsid(nl, nsfd, &id), 0);
	assert_int_equal(id, 4242);
	close(nsfd);
	close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_via_process),
		cmocka_unit_test(test_open_other_process),
		cmocka_unit_test(test_open_checks_inode),
		cmocka_unit_test(test_open_via_holders),
		cmocka_unit_test(test_relate_owner),
		cmocka_unit_test(test_relate_ancestors),
		cmocka_unit_test(test_relate_all_typemask),
		cmocka_unit_test(test_relate_gone),
		cmocka_unit_test(test_relate_not_nsfs),
		cmocka_unit_test(test_relate_user_parent),
		cmocka_unit_test(test_relate_pid_parent),
		cmocka_unit_test(test_netnsid),
	};
	return cmocka_run_group_tests_name("relate", tests, setup, teardown);
}
