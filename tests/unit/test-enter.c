/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Joining namespaces: plans, pins, what a namespace fd is, the target's
 * namespace fds (through the pidfd and through /proc), liveness of the
 * target, the order and error reporting of joins, credentials.  Whatever
 * changes the caller's namespaces or credentials runs in a forked child.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "enter.h"

static char root[64];

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

static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static bool is_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);
	return fl >= 0 && (fl & FD_CLOEXEC);
}

static bool have_ns(enum nstype t)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name(t));
	return access(path, F_OK) == 0;
}

static int proc_fd(void)
{
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static int setup(void **state)
{
	char path[128];

	/* a fixture /proc for our own pid: a dangling net link, a uts link to the real one */
	strcpy(root, "/tmp/nspect-enter-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/%d", root, (int)getpid());
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%d/ns", root, (int)getpid());
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%d/ns/net", root, (int)getpid());
	assert_int_equal(symlink("net:[1]", path), 0);
	snprintf(path, sizeof(path), "%s/%d/ns/uts", root, (int)getpid());
	assert_int_equal(symlink("/proc/self/ns/uts", path), 0);
	unsetenv("NSPECT_ENTER_NO_PIDFD");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	unsetenv("NSPECT_ENTER_NO_PIDFD");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_plan_init_close(void **state)
{
	struct enter_plan p;

	memset(&p, 0x5a, sizeof(p));
	enter_plan_init(&p);
	assert_int_equal(p.pid, 0);
	assert_int_equal(p.pidfd, -1);
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		assert_int_equal(p.ns[t].fd, -1);
		assert_false(p.ns[t].wanted);
		assert_false(p.ns[t].skipped);
		assert_false(p.ns[t].from_target);
	}

	/* close closes what the plan holds, and only once */
	int a = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int b = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	assert_int_equal(enter_pin(&p, getpid()), 0);
	int pidfd = p.pidfd;
	p.ns[NSTYPE_NET].fd = a;
	p.ns[NSTYPE_UTS].fd = b;
	enter_plan_close(&p);
	assert_false(is_open(a));
	assert_false(is_open(b));
	assert_false(is_open(pidfd));
	assert_int_equal(p.pidfd, -1);
	assert_int_equal(p.ns[NSTYPE_NET].fd, -1);
	enter_plan_close(&p);
}

static void test_pin(void **state)
{
	struct enter_plan p;

	enter_plan_init(&p);
	assert_int_equal(enter_pin(&p, getpid()), 0);
	assert_int_equal(p.pid, getpid());
	assert_true(p.pidfd >= 0);
	/* nothing of the plan leaks into the program run after joining */
	assert_true(is_cloexec(p.pidfd));
	enter_plan_close(&p);

	enter_plan_init(&p);
	assert_int_equal(enter_pin(&p, INT_MAX), -ESRCH);
	assert_int_equal(p.pidfd, -1);
	assert_int_equal(p.pid, 0);
	enter_plan_close(&p);
}

static void test_fd_info(void **state)
{
	enum nstype type;
	uint64_t ino;

	/* each namespace file: its type, and the inode stat gives */
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		char path[64];
		if (!have_ns((enum nstype)t))
			continue;
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name((enum nstype)t));
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(fd >= 0);
		type = NSTYPE_COUNT;
		ino = 0;
		assert_int_equal(enter_fd_info(fd, &type, &ino), 0);
		assert_int_equal(type, t);
		assert_int_equal(ino, ino_of(path));
		close(fd);
	}
	/* pid_for_children is a pid namespace too */
	int fd = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		assert_int_equal(enter_fd_info(fd, &type, &ino), 0);
		assert_int_equal(type, NSTYPE_PID);
		close(fd);
	}

	/* anything else is not a namespace file */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_int_equal(enter_fd_info(fd, &type, &ino), -ENOTTY);
	close(fd);
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	assert_int_equal(enter_fd_info(fd, &type, &ino), -ENOTTY);
	close(fd);
	int pfd[2];
	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	assert_int_equal(enter_fd_info(pfd[0], &type, &ino), -ENOTTY);
	close(pfd[0]);
	close(pfd[1]);
	/* and a closed fd is an error of its own */
	assert_int_equal(enter_fd_info(-1, &type, &ino), -EBADF);
}

