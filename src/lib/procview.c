/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "procview.h"


static void read_owner(int procfd, pid_t pid, enum nstype t, struct procview_ns *v)
{
	char path[48];
	struct stat st;
	uid_t uid;

	snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, nstype_name(t));
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* the same namespace the link named, or the process moved on: ask nothing */
	if (fstat(fd, &st) == 0 && st.st_ino == v->ino) {
		int ufd = ioctl(fd, NS_GET_USERNS);
		if (ufd >= 0 && fstat(ufd, &st) == 0)
			v->owner = st.st_ino;
		int uid_fd = t == NSTYPE_USER ? fd : ufd;
		if (uid_fd >= 0 && ioctl(uid_fd, NS_GET_OWNER_UID, &uid) == 0) {
			v->owner_uid = uid;
			v->has_owner_uid = true;
		}
		if (ufd >= 0)
			close(ufd);
	}
	close(fd);
}

int procview_read(int procfd, pid_t pid, struct procview *ret)
{
	char path[48], buf[4096];
	int readable = 0, denied = 0;

	memset(ret, 0, sizeof(*ret));
	ret->pid = pid;
	int pidfd = (int)syscall(__NR_pidfd_open, pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ? -ESRCH : -errno;

	for (int t = 0; t < NSTYPE_COUNT; t++) {
		struct procview_ns *v = &ret->ns[t];
		enum nstype type;

		snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, nstype_name((enum nstype)t));
		ssize_t n = readlinkat(procfd, path, buf, sizeof(buf));
		if (n < 0) {
			v->err = -errno;
			denied += errno == EACCES || errno == EPERM;
			continue;
		}
		if (procfs_parse_nslink(buf, (size_t)n, &type, &v->ino) < 0 || (int)type != t) {
			v->ino = 0;
			v->err = -EINVAL;
			continue;
		}
		readable++;
		read_owner(procfd, pid, (enum nstype)t, v);
	}

	bool dead = false;
	snprintf(path, sizeof(path), "%d/status", (int)pid);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			size_t count = 0;
			buf[n] = '\0';
			if (procfs_parse_nspid(buf, (size_t)n, ret->nspid, PROCVIEW_MAX_LEVELS, &count) == 0)
				ret->nnspid = count < PROCVIEW_MAX_LEVELS ? count : PROCVIEW_MAX_LEVELS;
			if (strncmp(buf, "Name:\t", 6) == 0) {
				const char *nl = strchr(buf + 6, '\n');
				size_t len = nl ? (size_t)(nl - buf - 6) : strlen(buf + 6);
				if (len > PROCFS_COMM_MAX)
					len = PROCFS_COMM_MAX;
				memcpy(ret->comm, buf + 6, len);
				ret->comm[len] = '\0';
			}
			/* a zombie keeps its pid and user links but has left every
			 * other namespace: it has exited, whatever its links say */
			const char *st = strstr(buf, "\nState:\t");
			dead = st && (st[8] == 'Z' || st[8] == 'X');
		}
	}

	/* still the process we pinned, and still alive? */
	/* EPERM: alive, but not ours to signal (another user's process) */
	int alive = syscall(__NR_pidfd_send_signal, pidfd, 0, NULL, 0) == 0 || errno == EPERM;
	close(pidfd);
	if (!alive || dead || (!readable && !denied))
		return -ESRCH; /* exited, or a zombie whose namespaces are gone */
	if (!readable)
		return -EACCES;
	return 0;
}
