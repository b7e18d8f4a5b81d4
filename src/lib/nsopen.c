/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"
#include "nsopen.h"
#include "util.h"

#ifndef __NR_openat2
#define __NR_openat2 437
#endif

int nsopen_check(int fd, uint64_t ino)
{
	struct statfs sfs;
	struct stat st;

	if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0)
		return -errno;
	if ((unsigned long)sfs.f_type != NSFS_MAGIC)
		return -ENOTTY;
	if (ino && st.st_ino != ino)
		return -ESTALE;
	return 0;
}

int nsopen_identify(int fd, enum nstype *ret_type, uint64_t *ret_ino)
{
	struct stat st;

	if (nsopen_check(fd, 0) < 0)
		return -ENOTTY;
	int flag = ioctl(fd, NS_GET_NSTYPE);
	if (flag < 0)
		return errno == ENOTTY || errno == EINVAL ? -ENOTTY : -errno;
	int t = nstype_from_clone_flag((unsigned long)flag);
	if (t < 0 || fstat(fd, &st) < 0)
		return -ENOTTY;
	*ret_type = (enum nstype)t;
	*ret_ino = st.st_ino;
	return 0;
}

int nsopen_reopen(int procfd, int fd)
{
	char path[40];
	int r = -1;

	snprintf(path, sizeof(path), "self/fd/%d", fd);
	if (procfd >= 0)
		r = openat(procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (r < 0) {
		/* procfd may be a test's fake tree, or another pid namespace's procfs */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		r = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	}
	if (r < 0)
		return -errno;
	/* the link names fd's file itself; check anyway, it costs two syscalls */
	struct stat a, b;
	if (fstat(fd, &a) < 0 || fstat(r, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
		close(r);
		return -ESTALE;
	}
	return r;
}

/* An O_PATH fd: check it, then reopen it readable.  Consumes pathfd. */
static int verify_and_reopen(int procfd, int pathfd, uint64_t ino)
{
	_cleanup_close_ int fd = pathfd;
	int r = nsopen_check(fd, ino);
	if (r < 0)
		return r;
	return nsopen_reopen(procfd, fd);
}

int nsopen_walk_in_root(int procfd, int rootfd, const char *path, uint64_t ino)
{
	_cleanup_close_ int cur = -1;
	char comp[256];

	cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -errno;
	for (const char *p = path;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);
		if (len >= sizeof(comp))
			return -ENAMETOOLONG;
		memcpy(comp, p, len);
		comp[len] = '\0';
		p = end;
		if (strcmp(comp, ".") == 0)
			continue;
		/* ".." could climb above the root: without openat2 there is no safe way */
		if (strcmp(comp, "..") == 0)
			return -ELOOP;
		int next = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return -errno;
		close(cur);
		cur = next;
		struct stat st;
		if (fstat(cur, &st) < 0)
			return -errno;
		/* a symlink is only ever the last component reached with O_NOFOLLOW */
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
	}
	return verify_and_reopen(procfd, TAKE_FD(cur), ino);
}

int nsopen_in_root(int procfd, int rootfd, const char *path, uint64_t ino)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(__NR_openat2, rootfd, path, &how, sizeof(how));
	if (fd < 0) {
		if (errno == ENOSYS)
			return nsopen_walk_in_root(procfd, rootfd, path, ino);
		/* EXDEV/ELOOP: resolution tried to leave the root or cross a magic link */
		return errno == EXDEV ? -ELOOP : -errno;
	}
	return verify_and_reopen(procfd, fd, ino);
}

int nsopen_user_path(int procfd, int dirfd, const char *path, uint64_t ino)
{
	int fd = openat(dirfd, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return verify_and_reopen(procfd, fd, ino);
}

int nsopen_proc_fd(int procfd, int pidfd, pid_t pid, int fd, uint64_t ino)
{
	if (pidfd >= 0) {
		_cleanup_close_ int dup = (int)syscall(__NR_pidfd_getfd, pidfd, fd, 0);
		if (dup >= 0) {
			/* a duplicate is the very file the process holds, opened as it
			 * opened it: once verified, usable as it is, unless it is O_PATH */
			int fl = fcntl(dup, F_GETFL);
			if (fl >= 0 && (fl & O_PATH))
				return verify_and_reopen(procfd, TAKE_FD(dup), ino);
			int r = nsopen_check(dup, ino);
			return r < 0 ? r : TAKE_FD(dup);
		}
		if (errno == EBADF)
			return -ENOENT; /* the process closed it since the scan */
		/* EPERM (no ptrace rights) or ENOSYS: /proc may still answer */
	}
	char path[48];
	snprintf(path, sizeof(path), "%d/fd/%d", (int)pid, fd);
	/* O_PATH follows the magic link to the file without opening it: no FIFO can block us */
	int pfd = openat(procfd, path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	return verify_and_reopen(procfd, pfd, ino);
}

int nsopen_socket(int pidfd, int fd)
{
	_cleanup_close_ int sfd = (int)syscall(__NR_pidfd_getfd, pidfd, fd, 0);
	struct stat st;

	if (sfd < 0)
		return errno == EBADF ? -ENOENT : -errno;
	/* the fd may have been swapped since the scan: an ioctl number means
	 * different things to different drivers, so ask sockets only */
	if (fstat(sfd, &st) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	int nsfd = ioctl(sfd, SIOCGSKNS);
	if (nsfd < 0)
		return errno == ENOTTY || errno == EINVAL ? -ENOTSOCK : -errno;
	/* SIOCGSKNS does not promise close-on-exec */
	if (fcntl(nsfd, F_SETFD, FD_CLOEXEC) < 0) {
		int r = -errno;
		close(nsfd);
		return r;
	}
	return nsfd;
}

int nsopen_socket_of(pid_t pid, int fd)
{
	_cleanup_close_ int pidfd = (int)syscall(__NR_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	return nsopen_socket(pidfd, fd);
}
