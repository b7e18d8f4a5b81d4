/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One process's view: the test process itself through the real /proc (what
 * readlink and stat say of /proc/self/ns/TYPE), zombies and gone processes, and
 * a fixture /proc tree for the text it parses (links of the wrong type,
 * long names, deep NSpid lines).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "kernel.h"
#include "procview.h"

static char root[64];
#define mkdirs(rel) fx_mkdirs(root, rel)
#define link_to(target, rel) fx_link(root, target, rel)
#define write_file(rel, text) fx_write(root, rel, text)

static int fixture_fd(void)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static int proc_fd(void)
{
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

/*
 * The fixture is keyed by the test's own pid: procview_read pins the real
 * process with a pidfd, then reads whatever /proc tree it is given.
 */
static int setup(void **state)
{
	char rel[64];
	int me = (int)getpid();

	strcpy(root, "/tmp/nspect-procview-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(rel, sizeof(rel), "%d/ns", me);
	mkdirs(rel);
	snprintf(rel, sizeof(rel), "%d/ns/net", me);
	link_to("net:[100]", rel);
	snprintf(rel, sizeof(rel), "%d/ns/ipc", me);
	link_to("ipc:[101]", rel);
	/* a link that names another type than its own: not trusted */
	snprintf(rel, sizeof(rel), "%d/ns/uts", me);
	link_to("net:[102]", rel);
	snprintf(rel, sizeof(rel), "%d/ns/pid", me);
	link_to("pid:[nope]", rel);

	/* a 70-byte name (kernel workers have long ones) and seventy pid levels */
	char status[2048], *p = status;
	p += sprintf(p, "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nNSpid:", "0123456789abcdefghijklmnopqrstuvwxyz"
		     "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567");
	for (int i = 70; i >= 1; i--)
		p += sprintf(p, "\t%d", 1000 + i);
	strcpy(p, "\nNSpgid:\t1\n");
	snprintf(rel, sizeof(rel), "%d/status", me);
	write_file(rel, status);
	return 0;
}

static int teardown(void **state)
{
	return fx_remove(root);
}

static uint64_t ino_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static void test_self(void **state)
{
	int procfd = proc_fd();
	struct procview v;

	assert_int_equal(procview_read(procfd, getpid(), &v), 0);
	assert_int_equal(v.pid, getpid());
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		char path[64], buf[64];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name((enum nstype)t));
		ssize_t n = readlink(path, buf, sizeof(buf) - 1);
		if (n < 0) {
			/* a type this kernel lacks */
			assert_int_equal(v.ns[t].ino, 0);
			assert_int_equal(v.ns[t].err, -ENOENT);
			continue;
		}
		buf[n] = '\0';
		char want[64];
		/* the same inode readlink names and stat reports */
		assert_int_equal(v.ns[t].err, 0);
		snprintf(want, sizeof(want), "%s:[%llu]", nstype_name((enum nstype)t), (unsigned long long)v.ns[t].ino);
		assert_string_equal(buf, want);
		assert_int_equal(v.ns[t].ino, ino_of(path));
	}

	/* the name is /proc/self/comm's */
	char comm[64] = "";
	FILE *f = fopen("/proc/self/comm", "re");
	assert_non_null(f);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	assert_string_equal(v.comm, comm);

	/* our pid in our own pid namespace comes last */
	assert_true(v.nnspid >= 1);
	assert_int_equal(v.nspid[v.nnspid - 1], getpid());
	close(procfd);
}

