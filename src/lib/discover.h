/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One pass of every asked discovery source into a model, in the right order. */
#ifndef NSPECT_DISCOVER_H
#define NSPECT_DISCOVER_H

#include <stdbool.h>

#include "nsdb.h"
#include "scan.h"

struct discover_opts {
	unsigned typemask; /* namespace types to find (bits of enum nstype) */
	unsigned sources;  /* bits of enum scan_source */
	unsigned what;     /* NSDB_REL_* every namespace needs (beyond what ancestors need) */
	int nlfd;          /* netlink socket when NSDB_REL_NETNSID is asked, else -1 */
	bool relate_every; /* ask every namespace, even without the ancestors source */
};

/*
 * Processes (with threads, fds, sockets), mounts, then relations of every
 * namespace (revealing hidden ancestors), then the kernel's own list; ends
 * sorted.  When neither ancestors nor listns is asked, relations are left
 * for the caller to ask of the rows it shows (relate_ns).
 * -ENOTTY: the kernel lacks the nsfs ioctls; -ENOMEM; other -errno from /proc.
 */
int discover(struct nsdb *db, int procfd, const struct discover_opts *o, struct scan_stats *stats);

#endif
