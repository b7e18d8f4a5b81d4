/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Relations between namespaces (owner, parent, netns id), asked of the
 * kernel once per namespace, never once per (process, type) pair.
 */
#ifndef NSPECT_RELATE_H
#define NSPECT_RELATE_H

#include "nsdb.h"

/*
 * Open the namespace read-only through one of its processes.  The inode is
 * checked after opening, so a pid reused since the scan is never trusted.
 * Returns an O_CLOEXEC fd or -ENOENT when no member is left.
 */
int relate_open_ns(const struct nsdb *db, int procfd, const struct nsdb_ns *ns);

/*
 * Fill the relations in what (NSDB_REL_* bits) for namespace idx.  A
 * namespace whose processes all exited keeps its relations unknown (0).
 * -ENOTTY when the kernel lacks the nsfs ioctls.
 */
int relate_ns(struct nsdb *db, int procfd, int nlfd, size_t idx, unsigned what);

/* Open a netlink route socket for RTM_GETNSID queries (O_CLOEXEC). */
int relate_netlink_open(void);

/*
 * Ask the kernel which id our network namespace gives the network namespace
 * open at nsfd.  *ret_id is -1 when none is assigned.
 */
int relate_netnsid(int nlfd, int nsfd, int *ret_id);

#endif