static void test_self_owners(void **state)
{
	int procfd = proc_fd();
	struct procview v;
	uid_t uid;

	assert_int_equal(procview_read(procfd, getpid(), &v), 0);
	uint64_t userns = v.ns[NSTYPE_USER].ino;
	assert_true(userns != 0);

	/* what the kernel says of each namespace, asked directly */
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		char path[64];
		struct stat st;
		if (!v.ns[t].ino)
			continue;
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nstype_name((enum nstype)t));
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(fd >= 0);
		int ufd = ioctl(fd, NS_GET_USERNS);
		if (ufd >= 0) {
			assert_int_equal(fstat(ufd, &st), 0);
			assert_int_equal(v.ns[t].owner, st.st_ino);
		} else {
			/* the owner is out of our sight (the initial user namespace's own owner) */
			assert_int_equal(v.ns[t].owner, 0);
		}
		int uid_fd = t == NSTYPE_USER ? fd : ufd;
		if (uid_fd >= 0 && ioctl(uid_fd, NS_GET_OWNER_UID, &uid) == 0) {
			assert_true(v.ns[t].has_owner_uid);
			assert_int_equal(v.ns[t].owner_uid, uid);
		} else {
			assert_false(v.ns[t].has_owner_uid);
		}
		if (ufd >= 0)
			close(ufd);
		close(fd);
	}
	/* a namespace owned by our user namespace has the creator our user namespace has */
	assert_true(v.ns[NSTYPE_USER].has_owner_uid);
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (t != NSTYPE_USER && v.ns[t].owner == userns) {
			assert_true(v.ns[t].has_owner_uid);
			assert_int_equal(v.ns[t].owner_uid, v.ns[NSTYPE_USER].owner_uid);
		}
	close(procfd);
}

