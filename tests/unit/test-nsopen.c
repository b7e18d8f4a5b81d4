/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Safe opening of namespace files: traps (FIFOs, symlinks out of the root,
 * plain files, swapped fds) are refused without blocking, and real
 * namespace files are found.  An alarm turns any blocking open into a
 * failure instead of a hung test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

/* twice on purpose: the header must survive a second inclusion */
#include "kernel.h"
#include "kernel.h"
#include "nsopen.h"
#include "fixture.h"

static char root[64];
static int rootfd = -1, procfd = -1;

static uint64_t own_ino(const char *type)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", type);
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static void on_alarm(int sig)
{
	(void)sig;
	/* an open blocked: fail loudly rather than hang the suite */
	static const char msg[] = "nsopen test: an open blocked\n";
	ssize_t w = write(2, msg, sizeof(msg) - 1);
	(void)w;
	_exit(1);
}

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/nsopen-test.XXXXXX");
	assert_non_null(mkdtemp(root));
	fx_mkdirs(root, "dir");
	char path[128];
	snprintf(path, sizeof(path), "%s/fifo", root);
	assert_int_equal(mkfifo(path, 0600), 0);
	fx_write(root, "plain", "not a namespace\n");
	/* a symlink out of the root: resolved inside it, it leads nowhere */
	fx_link(root, "/", "up");
	fx_link(root, "/proc/self/ns/net", "abs");
	fx_link(root, "fifo", "tofifo");
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(rootfd >= 0 && procfd >= 0);
	signal(SIGALRM, on_alarm);
	alarm(20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/dir/ns", root);
	umount2(path, MNT_DETACH);
	close(rootfd);
	close(procfd);
	return fx_remove(root);
}

typedef int (*in_root_fn)(int, int, const char *, uint64_t);

static void traps_refused(in_root_fn fn)
{
	assert_int_equal(fn(procfd, rootfd, "/fifo", 0), -ENOTTY);
	assert_int_equal(fn(procfd, rootfd, "plain", 0), -ENOTTY);
	assert_int_equal(fn(procfd, rootfd, "/dir", 0), -ENOTTY);
	/* a final symlink is not followed, whatever it points to */
	int r = fn(procfd, rootfd, "/abs", 0);
	assert_true(r == -ENOTTY || r == -ELOOP);
	r = fn(procfd, rootfd, "/tofifo", 0);
	assert_true(r == -ENOTTY || r == -ELOOP);
	/* a symlink on the way to "/" stays inside the root: no /proc there */
	r = fn(procfd, rootfd, "/up/proc/self/ns/net", 0);
	assert_true(r == -ENOENT || r == -ELOOP);
	/* ".." never climbs above the root */
	r = fn(procfd, rootfd, "/../../../proc/self/ns/net", 0);
	assert_true(r == -ENOENT || r == -ELOOP);
}

static void test_in_root_traps(void **state)
{
	(void)state;
	traps_refused(nsopen_in_root);
}

static void test_walk_in_root_traps(void **state)
{
	(void)state;
	traps_refused(nsopen_walk_in_root);
}

/* A real bind-mounted namespace inside the root is found by both ways (root only). */
static void test_bind_mount_found(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	char path[128];
	fx_write(root, "dir/ns", "");
	snprintf(path, sizeof(path), "%s/dir/ns", root);
	assert_int_equal(mount("/proc/self/ns/uts", path, NULL, MS_BIND, NULL), 0);
	uint64_t uts = own_ino("uts");
	in_root_fn fns[] = { nsopen_in_root, nsopen_walk_in_root };
	for (size_t i = 0; i < 2; i++) {
		int fd = fns[i](procfd, rootfd, "/dir/ns", uts);
		assert_true(fd >= 0);
		enum nstype t;
		uint64_t ino;
		assert_int_equal(nsopen_identify(fd, &t, &ino), 0);
		assert_int_equal(t, NSTYPE_UTS);
		assert_int_equal(ino, uts);
		close(fd);
		assert_int_equal(fns[i](procfd, rootfd, "/dir/ns", uts + 1), -ESTALE);
	}
	assert_int_equal(umount2(path, MNT_DETACH), 0);
}

static void test_user_path(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/fifo", root);
	assert_int_equal(nsopen_user_path(procfd, AT_FDCWD, path, 0), -ENOTTY);
	snprintf(path, sizeof(path), "%s/plain", root);
	assert_int_equal(nsopen_user_path(procfd, AT_FDCWD, path, 0), -ENOTTY);
	assert_int_equal(nsopen_user_path(procfd, AT_FDCWD, "/dev/zero", 0), -ENOTTY);
	assert_int_equal(nsopen_user_path(procfd, AT_FDCWD, "/nonexistent/x", 0), -ENOENT);
	/* what the user typed is followed, as any command follows it */
	snprintf(path, sizeof(path), "%s/abs", root);
	int fd = nsopen_user_path(procfd, AT_FDCWD, path, own_ino("net"));
	assert_true(fd >= 0);
	enum nstype t;
	uint64_t ino;
	assert_int_equal(nsopen_identify(fd, &t, &ino), 0);
	assert_int_equal(t, NSTYPE_NET);
	close(fd);
}

static void test_proc_fd(void **state)
{
	(void)state;
	char path[128];
	int pidfd = (int)syscall(__NR_pidfd_open, getpid(), 0);
	assert_true(pidfd >= 0);
	int nsfd = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/fifo", root);
	int fifo = open(path, O_RDWR | O_CLOEXEC); /* O_RDWR: opening a FIFO so never blocks */
	assert_true(nsfd >= 0 && fifo >= 0);
	uint64_t ipc = own_ino("ipc");
	for (int with_pidfd = 0; with_pidfd < 2; with_pidfd++) {
		int pfd = with_pidfd ? pidfd : -1;
		int fd = nsopen_proc_fd(procfd, pfd, getpid(), nsfd, ipc);
		assert_true(fd >= 0);
		enum nstype t;
		uint64_t ino;
		assert_int_equal(nsopen_identify(fd, &t, &ino), 0);
		assert_int_equal(t, NSTYPE_IPC);
		close(fd);
		assert_int_equal(nsopen_proc_fd(procfd, pfd, getpid(), nsfd, ipc + 1), -ESTALE);
		/* the fd swapped for a FIFO: refused, not opened */
		assert_int_equal(nsopen_proc_fd(procfd, pfd, getpid(), fifo, 0), -ENOTTY);
	}
	close(fifo);
	close(nsfd);
	close(pidfd);
}

static void test_socket(void **state)
{
	(void)state;
	int sv[2], p[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	int fd = nsopen_socket_of(getpid(), sv[0]);
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_ino, own_ino("net"));
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	assert_int_equal(nsopen_socket_of(getpid(), p[0]), -ENOTSOCK);
	assert_int_equal(nsopen_socket_of(getpid(), 999), -ENOENT);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_root_traps),
		cmocka_unit_test(test_walk_in_root_traps),
		cmocka_unit_test(test_bind_mount_found),
		cmocka_unit_test(test_user_path),
		cmocka_unit_test(test_proc_fd),
		cmocka_unit_test(test_socket),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
