/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery source: nsfs bind mounts (ip netns add, unshare --net=FILE) in
 * every mount namespace, not only ours.
 */
#ifndef NSPECT_MOUNTS_H
#define NSPECT_MOUNTS_H

#include "nsdb.h"
#include "scan.h"

/*
 * Add a HOLDER_MOUNT for every nsfs mount of a type in typemask.  Walks every
 * mount namespace with NS_MNT_GET_NEXT and reads its mounts with
 * listmount/statmount without entering it (Linux 6.12+, CAP_SYS_ADMIN);
 * otherwise, or when NSPECT_MOUNTS_FALLBACK=1 (for tests), reads
 * /proc/PID/mountinfo of one process per known mount namespace (or, when
 * the model holds none, per mount namespace found in /proc).
 * Mount namespaces found by the walk are added to the model too.
 */
int mounts_scan(struct nsdb *db, int procfd, unsigned typemask, struct scan_stats *stats);

/* The fallback alone (exposed for tests). */
int mounts_scan_mountinfo(struct nsdb *db, int procfd, unsigned typemask, struct scan_stats *stats);

#endif