/* A child that waits on a pipe; returns its pid. */
static pid_t spawn_waiting(int *ret_wfd, int flags)
{
	int p[2], ready[2];
	char c = 'n';

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[1]);
		close(ready[0]);
		c = !flags || unshare(flags) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(p[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*ret_wfd = p[1];
	return c == 'y' ? pid : -pid;
}

static void reap(pid_t pid, int wfd)
{
	int status;
	close(wfd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

static void test_other_process(void **state)
{
	int procfd = proc_fd(), wfd;
	struct procview me, v;
	pid_t pid = spawn_waiting(&wfd, 0);

	assert_true(pid > 0);
	assert_int_equal(procview_read(procfd, getpid(), &me), 0);
	assert_int_equal(procview_read(procfd, pid, &v), 0);
	assert_int_equal(v.pid, pid);
	/* a forked child shares every namespace */
	for (int t = 0; t < NSTYPE_COUNT; t++)
		assert_int_equal(v.ns[t].ino, me.ns[t].ino);
	assert_int_equal(v.nspid[v.nnspid - 1], pid);
	reap(pid, wfd);
	close(procfd);
}

/* A child in namespaces of its own (needs CAP_SYS_ADMIN). */
static void test_other_namespaces(void **state)
{
	int procfd = proc_fd(), wfd;
	struct procview me, v;

	if (geteuid() != 0)
		skip();
	pid_t pid = spawn_waiting(&wfd, CLONE_NEWUTS | CLONE_NEWIPC);
	if (pid < 0) {
		reap(-pid, wfd);
		close(procfd);
		skip(); /* a restricted container */
	}
	assert_int_equal(procview_read(procfd, getpid(), &me), 0);
	assert_int_equal(procview_read(procfd, pid, &v), 0);
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		if (t == NSTYPE_UTS || t == NSTYPE_IPC) {
			assert_true(v.ns[t].ino != 0);
			assert_true(v.ns[t].ino != me.ns[t].ino);
			/* created by a process of our user namespace: owned by it */
			assert_int_equal(v.ns[t].owner, me.ns[NSTYPE_USER].ino);
		} else {
			assert_int_equal(v.ns[t].ino, me.ns[t].ino);
		}
	}
	reap(pid, wfd);
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

static void test_zombie_and_gone(void **state)
{
	int procfd = proc_fd();
	struct procview v;

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	/* wait, without reaping, until it is a zombie */
	for (int i = 0; i < 5000 && proc_state(pid) != 'Z'; i++) {
		struct timespec ts = { .tv_sec = 0, .tv_nsec = 1000000 };
		nanosleep(&ts, NULL);
	}
	assert_int_equal(proc_state(pid), 'Z');
	/* it keeps some links, but it has exited */
	assert_int_equal(procview_read(procfd, pid, &v), -ESRCH);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* reaped: no such process (unless the pid was handed out again meanwhile) */
	if (kill(pid, 0) != 0)
		assert_int_equal(procview_read(procfd, pid, &v), -ESRCH);
	assert_int_equal(procview_read(procfd, INT_MAX, &v), -ESRCH);
	close(procfd);
}

static void test_fixture_parsing(void **state)
{
	int procfd = fixture_fd();
	struct procview v;

	/* the links it could read make it a success */
	assert_int_equal(procview_read(procfd, getpid(), &v), 0);
	assert_int_equal(v.ns[NSTYPE_NET].ino, 100);
	assert_int_equal(v.ns[NSTYPE_NET].err, 0);
	assert_int_equal(v.ns[NSTYPE_IPC].ino, 101);
	/* a uts link that says net, a pid link without a number: not believed */
	assert_int_equal(v.ns[NSTYPE_UTS].ino, 0);
	assert_int_equal(v.ns[NSTYPE_UTS].err, -EINVAL);
	assert_int_equal(v.ns[NSTYPE_PID].ino, 0);
	assert_int_equal(v.ns[NSTYPE_PID].err, -EINVAL);
	/* absent links */
	assert_int_equal(v.ns[NSTYPE_USER].ino, 0);
	assert_int_equal(v.ns[NSTYPE_USER].err, -ENOENT);
	assert_int_equal(v.ns[NSTYPE_TIME].err, -ENOENT);
	/* dangling links cannot be opened: owners unknown, never made up */
	assert_int_equal(v.ns[NSTYPE_NET].owner, 0);
	assert_false(v.ns[NSTYPE_NET].has_owner_uid);

	/* the name, cut to PROCFS_COMM_MAX bytes */
	assert_int_equal(strlen(v.comm), PROCFS_COMM_MAX);
	assert_true(strncmp(v.comm, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01", PROCFS_COMM_MAX) == 0);

	/* more pid levels than the kernel allows: the first PROCVIEW_MAX_LEVELS kept, in order */
	assert_int_equal(v.nnspid, PROCVIEW_MAX_LEVELS);
	assert_int_equal(v.nspid[0], 1070);
	assert_int_equal(v.nspid[PROCVIEW_MAX_LEVELS - 1], 1070 - (PROCVIEW_MAX_LEVELS - 1));
	close(procfd);
}

static void test_fixture_zombie_and_empty(void **state)
{
	char rel[64];
	int me = (int)getpid();
	struct procview v;
	int procfd = fixture_fd();

	/* a zombie's status wins over the links it still shows */
	snprintf(rel, sizeof(rel), "%d/status", me);
	write_file(rel, "Name:\tz\nState:\tZ (zombie)\nNSpid:\t5\n");
	assert_int_equal(procview_read(procfd, getpid(), &v), -ESRCH);
	write_file(rel, "Name:\tx\nState:\tX (dead)\n");
	assert_int_equal(procview_read(procfd, getpid(), &v), -ESRCH);

	/* a status without NSpid (older kernels) or Name: the rest still reads */
	write_file(rel, "State:\tR (running)\n");
	assert_int_equal(procview_read(procfd, getpid(), &v), 0);
	assert_int_equal(v.nnspid, 0);
	assert_string_equal(v.comm, "");
	assert_int_equal(v.ns[NSTYPE_NET].ino, 100);

	/* no link at all: a process that is gone, not one we may not see */
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -f '%s/%d/ns/'*", root, me);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(procview_read(procfd, getpid(), &v), -ESRCH);
	close(procfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_self_owners),
		cmocka_unit_test(test_other_process),
		cmocka_unit_test(test_other_namespaces),
		cmocka_unit_test(test_zombie_and_gone),
		cmocka_unit_test(test_fixture_parsing),
		/* last: it rewrites the fixture */
		cmocka_unit_test(test_fixture_zombie_and_empty),
	};
	return cmocka_run_group_tests_name("procview", tests, setup, teardown);
}