static void test_pidfd_allowed(void **state)
{
	unsetenv("NSPECT_ENTER_NO_PIDFD");
	assert_true(enter_pidfd_allowed());
	setenv("NSPECT_ENTER_NO_PIDFD", "1", 1);
	assert_false(enter_pidfd_allowed());
	setenv("NSPECT_ENTER_NO_PIDFD", "0", 1);
	assert_true(enter_pidfd_allowed());
	setenv("NSPECT_ENTER_NO_PIDFD", "yes", 1);
	assert_true(enter_pidfd_allowed());
	unsetenv("NSPECT_ENTER_NO_PIDFD");
}

/* Our own namespaces, through the pidfd and through /proc: the ones stat shows. */
static void check_target_self(void)
{
	struct enter_plan p;
	int procfd = proc_fd();

	enter_plan_init(&p);
	assert_int_equal(enter_pin(&p, getpid()), 0);
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		char path[64];
		int fd = -1;
		int r = enter_target_ns(&p, procfd, (enum nstype)t, &fd);
		if (!have_ns((enum nstype)t)) {
			assert_int_equal(r, -ENOENT);
			continue;
		}
		assert_int_equal(r, 0);
		assert_true(fd >= 0);
		assert_true(is_cloexec(fd));
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name((enum nstype)t));
		assert_int_equal(fd_ino(fd), ino_of(path));
		enum nstype got;
		uint64_t ino;
		assert_int_equal(enter_fd_info(fd, &got, &ino), 0);
		assert_int_equal(got, t);
		close(fd);
	}
	enter_plan_close(&p);
	close(procfd);
}

static void test_target_ns_self(void **state)
{
	unsetenv("NSPECT_ENTER_NO_PIDFD");
	check_target_self();
	setenv("NSPECT_ENTER_NO_PIDFD", "1", 1);
	check_target_self();
	unsetenv("NSPECT_ENTER_NO_PIDFD");
}

/* Without the pidfd ioctls, /proc/PID/ns/TYPE relative to the procfd given. */
static void test_target_ns_proc_fixture(void **state)
{
	struct enter_plan p;
	int procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = -1;

	setenv("NSPECT_ENTER_NO_PIDFD", "1", 1);
	enter_plan_init(&p);
	assert_int_equal(enter_pin(&p, getpid()), 0);
	/* what the tree given says, not the real /proc */
	assert_int_equal(enter_target_ns(&p, procfd, NSTYPE_UTS, &fd), 0);
	assert_int_equal(fd_ino(fd), ino_of("/proc/self/ns/uts"));
	assert_true(is_cloexec(fd));
	close(fd);
	fd = -1;
	assert_int_equal(enter_target_ns(&p, procfd, NSTYPE_NET, &fd), -ENOENT);
	assert_int_equal(enter_target_ns(&p, procfd, NSTYPE_IPC, &fd), -ENOENT);
	assert_int_equal(fd, -1);
	enter_plan_close(&p);
	unsetenv("NSPECT_ENTER_NO_PIDFD");
	close(procfd);
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : 0;
}

static pid_t zombie(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	for (int i = 0; i < 5000 && proc_state(pid) != 'Z'; i++) {
		struct timespec ts = { .tv_sec = 0, .tv_nsec = 1000000 };
		nanosleep(&ts, NULL);
	}
	assert_int_equal(proc_state(pid), 'Z');
	return pid;
}

static void test_check_alive(void **state)
{
	struct enter_plan p;
	int status;

	/* no target: nothing to check */
	enter_plan_init(&p);
	assert_int_equal(enter_check_alive(&p), 0);
	assert_int_equal(enter_pin(&p, getpid()), 0);
	assert_int_equal(enter_check_alive(&p), 0);
	enter_plan_close(&p);

	/* pinned, then it exits: a zombie has exited */
	pid_t pid = zombie();
	enter_plan_init(&p);
	assert_int_equal(enter_pin(&p, pid), 0);
	assert_int_equal(enter_check_alive(&p), -ESRCH);
	/* its namespaces are not handed out, by either path */
	int procfd = proc_fd(), fd = -1;
	setenv("NSPECT_ENTER_NO_PIDFD", "1", 1);
	assert_int_equal(enter_target_ns(&p, procfd, NSTYPE_USER, &fd), -ESRCH);
	assert_int_equal(enter_target_ns(&p, procfd, NSTYPE_NET, &fd), -ENOENT);
	unsetenv("NSPECT_ENTER_NO_PIDFD");
	assert_true(enter_target_ns(&p, procfd, NSTYPE_NET, &fd) < 0);
	assert_int_equal(fd, -1);
	/* reaped: the pin holds, and says it is gone */
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(enter_check_alive(&p), -ESRCH);
	assert_true(enter_target_ns(&p, procfd, NSTYPE_NET, &fd) < 0);
	assert_int_equal(fd, -1);
	enter_plan_close(&p);
	close(procfd);
}

