/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "relate.h"
#include "scan.h"

static int open_via(int procfd, pid_t pid, const struct nsdb_ns *ns)
{
	char path[48];
	struct stat st;

	snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, nstype_name(ns->type));
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_ino != ns->ino) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

int relate_open_ns(const struct nsdb *db, int procfd, const struct nsdb_ns *ns)
{
	int fd = -ENOENT;

	if (ns->rep != NSDB_NONE) {
		fd = open_via(procfd, db->procs[ns->rep].pid, ns);
		if (fd >= 0)
			return fd;
	}
	/* The lowest pid exited since the scan: rare, so a linear search is fine. */
	for (size_t i = 0; i < db->nprocs; i++) {
		if (i == ns->rep || db->procs[i].ns[ns->type] != ns->ino)
			continue;
		fd = open_via(procfd, db->procs[i].pid, ns);
		if (fd >= 0)
			return fd;
	}
	return fd < 0 ? fd : -ENOENT;
}

/* Inode of the namespace fd returned by an nsfs ioctl; 0 when none is visible. */
static int ioctl_ns_ino(int fd, unsigned long req, uint64_t *ret_ino, int *ret_fd)
{
	struct stat st;
	int nfd = ioctl(fd, req);

	*ret_ino = 0;
	if (ret_fd)
		*ret_fd = -1;
	if (nfd < 0) {
		/* EPERM: the initial namespace, or one outside our view */
		if (errno == EPERM || errno == EINVAL)
			return 0;
		return -errno;
	}
	if (fstat(nfd, &st) == 0)
		*ret_ino = st.st_ino;
	if (ret_fd)
		*ret_fd = nfd;
	else
		close(nfd);
	return 0;
}

int relate_ns(struct nsdb *db, int procfd, int nlfd, size_t idx, unsigned what)
{
	struct nsdb_ns *ns = &db->ns[idx];
	int r = 0, ufd = -1;

	what &= ~ns->rel_done;
	if (!what)
		return 0;
	int fd = relate_open_ns(db, procfd, ns);
	if (fd < 0) {
		/* every member exited or is hidden from us: relations stay unknown */
		ns->rel_done |= what;
		return 0;
	}

	if (what & NSDB_REL_OWNER) {
		r = ioctl_ns_ino(fd, NS_GET_USERNS, &ns->owner, &ufd);
		if (r < 0)
			goto out;
		if (ufd >= 0) {
			uid_t uid;
			if (ioctl(ufd, NS_GET_OWNER_UID, &uid) == 0) {
				ns->owner_uid = uid;
				ns->rel_done |= NSDB_REL_OWNER_UID;
			}
		}
	}
	if ((what & NSDB_REL_PARENT) && nstype_table[ns->type].has_parent) {
		r = ioctl_ns_ino(fd, NS_GET_PARENT, &ns->parent, NULL);
		if (r < 0)
			goto out;
	}
	if ((what & NSDB_REL_NETNSID) && ns->type == NSTYPE_NET && nlfd >= 0) {
		r = relate_netnsid(nlfd, fd, &ns->netnsid);
		if (r < 0)
			goto out;
	}
	ns->rel_done |= what;
out:
	if (ufd >= 0)
		close(ufd);
	close(fd);
	return r;
}

int relate_netlink_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	return fd < 0 ? -errno : fd;
}

int relate_netnsid(int nlfd, int nsfd, int *ret_id)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		char pad[3];
		struct nlattr a;
		uint32_t fd;
	} req;
	char buf[1024];
	static uint32_t seq;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = ++seq;
	req.g.rtgen_family = AF_UNSPEC;
	req.a.nla_type = NETNSA_FD;
	req.a.nla_len = NLA_HDRLEN + sizeof(uint32_t);
	req.fd = (uint32_t)nsfd;

	if (send(nlfd, &req, sizeof(req), 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(nlfd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != req.nh.nlmsg_seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);
				return e->error ? e->error : -EPROTO;
			}
			if (nh->nlmsg_type != RTM_NEWNSID)
				continue;
			int alen = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(struct rtgenmsg)));
			struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(nh) +
							    NLMSG_ALIGN(sizeof(struct rtgenmsg)));
			for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
				if (a->rta_type == NETNSA_NSID && RTA_PAYLOAD(a) >= sizeof(int32_t)) {
					int32_t id;
					memcpy(&id, RTA_DATA(a), sizeof(id));
					*ret_id = id < 0 ? -1 : id;
					return 0;
				}
			}
			*ret_id = -1;
			return 0;
		}
	}
}
