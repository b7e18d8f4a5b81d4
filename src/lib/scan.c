/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scan.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int read_small(int dirfd, const char *name, char *buf, size_t bufsz, size_t *ret_len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, bufsz);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	*ret_len = (size_t)n;
	return 0;
}

int scan_one_proc(int procfd, pid_t pid, unsigned typemask, struct nsdb_proc *ret)
{
	char name[16], buf[512];
	struct stat st;
	struct procfs_stat ps;
	size_t len = 0;
	int r, pfd, nsfd, found = 0, denied = 0;

	snprintf(name, sizeof(name), "%d", (int)pid);
	/* O_PATH: we only resolve names below it, never read the directory */
	pfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -errno;

	memset(ret, 0, sizeof(*ret));
	ret->pid = pid;
	if (fstat(pfd, &st) < 0) {
		r = -errno;
		goto out;
	}
	ret->uid = st.st_uid;

	r = read_small(pfd, "stat", buf, sizeof(buf), &len);
	if (r < 0)
		goto out;
	r = procfs_parse_stat(buf, len, &ps);
	if (r < 0) {
		/* a truncated read means the process went away under us */
		r = -ESRCH;
		goto out;
	}
	ret->ppid = ps.ppid;
	memcpy(ret->comm, ps.comm, sizeof(ret->comm));

	nsfd = openat(pfd, "ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (nsfd < 0) {
		r = -errno;
		goto out;
	}
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		enum nstype type;
		uint64_t ino;

		if (!(typemask & (1u << t)))
			continue;
		ssize_t n = readlinkat(nsfd, nstype_table[t].name, buf, sizeof(buf));
		if (n < 0) {
			/* ENOENT alone: this kernel lacks the type, or the task is gone */
			if (errno == EACCES || errno == EPERM)
				denied = 1;
			continue;
		}
		if (procfs_parse_nslink(buf, (size_t)n, &type, &ino) < 0 || (int)type != t)
			continue;
		ret->ns[t] = ino;
		found++;
	}
	close(nsfd);
	if (denied && !found)
		r = -EACCES;
	else if (!found && typemask)
		r = -ENOENT; /* zombie or exited: no namespaces left to report */
	else
		r = 0;
out:
	close(pfd);
	return r;
}

int scan_procs(struct nsdb *db, int procfd, unsigned typemask, struct scan_stats *stats)
{
	char buf[32768];
	int dfd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (dfd < 0)
		return -errno;
	for (;;) {
		long n = syscall(SYS_getdents64, dfd, buf, sizeof(buf));
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			struct nsdb_proc p;
			pid_t pid;

			off += d->d_reclen;
			if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
			    procfs_parse_pid(d->d_name, &pid) < 0)
				continue;
			int e = scan_one_proc(procfd, pid, typemask, &p);
			if (e == 0) {
				r = nsdb_add_proc(db, &p);
				if (r < 0)
					goto out;
			} else if (scan_errno_denied(e)) {
				stats->denied++;
			} else {
				/* gone, zombie, or unreadable for another passing reason */
				stats->vanished++;
			}
		}
	}
out:
	close(dfd);
	return r;
}

const char *scan_cmdline(int procfd, struct nsdb_proc *p)
{
	char path[32], raw[4096], out[4096 * 4 + 1];
	int fd;

	if (p->cmdline_loaded)
		return p->cmdline ? p->cmdline : "";
	p->cmdline_loaded = true;

	snprintf(path, sizeof(path), "%d/cmdline", (int)p->pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n = fd >= 0 ? read(fd, raw, sizeof(raw)) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0 && procfs_format_cmdline(raw, (size_t)n, out, sizeof(out)) > 0) {
		p->cmdline = strdup(out);
	} else {
		/* kernel threads and exited processes: the name from stat */
		procfs_escape(p->comm, strlen(p->comm), out, sizeof(out));
		p->cmdline = strdup(out);
	}
	return p->cmdline ? p->cmdline : "";
}
