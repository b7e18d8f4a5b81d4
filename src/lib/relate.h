/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Relations between namespaces (owner, parent, ids), asked of the kernel
 * once per namespace, never once per (process, type) pair; and the hidden
 * ancestors those answers reveal.
 */
#ifndef NSPECT_RELATE_H
#define NSPECT_RELATE_H

#include <stdbool.h>

#include "nsdb.h"

/*
 * Open the namespace read-only through one of its processes or, when it has
 * none, through a thread, fd or mount that holds it.  The inode is checked
 * after opening, so a pid reused since the scan is never trusted.
 * Returns an O_CLOEXEC fd, or -ENOENT when nothing that holds it is left.
 */
int relate_open_ns(const struct nsdb *db, int procfd, const struct nsdb_ns *ns);

struct relate_ctx {
	struct nsdb *db;
	int procfd;
	int nlfd;          /* netlink socket for NETNSID, or -1 */
	unsigned what;     /* NSDB_REL_* to ask */
	bool ancestors;    /* add owners and parents that are not in the model yet */
	unsigned typemask; /* ancestors of these types only */
};

/*
 * Ask ctx->what of namespace idx.  A namespace whose holders all went away
 * keeps its relations unknown (0).  -ENOTTY when the kernel lacks the nsfs
 * ioctls; -ENOMEM.
 */
int relate_ns(struct relate_ctx *ctx, size_t idx);

/* The same, for a namespace already open at fd (not consumed). */
int relate_ns_fd(struct relate_ctx *ctx, size_t idx, int fd);

/* relate_ns for every namespace of a type in ctx->typemask, ancestors included. */
int relate_all(struct relate_ctx *ctx);

/* Open a netlink route socket for RTM_GETNSID queries (O_CLOEXEC). */
int relate_netlink_open(void);

/*
 * Ask the kernel which id our network namespace gives the network namespace
 * open at nsfd.  *ret_id is -1 when none is assigned.
 */
int relate_netnsid(int nlfd, int nsfd, int *ret_id);

#endif
