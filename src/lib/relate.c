/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "relate.h"
#include "scan.h"

/* Open path (relative to procfd unless absolute) and check it is the namespace. */
static int open_checked(int procfd, const char *path, const struct nsdb_ns *ns)
{
	struct stat st;
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_ino != ns->ino) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

static int open_via_pid(int procfd, pid_t pid, const struct nsdb_ns *ns)
{
	char path[48];
	snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, nstype_name(ns->type));
	return open_checked(procfd, path, ns);
}

/* The net namespace of socket fd of process pid, as SIOCGSKNS gives it (needs ptrace rights). */
static int open_via_socket(pid_t pid, int fd, const struct nsdb_ns *ns)
{
	struct stat st;
	int pidfd = (int)syscall(__NR_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	int sfd = (int)syscall(__NR_pidfd_getfd, pidfd, fd, 0);
	int err = errno;
	close(pidfd);
	if (sfd < 0)
		return -err;
	int nsfd = ioctl(sfd, SIOCGSKNS);
	err = errno;
	close(sfd);
	if (nsfd < 0)
		return -err;
	if (fstat(nsfd, &st) < 0 || st.st_ino != ns->ino) {
		close(nsfd);
		return -ENOENT;
	}
	return nsfd;
}

static int open_via_holder(const struct nsdb *db, int procfd, const struct nsdb_ns *ns)
{
	const struct nsdb_holder *h = &db->holders[ns->opener];
	char path[64];

	switch (h->kind) {
	case HOLDER_THREAD:
		return open_via_pid(procfd, h->num, ns);
	case HOLDER_FD:
		snprintf(path, sizeof(path), "%d/fd/%d", (int)h->pid, h->num);
		return open_checked(procfd, path, ns);
	case HOLDER_MOUNT:
		return h->open_path ? open_checked(procfd, h->open_path, ns) : -ENOENT;
	case HOLDER_SOCKET:
		return open_via_socket(h->pid, h->num, ns);
	default:
		return -ENOENT;
	}
}

int relate_open_ns(const struct nsdb *db, int procfd, const struct nsdb_ns *ns)
{
	int fd = -ENOENT;

	if (ns->rep != NSDB_NONE) {
		fd = open_via_pid(procfd, db->procs[ns->rep].pid, ns);
		if (fd >= 0)
			return fd;
		/* The lowest pid exited since the scan: rare, so a linear search is fine. */
		for (size_t i = 0; i < db->nprocs; i++) {
			if (i == ns->rep || db->procs[i].ns[ns->type] != ns->ino)
				continue;
			fd = open_via_pid(procfd, db->procs[i].pid, ns);
			if (fd >= 0)
				return fd;
		}
	}
	if (ns->opener != NSDB_NONE) {
		fd = open_via_holder(db, procfd, ns);
		if (fd >= 0)
			return fd;
	}
	return fd < 0 ? fd : -ENOENT;
}

/* Work left to do: a namespace and the fd it is open at. */
struct pending {
	size_t idx;
	int fd;
};

struct stack {
	struct pending *v;
	size_t n, cap;
};

static int push(struct stack *s, size_t idx, int fd)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		struct pending *nv = reallocarray(s->v, ncap, sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = (struct pending){ idx, fd };
	return 0;
}

/*
 * An ancestor (owner or parent) is known at afd: record its inode, mark it
 * as holding a child, and queue it when it still needs asking.  Consumes afd.
 */
static int note_ancestor(struct relate_ctx *ctx, struct stack *todo, enum nstype type, int afd, uint64_t *ret_ino)
{
	struct stat st;
	size_t aidx;

	*ret_ino = 0;
	if (fstat(afd, &st) < 0) {
		close(afd);
		return 0;
	}
	*ret_ino = st.st_ino;
	aidx = nsdb_find_ns(ctx->db, type, st.st_ino);
	if (aidx == NSDB_NONE && ctx->ancestors && (ctx->typemask & (1u << type))) {
		int r = nsdb_add_ns(ctx->db, type, st.st_ino, &aidx);
		if (r < 0) {
			close(afd);
			return r;
		}
	}
	if (aidx == NSDB_NONE) {
		close(afd);
		return 0;
	}
	ctx->db->ns[aidx].holders |= 1u << HOLDER_CHILD;
	if ((ctx->db->ns[aidx].rel_done & ctx->what) == ctx->what || !(ctx->typemask & (1u << type))) {
		close(afd);
		return 0;
	}
	int r = push(todo, aidx, afd);
	if (r < 0)
		close(afd);
	return r;
}

/* Ask one namespace; ancestors it reveals go on todo with their fds. */
static int ask(struct relate_ctx *ctx, struct stack *todo, size_t idx, int fd)
{
	unsigned what = ctx->what & ~ctx->db->ns[idx].rel_done;
	enum nstype type = ctx->db->ns[idx].type;
	uint64_t ino;
	int r;

	if (!what)
		return 0;
	/* mark first: a cycle through a racing holder can never loop */
	ctx->db->ns[idx].rel_done |= what;

	if (what & NSDB_REL_ID) {
		uint64_t id;
		if (ioctl(fd, NS_GET_ID, &id) == 0) {
			ctx->db->ns[idx].nsid = id;
			ctx->db->ns[idx].has_nsid = true;
		}
	}
	if (what & NSDB_REL_OWNER) {
		uid_t uid;
		int ufd = ioctl(fd, NS_GET_USERNS);
		/* a user namespace's own creator; for the others, their owner's */
		int uid_fd = type == NSTYPE_USER ? fd : ufd;
		if (uid_fd >= 0 && ioctl(uid_fd, NS_GET_OWNER_UID, &uid) == 0) {
			ctx->db->ns[idx].owner_uid = uid;
			ctx->db->ns[idx].has_owner_uid = true;
		}
		if (ufd >= 0) {
			r = note_ancestor(ctx, todo, NSTYPE_USER, ufd, &ino);
			ctx->db->ns[idx].owner = ino;
			if (r < 0)
				return r;
		} else if (errno == ENOTTY)
			return -ENOTTY;
		/* EPERM: the owner is outside our view (or this is the initial user ns) */
	}
	if ((what & NSDB_REL_PARENT) && nstype_table[type].has_parent) {
		int pfd = ioctl(fd, NS_GET_PARENT);
		if (pfd >= 0) {
			r = note_ancestor(ctx, todo, type, pfd, &ino);
			ctx->db->ns[idx].parent = ino;
			if (r < 0)
				return r;
		} else if (errno == ENOTTY)
			return -ENOTTY;
	}
	if ((what & NSDB_REL_NETNSID) && type == NSTYPE_NET && ctx->nlfd >= 0) {
		int id = -1;
		if (relate_netnsid(ctx->nlfd, fd, &id) == 0)
			ctx->db->ns[idx].netnsid = id;
	}
	return 0;
}

static int drain(struct relate_ctx *ctx, struct stack *todo, int r)
{
	while (todo->n > 0) {
		struct pending p = todo->v[--todo->n];
		if (r == 0)
			r = ask(ctx, todo, p.idx, p.fd);
		close(p.fd);
	}
	return r;
}

int relate_ns_fd(struct relate_ctx *ctx, size_t idx, int fd)
{
	struct stack todo = { 0 };
	int r = ask(ctx, &todo, idx, fd);
	r = drain(ctx, &todo, r);
	free(todo.v);
	return r;
}

int relate_ns(struct relate_ctx *ctx, size_t idx)
{
	if ((ctx->db->ns[idx].rel_done & ctx->what) == ctx->what)
		return 0;
	int fd = relate_open_ns(ctx->db, ctx->procfd, &ctx->db->ns[idx]);
	if (fd < 0) {
		/* every holder went away or is hidden from us: relations stay unknown */
		ctx->db->ns[idx].rel_done |= ctx->what;
		return 0;
	}
	int r = relate_ns_fd(ctx, idx, fd);
	close(fd);
	return r;
}

int relate_all(struct relate_ctx *ctx)
{
	int r = 0;
	/* db->nns grows as hidden ancestors are found; they are asked on the way */
	for (size_t i = 0; i < ctx->db->nns && r == 0; i++)
		if (ctx->typemask & (1u << ctx->db->ns[i].type))
			r = relate_ns(ctx, i);
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