static void test_join_nothing(void **state)
{
	struct enter_plan p;
	int failed = 42;

	enter_plan_init(&p);
	assert_int_equal(enter_join(&p, true, false, &failed), 0);
	assert_int_equal(failed, -1);
	/* wanted but skipped (our own user namespace): nothing to do either */
	p.ns[NSTYPE_USER].wanted = true;
	p.ns[NSTYPE_USER].skipped = true;
	p.ns[NSTYPE_USER].fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	failed = 42;
	assert_int_equal(enter_join(&p, false, true, &failed), 0);
	assert_int_equal(failed, -1);
	enter_plan_close(&p);
}

/* A join that fails names the namespace it failed on; the user namespace goes first unprivileged, last as root. */
static void test_join_order_and_failure(void **state)
{
	struct enter_plan p;
	int failed;

	for (int unpriv = 0; unpriv < 2; unpriv++) {
		enter_plan_init(&p);
		/* not namespace files: setns refuses each with EINVAL, the first tried is reported */
		p.ns[NSTYPE_USER].wanted = p.ns[NSTYPE_NET].wanted = p.ns[NSTYPE_UTS].wanted = true;
		p.ns[NSTYPE_USER].fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		p.ns[NSTYPE_NET].fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		p.ns[NSTYPE_UTS].fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		failed = -1;
		assert_int_equal(enter_join(&p, true, unpriv, &failed), -EINVAL);
		assert_int_equal(failed, unpriv ? NSTYPE_USER : NSTYPE_NET);
		/* skipped ones are never tried */
		p.ns[NSTYPE_NET].skipped = true;
		p.ns[NSTYPE_USER].skipped = true;
		assert_int_equal(enter_join(&p, true, unpriv, &failed), -EINVAL);
		assert_int_equal(failed, NSTYPE_UTS);
		enter_plan_close(&p);
	}
}

/* Run fn in a child; its exit status is what it returns (0 for success). */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

struct join_case {
	pid_t target;
	bool use_pidfd;
	bool no_pidfd_env;
	uint64_t want_uts, want_ipc;
};

static int join_child(void *arg)
{
	const struct join_case *c = arg;
	struct enter_plan p;
	int failed, procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (c->no_pidfd_env)
		setenv("NSPECT_ENTER_NO_PIDFD", "1", 1);
	enter_plan_init(&p);
	if (enter_pin(&p, c->target) < 0)
		return 10;
	static const enum nstype types[] = { NSTYPE_IPC, NSTYPE_UTS };
	for (size_t i = 0; i < 2; i++) {
		enum nstype t = types[i];
		if (enter_target_ns(&p, procfd, t, &p.ns[t].fd) < 0)
			return 11;
		p.ns[t].wanted = p.ns[t].from_target = true;
	}
	if (enter_join(&p, c->use_pidfd, false, &failed) < 0)
		return 12;
	enter_plan_close(&p);
	close(procfd);
	/* now in the target's uts and ipc namespaces, and only those */
	if (ino_of("/proc/self/ns/uts") != c->want_uts)
		return 13;
	if (ino_of("/proc/self/ns/ipc") != c->want_ipc)
		return 14;
	char host[256];
	if (gethostname(host, sizeof(host)) < 0 || strcmp(host, "nspect-enter-unit") != 0)
		return 15;
	return 0;
}

