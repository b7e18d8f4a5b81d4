/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enter.h"
#include "procfs.h"
#include "kernel.h"

void enter_plan_init(struct enter_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->pidfd = -1;
	for (int t = 0; t < NSTYPE_COUNT; t++)
		p->ns[t].fd = -1;
}

void enter_plan_close(struct enter_plan *p)
{
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (p->ns[t].fd >= 0) {
			close(p->ns[t].fd);
			p->ns[t].fd = -1;
		}
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
}

int enter_pin(struct enter_plan *p, pid_t pid)
{
	/* pidfd_open's fds are always close-on-exec */
	int fd = (int)syscall(__NR_pidfd_open, pid, 0);
	if (fd < 0)
		return -errno;
	p->pid = pid;
	p->pidfd = fd;
	return 0;
}

bool enter_pidfd_allowed(void)
{
	const char *e = getenv("NSPECT_ENTER_NO_PIDFD");
	return !e || strcmp(e, "1") != 0;
}

int enter_check_alive(const struct enter_plan *p)
{
	char path[32], buf[1024];
	struct procfs_stat st;

	if (p->pidfd < 0)
		return 0;
	/* EPERM: alive, but not ours to signal (another user's process) */
	if (syscall(__NR_pidfd_send_signal, p->pidfd, 0, NULL, 0) != 0 && errno != EPERM)
		return -ESRCH;
	/*
	 * A zombie still takes signal 0, and keeps its user and pid links, but
	 * it has exited: joining what is left of it would run the program in a
	 * half-gone target.  While the pin holds, the pid is still this one's.
	 */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0 && procfs_parse_stat(buf, (size_t)n, &st) == 0 && (st.state == 'Z' || st.state == 'X'))
		return -ESRCH;
	return 0;
}

int enter_fd_info(int fd, enum nstype *ret_type, uint64_t *ret_ino)
{
	struct stat st;
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

int enter_target_ns(struct enter_plan *p, int procfd, enum nstype t, int *ret_fd)
{
	char path[48];
	int fd = -1;

	p->via_proc = false;
	if (enter_pidfd_allowed()) {
		/* race-free: the namespace of exactly the pinned process */
		fd = ioctl(p->pidfd, nstype_table[t].pidfd_ioctl, 0);
		if (fd >= 0) {
			/* these fds come without close-on-exec */
			if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
				int err = -errno;
				close(fd);
				return err;
			}
			*ret_fd = fd;
			return 0;
		}
		if (errno == ESRCH)
			return -ESRCH;
		if (errno == EOPNOTSUPP && t == NSTYPE_TIME)
			return -ENOENT;
	}
	p->via_proc = true;
	snprintf(path, sizeof(path), "%d/ns/%s", (int)p->pid, nstype_name(t));
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* the pid may have been reused after the pin: only the pinned process counts */
	int r = enter_check_alive(p);
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* Join one namespace fd; EINVAL for the caller's own user namespace is a skip. */
static int join_fd(struct enter_ns *n)
{
	return setns(n->fd, 0) == 0 ? 0 : -errno;
}

/* The CLONE_NEW* flags of what is to be joined; *all_target: all of it the target's. */
static unsigned long join_mask(const struct enter_plan *p, bool *all_target)
{
	unsigned long mask = 0;

	*all_target = p->pidfd >= 0;
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		const struct enter_ns *n = &p->ns[t];
		if (!n->wanted || n->skipped)
			continue;
		mask |= nstype_table[t].clone_flag;
		*all_target = *all_target && n->from_target;
	}
	return mask;
}

bool enter_joins_by_pidfd(const struct enter_plan *p)
{
	bool all_target;
	return join_mask(p, &all_target) && all_target && enter_pidfd_allowed();
}

int enter_join(struct enter_plan *p, bool use_pidfd, bool unprivileged, int *ret_failed)
{
	bool all_target;
	unsigned long mask = join_mask(p, &all_target);

	*ret_failed = -1;
	if (!mask)
		return 0;
	if (use_pidfd && all_target) {
		/* all or nothing, and the kernel orders user and the others itself */
		if (setns(p->pidfd, (int)mask) == 0)
			return 0;
		/* EINVAL: no setns(pidfd) before 5.8; anything else: find which one and why below */
	}

	/* user namespace first to gain rights, last to give them up */
	int order[NSTYPE_COUNT], n = 0;
	if (unprivileged)
		order[n++] = NSTYPE_USER;
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (t != NSTYPE_USER)
			order[n++] = t;
	if (!unprivileged)
		order[n++] = NSTYPE_USER;

	bool retry[NSTYPE_COUNT] = { false };
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < n; k++) {
			int t = order[k];
			struct enter_ns *e = &p->ns[t];
			if (!e->wanted || e->skipped || e->fd < 0 || (pass == 1 && !retry[t]))
				continue;
			int r = join_fd(e);
			retry[t] = false;
			if (r == 0)
				continue;
			/* EPERM in the first pass may be cured by joining the user namespace later */
			if (pass == 0 && r == -EPERM) {
				retry[t] = true;
				continue;
			}
			*ret_failed = t;
			return r;
		}
	}
	return 0;
}

int enter_set_creds(uid_t uid, gid_t gid, bool set_groups)
{
	if (set_groups && setgroups(0, NULL) < 0 && errno != EPERM)
		return -errno;
	if (setresgid(gid, gid, gid) < 0)
		return -errno;
	if (setresuid(uid, uid, uid) < 0)
		return -errno;
	return 0;
}

int enter_keep_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	/* ambient capabilities must be permitted and inheritable; exec then keeps them */
	data[0].inheritable = data[0].permitted;
	data[1].inheritable = data[1].permitted;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	for (int cap = 0; cap < 64; cap++) {
		uint32_t word = data[cap / 32].permitted;
		if (!(word & (1u << (cap % 32))))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EINVAL)
			return -errno;
	}
	return 0;
}
