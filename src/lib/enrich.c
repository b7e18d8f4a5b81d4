/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "enrich.h"
#include "procfs.h"

/* Read a small /proc/PID file into buf (NUL-terminated); its length, or -1. */
static ssize_t read_proc(int procfd, pid_t pid, const char *name, char *buf, size_t size)
{
	char path[48];
	snprintf(path, sizeof(path), "%d/%s", (int)pid, name);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == size - 1)
			break;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

char *enrich_idmap(int procfd, pid_t pid, const char *which, bool full)
{
	/* up to 340 ranges of 33 bytes each (the kernel's limit): never cut a map */
	enum { IN_MAX = 340 * 34 + 1, OUT_MAX = 340 * 72 + 1 };
	char *in = malloc(IN_MAX), *out = malloc(OUT_MAX), *s = NULL;
	if (in && out) {
		ssize_t n = read_proc(procfd, pid, which, in, IN_MAX);
		if (n >= 0 && procfs_format_idmap(in, (size_t)n, full, out, OUT_MAX) >= 0)
			s = strdup(out);
	}
	free(in);
	free(out);
	return s;
}

char *enrich_nspid(int procfd, pid_t pid, const char *sep)
{
	char in[4096];
	pid_t v[64];
	size_t n = 0;
	ssize_t len = read_proc(procfd, pid, "status", in, sizeof(in));
	if (len < 0 || procfs_parse_nspid(in, (size_t)len, v, 64, &n) < 0)
		return NULL;
	char *s = NULL;
	for (size_t i = 0; i < n && i < 64; i++) {
		char *t = NULL;
		if (asprintf(&t, "%s%s%d", s ? s : "", s ? sep : "", (int)v[i]) < 0)
			t = NULL;
		free(s);
		s = t;
	}
	return s;
}

char *enrich_mntroot(int procfd, pid_t pid)
{
	char path[48];
	snprintf(path, sizeof(path), "%d/mountinfo", (int)pid);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "re") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct libmnt_table *tb = mnt_new_table();
	if (!tb || mnt_table_parse_stream(tb, f, path) != 0) {
		mnt_unref_table(tb);
		fclose(f);
		return NULL;
	}
	fclose(f);
	/* the last mount on / is the one on top: what the namespace's processes see */
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_BACKWARD);
	struct libmnt_fs *fs = NULL, *root = NULL;
	while (it && mnt_table_next_fs(tb, it, &fs) == 0)
		if (mnt_fs_get_target(fs) && strcmp(mnt_fs_get_target(fs), "/") == 0) {
			root = fs;
			break;
		}
	mnt_free_iter(it);
	char *s = NULL;
	if (root) {
		const char *src = mnt_fs_get_source(root), *type = mnt_fs_get_fstype(root);
		const char *fsroot = mnt_fs_get_root(root);
		char *label = NULL, *uuid = NULL;
		if (src && strncmp(src, "/dev/", 5) == 0) {
			/* the filesystem's own names, which survive device renames */
			label = blkid_get_tag_value(NULL, "LABEL", src);
			uuid = blkid_get_tag_value(NULL, "UUID", src);
		}
		bool subdir = fsroot && strcmp(fsroot, "/") != 0;
		if (asprintf(&s, "%s%s%s%s %s%s%s%s%s", src ? src : "?", subdir ? "[" : "", subdir ? fsroot : "",
			     subdir ? "]" : "", type ? type : "?", label ? " LABEL=" : "", label ? label : "",
			     uuid ? " UUID=" : "", uuid ? uuid : "") < 0)
			s = NULL;
		free(label);
		free(uuid);
	}
	mnt_unref_table(tb);
	/* raw: the output layer escapes control characters in a source or path */
	return s;
}

/* What a child that joined the namespace at nsfd reads: the uts name, or
 * its own timens_offsets (which, after setns, are the joined namespace's). */
static void child_read(int nsfd, int flag, int out)
{
	char buf[512];
	ssize_t n = -1;

	if (setns(nsfd, flag) != 0)
		return;
	if (flag == CLONE_NEWUTS) {
		struct utsname u;
		if (uname(&u) == 0) {
			n = (ssize_t)strnlen(u.nodename, sizeof(u.nodename));
			memcpy(buf, u.nodename, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf));
		}
	} else {
		int fd = open("/proc/self/timens_offsets", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf));
			close(fd);
		}
	}
	if (n > 0) {
		ssize_t w = write(out, buf, (size_t)n);
		(void)w;
	}
}

/*
 * Fork a child that joins the namespace and reports back through a pipe, so
 * nspect itself never changes its own namespaces.  Returns the length read
 * into buf (NUL-terminated), or -1.
 */
static ssize_t read_in_ns(int nsfd, int flag, char *buf, size_t size)
{
	int pfd[2];

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		child_read(nsfd, flag, pfd[1]);
		_exit(0);
	}
	close(pfd[1]);
	size_t len = 0;
	for (;;) {
		ssize_t n = read(pfd[0], buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(pfd[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	buf[len] = '\0';
	return len ? (ssize_t)len : -1;
}

char *enrich_hostname(int nsfd)
{
	char buf[sizeof(((struct utsname *)0)->nodename) + 1];

	/* raw: the output layer escapes what a container put in its hostname */
	return read_in_ns(nsfd, CLONE_NEWUTS, buf, sizeof(buf)) > 0 ? strdup(buf) : NULL;
}

char *enrich_timens(int procfd, pid_t pid, int nsfd, uint64_t ino)
{
	char in[512], out[512], path[48], link[64];
	ssize_t n = -1;

	if (nsfd >= 0)
		n = read_in_ns(nsfd, CLONE_NEWTIME, in, sizeof(in));
	if (n < 0 && pid > 0) {
		/*
		 * /proc/PID/timens_offsets are those of the namespace PID's children
		 * get, which is not its own right after unshare(CLONE_NEWTIME): only
		 * trust them when that is the namespace asked about.
		 */
		snprintf(path, sizeof(path), "%d/ns/time_for_children", (int)pid);
		ssize_t l = readlinkat(procfd, path, link, sizeof(link));
		enum nstype t;
		uint64_t got;
		if (l > 0 && procfs_parse_nslink(link, (size_t)l, &t, &got) == 0 && got == ino)
			n = read_proc(procfd, pid, "timens_offsets", in, sizeof(in));
	}
	if (n < 0 || procfs_format_timens(in, (size_t)n, out, sizeof(out)) < 0)
		return NULL;
	return strdup(out);
}