/* Join a target's namespaces for real, atomically and per fd (needs CAP_SYS_ADMIN). */
static void test_join_target(void **state)
{
	int go[2], ready[2];
	char c = 'n';

	if (geteuid() != 0)
		skip();
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		c = unshare(CLONE_NEWUTS | CLONE_NEWIPC) == 0 && sethostname("nspect-enter-unit", 17) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);

	char path[64];
	struct join_case jc = { .target = pid };
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)pid);
	jc.want_uts = ino_of(path);
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)pid);
	jc.want_ipc = ino_of(path);
	int r[3] = { -1, -1, -1 };
	if (c == 'y') {
		assert_true(jc.want_uts != ino_of("/proc/self/ns/uts"));
		jc.use_pidfd = true;
		r[0] = in_child(join_child, &jc); /* setns(pidfd, mask) */
		jc.use_pidfd = false;
		r[1] = in_child(join_child, &jc); /* per fd */
		jc.no_pidfd_env = true;
		r[2] = in_child(join_child, &jc); /* per fd, taken from /proc */
	}
	close(go[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (c != 'y')
		fail_msg("as root, but: %s", "no new namespaces here (a restricted container)");
	assert_int_equal(r[0], 0);
	assert_int_equal(r[1], 0);
	assert_int_equal(r[2], 0);
}

static int creds_same_child(void *arg)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	/* to the ids we already have: allowed to anyone, groups or not */
	if (enter_set_creds(uid, gid, false) != 0)
		return 1;
	if (enter_set_creds(uid, gid, true) != 0)
		return 2;
	uid_t r, e, s;
	if (getresuid(&r, &e, &s) < 0 || r != uid || e != uid || s != uid)
		return 3;
	return 0;
}

static int creds_drop_child(void *arg)
{
	gid_t groups[8];
	if (enter_set_creds(65534, 65533, true) != 0)
		return 1;
	uid_t r, e, s;
	gid_t rg, eg, sg;
	if (getresuid(&r, &e, &s) < 0 || r != 65534 || e != 65534 || s != 65534)
		return 2;
	if (getresgid(&rg, &eg, &sg) < 0 || rg != 65533 || eg != 65533 || sg != 65533)
		return 3;
	/* no supplementary group of root's survives */
	if (getgroups(8, groups) != 0)
		return 4;
	/* and, unprivileged now, there is no way back */
	if (enter_set_creds(0, 0, false) != -EPERM)
		return 5;
	return 0;
}

static int creds_keep_groups_child(void *arg)
{
	gid_t g[2] = { 4242, 4343 }, out[8];
	if (setgroups(2, g) < 0)
		return 1;
	if (enter_set_creds(0, 0, false) != 0)
		return 2;
	return getgroups(8, out) == 2 ? 0 : 3;
}

static void test_set_creds(void **state)
{
	assert_int_equal(in_child(creds_same_child, NULL), 0);
	if (geteuid() != 0)
		skip();
	assert_int_equal(in_child(creds_drop_child, NULL), 0);
	assert_int_equal(in_child(creds_keep_groups_child, NULL), 0);
}

/* A capability set line of /proc/self/status, e.g. "CapAmb:". */
static unsigned long long cap_line(const char *key)
{
	char line[256];
	unsigned long long v = ~0ULL;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return v;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtoull(line + strlen(key), NULL, 16);
	fclose(f);
	return v;
}

static int keep_caps_child(void *arg)
{
	if (enter_keep_caps() != 0)
		return 1;
	unsigned long long prm = cap_line("CapPrm:");
	/* every permitted capability is now inheritable and ambient: exec keeps them */
	if (cap_line("CapInh:") != prm)
		return 2;
	if (cap_line("CapAmb:") != prm)
		return 3;
	return 0;
}

static void test_keep_caps(void **state)
{
	/* with no capabilities it has nothing to keep and succeeds; as root, all of them */
	assert_int_equal(in_child(keep_caps_child, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_init_close),
		cmocka_unit_test(test_pin),
		cmocka_unit_test(test_fd_info),
		cmocka_unit_test(test_pidfd_allowed),
		cmocka_unit_test(test_target_ns_self),
		cmocka_unit_test(test_target_ns_proc_fixture),
		cmocka_unit_test(test_check_alive),
		cmocka_unit_test(test_join_nothing),
		cmocka_unit_test(test_join_order_and_failure),
		cmocka_unit_test(test_join_target),
		cmocka_unit_test(test_set_creds),
		cmocka_unit_test(test_keep_caps),
	};
	return cmocka_run_group_tests_name("enter", tests, setup, teardown);
}
